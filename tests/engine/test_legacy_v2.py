"""Certification v2 (legacy, profile-based): the rules of CERTIFICATION.md, the fixed test,
and a v2 attempt end to end through the engine, the journal and ``pixdesk rehearse``.

Expected values are worked out by hand from Pix's published rules: the certified-level table
(questions, right answers, neutralised → verdict by reproducibility rate), the profile's Pix
score per competence (−8 when downgraded, 0 when uncertified), then the cap (level 5, 40 Pix).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pixdesk.demo import load_demo
from pixdesk.engine.attempt import Attempt, Event, Phase, rescore
from pixdesk.engine.bank import Bank, Blank, ChoiceSolution, GroupSolution, Item, ItemType
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.engine.legacy_v2 import (
    PIX_LEVEL_RULES,
    V2Outcome,
    V2Test,
    Verdict,
    certified_level,
    generate_test,
    refusal,
    reproducibility_rate,
    score_test,
    verdict,
)
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.timer import Instant
from pixdesk.engine.version import PRESETS, CertificationVersion, LegacyV2Settings
from pixdesk.errors import AttemptError
from pixdesk.exam import LiveAttempt, from_stored
from pixdesk.store.journal import Journal

PIX = LegacyV2Settings()
V2 = PRESETS["pix-v2"]
T0 = Instant(mono_ms=1_000, wall_ms=1_700_000_000_000)
OK, KO = AnswerStatus.OK, AnswerStatus.KO


def _bank() -> Bank:
    """Per competence 4 tubes × levels 1..7, so that every level ties across tubes, and a
    second item per level in tube t0, so that ties also fall inside one tube; tube t3 is not
    accessible."""
    items = []
    for cid in COMPETENCE_IDS:
        for tube, variant in [(0, "b"), (0, ""), (1, ""), (2, ""), (3, "")]:
            for level in range(1, 8):
                items.append(Item(
                    id=f"{cid}-t{tube}-l{level}{variant}", competence=cid,
                    tube=f"@{cid}-t{tube}",
                    skill=f"@{cid}-t{tube}{level}", level=level, type=ItemType.QCU,
                    prompt="?", proposals=("oui", "non"),
                    solution=ChoiceSolution(frozenset({1})), discriminant=1.0,
                    difficulty=level - 4.0, blind_compatible=tube != 3,
                    colour_blind_compatible=tube != 3,
                ))
    return Bank(items)


BANK = _bank()
FIVE = {"1.1": 3, "2.1": 4, "3.1": 2, "4.1": 5, "5.1": 3}
FIVE_PIX = {"1.1": 29, "2.1": 33, "3.1": 23, "4.1": 44, "5.1": 24}
"""Level L means L·8 to L·8 + 7 Pix; 4.1's 44 Pix is above the 40 a competence can certify."""


def pix_of(profile: dict[str, int]) -> dict[str, int]:
    """A Pix score consistent with each level (the middle of the level's 8 Pix)."""
    return {cid: 8 * level + 4 for cid, level in profile.items()}


def _generate(profile: dict[str, int], rng: np.random.Generator, **kw: object) -> V2Test:
    return generate_test(BANK, profile, PIX, rng, pix_scores=pix_of(profile),
                         **kw)  # type: ignore[arg-type]


def _rng(seed: int = 1) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- who may sit v2 --------------------------------------------------------------------------


def test_a_profile_with_four_competences_is_refused_with_the_reason() -> None:
    reason = refusal({"1.1": 2, "2.1": 1, "3.1": 3, "4.1": 1, "5.1": 0}, PIX)
    assert reason is not None and reason.code == "attempt.v2_not_certifiable"
    assert reason.fr == ("Profil non certifiable : 4 compétences de niveau 1 ou plus, il en "
                         "faut au moins 5.")
    assert "4 competences" in reason.en
    with pytest.raises(AttemptError, match="not certifiable"):
        generate_test(BANK, {"1.1": 2, "2.1": 1, "3.1": 3, "4.1": 1}, PIX, _rng())


