"""Certification v2 (legacy, profile-based): who may sit it, the fixed test, its scoring.

v2 estimates nothing during the test. The candidate's Pix profile (competence → level, and
the Pix score behind each level) says what is to be confirmed; the test asks, per profiled
competence, a few questions from skills at or below that level, hardest first, and the
answers keep, lower or withdraw each level. The test is drawn once at check-in and recorded
in the journal, so a replay or a server re-score reads it back instead of drawing it again.

Scoring follows Pix's published rules (rules 2, ``version.RULES``): each competence's level
comes from Pix's table of (questions, right answers, neutralised questions) and the
reproducibility rate; its score is the profile's Pix score for it, less 8 when the level is
lowered, 0 when it is withdrawn; the level and the score are then capped. A combination the
table has no rule for, or a total of 0 Pix with a rate above the rejection rate, is refused
as Pix refuses it. Attempts sat under rules 1 keep their old scoring (8 Pix per level, cap
before the downgrade) so that a re-score never changes them.

Where CERTIFICATION.md is silent:

- A neutralised question is not replaced (the test is fixed); it still counts among the
  competence's questions, as a neutralised one.
- Questions still unanswered when the test stops count as skipped (failures), except after
  a technical stop, where they count as neutralised.
- A profile level above the cap is tested on the candidate's hardest skills all the same.
- A profiled competence the bank cannot test at all (no eligible item) is refused at
  check-in: Pix cannot score a competence without a question.
- A test left with nothing to score is cancelled; a total of 0 Pix is rejected.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from pixdesk.engine.bank import Bank, ItemType
from pixdesk.engine.framework import COMPETENCE_IDS, COMPETENCE_INDEX
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.version import RULES, LegacyV2Settings
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


def profile_pix_scores(
    levels: Mapping[str, int], pix_scores: Mapping[str, int] | None, settings: LegacyV2Settings
) -> dict[str, int]:
    """The profile's Pix score of each profiled competence (``levels``), checked against
    its level: Pix derives the level from the score, so level L means a score in
    [L·8, L·8 + 7]. A profile without scores cannot be scored and is refused."""
    pix_scores = pix_scores or {}
    missing = [cid for cid in levels if cid not in pix_scores]
    if missing:
        named = ", ".join(missing)
        raise AttemptError(
            "attempt.v2_no_pix_score",
            f"Le profil Pix de ce candidat n'indique pas ses Pix par compétence ({named}) : "
            "la certification v2 ne peut pas être notée.",
            f"This candidate's Pix profile lacks the Pix score per competence ({named}): the "
            "v2 certification cannot be scored.",
        )
    per_level = settings.pix_per_level
    wrong = sorted(
        cid
        for cid, score in pix_scores.items()
        if cid not in COMPETENCE_IDS
        or isinstance(score, bool)
        or not isinstance(score, int)
        or score < 0
        or score // per_level != levels.get(cid, 0)
    )
    if wrong:
        named = ", ".join(wrong)
        raise AttemptError(
            "attempt.v2_bad_pix_score",
            f"Profil Pix invalide : les Pix ne correspondent pas au niveau ({named}).",
            f"Invalid Pix profile: the Pix score does not match the level ({named}).",
        )
    return {cid: pix_scores[cid] for cid in levels}


@dataclass(frozen=True, slots=True)
class V2Test:
    """A generated v2 test: the questions in serving order, the profile level of each
    tested competence and its profile Pix score. Attempts sat under rules 1 recorded the
    level already capped and no Pix score."""

    items: tuple[str, ...]
    levels: Mapping[str, int]
    pix: Mapping[str, int] | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"items": list(self.items), "levels": dict(self.levels)}
        if self.pix is not None:
            payload["pix"] = dict(self.pix)
        return payload

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> V2Test:
        pix = data.get("pix")
        return cls(
            tuple(str(i) for i in data["items"]),
            {str(cid): int(level) for cid, level in data["levels"].items()},
            None if pix is None else {str(cid): int(score) for cid, score in pix.items()},
        )


def generate_test(
    bank: Bank,
    profile: Mapping[str, int] | None,
    settings: LegacyV2Settings,
    rng: np.random.Generator,
    *,
    pix_scores: Mapping[str, int] | None = None,
    seen: Collection[str] = (),
    accessible_only: bool = False,
) -> V2Test:
    """Per profiled competence (framework order), up to ``questions_per_competence`` items
    from skills at or below the profile level, hardest level first, one per tube, none seen
    before. Items of equal level are ordered by the seeded ``rng``, so a seed fixes the test.
    The profile must carry its Pix scores, and every profiled competence must get a question.
    """
    levels = check_certifiable(profile, settings)
    pix = profile_pix_scores(levels, pix_scores, settings)
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
        if picked == 0:
            raise AttemptError(
                "attempt.v2_untestable",
                f"Aucune question du paquet ne peut tester la compétence {cid} au niveau "
                f"{level} ou en dessous pour ce candidat.",
                f"No question in the package can test competence {cid} at level {level} or "
                "below for this candidate.",
            )
    return V2Test(tuple(chosen), levels, pix)


def reproducibility_rate(correct: int, scored: int) -> int:
    """round(100 · correct / scored), halves rounded up as Pix does (62.5 → 63)."""
    return (200 * correct + scored) // (2 * scored)


class Verdict(StrEnum):
    """What Pix's table does with a competence's profile level."""

    VALIDATED = "validated"
    DOWNGRADED = "downgraded"
    UNCERTIFIED = "uncertified"


_V, _D, _U = Verdict.VALIDATED, Verdict.DOWNGRADED, Verdict.UNCERTIFIED

PIX_LEVEL_RULES: Mapping[tuple[int, int, int], tuple[Verdict, Verdict, Verdict]] = {
    (3, 3, 0): (_V, _V, _V),
    (3, 2, 0): (_V, _D, _D),
    (3, 2, 1): (_V, _V, _V),
    (3, 1, 0): (_U, _U, _U),
    (3, 1, 1): (_V, _D, _U),
    (3, 1, 2): (_V, _V, _D),
    (3, 0, 0): (_U, _U, _U),
    (3, 0, 1): (_U, _U, _U),
    (3, 0, 2): (_U, _U, _U),
    (3, 0, 3): (_U, _U, _U),
    (2, 2, 0): (_V, _V, _V),
    (2, 1, 0): (_V, _D, _U),
    (2, 1, 1): (_V, _V, _D),
    (2, 0, 0): (_U, _U, _U),
    (2, 0, 1): (_U, _U, _U),
    (2, 0, 2): (_U, _U, _U),
    (1, 1, 0): (_V, _V, _D),
    (1, 0, 0): (_U, _U, _U),
    (1, 0, 1): (_U, _U, _U),
}
"""Pix's certified-level table: (questions, right answers, neutralised questions) → the
verdict at a reproducibility rate ≥ trusted (80), ≥ partial (70), below. Its 19 rules are
every combination of 1–3 questions; nothing else has a rule."""


def verdict(
    questions: int, correct: int, neutralised: int, rate: int, settings: LegacyV2Settings
) -> Verdict:
    """Pix's verdict for a competence, or ``attempt.v2_no_rule`` when its table has none."""
    rule = PIX_LEVEL_RULES.get((questions, correct, neutralised))
    if rule is None:
        raise AttemptError(
            "attempt.v2_no_rule",
            f"Aucune règle de Pix ne donne le niveau certifié pour {questions} questions, "
            f"{correct} réponses justes et {neutralised} neutralisées.",
            f"No Pix rule gives the certified level for {questions} questions, {correct} right "
            f"answers and {neutralised} neutralised.",
        )
    trusted, partial, below = rule
    if rate >= settings.trusted_rate:
        return trusted
    return partial if rate >= settings.partial_trust_rate else below


