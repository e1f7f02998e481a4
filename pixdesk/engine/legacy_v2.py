"""Certification v2 (legacy, profile-based): who may sit it, the fixed test, its scoring.

v2 estimates nothing during the test. The candidate's Pix profile (competence → level) says
what is to be confirmed; the test asks, per profiled competence, a few questions from skills
at or below that level, hardest first, and the answers keep, lower or withdraw each level.
The test is drawn once at check-in and recorded in the journal, so a replay or a server
re-score reads it back instead of drawing it again.

Where CERTIFICATION.md is silent, PixDesk does what Pix does:

- A neutralised question is not replaced (the test is fixed); its competence is scored on
  the questions left, with Pix's rules for 2 and 1 questions (``certified_level``).
- Questions still unanswered when the test stops count as skipped (failures), except after
  a technical stop, where they are dropped as if neutralised.
- A profile level above the cap is tested on the candidate's hardest skills all the same and
  certified at the cap.
- A profiled competence the bank cannot test at all (no eligible item) is reported at 0.
- A test left with nothing to score is cancelled; a total of 0 Pix is rejected.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pixdesk.engine.bank import Bank
from pixdesk.engine.framework import COMPETENCE_IDS, COMPETENCE_INDEX
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.version import LegacyV2Settings
from pixdesk.errors import AttemptError

MAX_PROFILE_LEVEL = 8


def profiled_levels(profile: Mapping[str, int] | None) -> dict[str, int]:
    """The profile's competences at level ≥ 1, in framework order.

    A profile comes from a signed session file, so a malformed one is a server bug; it is
    refused rather than guessed at."""
    if profile is None:
        return {}
    unknown = sorted(set(profile) - set(COMPETENCE_IDS))
    bad = sorted(
        cid
        for cid, level in profile.items()
        if isinstance(level, bool)
        or not isinstance(level, int)
        or not 0 <= level <= MAX_PROFILE_LEVEL
    )
    if unknown or bad:
        wrong = ", ".join(unknown + bad)
        raise AttemptError(
            "attempt.v2_bad_profile",
            f"Profil Pix invalide (compétence ou niveau incorrect : {wrong}).",
            f"Invalid Pix profile (wrong competence or level: {wrong}).",
        )
    return {cid: profile[cid] for cid in COMPETENCE_IDS if profile.get(cid, 0) >= 1}


def refusal(profile: Mapping[str, int] | None, settings: LegacyV2Settings) -> AttemptError | None:
    """Why this profile may not sit a v2 certification, or None if it may."""
    if profile is None:
        return AttemptError(
            "attempt.v2_no_profile",
            "Ce candidat n'a pas de profil Pix : il ne peut pas passer la certification v2.",
            "This candidate has no Pix profile: they cannot sit the v2 certification.",
        )
    count = len(profiled_levels(profile))
    if count >= settings.min_competences:
        return None
    fr_noun = "compétence" if count <= 1 else "compétences"
    en_noun = "competence" if count == 1 else "competences"
    return AttemptError(
        "attempt.v2_not_certifiable",
        f"Profil non certifiable : {count} {fr_noun} de niveau 1 ou plus, il en faut au moins "
        f"{settings.min_competences}.",
        f"Profile not certifiable: {count} {en_noun} at level 1 or above, at least "
        f"{settings.min_competences} needed.",
    )


def check_certifiable(
    profile: Mapping[str, int] | None, settings: LegacyV2Settings
) -> dict[str, int]:
    """The profiled levels of a certifiable profile; raises the refusal otherwise."""
    refused = refusal(profile, settings)
    if refused is not None:
        raise refused
    return profiled_levels(profile)


@dataclass(frozen=True, slots=True)
class V2Test:
    """A generated v2 test: the questions in serving order, and the level each tested
    competence can certify (the profile level, capped)."""

    items: tuple[str, ...]
    levels: Mapping[str, int]

    def to_payload(self) -> dict[str, Any]:
        return {"items": list(self.items), "levels": dict(self.levels)}

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> V2Test:
        return cls(
            tuple(str(i) for i in data["items"]),
            {str(cid): int(level) for cid, level in data["levels"].items()},
        )


def generate_test(
    bank: Bank,
    profile: Mapping[str, int] | None,
    settings: LegacyV2Settings,
    rng: np.random.Generator,
    *,
    seen: Collection[str] = (),
    accessible_only: bool = False,
) -> V2Test:
    """Per profiled competence (framework order), up to ``questions_per_competence`` items
    from skills at or below the profile level, hardest level first, one per tube, none seen
    before. Items of equal level are ordered by the seeded ``rng``, so a seed fixes the test.
    """
    levels = check_certifiable(profile, settings)
    seen_rows = {bank.row(item_id) for item_id in seen if item_id in bank}
    chosen: list[str] = []
    for cid, level in levels.items():
        eligible = (bank.competence == COMPETENCE_INDEX[cid]) & (bank.level <= level)
        if accessible_only:
            eligible &= bank.accessible
        rows = np.array([r for r in np.flatnonzero(eligible) if int(r) not in seen_rows],
                        dtype=np.int64)
        ties = rng.random(len(rows))
        order = rows[np.lexsort((ties, -bank.level[rows]))]
        tubes: set[int] = set()
        picked = 0
        for row in order:
            if picked == settings.questions_per_competence:
                break
            tube = int(bank.tube[row])
            if tube in tubes:
                continue
            tubes.add(tube)
            chosen.append(bank.items[int(row)].id)
            picked += 1
    if not chosen:
        raise AttemptError(
            "attempt.v2_no_items",
            "Aucune question du paquet ne correspond au profil de ce candidat.",
            "No question in the package matches this candidate's profile.",
        )
    capped = {cid: min(level, settings.level_cap) for cid, level in levels.items()}
    return V2Test(tuple(chosen), capped)


def reproducibility_rate(correct: int, scored: int) -> int:
    """round(100 · correct / scored), halves rounded up as Pix does (62.5 → 63)."""
    return (200 * correct + scored) // (2 * scored)


def certified_level(
    level: int, questions: int, correct: int, rate: int, settings: LegacyV2Settings
) -> int:
    """The level a competence certifies from its scored questions.

    Three questions: all right keeps the level; two right keeps it from the trusted rate
    (80 %), else one level down; fewer is 0. After neutralisations, two questions: both
    right keeps it; one right keeps it from the trusted rate, one down from the partial rate
    (70 %), else 0. One question: right keeps it from the partial rate, else one down; wrong
    is 0. None left: 0.
    """
    down = max(level - 1, 0)
    if questions >= 3:
        if correct >= questions:
            return level
        if correct == questions - 1:
            return level if rate >= settings.trusted_rate else down
        return 0
    if questions == 2:
        if correct == 2:
            return level
        if correct == 1:
            if rate >= settings.trusted_rate:
                return level
            return down if rate >= settings.partial_trust_rate else 0
        return 0
    if questions == 1 and correct == 1:
        return level if rate >= settings.partial_trust_rate else down
    return 0


@dataclass(frozen=True, slots=True)
class V2Outcome:
    status: ResultStatus
    score: int
    competence_levels: dict[str, int]
    """Tested competences only; the others were not assessed and are absent."""
    reproducibility_rate: int | None
    """None when nothing was left to score."""
    answered: int


def score_test(
    test: V2Test,
    bank: Bank,
    answers: Mapping[str, AnswerStatus],
    *,
    removed: Collection[str],
    end_reason: EndReason,
    settings: LegacyV2Settings,
    fraud: bool = False,
) -> V2Outcome:
    """Score a v2 test from the answers kept (item id → status) and the neutralised items.

    Unanswered questions count as skipped unless the stop was technical (see the module
    docstring)."""
    correct_by_item: dict[str, bool] = {}
    for item_id in test.items:
        if item_id in removed:
            continue
        given = answers.get(item_id)
        if given is None and end_reason is EndReason.TECHNICAL:
            continue
        correct_by_item[item_id] = given is not None and given.correct
    answered = sum(1 for item_id in test.items if item_id in answers and item_id not in removed)
    zero = dict.fromkeys(test.levels, 0)
    if not correct_by_item:
        empty = ResultStatus.REJECTED if fraud else ResultStatus.CANCELLED
        return V2Outcome(empty, 0, zero, None, answered)
    rate = reproducibility_rate(sum(correct_by_item.values()), len(correct_by_item))
    if fraud or rate < settings.rejection_rate:
        return V2Outcome(ResultStatus.REJECTED, 0, zero, rate, answered)
    levels: dict[str, int] = {}
    for cid, level in test.levels.items():
        results = [
            right for item_id, right in correct_by_item.items()
            if bank.item(item_id).competence == cid
        ]
        levels[cid] = certified_level(level, len(results), sum(results), rate, settings)
    score = sum(levels.values()) * settings.pix_per_level
    status = ResultStatus.VALIDATED if score > 0 else ResultStatus.REJECTED
    return V2Outcome(status, score, levels, rate, answered)