def test_five_competences_at_level_one_or_more_are_certifiable() -> None:
    assert refusal(FIVE, PIX) is None
    no_profile = refusal(None, PIX)
    assert no_profile is not None and no_profile.code == "attempt.v2_no_profile"


def test_a_profile_naming_an_unknown_competence_is_refused() -> None:
    with pytest.raises(AttemptError) as caught:
        refusal({**FIVE, "9.9": 2}, PIX)
    assert caught.value.code == "attempt.v2_bad_profile"


# --- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_the_test_asks_three_questions_per_profiled_competence_in_distinct_tubes(
    seed: int,
) -> None:
    test = _generate({**FIVE, "2.2": 0}, _rng(seed))
    assert len(test.items) == 3 * len(FIVE)
    by_competence: dict[str, list[Item]] = {}
    for item_id in test.items:
        item = BANK.item(item_id)
        by_competence.setdefault(item.competence, []).append(item)
    assert list(by_competence) == list(FIVE)
    for cid, items in by_competence.items():
        assert len({i.tube for i in items}) == 3
        assert all(i.level <= FIVE[cid] for i in items)


def test_the_hardest_skills_at_or_below_the_profile_level_come_first() -> None:
    test = _generate(FIVE, _rng())
    levels = [BANK.item(i).level for i in test.items]
    assert levels == [level for level in FIVE.values() for _ in range(3)]


def test_a_seed_fixes_the_test_and_ties_follow_the_seed() -> None:
    first = _generate(FIVE, _rng(5))
    assert _generate(FIVE, _rng(5)) == first
    others = {_generate(FIVE, _rng(seed)).items for seed in range(10)}
    assert len(others) > 1


def test_seen_items_are_never_asked_again() -> None:
    first = _generate(FIVE, _rng())
    second = _generate(FIVE, _rng(), seen=set(first.items))
    assert not set(first.items) & set(second.items)
    assert len(second.items) == 3 * len(FIVE)


def test_an_accessibility_adjustment_gets_only_accessible_items() -> None:
    for seed in range(5):
        test = _generate(FIVE, _rng(seed), accessible_only=True)
        assert all(BANK.item(i).accessible for i in test.items)
        assert len(test.items) == 3 * len(FIVE)


def test_levels_above_the_cap_are_tested_on_the_hardest_skills_and_recorded_uncapped() -> None:
    test = _generate(dict.fromkeys(COMPETENCE_IDS, 7), _rng())
    assert {BANK.item(i).level for i in test.items} == {7}
    assert set(test.levels.values()) == {7}
    assert set((test.pix or {}).values()) == {60}


def test_a_profile_without_its_pix_scores_is_refused_by_name() -> None:
    with pytest.raises(AttemptError) as caught:
        generate_test(BANK, FIVE, PIX, _rng())
    assert caught.value.code == "attempt.v2_no_pix_score"
    assert "(1.1, 2.1, 3.1, 4.1, 5.1)" in caught.value.fr
    partial = {k: v for k, v in FIVE_PIX.items() if k != "3.1"}
    with pytest.raises(AttemptError, match=r"\(3\.1\)"):
        generate_test(BANK, FIVE, PIX, _rng(), pix_scores=partial)


@pytest.mark.parametrize(
    "pix",
    [
        {**FIVE_PIX, "1.1": 32},    # level 3 is 24–31 Pix
        {**FIVE_PIX, "1.1": 23},
        {**FIVE_PIX, "2.2": 9},     # level 1 Pix on a competence the profile puts at 0
        {**FIVE_PIX, "9.9": 0},
        {**FIVE_PIX, "1.1": -1},
        {**FIVE_PIX, "1.1": 29.5},
        {**FIVE_PIX, "1.1": True},
    ],
)
def test_pix_scores_that_do_not_match_the_levels_are_refused(pix: dict[str, int]) -> None:
    with pytest.raises(AttemptError) as caught:
        generate_test(BANK, FIVE, PIX, _rng(), pix_scores=pix)
    assert caught.value.code == "attempt.v2_bad_pix_score"


