"""Readable content sources → validated engine items and certification versions.

Authors write one JSON file per competence plus ``package.json``; a typo there must stop the
build with a message that names the file, the item and the field, because a bad item that
reaches a candidate cannot be taken back. The same item validator runs again when a package
is opened, so a package built by some other tool gets no less scrutiny than our sources.

The validator is written by hand rather than with a schema library: the rules cross fields
(skill = tube + level, solution indices within the proposals, blank keys matching the
solution) and the messages must be bilingual and precise.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pixdesk.engine.bank import (
    Blank,
    BlankFormat,
    BlankSolution,
    ChoiceSolution,
    GroupSolution,
    Item,
    ItemType,
    Solution,
    Tolerances,
)
from pixdesk.engine.framework import COMPETENCE_IDS, competence
from pixdesk.engine.version import CertificationVersion
from pixdesk.errors import ContentError

COMPETENCES_DIR = "competences"
META_FILE = "package.json"
MAX_LEVEL = 7
DISCRIMINANT_RANGE = (0.6, 2.2)
DIFFICULTY_SPREAD = 0.45
TIMER_RANGE = (30, 180)
PROPOSAL_COUNT = (2, 6)
QROCM_BLANK_COUNT = (2, 4)
ILLUSTRATION_SUFFIXES = (".svg", ".png")

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TUBE = re.compile(r"^@[a-z][A-Za-z0-9]*$")
_BLANK_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_PACKAGE_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ILLUSTRATION = re.compile(r"^illustrations/[a-z0-9][a-z0-9._-]*$")

_REQUIRED = frozenset(
    {"id", "tube", "level", "skill", "type", "prompt", "solution", "accessibility",
     "calibration", "rationale"}
)
_OPTIONAL = frozenset({"tolerances", "timer", "focused", "illustration"})
_CHOICE_TYPES = (ItemType.QCU, ItemType.QCM)
_META_REQUIRED = frozenset({"id", "title", "demo", "versions", "default_version"})
_META_OPTIONAL = frozenset({"created"})
CALIBRATE_KEY = "calibrate_exposure"
CALIBRATION_CANDIDATES = (100, 100_000)
CALIBRATION_ITERATIONS = (1, 50)
STRATA_CALIBRATION_ITERATIONS = 12
"""Default rounds of ``calibrate_exposure`` for a version with Sympson-Hetter strata (6 else)."""


def difficulty_centre(level: int) -> float:
    """Where a level's difficulties sit on the θ scale (−2.25 at level 1, +3.45 at level 7)."""
    return -3.2 + 0.95 * level


@dataclass(frozen=True, slots=True)
class ExposureCalibration:
    """A version's request to have its Sympson-Hetter K computed at build time.

    K depends on the bank it was calibrated on, so it can only be computed where the items
    are known; computed once by the author and signed, it costs nothing on exam PCs and every
    client applies the same K. The seed makes the computation reproducible."""

    candidates: int
    seed: int = 0
    iterations: int = 6


@dataclass(frozen=True, slots=True)
class ContentSource:
    """Everything a package is built from, already validated."""

    meta: dict[str, Any]
    items: tuple[Item, ...]
    versions: dict[str, CertificationVersion]
    illustrations: dict[str, bytes]
    calibrations: dict[str, ExposureCalibration] = field(default_factory=dict)
    """Version id → its ``calibrate_exposure`` request (only versions that ask)."""


def _refuse(code: str, fr: str, en: str) -> NoReturn:
    raise ContentError(f"content.{code}", fr, en)


def _schema_error(where: str, item_id: str, field: str, fr: str, en: str) -> NoReturn:
    _refuse(
        "schema",
        f"{where} : épreuve {item_id}, champ « {field} » : {fr}",
        f"{where}: item {item_id}, field '{field}': {en}",
    )


