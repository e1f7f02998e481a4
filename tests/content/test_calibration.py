"""Sympson-Hetter K computed by ``content build`` from ``calibrate_exposure`` and signed with
its version: present, valid, reproducible, effective, and refused where it means nothing."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pixdesk import crypto
from pixdesk.cli import main
from pixdesk.content import package as pkg
from pixdesk.content.source import load_source
from pixdesk.engine.simulate import simulate
from pixdesk.engine.version import PRESETS, CertificationVersion
from pixdesk.errors import ContentError
from tests.content.conftest import read_json, write_json
from tests.content.test_package import DEMO_SIGNING_KEY, REPO, forge, payload_of

TARGET = 0.3
REQUEST = {"candidates": 300, "seed": 1}
TOLERANCE = 0.1
"""How far above the target the calibrated maximum may land. Measured on this 208-item bank
(target 0.3, seeds 1-3): the engine's calibration leaves the hottest item at 0.35-0.37 when
checked on 2,000 candidates, whether it calibrates on 300 or 600, and a 1,000-candidate check
adds up to ~0.03 of sampling noise to a maximum over the bank. Without K it is above 0.7."""


def exposure_version(selection: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """The "exposure" preset aiming at ``TARGET`` as a source version named ``expo``."""
    version = PRESETS["exposure"]
    rules = dataclasses.replace(version.selection, exposure_target=TARGET)
    entry = dataclasses.replace(version, id="expo", selection=rules).to_dict() | changes
    entry["selection"] |= selection or {}
    return entry


def demo_copy(root: Path, *extra_versions: dict[str, Any]) -> Path:
    """The demo sources with ``extra_versions`` appended to package.json's versions."""
    shutil.copytree(REPO / "resources/content", root)
    meta = read_json(root / "package.json")
    meta["versions"] += list(extra_versions)
    write_json(root / "package.json", meta)
    return root


class Built:
    """The same calibrating sources built twice: once by the CLI, once by the API."""

    def __init__(self, root: Path) -> None:
        self.source = demo_copy(root / "src", exposure_version(calibrate_exposure=REQUEST))
        self.by_cli, self.by_api = root / "cli.pixpkg", root / "api.pixpkg"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["content", "build", str(self.source), str(self.by_cli),
                         "--signing-key", str(DEMO_SIGNING_KEY)])
        assert code == 0
        self.cli_lines = out.getvalue().splitlines()
        self.reports: list[pkg.CalibrationReport] = []
        signer = crypto.signing_key_from_bytes(pkg.read_key_file(DEMO_SIGNING_KEY))
        self.manifest = pkg.build_package(self.source, self.by_api, signer,
                                          pkg.demo_content_key(),
                                          on_calibration=self.reports.append)
        self.opened = pkg.open_package(self.by_api)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("calibration"))


def held_back(version: CertificationVersion) -> set[str]:
    """The items with K < 1 in at least one stratum."""
    return {item for item, _, k in version.selection.sympson_hetter_strata_k if k < 1.0}


def test_the_calibrated_version_carries_k_for_items_of_its_own_bank(built: Built) -> None:
    """The preset is conditional: K per (item, θ̂ band × stage), no flat K."""
    version = built.opened.versions["expo"]
    triples = version.selection.sympson_hetter_strata_k
    assert triples and not version.selection.sympson_hetter_k
    assert all(0.0 <= k <= 1.0 and 0 <= stratum < 14 for _, stratum, k in triples)
    assert held_back(version) <= {item.id for item in built.opened.items}
    assert version.selection.exposure == "sympson-hetter"
    assert version.selection.exposure_target == TARGET


def test_versions_without_the_request_are_signed_as_written(built: Built) -> None:
    source = load_source(built.source)
    assert built.opened.versions["v3-demo"] == source.versions["v3-demo"]
    assert source.versions["expo"].selection.sympson_hetter_k == ()
    assert source.versions["expo"].selection.sympson_hetter_strata_k == ()
    assert list(source.calibrations) == ["expo"]
    signed = pkg.read_members(built.by_api.read_bytes())["manifest.json"]
    assert b"calibrate_exposure" not in signed