def test_a_profiled_competence_the_bank_cannot_test_is_refused_at_check_in() -> None:
    """Pix cannot score a competence without a question: refuse before the test, not after."""
    seen = {item.id for item in BANK.items if item.competence == "3.1"}
    with pytest.raises(AttemptError) as caught:
        _generate(FIVE, _rng(), seen=seen)
    assert caught.value.code == "attempt.v2_untestable"
    assert "3.1" in caught.value.fr and "3.1" in caught.value.en


# --- scoring ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "correct", "rate", "expected"),
    [
        (3, 3, 50, 4),   # 3 right: level kept, whatever the rate
        (3, 2, 80, 4),   # 2 right with r ≥ 80: kept
        (3, 2, 79, 3),   # 2 right with 50 ≤ r < 80: level − 1
        (3, 2, 50, 3),
        (3, 1, 100, 0),  # 0–1 right: not certified
        (3, 0, 90, 0),
        (2, 2, 50, 4),   # a neutralised question: both remaining right keep the level
        (2, 1, 80, 4),
        (2, 1, 70, 3),
        (2, 1, 69, 0),
        (2, 0, 100, 0),
        (1, 1, 70, 4),   # two neutralised: the remaining one right
        (1, 1, 69, 3),
        (1, 0, 100, 0),
        (0, 0, 100, 0),  # all neutralised: nothing confirms the level
    ],
)
def test_rules_1_competence_level_rules(
    questions: int, correct: int, rate: int, expected: int
) -> None:
    """The table attempts sat under rules 1 keep (questions left after neutralisation)."""
    assert certified_level(4, questions, correct, rate, PIX) == expected


def test_rules_1_level_one_lowered_gives_zero_not_a_negative_level() -> None:
    assert certified_level(1, 3, 2, 60, PIX) == 0


V, D, U = Verdict.VALIDATED, Verdict.DOWNGRADED, Verdict.UNCERTIFIED


@pytest.mark.parametrize(
    ("questions", "correct", "neutralised", "at_80", "at_70", "at_69"),
    [
        (3, 3, 0, V, V, V),
        (3, 2, 0, V, D, D),
        (3, 2, 1, V, V, V),
        (3, 1, 0, U, U, U),
        (3, 1, 1, V, D, U),
        (3, 1, 2, V, V, D),
        (3, 0, 0, U, U, U),
        (3, 0, 1, U, U, U),
        (3, 0, 2, U, U, U),
        (3, 0, 3, U, U, U),
        (2, 2, 0, V, V, V),
        (2, 1, 0, V, D, U),
        (2, 1, 1, V, V, D),
        (2, 0, 0, U, U, U),
        (2, 0, 1, U, U, U),
        (2, 0, 2, U, U, U),
        (1, 1, 0, V, V, D),
        (1, 0, 0, U, U, U),
        (1, 0, 1, U, U, U),
    ],
)
def test_pix_certified_level_table(
    questions: int, correct: int, neutralised: int, at_80: Verdict, at_70: Verdict,
    at_69: Verdict,
) -> None:
    assert [verdict(questions, correct, neutralised, rate, PIX) for rate in (80, 70, 69)] == [
        at_80, at_70, at_69]
    assert verdict(questions, correct, neutralised, 100, PIX) is at_80
    assert verdict(questions, correct, neutralised, 79, PIX) is at_70
    assert verdict(questions, correct, neutralised, 50, PIX) is at_69


def test_the_table_has_exactly_pix_s_nineteen_rules() -> None:
    assert len(PIX_LEVEL_RULES) == 19


@pytest.mark.parametrize(
    ("questions", "correct", "neutralised"),
    [(0, 0, 0), (4, 3, 0), (4, 2, 1), (3, 2, 2), (2, 2, 1), (1, 1, 1), (6, 3, 0)],
)
def test_a_combination_without_a_pix_rule_is_refused(
    questions: int, correct: int, neutralised: int
) -> None:
    with pytest.raises(AttemptError) as caught:
        verdict(questions, correct, neutralised, 90, PIX)
    assert caught.value.code == "attempt.v2_no_rule"
    assert f"{questions} questions" in caught.value.fr


