"""Certification v2 (legacy, profile-based): the rules of CERTIFICATION.md, the fixed test,
and a v2 attempt end to end through the engine, the journal and ``pixdesk rehearse``."""

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
from pixdesk.engine.bank import Bank, ChoiceSolution, Item, ItemType
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.engine.legacy_v2 import (
    V2Outcome,
    V2Test,
    certified_level,
    generate_test,
    refusal,
    reproducibility_rate,
    score_test,
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
    test = generate_test(BANK, {**FIVE, "2.2": 0}, PIX, _rng(seed))
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
    test = generate_test(BANK, FIVE, PIX, _rng())
    levels = [BANK.item(i).level for i in test.items]
    assert levels == [level for level in FIVE.values() for _ in range(3)]


def test_a_seed_fixes_the_test_and_ties_follow_the_seed() -> None:
    first = generate_test(BANK, FIVE, PIX, _rng(5))
    assert generate_test(BANK, FIVE, PIX, _rng(5)) == first
    others = {generate_test(BANK, FIVE, PIX, _rng(seed)).items for seed in range(10)}
    assert len(others) > 1


def test_seen_items_are_never_asked_again() -> None:
    first = generate_test(BANK, FIVE, PIX, _rng())
    second = generate_test(BANK, FIVE, PIX, _rng(), seen=set(first.items))
    assert not set(first.items) & set(second.items)
    assert len(second.items) == 3 * len(FIVE)


def test_an_accessibility_adjustment_gets_only_accessible_items() -> None:
    for seed in range(5):
        test = generate_test(BANK, FIVE, PIX, _rng(seed), accessible_only=True)
        assert all(BANK.item(i).accessible for i in test.items)
        assert len(test.items) == 3 * len(FIVE)


def test_levels_above_the_cap_are_tested_on_the_hardest_skills_and_certified_at_the_cap() -> None:
    test = generate_test(BANK, dict.fromkeys(COMPETENCE_IDS, 7), PIX, _rng())
    assert {BANK.item(i).level for i in test.items} == {7}
    assert set(test.levels.values()) == {5}


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
def test_competence_level_rules(questions: int, correct: int, rate: int, expected: int) -> None:
    assert certified_level(4, questions, correct, rate, PIX) == expected


def test_level_one_lowered_gives_zero_not_a_negative_level() -> None:
    assert certified_level(1, 3, 2, 60, PIX) == 0


@pytest.mark.parametrize(
    ("correct", "scored", "rate"), [(5, 8, 63), (1, 2, 50), (11, 15, 73), (12, 15, 80), (0, 4, 0)]
)
def test_reproducibility_rate_rounds_halves_up(correct: int, scored: int, rate: int) -> None:
    assert reproducibility_rate(correct, scored) == rate


def _test_of(levels: dict[str, int]) -> V2Test:
    items = tuple(f"{cid}-t{t}-l{min(level, 7)}" for cid, level in levels.items() for t in range(3))
    return V2Test(items, levels)


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
    ("rights", "rate", "status", "levels"),
    [
        # 15/15 → every level kept, 8 Pix per level
        ([3, 3, 3, 3, 3], 100, ResultStatus.VALIDATED, [3, 4, 2, 5, 3]),
        # 13/15 = 87 % → 2 right keep the level
        ([3, 2, 3, 2, 3], 87, ResultStatus.VALIDATED, [3, 4, 2, 5, 3]),
        # 11/15 = 73 % → 2 right lose one level, 1 right gives 0
        ([3, 2, 2, 3, 1], 73, ResultStatus.VALIDATED, [3, 3, 1, 5, 0]),
        # 8/15 = 53 % → still scored
        ([2, 2, 2, 1, 1], 53, ResultStatus.VALIDATED, [2, 3, 1, 0, 0]),
        # 7/15 = 47 % → rejected, every competence 0
        ([2, 2, 1, 1, 1], 47, ResultStatus.REJECTED, [0, 0, 0, 0, 0]),
    ],
)
def test_scoring_table(rights: list[int], rate: int, status: ResultStatus,
                       levels: list[int]) -> None:
    test = _test_of(FIVE)
    outcome = _score(test, _answers(test, rights))
    assert outcome.reproducibility_rate == rate
    assert outcome.status is status
    assert list(outcome.competence_levels.values()) == levels
    assert outcome.score == 8 * sum(levels)


def test_competences_not_assessed_are_absent_from_the_levels() -> None:
    test = _test_of(FIVE)
    outcome = _score(test, _answers(test, [3] * 5))
    assert set(outcome.competence_levels) == set(FIVE)


def test_sixteen_competences_at_the_cap_all_right_make_640() -> None:
    test = generate_test(BANK, dict.fromkeys(COMPETENCE_IDS, 8), PIX, _rng())
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
    assert crashed.competence_levels["5.1"] == 0
    assert crashed.score == 8 * (3 + 4 + 2 + 5)


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
            v2_profile=profile,
        ))
        self.do(self.attempt.authorise)
        self.do(self.attempt.begin)

    def answer(self, right: bool) -> None:
        item = self.attempt.current_item
        assert item is not None
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
    assert result["score"] == 8 * sum(FIVE.values())
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
    assert (result["reproducibility_rate"], result["score"]) == (100, 8 * sum(FIVE.values()))
    assert rescore(V2, BANK, run.events) == result


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
