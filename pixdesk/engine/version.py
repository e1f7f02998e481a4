"""A certification version: every rule and constant the engine applies, as data.

Pix keeps these values in its database; PixDesk carries them inside the signed content
package, so no psychometric constant is a literal in the engine's logic. ``PRESETS`` holds
the named starting points: ``pix-v3`` reproduces Pix's published behaviour, the others
trade Pix compatibility for precision or exposure control.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Literal

from pixdesk.engine.framework import COMPETENCE_IDS

RULES = 2
"""The engine's rule version. Every attempt records the version it started under
(``attempt_started.rules``) and is scored, replayed and re-scored under it, so a change
that alters a result never rewrites the result of an attempt already sat.

* 1 — before issue #17: the posterior SD as the error, t1 folding œ/æ/ß…, t2 without the
  space collapse, v2 scores of 8 × level with the cap applied before a downgrade. An
  attempt whose ``attempt_started`` has no ``rules`` key was sat under these rules.
* 2 — Pix's published rules (docs/engine.md and docs/matching.md, fidelity tables).
"""
KNOWN_RULES = (1, 2)

ExposureMethod = Literal["none", "progressive", "sympson-hetter", "progressive+sympson-hetter"]
Algorithm = Literal["v3", "v2"]


@dataclass(frozen=True, slots=True)
class Band:
    """Score mesh band: θ in [theta_min, theta_max) gives ``level`` with weight × coefficient."""

    level: int
    theta_min: float
    theta_max: float
    weight: int
    coefficient: int


@dataclass(frozen=True, slots=True)
class EstimationSettings:
    """The EAP estimator: grid, prior, and Pix's per-answer movement cap."""

    grid_min: float = -9.0
    grid_max: float = 9.0
    grid_points: int = 81
    start_theta: float = -3.0
    start_theta_jitter: float = 0.0
    """Half-width of a uniform random offset added to ``start_theta`` (exposure control)."""
    prior_mean: float | None = None
    """Fixed prior mean; ``None`` centres the prior on the current estimate (Pix)."""
    prior_variance: float = 1.5
    recentre_prior: bool = True
    """Pix re-centres the Gaussian prior on each new estimate instead of keeping one prior."""
    variation_percent: float | None = 0.5
    """Cap on one move: ±variation if |θ| < variation else ±|θ|·variation (None: no cap)."""
    error_class_interval: float = 9 / 80
    """Pix reports sqrt(Σ posterior·(θᵢ − θ̂)² − interval²/12): the posterior spread around
    the reported θ, less the variance a grid class of this width adds (Sheppard)."""
    no_answer_error_rate: float = 5.0
    """The error Pix reports before any answer."""


@dataclass(frozen=True, slots=True)
class SelectionSettings:
    """The next-item rules, applied in order; each falls back to its input if it empties it."""

    one_per_tube: bool = True
    competences_first: bool = True
    challenges_between_same_competence: int = 2
    top_k: int = 5
    pick_probabilities: tuple[float, ...] = (0.51, 0.25, 0.1225, 0.06, 0.0576)
    exposure: ExposureMethod = "none"
    exposure_target: float = 0.25
    """Maximum exposure rate aimed at by ``progressive`` or ``sympson-hetter``."""
    progressive_acceleration: float = 1.0
    """``progressive``: information weighs (step/length)^acceleration against a random draw;
    below 1 the random part fades faster (more precision), above 1 it lingers (less exposure)."""
    sympson_hetter_k: tuple[tuple[str, float], ...] = ()
    """``sympson-hetter``: (item id, administration probability K) from a calibration run;
    items not listed have K = 1. Bank-specific, so it travels with the content package."""
    sympson_hetter_bands: tuple[float, ...] = ()
    """Conditional Sympson-Hetter: increasing edges of the θ̂ bands (θ̂ at selection time)."""
    sympson_hetter_stages: tuple[int, ...] = ()
    """Conditional Sympson-Hetter: increasing 0-based steps at which a new stage begins
    ((8,): questions 1-8, then 9 on). Bands × stages make the strata; with neither, K is flat."""
    sympson_hetter_strata_k: tuple[tuple[str, int, float], ...] = ()
    """Conditional Sympson-Hetter: (item id, stratum, K in [0, 1]), stratum = band +
    (bands + 1) × stage; (item, stratum) pairs not listed have K = 1. Replaces
    ``sympson_hetter_k`` when the version has strata."""

    def __post_init__(self) -> None:
        bands, stages = self.sympson_hetter_bands, self.sympson_hetter_stages
        if any(not isinstance(e, int | float) or isinstance(e, bool) for e in bands) or any(
            not a < b for a, b in pairwise(bands)
        ):
            raise ValueError("sympson_hetter_bands must be increasing numbers")
        if any(not isinstance(s, int) or isinstance(s, bool) or s < 1 for s in stages) or any(
            not a < b for a, b in pairwise(stages)
        ):
            raise ValueError("sympson_hetter_stages must be increasing positive integers")
        strata = self.sympson_hetter_strata
        seen: set[tuple[str, int]] = set()
        for entry in self.sympson_hetter_strata_k:
            item, stratum, k = entry
            if (
                not isinstance(item, str)
                or not isinstance(stratum, int) or isinstance(stratum, bool)
                or not 0 <= stratum < strata
                or not isinstance(k, int | float) or isinstance(k, bool)
                or not 0.0 <= k <= 1.0
                or (item, stratum) in seen
            ):
                raise ValueError(f"sympson_hetter_strata_k: invalid entry {entry!r}")
            seen.add((item, stratum))
        if self.sympson_hetter_strata_k and strata == 1:
            raise ValueError("sympson_hetter_strata_k needs bands or stages")

    @property
    def sympson_hetter_items(self) -> frozenset[str]:
        """The items a calibration gave some K (flat or in some stratum)."""
        return frozenset({i for i, _ in self.sympson_hetter_k}
                         | {i for i, _, _ in self.sympson_hetter_strata_k})

    @property
    def sympson_hetter_strata(self) -> int:
        """How many conditional Sympson-Hetter strata (1: K is flat)."""
        return (len(self.sympson_hetter_bands) + 1) * (len(self.sympson_hetter_stages) + 1)