@pytest.mark.parametrize(
    ("correct", "scored", "rate"), [(5, 8, 63), (1, 2, 50), (11, 15, 73), (12, 15, 80), (0, 4, 0)]
)
def test_reproducibility_rate_rounds_halves_up(correct: int, scored: int, rate: int) -> None:
    assert reproducibility_rate(correct, scored) == rate


def _test_of(levels: dict[str, int], pix: dict[str, int] | None = None) -> V2Test:
    items = tuple(f"{cid}-t{t}-l{min(level, 7)}" for cid, level in levels.items() for t in range(3))
    return V2Test(items, levels, pix if pix is not None else FIVE_PIX)


def _answers(test: V2Test, rights: list[int]) -> dict[str, AnswerStatus]:
    """``rights[k]`` right answers for the k-th competence (its first questions)."""
    answers = {}
    for k, _ in enumerate(test.levels):
        for q in range(3):
            answers[test.items[3 * k + q]] = OK if q < rights[k] else KO
    return answers


def _score(
    test: V2Test,
    answers: dict[str, AnswerStatus],
    *,
    removed: Collection[str] = (),
    end_reason: EndReason = EndReason.COMPLETED,
    fraud: bool = False,
) -> V2Outcome:
    return score_test(test, BANK, answers, removed=removed, end_reason=end_reason,
                      settings=PIX, fraud=fraud)


@pytest.mark.parametrize(
    ("rights", "rate", "status", "levels", "score"),
    [
        # 15/15 → every level and its profile Pix kept; 4.1's 44 Pix capped at 40:
        # 29 + 33 + 23 + 40 + 24
        ([3, 3, 3, 3, 3], 100, ResultStatus.VALIDATED, [3, 4, 2, 5, 3], 149),
        # 13/15 = 87 % → 2 right keep the level and the Pix
        ([3, 2, 3, 2, 3], 87, ResultStatus.VALIDATED, [3, 4, 2, 5, 3], 149),
        # 11/15 = 73 % → 2 right lose one level and 8 Pix, 1 right gives 0:
        # 29 + (33 − 8) + (23 − 8) + 40 + 0
        ([3, 2, 2, 3, 1], 73, ResultStatus.VALIDATED, [3, 3, 1, 5, 0], 109),
        # 8/15 = 53 % → still scored: (29 − 8) + (33 − 8) + (23 − 8)
        ([2, 2, 2, 1, 1], 53, ResultStatus.VALIDATED, [2, 3, 1, 0, 0], 61),
        # 7/15 = 47 % → rejected, every competence 0
        ([2, 2, 1, 1, 1], 47, ResultStatus.REJECTED, [0, 0, 0, 0, 0], 0),
    ],
)
def test_scoring_table(rights: list[int], rate: int, status: ResultStatus,
                       levels: list[int], score: int) -> None:
    test = _test_of(FIVE)
    outcome = _score(test, _answers(test, rights))
    assert outcome.reproducibility_rate == rate
    assert outcome.status is status
    assert list(outcome.competence_levels.values()) == levels
    assert outcome.score == score


def test_a_level_above_the_cap_is_downgraded_first_then_capped() -> None:
    """Profile 1.1 at level 6 with 52 Pix, 2 right of 3 at 73 %: downgraded to level 5 and
    44 Pix, then capped at level 5 and 40 Pix (capping first would give level 4, 32 Pix)."""
    profile = {**FIVE, "1.1": 6}
    test = _test_of(profile, {**FIVE_PIX, "1.1": 52})
    outcome = _score(test, _answers(test, [2, 2, 3, 3, 3]))
    assert outcome.reproducibility_rate == 87
    assert outcome.competence_levels["1.1"] == 5
    lowered = _score(test, _answers(test, [2, 3, 2, 2, 2]))
    assert lowered.reproducibility_rate == 73
    assert lowered.competence_levels["1.1"] == 5
    # 1.1: 52 − 8 = 44 → capped 40; 2.1 kept: 33; 3.1: 23 − 8; 4.1: 44 − 8 = 36; 5.1: 24 − 8
    assert lowered.competence_levels == {"1.1": 5, "2.1": 4, "3.1": 1, "4.1": 4, "5.1": 2}
    assert lowered.score == 40 + 33 + 15 + 36 + 16