def certified_level(
    level: int, questions: int, correct: int, rate: int, settings: LegacyV2Settings
) -> int:
    """Rules 1 only: the level a competence certifies from its scored questions.

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
    rules: int = RULES,
) -> V2Outcome:
    """Score a v2 test from the answers kept (item id → status) and the neutralised items,
    under the rule version ``rules`` the attempt was sat under.

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
    if rules < 2:
        return _score_rules_1(test, bank, correct_by_item, rate, answered, settings)
    levels: dict[str, int] = {}
    score = 0
    pix = _require_pix(test)
    items = [bank.item(item_id) for item_id in test.items]
    for cid, level in test.levels.items():
        mine = [item for item in items if item.competence == cid]
        weight = {item.id: _weight(item.type, len(mine)) for item in mine}
        questions = sum(weight.values())
        neutralised = sum(w for item_id, w in weight.items() if item_id not in correct_by_item)
        correct = min(
            sum(w for item_id, w in weight.items() if correct_by_item.get(item_id, False)), 3
        )
        found = verdict(questions, correct, neutralised, rate, settings)
        certified, earned = {
            Verdict.VALIDATED: (level, pix[cid]),
            Verdict.DOWNGRADED: (level - 1, pix[cid] - settings.pix_per_level),
            Verdict.UNCERTIFIED: (0, 0),
        }[found]
        levels[cid] = min(certified, settings.level_cap)
        score += min(earned, settings.level_cap * settings.pix_per_level)
    if score < 1 and rate > settings.rejection_rate:
        raise AttemptError(
            "attempt.v2_incoherent_score",
            f"Résultat incohérent : 0 Pix avec un taux de reproductibilité de {rate} %, "
            f"supérieur à {settings.rejection_rate} % ; Pix refuse de noter ce test.",
            f"Inconsistent result: 0 Pix with a reproducibility rate of {rate} %, above "
            f"{settings.rejection_rate} %; Pix refuses to score this test.",
        )
    status = ResultStatus.VALIDATED if score > 0 else ResultStatus.REJECTED
    return V2Outcome(status, score, levels, rate, answered)


def _weight(item_type: ItemType, questions: int) -> int:
    """A QROCM-dep counts as two questions (and two right answers) in a competence asked
    fewer than three questions, as in Pix."""
    return 2 if questions < 3 and item_type is ItemType.QROCM_DEP else 1


def _require_pix(test: V2Test) -> Mapping[str, int]:
    if test.pix is None:
        raise AttemptError(
            "attempt.v2_no_pix_score",
            "Le test v2 enregistré n'indique pas les Pix du profil : il ne peut pas être noté.",
            "The recorded v2 test lacks the profile's Pix scores: it cannot be scored.",
        )
    return test.pix


def _score_rules_1(
    test: V2Test,
    bank: Bank,
    correct_by_item: Mapping[str, bool],
    rate: int,
    answered: int,
    settings: LegacyV2Settings,
) -> V2Outcome:
    """The scoring attempts sat under rules 1 keep: ``certified_level`` on the recorded
    (already capped) level, 8 Pix per level."""
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