@dataclass(frozen=True, slots=True)
class ScoringSettings:
    bands: tuple[Band, ...] = ()
    max_score: int = 895
    level_names: tuple[str, ...] = ()
    competence_thresholds: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """Per competence, the θ from which levels 1..7 are reached (Pix-compatible table)."""
    show_score_to_candidate: bool = False


@dataclass(frozen=True, slots=True)
class LegacyV2Settings:
    """The constants of the profile-based v2 certification (CERTIFICATION.md, "Certification
    v2"); the defaults are Pix's published values."""

    min_competences: int = 5
    """Competences at level ≥ 1 a profile needs to be certifiable."""
    questions_per_competence: int = 3
    pix_per_level: int = 8
    level_cap: int = 5
    """Highest level v2 certifies (5 × 8 Pix × 16 competences = 640)."""
    rejection_rate: int = 50
    """Reproducibility rate (%) below which the whole test is rejected."""
    trusted_rate: int = 80
    """Rate from which 2 right answers out of 3 keep the level."""
    partial_trust_rate: int = 70
    """Rate from which a competence left with 1 or 2 questions after a neutralisation is
    certified one level down rather than not at all (Pix's rule for short competences)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LegacyV2Settings:
        """Every value must be an integer; a float or a string would be silently truncated."""
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"legacy_v2.{key} must be an integer")
        return cls(**data)


@dataclass(frozen=True, slots=True)
class MatchingSettings:
    """Answer checking beyond the item's own tolerances. The default is Pix's rule; a
    leniency here is signed with the package and shown by ``pixdesk content verify``."""

    fold_letters: bool = False
    """t1 also spells out letters Unicode cannot decompose (œ → oe, æ → ae, ß → ss, ø → o…).
    Pix does not ("coeur" ≠ "cœur"); an item that wants "coeur" should rather list it."""


@dataclass(frozen=True, slots=True)
class CertificationVersion:
    id: str
    algorithm: Algorithm = "v3"
    length: int = 32
    """v3: questions asked. v2: only an upper bound (16 × 3); the profile sets the test."""
    duration_minutes: int = 105
    min_answers: int = 20
    estimation: EstimationSettings = field(default_factory=EstimationSettings)
    selection: SelectionSettings = field(default_factory=SelectionSettings)
    scoring: ScoringSettings = field(default_factory=lambda: _default_scoring())
    legacy_v2: LegacyV2Settings = field(default_factory=LegacyV2Settings)
    """Settings of the profile-based v2 algorithm, used when ``algorithm == "v2"``."""
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    kiosk: dict[str, Any] = field(default_factory=dict)
    """The lockdown this certification requires at least, in the machine config's ``[kiosk]``
    form; the engine never reads it, the client combines it with the machine's settings."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (tuples become lists) for the content package manifest."""
        result: dict[str, Any] = _jsonable(dataclasses.asdict(self))
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CertificationVersion:
        scoring = dict(data.get("scoring", {}))
        scoring["bands"] = tuple(Band(**b) for b in scoring.get("bands", ()))
        scoring["level_names"] = tuple(scoring.get("level_names", ()))
        scoring["competence_thresholds"] = {
            k: tuple(v) for k, v in scoring.get("competence_thresholds", {}).items()
        }
        selection = dict(data.get("selection", {}))
        if "pick_probabilities" in selection:
            selection["pick_probabilities"] = tuple(selection["pick_probabilities"])
        if "sympson_hetter_k" in selection:
            selection["sympson_hetter_k"] = tuple(
                (str(item), float(k)) for item, k in selection["sympson_hetter_k"]
            )
        for key in ("sympson_hetter_bands", "sympson_hetter_stages"):
            if key in selection:
                selection[key] = tuple(selection[key])
        if "sympson_hetter_strata_k" in selection:
            selection["sympson_hetter_strata_k"] = tuple(
                (item, stratum, float(k) if isinstance(k, int) and not isinstance(k, bool) else k)
                for item, stratum, k in selection["sympson_hetter_strata_k"]
            )
        top = {
            k: v
            for k, v in data.items()
            if k not in ("scoring", "selection", "estimation", "legacy_v2", "matching")
        }
        return cls(
            **top,
            legacy_v2=LegacyV2Settings.from_dict(dict(data.get("legacy_v2", {}))),
            estimation=EstimationSettings(**data.get("estimation", {})),
            selection=SelectionSettings(**selection),
            scoring=ScoringSettings(**scoring),
            matching=MatchingSettings(**data.get("matching", {})),
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


PIX_BAND_BOUNDS: tuple[float, ...] = (-4.67, -1.4, -0.519, 0.6, 1.5, 2.25, 3.1, 4.0, 8.0)
PIX_BAND_MESH: tuple[tuple[int, int], ...] = (
    (64, 0), (64, 1), (128, 1), (128, 2), (128, 3), (128, 4), (128, 5), (128, 6), (128, 7),
)
LEVEL_NAMES_FR: tuple[str, ...] = (
    "", "Novice 1", "Novice 2", "Indépendant 1", "Indépendant 2",
    "Avancé 1", "Avancé 2", "Expert 1", "Expert 2",
)


def _pix_bands() -> tuple[Band, ...]:
    """Levels 0..7 between the public bound proxies; level 8 from 8.0 (clamped to 895)."""
    bounds = PIX_BAND_BOUNDS
    bands = [
        Band(level, bounds[level], bounds[level + 1], *PIX_BAND_MESH[level])
        for level in range(len(bounds) - 1)
    ]
    return tuple(bands)


def _competence_thresholds() -> dict[str, tuple[float, ...]]:
    """A public proxy for Pix's per-competence θ tables: levels 1..7 on the global scale,
    shifted slightly per domain so that harder domains ask a little more."""
    base = (-2.5, -1.4, -0.519, 0.6, 1.5, 2.25, 3.1)
    shift = {"1": 0.0, "2": -0.1, "3": 0.1, "4": 0.0, "5": 0.05}
    return {
        cid: tuple(round(t + shift[cid.split(".")[0]], 3) for t in base) for cid in COMPETENCE_IDS
    }


PIX_SCORING = ScoringSettings(
    bands=_pix_bands(),
    max_score=895,
    level_names=LEVEL_NAMES_FR,
    competence_thresholds=_competence_thresholds(),
    show_score_to_candidate=False,
)

def _default_scoring() -> ScoringSettings:
    return PIX_SCORING


PRESETS: dict[str, CertificationVersion] = {
    "pix-v3": CertificationVersion(id="pix-v3"),
    "precise": CertificationVersion(
        id="precise",
        estimation=EstimationSettings(
            grid_min=-6.0, grid_max=6.0, grid_points=61, start_theta=0.0,
            prior_mean=0.0, prior_variance=1.0, recentre_prior=False, variation_percent=None,
        ),
        selection=SelectionSettings(top_k=1, pick_probabilities=(1.0,)),
    ),
    "exposure": CertificationVersion(
        id="exposure",
        estimation=EstimationSettings(
            grid_min=-6.0, grid_max=6.0, grid_points=61, start_theta=0.0, start_theta_jitter=0.5,
            prior_mean=0.0, prior_variance=1.0, recentre_prior=False, variation_percent=None,
        ),
        selection=SelectionSettings(
            exposure="sympson-hetter", exposure_target=0.23,
            sympson_hetter_bands=(-1.5, -0.9, -0.3, 0.3, 0.9, 1.5), sympson_hetter_stages=(8,),
        ),
    ),
    "pix-v2": CertificationVersion(id="pix-v2", algorithm="v2", length=48),
}


def preset(name: str) -> CertificationVersion:
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}") from None


def limit_minutes(duration_minutes: int, extra_time_percentage: float) -> int:
    """Tiers-temps: duration × (1 + p/100), rounded up to the minute (105 → 140 for 33 %)."""
    return math.ceil(round(duration_minutes * (1 + extra_time_percentage / 100), 6))