def test_a_downgraded_level_one_certifies_level_zero_with_its_pix_above_eight() -> None:
    """Level 1 with 13 Pix, 2 right of 3 at 73 %: level 0, 13 − 8 = 5 Pix."""
    test = _test_of({**FIVE, "1.1": 1}, {**FIVE_PIX, "1.1": 13})
    outcome = _score(test, _answers(test, [2, 3, 2, 3, 1]))
    assert outcome.reproducibility_rate == 73
    assert outcome.competence_levels["1.1"] == 0
    assert outcome.score == 5 + 33 + 15 + 40 + 0


def test_zero_pix_with_a_rate_above_fifty_is_refused_as_pix_refuses_it() -> None:
    """Five competences at level 1 with 8 Pix, 2 right of 3 each: 10/15 = 67 %, every
    competence downgraded to level 0 and 8 − 8 = 0 Pix; Pix has no result for that."""
    ones = dict.fromkeys(FIVE, 1)
    test = _test_of(ones, dict.fromkeys(FIVE, 8))
    with pytest.raises(AttemptError) as caught:
        _score(test, _answers(test, [2] * 5))
    assert caught.value.code == "attempt.v2_incoherent_score"
    assert "67 %" in caught.value.fr


def test_a_recorded_competence_without_a_question_has_no_rule() -> None:
    test = V2Test(_test_of(FIVE).items, {**FIVE, "2.2": 1}, {**FIVE_PIX, "2.2": 12})
    with pytest.raises(AttemptError) as caught:
        _score(test, dict.fromkeys(test.items, OK))
    assert caught.value.code == "attempt.v2_no_rule"


def _dep_bank() -> Bank:
    """BANK plus, in 2.2, one QCU and one QROCM-dep (a competence asked only two questions)."""
    extra = [
        Item(id="2.2-qcu", competence="2.2", tube="@2.2-a", skill="@2.2-a2", level=2,
             type=ItemType.QCU, prompt="?", proposals=("oui", "non"),
             solution=ChoiceSolution(frozenset({1})), discriminant=1.0, difficulty=-2.0),
        Item(id="2.2-dep", competence="2.2", tube="@2.2-b", skill="@2.2-b2", level=2,
             type=ItemType.QROCM_DEP, prompt="?",
             blanks=(Blank("a", "A"), Blank("b", "B")),
             solution=GroupSolution((("lyon",), ("paris",))), discriminant=1.0,
             difficulty=-2.0),
    ]
    return Bank([*BANK.items, *extra])


@pytest.mark.parametrize(
    ("dep", "neutralised", "level", "score"),
    [
        # QCU + QROCM-dep right: 3 questions, 3 right → (3, 3, 0) validated, 20 Pix
        (OK, False, 2, 20),
        # QROCM-dep wrong: 3 questions, 1 right → (3, 1, 0) uncertified (with the QROCM-dep
        # counted once it would be (2, 1, 0) at 16/17 = 94 %: validated)
        (KO, False, 0, 0),
        # QROCM-dep neutralised: 3 questions, 1 right, 2 neutralised → (3, 1, 2) validated
        (KO, True, 2, 20),
    ],
)
def test_a_qrocm_dep_counts_twice_in_a_competence_asked_fewer_than_three_questions(
    dep: AnswerStatus, neutralised: bool, level: int, score: int
) -> None:
    bank = _dep_bank()
    base = _test_of(FIVE)
    test = V2Test((*base.items, "2.2-qcu", "2.2-dep"), {**FIVE, "2.2": 2},
                  {**FIVE_PIX, "2.2": 20})
    answers = {**dict.fromkeys(base.items, OK), "2.2-qcu": OK, "2.2-dep": dep}
    outcome = score_test(test, bank, answers, removed={"2.2-dep"} if neutralised else set(),
                         end_reason=EndReason.COMPLETED, settings=PIX)
    assert outcome.competence_levels["2.2"] == level
    assert outcome.score == 29 + 33 + 23 + 40 + 24 + score