class _ItemReader:
    """Reads one item's fields, reporting every problem against its file, id and field."""

    def __init__(self, raw: Mapping[str, Any], where: str, item_id: str) -> None:
        self.raw = raw
        self.where = where
        self.item_id = item_id

    def fail(self, field: str, fr: str, en: str) -> NoReturn:
        _schema_error(self.where, self.item_id, field, fr, en)

    def text(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(field, "texte non vide attendu", "a non-empty string is expected")
        return value

    def integer(self, value: Any, field: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, "entier attendu", "an integer is expected")
        if not low <= value <= high:
            self.fail(
                field, f"valeur {value} hors de [{low}, {high}]",
                f"value {value} outside [{low}, {high}]",
            )
        return value

    def number(self, value: Any, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, "nombre attendu", "a number is expected")
        if not math.isfinite(value):
            self.fail(field, "nombre fini attendu", "a finite number is expected")
        return float(value)

    def flag(self, value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, "booléen attendu (true/false)", "a boolean (true/false) is expected")
        return value

    def mapping(self, value: Any, field: str, required: set[str], optional: set[str]) -> dict[
        str, Any
    ]:
        if not isinstance(value, dict):
            self.fail(field, "objet JSON attendu", "a JSON object is expected")
        for key in sorted(set(value) - required - optional):
            self.fail(f"{field}.{key}", "champ inconnu", "unknown field")
        for key in sorted(required - set(value)):
            self.fail(f"{field}.{key}", "champ manquant", "missing field")
        return value

    def text_list(self, value: Any, field: str, minimum: int = 1) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(
                field, f"liste d'au moins {minimum} texte(s) attendue",
                f"a list of at least {minimum} string(s) is expected",
            )
        return tuple(self.text(v, f"{field}[{i}]") for i, v in enumerate(value))


def parse_item(raw: Any, competence_id: str, where: str) -> Item:
    """Validate one item written in the source format and build the engine's ``Item``."""
    if not isinstance(raw, dict):
        _schema_error(where, "?", "items[]", "objet JSON attendu", "a JSON object is expected")
    raw_id = raw.get("id")
    item_id = raw_id if isinstance(raw_id, str) and raw_id else "?"
    r = _ItemReader(raw, where, item_id)
    for key in sorted(set(raw) - _REQUIRED - _OPTIONAL - {"proposals", "blanks"}):
        r.fail(key, "champ inconnu", "unknown field")
    for key in sorted(_REQUIRED - set(raw)):
        r.fail(key, "champ manquant", "missing field")

    match = _ID.match(r.text(raw["id"], "id"))
    prefix = "c" + competence_id.replace(".", "")
    if match is None or not item_id.startswith(prefix + "-"):
        r.fail(
            "id", f"identifiant en minuscules ASCII commençant par « {prefix}- » attendu",
            f"a lowercase ASCII id starting with '{prefix}-' is expected",
        )
    tube = r.text(raw["tube"], "tube")
    if not _TUBE.match(tube):
        r.fail("tube", "« @ » suivi d'un nom en camelCase attendu",
               "'@' followed by a camelCase name is expected")
    level = r.integer(raw["level"], "level", 1, MAX_LEVEL)
    skill = r.text(raw["skill"], "skill")
    if skill != f"{tube}{level}":
        r.fail("skill", f"doit valoir « {tube}{level} » (tube + niveau)",
               f"must be '{tube}{level}' (tube + level)")
    try:
        item_type = ItemType(raw["type"])
    except (ValueError, TypeError):
        choices = ", ".join(t.value for t in ItemType)
        r.fail("type", f"un de {choices} attendu", f"one of {choices} is expected")
    prompt = r.text(raw["prompt"], "prompt")

    proposals: tuple[str, ...] = ()
    blanks: tuple[Blank, ...] = ()
    if item_type in _CHOICE_TYPES:
        if "blanks" in raw:
            r.fail("blanks", f"interdit pour un {item_type}", f"not allowed for a {item_type}")
        if "proposals" not in raw:
            r.fail("proposals", "champ manquant", "missing field")
        proposals = _proposals(r, raw["proposals"])
        solution: Solution = _choice_solution(r, raw["solution"], item_type, len(proposals))
    else:
        if "proposals" in raw:
            r.fail("proposals", f"interdit pour un {item_type}", f"not allowed for a {item_type}")
        if "blanks" not in raw:
            r.fail("blanks", "champ manquant", "missing field")
        blanks = _blanks(r, raw["blanks"], item_type)
        solution = _blank_solution(r, raw["solution"], item_type, blanks)

    tolerances = Tolerances()
    if "tolerances" in raw:
        tol = r.mapping(raw["tolerances"], "tolerances", set(), {"t1", "t2", "t3"})
        tolerances = Tolerances(
            **{k: r.flag(v, f"tolerances.{k}") for k, v in tol.items()}
        )
    timer = r.integer(raw["timer"], "timer", *TIMER_RANGE) if "timer" in raw else None
    focused = r.flag(raw["focused"], "focused") if "focused" in raw else False
    access = r.mapping(raw["accessibility"], "accessibility", {"blind", "colour_blind"}, set())
    illustration: str | None = None
    alt = ""
    if "illustration" in raw:
        ill = r.mapping(raw["illustration"], "illustration", {"file", "alt"}, set())
        illustration = r.text(ill["file"], "illustration.file")
        if (
            not _ILLUSTRATION.match(illustration)
            or ".." in illustration
            or not illustration.endswith(ILLUSTRATION_SUFFIXES)
        ):
            r.fail("illustration.file", "chemin « illustrations/<nom>.svg » attendu",
                   "a path 'illustrations/<name>.svg' is expected")
        alt = r.text(ill["alt"], "illustration.alt")
    calib = r.mapping(raw["calibration"], "calibration", {"discriminant", "difficulty"}, set())
    a = r.number(calib["discriminant"], "calibration.discriminant")
    if not DISCRIMINANT_RANGE[0] <= a <= DISCRIMINANT_RANGE[1]:
        low, high = DISCRIMINANT_RANGE
        r.fail("calibration.discriminant", f"{a} hors de [{low}, {high}]",
               f"{a} outside [{low}, {high}]")
    b = r.number(calib["difficulty"], "calibration.difficulty")
    centre = difficulty_centre(level)
    if abs(b - centre) > DIFFICULTY_SPREAD + 1e-9:
        r.fail(
            "calibration.difficulty",
            f"{b} trop loin du centre du niveau {level} ({centre:.2f} ± {DIFFICULTY_SPREAD})",
            f"{b} too far from the level {level} centre ({centre:.2f} ± {DIFFICULTY_SPREAD})",
        )
    rationale = r.text(raw["rationale"], "rationale")
    return Item(
        id=item_id,
        competence=competence_id,
        tube=tube,
        skill=skill,
        level=level,
        type=item_type,
        prompt=prompt,
        solution=solution,
        discriminant=a,
        difficulty=b,
        proposals=proposals,
        blanks=blanks,
        tolerances=tolerances,
        timer=timer,
        focused=focused,
        blind_compatible=r.flag(access["blind"], "accessibility.blind"),
        colour_blind_compatible=r.flag(access["colour_blind"], "accessibility.colour_blind"),
        illustration=illustration,
        illustration_alt=alt,
        rationale=rationale,
    )


def _proposals(r: _ItemReader, value: Any) -> tuple[str, ...]:
    low, high = PROPOSAL_COUNT
    if not isinstance(value, list) or not low <= len(value) <= high:
        r.fail("proposals", f"liste de {low} à {high} propositions attendue",
               f"a list of {low} to {high} proposals is expected")
    proposals = tuple(r.text(p, f"proposals[{i}]") for i, p in enumerate(value))
    if len(set(proposals)) != len(proposals):
        r.fail("proposals", "deux propositions identiques", "two proposals are identical")
    return proposals


def _choice_solution(
    r: _ItemReader, value: Any, item_type: ItemType, count: int
) -> ChoiceSolution:
    if not isinstance(value, list) or not value:
        r.fail("solution", "liste d'indices (à partir de 1) attendue",
               "a list of 1-based indices is expected")
    indices = [r.integer(v, f"solution[{i}]", 1, count) for i, v in enumerate(value)]
    if len(set(indices)) != len(indices):
        r.fail("solution", "indice répété", "repeated index")
    if item_type is ItemType.QCU and len(indices) != 1:
        r.fail("solution", f"un QCU a exactement une bonne réponse ({len(indices)} données)",
               f"a QCU has exactly one right answer ({len(indices)} given)")
    if item_type is ItemType.QCM and len(indices) < 2:
        r.fail("solution", "un QCM a au moins deux bonnes réponses",
               "a QCM has at least two right answers")
    return ChoiceSolution(frozenset(indices))


def _blanks(r: _ItemReader, value: Any, item_type: ItemType) -> tuple[Blank, ...]:
    low, high = (1, 1) if item_type is ItemType.QROC else QROCM_BLANK_COUNT
    if not isinstance(value, list) or not low <= len(value) <= high:
        r.fail("blanks", f"liste de {low} à {high} champ(s) attendue",
               f"a list of {low} to {high} blank(s) is expected")
    blanks: list[Blank] = []
    for i, raw in enumerate(value):
        field = f"blanks[{i}]"
        entry = r.mapping(raw, field, {"key", "label"}, {"format"})
        key = r.text(entry["key"], f"{field}.key")
        if not _BLANK_KEY.match(key):
            r.fail(f"{field}.key", "clé en minuscules ASCII attendue",
                   "a lowercase ASCII key is expected")
        try:
            fmt = BlankFormat(entry.get("format", "text"))
        except (ValueError, TypeError):
            r.fail(f"{field}.format", "« text » ou « number » attendu",
                   "'text' or 'number' is expected")
        blanks.append(Blank(key, r.text(entry["label"], f"{field}.label"), fmt))
    if len({b.key for b in blanks}) != len(blanks):
        r.fail("blanks", "deux champs ont la même clé", "two blanks share a key")
    return tuple(blanks)


def _is_number(text: str) -> bool:
    try:
        float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return False
    return True


def _blank_solution(
    r: _ItemReader, value: Any, item_type: ItemType, blanks: tuple[Blank, ...]
) -> BlankSolution | GroupSolution:
    if item_type is ItemType.QROCM_DEP:
        if not isinstance(value, list) or len(value) < len(blanks):
            r.fail("solution", f"liste d'au moins {len(blanks)} groupes de réponses attendue",
                   f"a list of at least {len(blanks)} answer groups is expected")
        groups = tuple(r.text_list(g, f"solution[{i}]") for i, g in enumerate(value))
        return GroupSolution(groups)
    if not isinstance(value, dict):
        r.fail("solution", "objet {clé: [réponses acceptées]} attendu",
               "an object {key: [accepted answers]} is expected")
    keys = {b.key for b in blanks}
    if set(value) != keys:
        expected = ", ".join(sorted(keys))
        r.fail("solution", f"les clés doivent être celles des champs ({expected})",
               f"keys must match the blanks ({expected})")
    accepted: dict[str, tuple[str, ...]] = {}
    for blank in blanks:
        answers = r.text_list(value[blank.key], f"solution.{blank.key}")
        if blank.format is BlankFormat.NUMBER and not all(_is_number(a) for a in answers):
            r.fail(f"solution.{blank.key}", "champ numérique : réponses non numériques",
                   "number blank: accepted answers are not numbers")
        accepted[blank.key] = answers
    return BlankSolution(accepted)


def item_to_dict(item: Item) -> dict[str, Any]:
    """The source form of an item (without its competence); ``parse_item`` reads it back."""
    data: dict[str, Any] = {
        "id": item.id,
        "tube": item.tube,
        "level": item.level,
        "skill": item.skill,
        "type": item.type.value,
        "prompt": item.prompt,
        "accessibility": {
            "blind": item.blind_compatible, "colour_blind": item.colour_blind_compatible
        },
        "calibration": {"discriminant": item.discriminant, "difficulty": item.difficulty},
        "rationale": item.rationale,
        "tolerances": {"t1": item.tolerances.t1, "t2": item.tolerances.t2,
                       "t3": item.tolerances.t3},
        "focused": item.focused,
    }
    solution = item.solution
    if isinstance(solution, ChoiceSolution):
        data["proposals"] = list(item.proposals)
        data["solution"] = sorted(solution.correct)
    else:
        data["blanks"] = [
            {"key": b.key, "label": b.label, "format": b.format.value} for b in item.blanks
        ]
        if isinstance(solution, GroupSolution):
            data["solution"] = [list(g) for g in solution.groups]
        else:
            data["solution"] = {k: list(v) for k, v in solution.accepted.items()}
    if item.timer is not None:
        data["timer"] = item.timer
    if item.illustration is not None:
        data["illustration"] = {"file": item.illustration, "alt": item.illustration_alt}
    return data


def check_bank(
    items: Iterable[Item], illustrations: Mapping[str, bytes], where: Callable[[str], str]
) -> None:
    """The rules no single item can check: unique ids, tubes owned by one competence, every
    competence present, every illustration available. ``where`` names the file of a competence."""
    seen: dict[str, Item] = {}
    tube_owner: dict[str, str] = {}
    counts = dict.fromkeys(COMPETENCE_IDS, 0)
    for item in items:
        if item.id in seen:
            first, second = where(seen[item.id].competence), where(item.competence)
            _refuse(
                "duplicate_item",
                f"{second} : épreuve {item.id}, champ « id » : identifiant déjà utilisé "
                f"dans {first}",
                f"{second}: item {item.id}, field 'id': id already used in {first}",
            )
        seen[item.id] = item
        owner = tube_owner.setdefault(item.tube, item.competence)
        if owner != item.competence:
            _schema_error(
                where(item.competence), item.id, "tube",
                f"le tube {item.tube} appartient déjà à la compétence {owner}",
                f"tube {item.tube} already belongs to competence {owner}",
            )
        if item.illustration is not None and item.illustration not in illustrations:
            _refuse(
                "illustration_missing",
                f"{where(item.competence)} : épreuve {item.id}, champ « illustration.file » : "
                f"fichier {item.illustration} introuvable",
                f"{where(item.competence)}: item {item.id}, field 'illustration.file': "
                f"file {item.illustration} not found",
            )
        counts[item.competence] += 1
    for cid, count in counts.items():
        if count == 0:
            _refuse(
                "empty_competence",
                f"{where(cid)} : la compétence {cid} ({competence(cid).name}) "
                "n'a aucune épreuve",
                f"{where(cid)}: competence {cid} ({competence(cid).name}) has no items",
            )


_OPEN_SETTINGS = frozenset(
    {"competence_thresholds", "legacy_v2", "sympson_hetter_k", "kiosk"}
)


def _same_shape(value: Any, reference: Any) -> bool:
    """``value`` has the JSON types of a default version's field (numbers interchangeable,
    ``None`` where the default is ``None`` or a number)."""
    if isinstance(reference, bool):
        return isinstance(value, bool)
    if isinstance(reference, int | float) or reference is None:
        return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    if isinstance(reference, str):
        return isinstance(value, str)
    if isinstance(reference, list):
        return isinstance(value, list)
    if isinstance(reference, dict):
        return isinstance(value, dict) and all(
            key in _OPEN_SETTINGS or (key in reference and _same_shape(v, reference[key]))
            for key, v in value.items()
        )
    return False


def _agrees(given: Any, dumped: Any) -> bool:
    """Every value written in ``given`` survives into the parsed version (defaults may fill
    what ``given`` omits, so packages stay readable when the engine gains a setting)."""
    if isinstance(given, dict):
        return isinstance(dumped, dict) and all(
            k in dumped and _agrees(v, dumped[k]) for k, v in given.items()
        )
    return bool(given == dumped)


def _valid_k(pairs: tuple[tuple[str, float], ...]) -> bool:
    """K are probabilities, one per item: a K of 0 would ban an item silently, above 1 it
    means nothing, and a repeated id would leave the engine to pick one of two values."""
    ids = [item_id for item_id, _ in pairs]
    return len(set(ids)) == len(ids) and all(0.0 < k <= 1.0 for _, k in pairs)


def check_exposure_k(
    versions: Iterable[CertificationVersion], items: Iterable[Item], where: str
) -> None:
    """Every item named in a version's Sympson-Hetter K is in the bank: K calibrated on
    another bank would leave this one's items unchecked while looking calibrated."""
    ids = {item.id for item in items}
    for version in versions:
        rules = version.selection
        for key, named in (("sympson_hetter_k", {i for i, _ in rules.sympson_hetter_k}),
                           ("sympson_hetter_strata_k",
                            {i for i, _, _ in rules.sympson_hetter_strata_k})):
            unknown = sorted(named - ids)
            if unknown:
                _refuse(
                    "bad_versions",
                    f"{where} : version « {version.id} », « {key} » nomme des épreuves "
                    f"absentes de la banque ({', '.join(unknown[:3])}…)",
                    f"{where}: version '{version.id}', '{key}' names items that are not "
                    f"in the bank ({', '.join(unknown[:3])}…)",
                )


def parse_versions(raw: Any, default: Any, where: str) -> dict[str, CertificationVersion]:
    """Certification versions as stored in ``package.json`` and in a package manifest."""
    if not isinstance(raw, list) or not raw:
        _refuse("bad_versions", f"{where} : « versions » doit être une liste non vide",
                f"{where}: 'versions' must be a non-empty list")
    reference = CertificationVersion(id="reference").to_dict()
    versions: dict[str, CertificationVersion] = {}
    for i, entry in enumerate(raw):
        try:
            if not isinstance(entry, dict) or not _same_shape(entry, reference):
                raise ValueError("shape")
            version = CertificationVersion.from_dict(entry)
            if not _agrees(entry, version.to_dict()) or version.algorithm not in ("v3", "v2"):
                raise ValueError("content")
            if not _valid_k(version.selection.sympson_hetter_k):
                raise ValueError("sympson_hetter_k")
        except (TypeError, ValueError, KeyError, AttributeError):
            _refuse(
                "bad_versions", f"{where} : version de certification n° {i + 1} invalide",
                f"{where}: certification version #{i + 1} is invalid",
            )
        if version.id in versions:
            _refuse("bad_versions", f"{where} : version « {version.id} » en double",
                    f"{where}: version '{version.id}' appears twice")
        versions[version.id] = version
    if default not in versions:
        _refuse("bad_versions",
                f"{where} : la version par défaut « {default} » n'est pas dans « versions »",
                f"{where}: default version '{default}' is not among 'versions'")
    return versions


def _split_calibrations(raw: Any) -> tuple[Any, dict[int, Any]]:
    """``package.json``'s versions without their build-time requests, and those requests by
    position: a request tells the build what to compute and is not part of what is signed."""
    if not isinstance(raw, list):
        return raw, {}
    stripped: list[Any] = []
    requests: dict[int, Any] = {}
    for i, entry in enumerate(raw):
        if isinstance(entry, dict) and CALIBRATE_KEY in entry:
            requests[i] = entry[CALIBRATE_KEY]
            entry = {k: v for k, v in entry.items() if k != CALIBRATE_KEY}
        stripped.append(entry)
    return stripped, requests


def _calibration(raw: Any, version: CertificationVersion) -> ExposureCalibration:
    where_fr = f"{META_FILE} : version « {version.id} », « {CALIBRATE_KEY} »"
    where_en = f"{META_FILE}: version '{version.id}', '{CALIBRATE_KEY}'"

    def bad(fr: str, en: str) -> NoReturn:
        _refuse("bad_calibration", f"{where_fr} : {fr}", f"{where_en}: {en}")

    if not isinstance(raw, dict) or "candidates" not in raw:
        bad("objet {\"candidates\": N, \"seed\": S} attendu",
            "an object {\"candidates\": N, \"seed\": S} is expected")
    for key in sorted(set(raw) - {"candidates", "seed", "iterations"}):
        bad(f"champ inconnu « {key} »", f"unknown field '{key}'")
    bounds = {"candidates": CALIBRATION_CANDIDATES, "seed": (0, 2**63 - 1),
              "iterations": CALIBRATION_ITERATIONS}
    for key, value in raw.items():
        low, high = bounds[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            bad(f"« {key} » doit être un entier de {low} à {high}",
                f"'{key}' must be an integer from {low} to {high}")
    method = version.selection.exposure
    if version.algorithm != "v3" or "sympson-hetter" not in method:
        bad(
            f"la méthode d'exposition « {method} » (algorithme {version.algorithm}) n'a pas de "
            "partie Sympson-Hetter : choisir « sympson-hetter » ou "
            "« progressive+sympson-hetter » (algorithme v3), ou retirer la demande",
            f"exposure method '{method}' (algorithm {version.algorithm}) has no "
            "Sympson-Hetter part: choose 'sympson-hetter' or 'progressive+sympson-hetter' "
            "(algorithm v3), or remove the request",
        )
    for key in ("sympson_hetter_k", "sympson_hetter_strata_k"):
        if getattr(version.selection, key):
            bad(f"la version donne déjà « {key} » : garder l'un ou l'autre",
                f"the version already gives '{key}': keep one or the other")
    if "iterations" not in raw and version.selection.sympson_hetter_strata > 1:
        # K per stratum: each item's uses are shared among the strata, so the rounds settle
        # later (demo bank, 300 candidates: hottest item 0.45 after 6 rounds, 0.35 after 12).
        raw = {**raw, "iterations": STRATA_CALIBRATION_ITERATIONS}
    return ExposureCalibration(**raw)


def _read_json(path: Path, where: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _refuse("source_missing", f"fichier manquant : {where}", f"missing file: {where}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _refuse(
            "bad_json", f"{where} : JSON illisible ({exc})", f"{where}: unreadable JSON ({exc})"
        )


def _meta(raw: Any) -> dict[str, Any]:
    where = META_FILE
    if not isinstance(raw, dict):
        _refuse("bad_meta", f"{where} : objet JSON attendu", f"{where}: a JSON object is expected")
    for key in sorted(set(raw) - _META_REQUIRED - _META_OPTIONAL):
        _refuse("bad_meta", f"{where} : champ inconnu « {key} »", f"{where}: unknown field '{key}'")
    for key in sorted(_META_REQUIRED - set(raw)):
        _refuse(
            "bad_meta", f"{where} : champ manquant « {key} »", f"{where}: missing field '{key}'"
        )
    if not isinstance(raw["id"], str) or not _PACKAGE_ID.match(raw["id"]):
        _refuse("bad_meta", f"{where} : « id » en minuscules ASCII attendu",
                f"{where}: a lowercase ASCII 'id' is expected")
    if not isinstance(raw["title"], str) or not raw["title"].strip():
        _refuse("bad_meta", f"{where} : « title » non vide attendu",
                f"{where}: a non-empty 'title' is expected")
    if not isinstance(raw["demo"], bool):
        _refuse("bad_meta", f"{where} : « demo » doit être true ou false",
                f"{where}: 'demo' must be true or false")
    if "created" in raw and (not isinstance(raw["created"], str) or not _DATE.match(
        raw["created"]
    )):
        _refuse("bad_meta", f"{where} : « created » au format AAAA-MM-JJ attendu",
                f"{where}: 'created' must be a YYYY-MM-DD date")
    return raw


def load_source(src_dir: Path) -> ContentSource:
    """Read and validate a source tree; raise ``ContentError`` on the first problem found."""
    src_dir = Path(src_dir)
    meta = _meta(_read_json(src_dir / META_FILE, META_FILE))
    raw_versions, requests = _split_calibrations(meta["versions"])
    versions = parse_versions(raw_versions, meta["default_version"], META_FILE)
    ids = list(versions)
    calibrations = {ids[i]: _calibration(raw, versions[ids[i]]) for i, raw in requests.items()}
    comp_dir = src_dir / COMPETENCES_DIR
    if comp_dir.is_dir():
        for path in sorted(comp_dir.glob("*.json")):
            if path.stem not in COMPETENCE_IDS:
                name = f"{COMPETENCES_DIR}/{path.name}"
                _refuse("unknown_competence", f"{name} : compétence inconnue « {path.stem} »",
                        f"{name}: unknown competence '{path.stem}'")
    items: list[Item] = []
    referenced: set[str] = set()
    for cid in COMPETENCE_IDS:
        where = f"{COMPETENCES_DIR}/{cid}.json"
        doc = _read_json(comp_dir / f"{cid}.json", where)
        if not isinstance(doc, dict) or set(doc) != {"competence", "items"}:
            _refuse("schema", f"{where} : objet {{competence, items}} attendu",
                    f"{where}: an object {{competence, items}} is expected")
        if doc["competence"] != cid:
            _refuse("competence_mismatch",
                    f"{where} : « competence » vaut {doc['competence']!r} au lieu de {cid!r}",
                    f"{where}: 'competence' is {doc['competence']!r} instead of {cid!r}")
        if not isinstance(doc["items"], list) or not doc["items"]:
            _refuse(
                "empty_competence",
                f"{where} : la compétence {cid} ({competence(cid).name}) n'a aucune épreuve",
                f"{where}: competence {cid} ({competence(cid).name}) has no items",
            )
        for raw in doc["items"]:
            item = parse_item(raw, cid, where)
            items.append(item)
            if item.illustration is not None:
                referenced.add(item.illustration)
    illustrations: dict[str, bytes] = {}
    for rel in sorted(referenced):
        path = src_dir / rel
        if path.is_file():
            illustrations[rel] = path.read_bytes()
    check_bank(items, illustrations, lambda cid: f"{COMPETENCES_DIR}/{cid}.json")
    check_exposure_k(versions.values(), items, META_FILE)
    return ContentSource(meta=meta, items=tuple(items), versions=versions,
                         illustrations=illustrations, calibrations=calibrations)