def test_two_builds_sign_the_same_manifest_and_the_same_items(built: Built) -> None:
    """Everything but the ciphertext is byte-identical: the AES-GCM nonce is random by design
    (``crypto.encrypt``), so the payload hash, and only it, differs between builds."""
    first = pkg.read_members(built.by_cli.read_bytes())["manifest.json"]
    second = built.manifest.canonical_bytes()
    assert first != second
    blank = {"payload_sha256": ""}
    assert (crypto.canonical_json(json.loads(first) | blank)
            == crypto.canonical_json(built.manifest.to_dict() | blank))
    assert pkg.open_package(built.by_cli).items == built.opened.items


def test_the_signed_k_keeps_exposure_near_the_target_and_without_it_it_is_not(
    built: Built,
) -> None:
    version = built.opened.versions["expo"]
    bank = built.opened.bank
    with_k = simulate(version, bank, candidates=1000, seed=7)
    without = dataclasses.replace(
        version, selection=dataclasses.replace(version.selection, sympson_hetter_strata_k=())
    )
    without_k = simulate(without, bank, candidates=1000, seed=7)
    assert with_k.max_exposure <= TARGET + TOLERANCE
    assert without_k.max_exposure > TARGET + 3 * TOLERANCE


def test_the_build_reports_each_calibrated_version_once(built: Built) -> None:
    (report,) = built.reports
    k = held_back(built.opened.versions["expo"])
    assert (report.version_id, report.items_with_k, report.bank_size) == ("expo", len(k), 208)
    version = built.opened.versions["expo"]
    fresh = simulate(version, built.opened.bank, candidates=REQUEST["candidates"],
                     seed=REQUEST["seed"] + 1)
    assert report.exposure_target == TARGET and report.max_exposure == fresh.max_exposure
    assert report.seconds > 0
    calibrated = [line for line in built.cli_lines if line.startswith("expo  ")]
    assert len(calibrated) == 1 and f"K < 1 : {len(k)}/208 items" in calibrated[0]
    assert built.cli_lines[-1].startswith("pixdesk-demo-2026-1  208 items")


def test_verify_says_which_versions_carry_k(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "verify", str(built.by_api)]) == 0
    k = held_back(built.opened.versions["expo"])
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("version ")]
    assert lines == [f"version expo  sympson-hetter (cible / target 0.3)  "
                     f"K < 1 : {len(k)} items dans au moins une des 14 strates / "
                     "in at least one of the 14 strata"]
    src = demo_copy(tmp_path / "src", exposure_version())
    out = tmp_path / "plain.pixpkg"
    assert main(["content", "build", str(src), str(out),
                 "--signing-key", str(DEMO_SIGNING_KEY)]) == 0
    capsys.readouterr()
    assert main(["content", "verify", str(out)]) == 0
    assert "version expo  sympson-hetter (cible / target 0.3)  sans K" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("version", "words"),
    [
        (exposure_version(selection={"exposure": "progressive"}, calibrate_exposure=REQUEST),
         "'progressive'"),
        (exposure_version(algorithm="v2", calibrate_exposure=REQUEST), "algorithm v2"),
        (exposure_version(selection={"sympson_hetter_k": [["c11-moteurs-citer-1", 0.5]]},
                          calibrate_exposure=REQUEST), "already gives 'sympson_hetter_k'"),
        (exposure_version(selection={"sympson_hetter_strata_k": [["c11-moteurs-citer-1", 3,
                                                                  0.5]]},
                          calibrate_exposure=REQUEST), "already gives 'sympson_hetter_strata_k'"),
        (exposure_version(calibrate_exposure={"candidates": 10}), "'candidates' must be"),
        (exposure_version(calibrate_exposure={"candidates": 300, "seed": -1}), "'seed' must be"),
        (exposure_version(calibrate_exposure={"candidates": 300, "rounds": 2}),
         "unknown field 'rounds'"),
        (exposure_version(calibrate_exposure=[300]), "an object"),
    ],
    ids=["no-sh-method", "v2", "k-given", "strata-k-given", "few-candidates", "negative-seed",
         "unknown-field", "not-an-object"],
)
def test_a_calibration_that_cannot_apply_is_refused_before_anything_is_written(
    tmp_path: Path, version: dict[str, Any], words: str
) -> None:
    src = demo_copy(tmp_path / "src", version)
    out = tmp_path / "out" / "bank.pixpkg"
    signer = crypto.new_signing_key()
    with pytest.raises(ContentError) as caught:
        pkg.build_package(src, out, signer, crypto.random_key())
    error = caught.value
    assert error.code == "content.bad_calibration"
    assert "version 'expo', 'calibrate_exposure'" in error.en and words in error.en
    assert "version « expo », « calibrate_exposure »" in error.fr
    assert not out.parent.exists()