def test_competences_not_assessed_are_absent_from_the_levels() -> None:
    test = _test_of(FIVE)
    outcome = _score(test, _answers(test, [3] * 5))
    assert set(outcome.competence_levels) == set(FIVE)


def test_sixteen_competences_above_the_cap_all_right_make_640() -> None:
    test = _generate(dict.fromkeys(COMPETENCE_IDS, 8), _rng())
    outcome = _score(test, dict.fromkeys(test.items, OK))
    assert outcome.score == 640


def test_a_neutralised_question_leaves_the_rate_and_its_competence_scores_on_two() -> None:
    test = _test_of(FIVE)
    answers = _answers(test, [3, 3, 3, 3, 2])  # 14/15 = 93 %
    wrong = test.items[-1]
    outcome = _score(test, answers, removed={wrong})
    assert outcome.reproducibility_rate == 100
    assert outcome.competence_levels["5.1"] == 3
    assert outcome.answered == 14


def test_unanswered_questions_fail_unless_the_stop_was_technical() -> None:
    test = _test_of(FIVE)
    answers = {item_id: OK for item_id in test.items[:12]}
    walked_out = _score(test, answers, end_reason=EndReason.CANDIDATE)
    assert walked_out.reproducibility_rate == 80
    assert walked_out.competence_levels["5.1"] == 0
    crashed = _score(test, answers, end_reason=EndReason.TECHNICAL)
    assert crashed.reproducibility_rate == 100
    assert crashed.competence_levels["5.1"] == 0  # (3, 0, 3): all neutralised, uncertified
    assert crashed.score == 29 + 33 + 23 + 40


def test_fraud_rejects_and_a_test_with_nothing_left_is_cancelled() -> None:
    test = _test_of(FIVE)
    fraud = _score(test, dict.fromkeys(test.items, OK), fraud=True)
    assert (fraud.status, fraud.score) == (ResultStatus.REJECTED, 0)
    empty = _score(test, {}, end_reason=EndReason.TECHNICAL)
    assert empty.status is ResultStatus.CANCELLED


def test_v2_settings_must_be_integers() -> None:
    with pytest.raises(ValueError):
        CertificationVersion.from_dict({"id": "x", "algorithm": "v2",
                                        "legacy_v2": {"trusted_rate": 79.5}})
    parsed = CertificationVersion.from_dict({"id": "x", "algorithm": "v2",
                                             "legacy_v2": {"level_cap": 6}})
    assert parsed.legacy_v2 == replace(PIX, level_cap=6)


# --- the attempt -----------------------------------------------------------------------------


class Run:
    """Drives an attempt the way the live layer does: decide, keep the events, apply."""

    def __init__(self, version: CertificationVersion = V2, bank: Bank = BANK) -> None:
        self.attempt = Attempt(version, bank)
        self.events: list[Event] = []
        self.now = T0

    def do(self, decide: object, *args: object) -> list[Event]:
        self.now = Instant(self.now.mono_ms + 10_000, self.now.wall_ms + 10_000)
        events: list[Event] = decide(*args, self.now)  # type: ignore[operator]
        for event in events:
            self.attempt.apply(event, self.now)
        self.events += events
        return events

    def start(self, profile: dict[str, int] | None, seed: int = 4) -> None:
        self.do(lambda now: self.attempt.check_in(
            attempt_id="a1", candidate_id="c1", session_id="s1", package_id="p1",
            extra_time_percentage=0, accessible_only=False, seed=seed, now=now,
            v2_profile=profile, v2_pix_scores=None if profile is None else pix_of(profile),
        ))
        self.do(self.attempt.authorise)
        self.do(self.attempt.begin)

    def answer(self, right: bool) -> None:
        item = self.attempt.current_item
        assert item is not None
        if not self.attempt.item_started:
            self.do(self.attempt.start_timed_item)
        self.do(self.attempt.submit, model_answer(item) if right else wrong_answer(item))


