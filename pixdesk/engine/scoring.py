"""From answers to a certification result: θ, score (0–895), level, competence levels, status.

The final θ is always re-estimated from the answers with the version's estimator from its
fixed start, so the candidate's PC and the server reach the same number from the same
journal. The score clamps θ once, here, through the band mesh.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from pixdesk.engine.bank import Bank
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.engine.irt import Estimator, EstimatorState
from pixdesk.engine.selection import select_next
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.version import RULES, CertificationVersion, ScoringSettings


@dataclass(frozen=True)
class CertificationResult:
    status: ResultStatus
    score: int
    level: int
    level_name: str
    competence_levels: dict[str, int]
    theta: float
    sd: float
    """The reported error: Pix's error rate under rules ≥ 2, the posterior SD under rules 1."""
    answered: int
    """Answers actually given (the missing ones a candidate's early stop adds are not counted)."""


def score_theta(scoring: ScoringSettings, theta: float) -> tuple[int, int]:
    """(score, level) of θ on the band mesh; below the first band (0, 0), at or above the
    last band's top (max_score, last level)."""
    bands = sorted(scoring.bands, key=lambda band: band.theta_min)
    if not bands or theta < bands[0].theta_min:
        return 0, 0
    if theta >= bands[-1].theta_max:
        return scoring.max_score, bands[-1].level
    for band in bands:
        if band.theta_min <= theta < band.theta_max:
            span = band.theta_max - band.theta_min
            raw = band.weight * (band.coefficient + 1 - (band.theta_max - theta) / span)
            return min(math.floor(raw), scoring.max_score), band.level
    return 0, 0


def level_name(scoring: ScoringSettings, level: int) -> str:
    names = scoring.level_names
    return names[level] if 0 <= level < len(names) else ""


def competence_levels(scoring: ScoringSettings, theta: float) -> dict[str, int]:
    """Pix-compatible per-competence levels 0–7: how many of the competence's θ thresholds
    the global θ reaches."""
    return {
        cid: int(np.searchsorted(np.asarray(scoring.competence_thresholds.get(cid, ())), theta,
                                 side="right"))
        for cid in COMPETENCE_IDS
    }


def _with_missing_as_skipped(
    version: CertificationVersion,
    bank: Bank,
    estimator: Estimator,
    state: EstimatorState,
    asked: list[int],
    excluded: Collection[int],
    accessible_only: bool,
) -> EstimatorState:
    """Fail each missing question on the most informative item the rules still allow, as
    Pix does when a candidate walks out early (top-1 choice, no exposure draw, so the
    outcome depends on the answers alone)."""
    deterministic = _top_one(version)
    rng = np.random.default_rng(0)
    for step in range(len(asked), version.length):
        row = select_next(deterministic, bank, asked=asked, theta=state.theta, rng=rng,
                          excluded=excluded, accessible_only=accessible_only, step=step)
        if row is None:
            break
        asked.append(row)
        state = estimator.update(state, row, False)
    return state


def _top_one(version: CertificationVersion) -> CertificationVersion:
    selection = replace(version.selection, top_k=1, pick_probabilities=(1.0,), exposure="none")
    return replace(version, selection=selection)


def final_result(
    version: CertificationVersion,
    bank: Bank,
    answers: Sequence[tuple[int, AnswerStatus]],
    *,
    end_reason: EndReason,
    estimator: Estimator | None = None,
    excluded: Collection[int] = (),
    accessible_only: bool = False,
    fraud: bool = False,
    cancelled_by_jury: bool = False,
    reached: EstimatorState | None = None,
    rules: int = RULES,
) -> CertificationResult:
    """The result of a v3 attempt; ``answers`` are (bank row, status) in order, neutralised
    ones already removed. Only a technical stop is scored as is when answers are missing.

    ``reached`` is the state ``estimator`` already reached by updating its ``start`` at the
    setting's start θ with exactly these answers, in order (what an attempt that started
    without jitter holds after its replay): re-estimating would compute the very same
    floats, so a server re-scoring thousands of attempts skips it. A state that did not
    fold as many answers is ignored. ``rules`` is the rule version the attempt was sat
    under (``version.RULES``)."""
    estimator = estimator or Estimator(version.estimation, bank)
    if reached is not None and reached.answered == len(answers):
        state = reached
    else:
        state = estimator.replay((row, status.correct) for row, status in answers)
    answered = len(answers)
    if cancelled_by_jury:
        return _unscored(version, ResultStatus.CANCELLED, state, answered, rules)
    if fraud:
        return _unscored(version, ResultStatus.REJECTED, state, answered, rules)
    if answered < version.min_answers:
        status = ResultStatus.CANCELLED if end_reason is EndReason.TECHNICAL else (
            ResultStatus.REJECTED)
        return _unscored(version, status, state, answered, rules)
    if answered < version.length and end_reason is not EndReason.TECHNICAL:
        asked = [row for row, _ in answers]
        state = _with_missing_as_skipped(
            version, bank, estimator, state, asked, excluded, accessible_only
        )
    score, level = score_theta(version.scoring, state.theta)
    if score <= 0:
        return _unscored(version, ResultStatus.REJECTED, state, answered, rules)
    return CertificationResult(
        status=ResultStatus.VALIDATED,
        score=score,
        level=level,
        level_name=level_name(version.scoring, level),
        competence_levels=competence_levels(version.scoring, state.theta),
        theta=state.theta,
        sd=reported_error(state, rules),
        answered=answered,
    )


def reported_error(state: EstimatorState, rules: int) -> float:
    """The error a result reports under ``rules``: Pix's corrected error rate from rules 2,
    the posterior SD before."""
    return state.sd if rules < 2 else state.error_rate


def _unscored(
    version: CertificationVersion,
    status: ResultStatus,
    state: EstimatorState,
    answered: int,
    rules: int,
) -> CertificationResult:
    """A result without a certified score: score 0, no level, every competence at 0."""
    return CertificationResult(
        status=status,
        score=0,
        level=0,
        level_name=level_name(version.scoring, 0),
        competence_levels=dict.fromkeys(COMPETENCE_IDS, 0),
        theta=state.theta,
        sd=reported_error(state, rules),
        answered=answered,
    )