@pytest.mark.parametrize("k", [[["c11-inconnue", 0.5]], [["c11-moteurs-citer-1", 0.0]],
                               [["c11-moteurs-citer-1", 1.5]]])
def test_sources_with_k_that_cannot_be_applied_are_refused(tmp_path: Path, k: Any) -> None:
    src = demo_copy(tmp_path / "src", exposure_version(selection={"sympson_hetter_k": k}))
    with pytest.raises(ContentError) as caught:
        load_source(src)
    assert caught.value.code == "content.bad_versions"


@pytest.mark.parametrize("k", [[["c11-inconnue", 0, 0.5]], [["c11-moteurs-citer-1", 0, 1.5]],
                               [["c11-moteurs-citer-1", 14, 0.5]],
                               [["c11-moteurs-citer-1", 2, 0.5], ["c11-moteurs-citer-1", 2, 0.4]],
                               [["c11-moteurs-citer-1", 2]]])
def test_sources_with_strata_k_that_cannot_be_applied_are_refused(tmp_path: Path, k: Any) -> None:
    src = demo_copy(tmp_path / "src",
                    exposure_version(selection={"sympson_hetter_strata_k": k}))
    with pytest.raises(ContentError) as caught:
        load_source(src)
    assert caught.value.code == "content.bad_versions"


def test_sources_with_valid_strata_k_load_them_a_zero_included(tmp_path: Path) -> None:
    k = [["c11-moteurs-citer-1", 0, 0.0], ["c11-moteurs-citer-1", 13, 0.5]]
    src = demo_copy(tmp_path / "src", exposure_version(selection={"sympson_hetter_strata_k": k}))
    rules = load_source(src).versions["expo"].selection
    assert rules.sympson_hetter_strata_k == (("c11-moteurs-citer-1", 0, 0.0),
                                             ("c11-moteurs-citer-1", 13, 0.5))


def test_a_signed_package_whose_k_names_items_it_lacks_is_refused(tmp_path: Path) -> None:
    signer = crypto.new_signing_key()
    content_key = crypto.random_key()
    public = crypto.public_key_bytes(signer)
    versions = read_json(REPO / "resources/content/package.json")["versions"]
    foreign = exposure_version(id="v3-demo", selection={"sympson_hetter_k": [["syn-1", 0.4]]})
    path = tmp_path / "forged.pixpkg"
    forge(path, payload_of(REPO / "resources/content"), signer, content_key,
          versions=[foreign, *versions[1:]])
    with pytest.raises(ContentError) as caught:
        pkg.open_package(path, content_key=content_key,
                         trusted_keys={crypto.key_id(public): public})
    assert caught.value.code == "content.bad_versions" and "syn-1" in caught.value.en


def test_a_conditional_version_calibrates_12_rounds_by_default_a_flat_one_6() -> None:
    from pixdesk.content.source import _calibration

    conditional = PRESETS["exposure"]
    flat = dataclasses.replace(conditional, selection=dataclasses.replace(
        conditional.selection, sympson_hetter_bands=(), sympson_hetter_stages=()))
    assert _calibration({"candidates": 300}, conditional).iterations == 12
    assert _calibration({"candidates": 300}, flat).iterations == 6
    assert _calibration({"candidates": 300, "iterations": 3}, conditional).iterations == 3