def test_a_v2_attempt_serves_its_fixed_test_in_order_then_ends_and_rescores_the_same() -> None:
    run = Run()
    run.start(FIVE)
    test = run.attempt.v2_test
    assert test is not None and run.events[0].payload["v2_test"]["items"] == list(test.items)
    served = []
    while run.attempt.state.phase is Phase.RUNNING:
        item = run.attempt.current_item
        assert item is not None
        served.append(item.id)
        run.answer(right=len(served) % 5 != 0)  # 12/15 right = 80 %
    assert served == list(test.items)
    result = run.attempt.state.result
    assert result is not None
    assert (result["status"], result["reproducibility_rate"]) == ("validated", 80)
    assert result["score"] == 28 + 36 + 20 + 40 + 28  # pix_of(FIVE), 4.1's 44 capped at 40
    assert rescore(V2, BANK, run.events) == result


def test_replay_reads_the_test_back_and_never_draws_it_again() -> None:
    run = Run()
    run.start(FIVE)
    run.answer(True)
    tampered_seed = [replace(run.events[0], payload={**run.events[0].payload, "seed": 999}),
                     *run.events[1:]]
    replayed = Attempt(V2, BANK)
    replayed.replay(tampered_seed)
    assert replayed.v2_test == run.attempt.v2_test
    assert replayed.current_item == run.attempt.current_item


def test_neutralising_the_current_question_moves_on_without_a_replacement() -> None:
    run = Run()
    run.start(FIVE)
    test = run.attempt.v2_test
    assert test is not None
    run.answer(True)
    current = run.attempt.current_item
    assert current is not None and current.id == test.items[1]
    run.do(run.attempt.neutralise, current.id)
    assert run.attempt.current_item is not None
    assert run.attempt.current_item.id == test.items[2]
    assert run.attempt.test_length == len(test.items) - 1
    answered = 1
    while run.attempt.state.phase is Phase.RUNNING:
        run.answer(True)
        answered += 1
    assert answered == len(test.items) - 1
    result = run.attempt.state.result
    assert result is not None and result["answered"] == answered
    assert result["competence_levels"]["1.1"] == FIVE["1.1"]
    assert rescore(V2, BANK, run.events) == result


def test_neutralising_the_last_question_ends_the_test_without_failing_it() -> None:
    run = Run()
    run.start(FIVE)
    test = run.attempt.v2_test
    assert test is not None
    for _ in test.items[:-1]:
        run.answer(True)
    run.do(run.attempt.neutralise, test.items[-1])
    result = run.attempt.state.result
    assert run.attempt.state.phase is Phase.ENDED and result is not None
    assert (result["reproducibility_rate"], result["score"]) == (100, 28 + 36 + 20 + 40 + 28)
    assert rescore(V2, BANK, run.events) == result


def test_a_test_pix_cannot_score_ends_in_error_with_the_reason() -> None:
    """2.2 can only be tested by two QROCM-dep items: counted twice each, 4 questions, a
    combination Pix's table has no rule for. The test still ends; its result is Pix's
    "error" status with the refusal, and the server's re-score agrees."""
    deps = [
        Item(id=f"2.2-dep{k}", competence="2.2", tube=f"@2.2-d{k}", skill=f"@2.2-d{k}2", level=2,
             type=ItemType.QROCM_DEP, prompt="?", blanks=(Blank("a", "A"), Blank("b", "B")),
             solution=GroupSolution((("lyon",), ("paris",))), discriminant=1.0,
             difficulty=-2.0)
        for k in range(2)
    ]
    bank = Bank([*(i for i in BANK.items if i.competence != "2.2"), *deps])
    run = Run(bank=bank)
    run.start({**FIVE, "2.2": 2})
    while run.attempt.state.phase is Phase.RUNNING:
        run.answer(True)
    result = run.attempt.state.result
    assert result is not None
    assert (result["status"], result["score"], result["answered"]) == ("error", 0, 17)
    assert result["error"]["code"] == "attempt.v2_no_rule"
    assert "4 questions" in result["error"]["fr"]
    assert rescore(V2, bank, run.events) == result


