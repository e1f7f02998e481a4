"""The source validator: every authoring mistake stops the build with file, item and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pixdesk.content.source import (
    difficulty_centre,
    item_to_dict,
    load_source,
    parse_item,
    parse_versions,
)
from pixdesk.engine.bank import BlankSolution, ChoiceSolution, GroupSolution, ItemType
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.errors import ContentError
from tests.content.conftest import make_item, read_json, write_json

REPO = Path(__file__).resolve().parents[2]


Change = Callable[[dict[str, Any]], None]


def edit_item(src: Path, competence: str, index: int, change: Change) -> None:
    path = src / "competences" / f"{competence}.json"
    doc = read_json(path)
    change(doc["items"][index])
    write_json(path, doc)


def refusal(src: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_source(src)
    return caught.value


def test_a_valid_tree_loads_every_competence_with_types_and_illustration(mini_source: Path) -> None:
    source = load_source(mini_source)
    assert len(source.items) == 80
    assert {i.competence for i in source.items} == set(COMPETENCE_IDS)
    assert {i.type for i in source.items} == set(ItemType)
    assert source.illustrations == {
        "illustrations/schema.svg": (mini_source / "illustrations/schema.svg").read_bytes()
    }
    assert list(source.versions) == ["v3-demo"]
    assert source.versions["v3-demo"].scoring.show_score_to_candidate is True
    qroc = next(i for i in source.items if i.type is ItemType.QROC)
    assert qroc.tolerances.t3 is False and qroc.tolerances.t1 is True and qroc.timer == 60
    assert isinstance(qroc.solution, BlankSolution)
    assert qroc.solution.accepted["r"] == ("42", "42,0")
    dep = next(i for i in source.items if i.type is ItemType.QROCM_DEP)
    assert isinstance(dep.solution, GroupSolution) and len(dep.solution.groups) == 3
    qcm = next(i for i in source.items if i.type is ItemType.QCM)
    assert qcm.solution == ChoiceSolution(frozenset({1, 3}))


def test_items_survive_the_round_trip_through_their_source_form(mini_source: Path) -> None:
    for item in load_source(mini_source).items:
        assert parse_item(item_to_dict(item), item.competence, "x.json") == item


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda i: i.pop("rationale"), "rationale"),
        (lambda i: i.update(colour="bleu"), "colour"),
        (lambda i: i.update(level="3"), "level"),
        (lambda i: i.update(level=8), "level"),
        (lambda i: i.update(type="QCX"), "type"),
        (lambda i: i.update(skill=i["tube"] + "9"), "skill"),
        (lambda i: i.update(tube="rechercheExacte"), "tube"),
        (lambda i: i.update(prompt=""), "prompt"),
        (lambda i: i.update(solution=[4]), "solution[0]"),
        (lambda i: i.update(solution=[1, 2]), "solution"),
        (lambda i: i.update(proposals=["Seule"]), "proposals"),
        (lambda i: i.update(blanks=[{"key": "r", "label": "x"}]), "blanks"),
        (lambda i: i.update(timer=10), "timer"),
        (lambda i: i.update(focused="oui"), "focused"),
        (lambda i: i.update(tolerances={"t4": True}), "tolerances.t4"),
        (lambda i: i.update(accessibility={"blind": True}), "accessibility.colour_blind"),
        (lambda i: i["calibration"].update(discriminant=3.0), "calibration.discriminant"),
        (lambda i: i["calibration"].update(difficulty=2.0), "calibration.difficulty"),
        (
            lambda i: i.update(illustration={"file": "../secret.svg", "alt": "x"}),
            "illustration.file",
        ),
    ],
)
def test_a_malformed_qcu_names_its_file_item_and_field(
    mini_source: Path, change: Change, field: str
) -> None:
    edit_item(mini_source, "1.2", 0, change)
    error = refusal(mini_source)
    assert error.code == "content.schema"
    assert "competences/1.2.json" in error.en and "c12-q0" in error.en
    assert f"field '{field}'" in error.en
    assert "épreuve c12-q0" in error.fr and f"« {field} »" in error.fr


@pytest.mark.parametrize(
    ("index", "change", "field"),
    [
        (2, lambda i: i.update(solution={"reponse": ["42"]}), "solution"),
        (2, lambda i: i.update(solution={"r": ["quarante-deux"]}), "solution.r"),
        (3, lambda i: i["solution"].pop("ext"), "solution"),
        (3, lambda i: i["blanks"].append({"key": "nom", "label": "Encore"}), "blanks"),
        (4, lambda i: i.update(solution=[["Firefox"]]), "solution"),
        (4, lambda i: i.update(proposals=["a", "b"]), "proposals"),
        (1, lambda i: i.update(solution=[2]), "solution"),
    ],
)
def test_blank_and_group_solutions_must_match_the_blanks(
    mini_source: Path, index: int, change: Change, field: str
) -> None:
    edit_item(mini_source, "4.1", index, change)
    error = refusal(mini_source)
    assert error.code == "content.schema"
    assert f"item c41-q{index}, field '{field}'" in error.en


def test_an_id_without_its_competence_prefix_is_refused(mini_source: Path) -> None:
    edit_item(mini_source, "2.3", 1, lambda i: i.update(id="c11-intrus"))
    error = refusal(mini_source)
    assert error.code == "content.schema" and "'c23-'" in error.en and "field 'id'" in error.en


def test_a_duplicate_id_across_files_names_both_files(mini_source: Path) -> None:
    edit_item(mini_source, "5.2", 0, lambda i: i.update(id="c52-q1"))
    error = refusal(mini_source)
    assert error.code == "content.duplicate_item"
    assert "c52-q1" in error.en and "competences/5.2.json" in error.en


def test_a_tube_cannot_span_two_competences(mini_source: Path) -> None:
    other = read_json(mini_source / "competences/1.1.json")["items"][0]["tube"]
    edit_item(mini_source, "1.3", 0, lambda i: i.update(tube=other, skill=f"{other}{i['level']}"))
    error = refusal(mini_source)
    assert error.code == "content.schema" and "field 'tube'" in error.en and "1.1" in error.en


def test_a_missing_illustration_file_is_refused(mini_source: Path) -> None:
    (mini_source / "illustrations" / "schema.svg").unlink()
    error = refusal(mini_source)
    assert error.code == "content.illustration_missing"
    assert "c32-q0" in error.en and "illustrations/schema.svg" in error.en


def test_every_competence_must_have_items(mini_source: Path) -> None:
    write_json(mini_source / "competences/3.4.json", {"competence": "3.4", "items": []})
    error = refusal(mini_source)
    assert error.code == "content.empty_competence"
    assert "3.4" in error.en and "Programmer" in error.fr


def test_a_missing_competence_file_is_refused(mini_source: Path) -> None:
    (mini_source / "competences/4.3.json").unlink()
    error = refusal(mini_source)
    assert error.code == "content.source_missing" and "competences/4.3.json" in error.en


def test_the_competence_inside_a_file_must_match_its_name(mini_source: Path) -> None:
    doc = read_json(mini_source / "competences/2.2.json")
    doc["competence"] = "2.1"
    write_json(mini_source / "competences/2.2.json", doc)
    assert refusal(mini_source).code == "content.competence_mismatch"


def test_an_unknown_competence_file_is_refused(mini_source: Path) -> None:
    write_json(mini_source / "competences/6.1.json", {"competence": "6.1", "items": []})
    assert refusal(mini_source).code == "content.unknown_competence"


def test_invalid_json_names_the_file(mini_source: Path) -> None:
    (mini_source / "competences/1.1.json").write_text("{ pas du json", encoding="utf-8")
    error = refusal(mini_source)
    assert error.code == "content.bad_json" and "competences/1.1.json" in error.en


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.update(default_version="v9"),
        lambda m: m["versions"][0].update(length="32"),
        lambda m: m["versions"][0].update(unknown_rule=1),
        lambda m: m["versions"][0]["estimation"].update(grid_points=True),
        lambda m: m.update(versions=[m["versions"][0], m["versions"][0]]),
        lambda m: m.update(versions=[]),
    ],
)
def test_bad_certification_versions_are_refused(
    mini_source: Path, change: Change
) -> None:
    meta = read_json(mini_source / "package.json")
    change(meta)
    write_json(mini_source / "package.json", meta)
    assert refusal(mini_source).code == "content.bad_versions"


def test_a_version_missing_a_newer_setting_still_loads_with_its_default(mini_source: Path) -> None:
    meta = read_json(mini_source / "package.json")
    del meta["versions"][0]["selection"]["exposure_target"]
    write_json(mini_source / "package.json", meta)
    assert load_source(mini_source).versions["v3-demo"].selection.exposure_target == 0.25


def test_package_meta_rejects_unknown_fields(mini_source: Path) -> None:
    meta = read_json(mini_source / "package.json")
    meta["author"] = "moi"
    write_json(mini_source / "package.json", meta)
    error = refusal(mini_source)
    assert error.code == "content.bad_meta" and "author" in error.en


def test_the_shipped_package_meta_is_the_pix_v3_demo_version() -> None:
    meta = read_json(REPO / "resources/content/package.json")
    versions = parse_versions(meta["versions"], meta["default_version"], "package.json")
    assert meta["demo"] is True and meta["id"] == "pixdesk-demo-2026-1"
    version = versions["v3-demo"]
    assert version.scoring.show_score_to_candidate is True
    assert (version.length, version.duration_minutes) == (32, 105)


def test_difficulty_centres_rise_with_level() -> None:
    centres = [difficulty_centre(level) for level in range(1, 8)]
    assert centres[0] == pytest.approx(-2.25) and centres[-1] == pytest.approx(3.45)
    assert centres == sorted(centres)


def test_the_helper_items_are_valid_for_every_type() -> None:
    for n in range(5):
        parse_item(make_item("1.1", n), "1.1", "t.json")


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 4), field=st.sampled_from(
    ["id", "tube", "level", "skill", "type", "prompt", "solution", "proposals", "blanks",
     "tolerances", "timer", "focused", "accessibility", "calibration", "illustration",
     "rationale"]
), value=_json)
def test_any_malformed_field_is_a_content_error_never_a_crash(
    n: int, field: str, value: Any
) -> None:
    raw = make_item("2.1", n)
    raw[field] = value
    try:
        parse_item(raw, "2.1", "2.1.json")
    except ContentError as error:
        assert error.code == "content.schema" and "2.1.json" in error.en