def test_a_candidate_who_is_not_certifiable_is_refused_at_check_in() -> None:
    with pytest.raises(AttemptError) as caught:
        Run().start({"1.1": 2, "2.1": 1, "3.1": 3, "4.1": 1})
    assert caught.value.code == "attempt.v2_not_certifiable"


def test_the_demo_package_offers_v2_and_its_candidates_profiles_fit(data_dir: Path) -> None:
    demo = load_demo()
    version = demo.content.versions["v2-demo"]
    assert version.algorithm == "v2" and version.legacy_v2 == PIX
    refused = [c.id for c in demo.session.candidates
               if refusal(c.v2_profile, version.legacy_v2) is not None]
    assert refused == ["demo-6"]


def test_a_live_v2_attempt_is_journalled_and_the_journal_rescores_it(data_dir: Path) -> None:
    demo = load_demo()
    journal = Journal.open(data_dir, demo=True)
    try:
        candidate = demo.session.candidate("demo-3")
        live = LiveAttempt.check_in(journal, demo.content, demo.session, candidate,
                                    attempt_id="v2-live", seed=11, version_id="v2-demo")
        live.act(live.attempt.authorise)
        live.act(live.attempt.begin)
        while live.phase is Phase.RUNNING:
            item = live.attempt.current_item
            assert item is not None and item.accessible
            if not live.attempt.item_started:
                live.act(live.attempt.start_timed_item)
            live.act(functools.partial(live.attempt.submit, model_answer(item)))
        result = live.result()
        assert result is not None and result["status"] == "validated"
        assert result["competence_levels"] == {
            cid: min(level, 5) for cid, level in (candidate.v2_profile or {}).items()
        }
        events = [from_stored(e) for e in journal.events("v2-live")]
        assert rescore(demo.content.versions["v2-demo"], demo.content.bank, events) == result
        reopened = LiveAttempt.reopen(journal, demo.content, "v2-live")
        assert reopened.attempt.state.result == result
    finally:
        journal.close()


def test_a_refused_candidate_leaves_nothing_in_the_journal(data_dir: Path) -> None:
    demo = load_demo()
    journal = Journal.open(data_dir, demo=True)
    try:
        with pytest.raises(AttemptError, match="not certifiable"):
            LiveAttempt.check_in(journal, demo.content, demo.session,
                                 demo.session.candidate("demo-6"), attempt_id="refused",
                                 seed=1, version_id="v2-demo")
        assert journal.attempts() == []
    finally:
        journal.close()


def test_pixdesk_rehearse_v2_then_journal_verify(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               PIXDESK_LANG="fr")

    def pixdesk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pixdesk", *args], capture_output=True,
                              text=True, env=env, timeout=120)

    run = pixdesk("rehearse", "--version", "v2", "--answers", "correct", "--seed", "2",
                  "--data-dir", str(tmp_path))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "version=v2-demo" in lines[0] and "candidate=demo-1" in lines[0]
    questions = int(lines[0].rsplit("questions=", 1)[1])
    assert len([line for line in lines if line.startswith("seq=")]) == questions
    assert "reason=completed status=validated" in lines[-1] and "rate=100" in lines[-1]
    verify = pixdesk("journal", "verify", "--data-dir", str(tmp_path))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK" in verify.stdout
    refused = pixdesk("rehearse", "--version", "v2", "--candidate", "demo-6",
                      "--data-dir", str(tmp_path))
    assert refused.returncode == 1
    assert "Profil non certifiable : 4 compétences" in refused.stderr
