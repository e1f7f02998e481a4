"""The attempt state machine: rules of the exam, and replay = identical state."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pixdesk.engine.attempt import Attempt, Event, Kind, Phase, rescore
from pixdesk.engine.bank import Bank, Blank, BlankSolution, Item, ItemType
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.synthetic import synthetic_bank
from pixdesk.engine.timer import Instant
from pixdesk.engine.version import PRESETS, RULES, CertificationVersion, MatchingSettings
from pixdesk.errors import AttemptError

BANK = synthetic_bank(400, seed=3)
MIXED_BANK = Bank(
    dataclasses.replace(item, timer=60) if n % 3 == 0 else item for n, item in enumerate(BANK.items)
)
"""The same items, one in three timed, so timed and untimed questions mix."""
PIX = PRESETS["pix-v3"]
T0 = Instant(mono_ms=1_000, wall_ms=1_700_000_000_000)


def later(now: Instant, ms: int) -> Instant:
    return Instant(now.mono_ms + ms, now.wall_ms + ms)


class Driver:
    """Drives an attempt as the live layer does: decide, keep the events, apply."""

    def __init__(self, version: CertificationVersion = PIX, bank: Bank = BANK) -> None:
        self.attempt = Attempt(version, bank)
        self.events: list[Event] = []
        self.now = T0

    def do(self, decide: Any, *args: Any, advance_ms: int = 0) -> list[Event]:
        self.now = later(self.now, advance_ms)
        events = decide(*args, self.now)
        for event in events:
            self.attempt.apply(event, self.now)
        self.events += events
        return events

    def start(self, extra: float = 0, accessible: bool = False, seed: int = 7) -> None:
        events = self.attempt.check_in(
            attempt_id="a1", candidate_id="c1", session_id="s1", package_id="p1",
            extra_time_percentage=extra, accessible_only=accessible, seed=seed, now=self.now,
        )
        for event in events:
            self.attempt.apply(event, self.now)
        self.events += events
        self.do(self.attempt.authorise)
        self.do(self.attempt.begin)

    def answer(self, right: bool, advance_ms: int = 20_000) -> list[Event]:
        item = self.attempt.current_item
        assert item is not None
        if not self.attempt.item_started:
            self.do(self.attempt.start_timed_item)
        answer = model_answer(item) if right else wrong_answer(item)
        return self.do(self.attempt.submit, answer, advance_ms=advance_ms)


def replayed(
    events: list[Event], version: CertificationVersion = PIX, bank: Bank = BANK
) -> Attempt:
    attempt = Attempt(version, bank)
    attempt.replay(events)
    return attempt


def comparable(attempt: Attempt) -> dict[str, Any]:
    state = dataclasses.asdict(attempt.state)
    state["timer"] = (attempt.state.timer.limit_ms, attempt.state.timer.used_ms)
    return state


def test_a_full_test_serves_32_questions_then_ends_validated_or_rejected() -> None:
    d = Driver()
    d.start()
    for n in range(32):
        assert d.attempt.question_number == n + 1
        d.answer(right=n % 3 != 0)
    assert d.attempt.state.phase is Phase.ENDED
    assert d.attempt.state.end_reason is EndReason.COMPLETED
    result = d.attempt.state.result
    assert result is not None and result["answered"] == 32
    assert result["status"] in {ResultStatus.VALIDATED, ResultStatus.REJECTED}


def test_no_item_is_served_twice_and_the_first_16_cover_all_competences() -> None:
    d = Driver()
    d.start()
    for _ in range(32):
        d.answer(right=True)
    served = [e.payload["item_id"] for e in d.events if e.kind is Kind.CHALLENGE_ASSIGNED]
    assert len(served) == len(set(served))
    first16 = {BANK.item(i).competence for i in served[:16]}
    assert len(first16) == 16


def test_correct_answer_after_the_scaled_item_timer_is_timed_out() -> None:
    bank = Bank(dataclasses.replace(i, timer=60) for i in BANK.items)
    d = Driver(bank=bank)
    d.start(extra=33)
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.start_timed_item)
    d.do(d.attempt.submit, model_answer(item), advance_ms=79_000)
    assert d.attempt.state.answers[-1].status is AnswerStatus.OK
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.start_timed_item)
    d.do(d.attempt.submit, model_answer(item), advance_ms=80_500)
    assert d.attempt.state.answers[-1].status is AnswerStatus.TIMED_OUT


def test_paused_time_does_not_count_against_a_timed_question() -> None:
    bank = Bank(dataclasses.replace(i, timer=60) for i in BANK.items)
    d = Driver(bank=bank)
    d.start()
    d.do(d.attempt.start_timed_item)
    d.do(d.attempt.pause, advance_ms=30_000)
    d.do(d.attempt.resume, advance_ms=600_000)
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.submit, model_answer(item), advance_ms=20_000)
    assert d.attempt.state.answers[-1].status is AnswerStatus.OK
    assert d.attempt.state.timer.used_ms == 50_000


def test_correct_answer_after_focus_loss_on_a_focused_item_is_focused_out() -> None:
    bank = Bank(dataclasses.replace(i, focused=True) for i in BANK.items)
    d = Driver(bank=bank)
    d.start()
    d.do(d.attempt.focus_lost, advance_ms=1_000)
    d.answer(right=True)
    d.answer(right=True)
    statuses = [a.status for a in d.attempt.state.answers]
    assert statuses == [AnswerStatus.FOCUSED_OUT, AnswerStatus.OK]


def test_time_limit_is_140_minutes_with_tiers_temps_and_ends_with_time_up() -> None:
    d = Driver()
    d.start(extra=33)
    assert d.attempt.state.timer.limit_ms == 140 * 60_000
    d.answer(right=True, advance_ms=60_000)
    events = d.do(d.attempt.tick, advance_ms=140 * 60_000)
    assert events[-1].kind is Kind.ENDED and events[-1].payload["reason"] == "time_up"
    assert d.attempt.state.result is not None
    assert d.attempt.state.result["status"] == ResultStatus.REJECTED


def test_an_answer_submitted_after_time_up_is_kept_but_not_counted() -> None:
    d = Driver()
    d.start()
    item = d.attempt.current_item
    assert item is not None
    events = d.do(d.attempt.submit, model_answer(item), advance_ms=106 * 60_000)
    assert [e.kind for e in events] == [Kind.ANSWER_SUBMITTED, Kind.ENDED]
    assert events[0].payload["counted"] is False
    assert d.attempt.state.counted_answers == []


def test_neutralised_current_item_is_replaced_and_its_skill_leaves_the_pool() -> None:
    d = Driver()
    d.start()
    d.answer(right=True)
    current = d.attempt.current_item
    assert current is not None
    d.do(d.attempt.neutralise, current.id, advance_ms=1_000)
    replacement = d.attempt.current_item
    assert replacement is not None and replacement.id != current.id
    assert replacement.skill != current.skill
    assert BANK.row(current.id) in d.attempt.state.excluded
    assert d.attempt.question_number == 2


def test_neutralised_past_answer_leaves_the_score_and_one_more_question_is_asked() -> None:
    d = Driver()
    d.start()
    first = d.attempt.current_item
    assert first is not None
    for _ in range(31):
        d.answer(right=True)
    d.do(d.attempt.neutralise, first.id, advance_ms=1_000)
    assert d.attempt.question_number == 31
    d.answer(right=True)
    assert d.attempt.state.phase is Phase.RUNNING
    d.answer(right=True)
    assert d.attempt.state.phase is Phase.ENDED
    assert d.attempt.state.result is not None and d.attempt.state.result["answered"] == 32


def test_restart_pauses_a_running_attempt_and_re_serves_the_same_item() -> None:
    d = Driver()
    d.start()
    d.answer(right=True)
    current = d.attempt.current_item
    rebuilt = replayed(d.events)
    later_now = later(d.now, 3_600_000)
    restart = rebuilt.restart(3_600_000, later_now)
    for event in restart:
        rebuilt.apply(event, later_now)
    assert rebuilt.state.phase is Phase.PAUSED
    assert rebuilt.current_item == current
    assert rebuilt.state.timer.used_ms == d.attempt.state.timer.used_ms


def test_lock_stops_the_clock_and_unlock_returns_to_the_question() -> None:
    d = Driver()
    d.start()
    d.do(d.attempt.lock, "focus_lost", advance_ms=10_000)
    assert d.attempt.state.phase is Phase.LOCKED
    with pytest.raises(AttemptError):
        d.answer(right=True)
    d.do(d.attempt.unlock, advance_ms=300_000)
    assert d.attempt.state.phase is Phase.RUNNING
    assert d.attempt.state.timer.used_ms == 10_000


@pytest.mark.parametrize("jump_ms", [2 * 3_600_000, -2 * 3_600_000])
def test_wall_clock_jump_is_logged_and_changes_no_remaining_time(jump_ms: int) -> None:
    d = Driver()
    d.start()
    before = d.attempt.remaining_ms(d.now)
    jumped = Instant(d.now.mono_ms + 1_000, d.now.wall_ms + jump_ms)
    events = d.attempt.tick(jumped)
    assert [e.kind for e in events] == [Kind.CLOCK_ANOMALY]
    assert d.attempt.remaining_ms(jumped) == before - 1_000


def test_candidate_stop_with_25_answers_is_scored_with_the_missing_as_failures() -> None:
    d = Driver()
    d.start()
    for _ in range(25):
        d.answer(right=True)
    d.do(d.attempt.end, EndReason.CANDIDATE, advance_ms=1_000)
    stopped = d.attempt.state.result
    full = Driver()
    full.start()
    for _ in range(25):
        full.answer(right=True)
    full.do(full.attempt.end, EndReason.TECHNICAL, advance_ms=1_000)
    assert stopped is not None and full.attempt.state.result is not None
    assert stopped["score"] < full.attempt.state.result["score"]


def test_accessible_candidate_gets_only_accessible_items() -> None:
    d = Driver()
    d.start(accessible=True)
    for _ in range(32):
        d.answer(right=False)
    served = [e.payload["item_id"] for e in d.events if e.kind is Kind.CHALLENGE_ASSIGNED]
    assert all(BANK.item(i).accessible for i in served)


def test_intents_refused_in_the_wrong_phase_record_nothing() -> None:
    d = Driver()
    with pytest.raises(AttemptError):
        d.attempt.begin(d.now)
    d.start()
    with pytest.raises(AttemptError):
        d.attempt.resume(d.now)
    assert d.events[-1].kind is Kind.CHALLENGE_ASSIGNED


INTENTS = st.sampled_from(
    ["right", "wrong", "skip", "pause", "resume", "lock", "unlock", "focus", "neutralise",
     "extend", "tick", "incident", "security", "restart", "end", "start", "timeout"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(INTENTS, st.integers(0, 400_000)), max_size=60), st.integers(0, 9))
def test_replaying_the_events_rebuilds_the_identical_state(
    steps: list[tuple[str, int]], seed: int
) -> None:
    d = Driver(bank=MIXED_BANK)
    d.start(seed=seed, extra=33 if seed % 2 else 0)
    a = d.attempt
    for intent, advance in steps:
        item = a.current_item
        actions: dict[str, Any] = {
            "right": (a.submit, model_answer(item)) if item else None,
            "wrong": (a.submit, wrong_answer(item)) if item else None,
            "skip": (a.skip,),
            "pause": (a.pause,),
            "resume": (a.resume,),
            "lock": (a.lock, "focus_lost"),
            "unlock": (a.unlock,),
            "focus": (a.focus_lost,),
            "neutralise": (a.neutralise, item.id) if item else None,
            "extend": (a.extend_time, 10),
            "tick": (a.tick,),
            "incident": (a.report_incident, "E9", "page lente"),
            "security": (a.security_event, "lockdown_key_blocked", {"chord": "Alt+Tab"}),
            "restart": (a.restart, advance),
            "end": (a.end, EndReason.INVIGILATOR),
            "start": (a.start_timed_item,),
            "timeout": (a.time_out, None),
        }
        action = actions[intent]
        if action is None:
            continue
        try:
            d.do(*action, advance_ms=advance)
        except AttemptError:
            continue
    assert comparable(replayed(d.events, bank=MIXED_BANK)) == comparable(a)


# --- rule versions (issue #17) ---------------------------------------------------------------

RECORDED = json.loads(
    (Path(__file__).parent / "data" / "rules1_attempts.json").read_text(encoding="utf-8")
)
"""Two attempts (pix-v3, pix-v2) journalled by the engine before rules 2 existed (commit
26fa4c2), on ``synthetic_bank(400, seed=17)``, with the result it computed then."""
RECORDED_BANK = synthetic_bank(400, seed=17)


def _recorded_events(record: dict[str, Any]) -> list[Event]:
    return [Event(Kind(e["kind"]), e["payload"], e["used_ms"], e["wall_ms"])
            for e in record["events"]]


def _with_rules(events: list[Event], rules: object) -> list[Event]:
    started = events[0]
    return [dataclasses.replace(started, payload={**started.payload, "rules": rules}),
            *events[1:]]


@pytest.mark.parametrize("record", RECORDED, ids=[r["version"] for r in RECORDED])
def test_an_attempt_recorded_before_rules_2_rescores_to_its_recorded_result(
    record: dict[str, Any],
) -> None:
    events = _recorded_events(record)
    assert "rules" not in events[0].payload
    assert rescore(PRESETS[record["version"]], RECORDED_BANK, events) == record["result"]


def test_the_recorded_attempts_would_score_differently_under_rules_2() -> None:
    """What the rule version protects: the same v3 answers report Pix's error rate under
    rules 2; the v2 test recorded no profile Pix, which rules 2 cannot score without."""
    v3, v2 = RECORDED
    now = rescore(PIX, RECORDED_BANK, _with_rules(_recorded_events(v3), 2))
    assert {k: v for k, v in now.items() if k != "sd"} == {
        k: v for k, v in v3["result"].items() if k != "sd"}
    assert now["sd"] != v3["result"]["sd"]
    forced = rescore(PRESETS["pix-v2"], RECORDED_BANK, _with_rules(_recorded_events(v2), 2))
    assert forced["status"] == "error"
    assert forced["error"]["code"] == "attempt.v2_no_pix_score"


def test_a_new_attempt_records_the_current_rules_and_replays_under_them() -> None:
    driver = Driver()
    driver.start()
    assert RULES == 2 and driver.events[0].payload["rules"] == 2
    while driver.attempt.state.phase is Phase.RUNNING:
        driver.answer(right=driver.attempt.question_number % 3 != 0)
    result = driver.attempt.state.result
    assert result is not None
    assert rescore(PIX, BANK, driver.events) == result


@pytest.mark.parametrize("rules", [3, 0, "2", True, None])
def test_an_attempt_under_rules_this_engine_does_not_know_is_refused(rules: object) -> None:
    driver = Driver()
    driver.start()
    replayed = Attempt(PIX, BANK)
    with pytest.raises(AttemptError) as caught:
        replayed.replay(_with_rules(driver.events, rules))
    assert caught.value.code == "attempt.unknown_rules"


def test_the_reported_error_is_pix_s_five_before_any_answer() -> None:
    driver = Driver()
    driver.start()
    assert driver.attempt.state.sd == 5.0


def test_answers_are_checked_with_the_version_s_matching_settings() -> None:
    """A QROC "cœur": "coeur" is wrong under Pix's rules, right when the version folds
    letters, and right in an attempt started under rules 1."""
    hearts = Bank([
        Item(id=f"heart-{cid}", competence=cid, tube=f"@h{cid}", skill=f"@h{cid}1", level=1,
             type=ItemType.QROC, prompt="?", solution=BlankSolution({"r": ("cœur",)}),
             discriminant=1.0, difficulty=0.0, blanks=(Blank("r", "R"),))
        for cid in COMPETENCE_IDS
    ])
    folding = dataclasses.replace(PIX, matching=MatchingSettings(fold_letters=True))

    def status_of_coeur(version: CertificationVersion, rules: int = RULES) -> str:
        attempt = Attempt(version, hearts)
        now = T0
        started = attempt.check_in(
            attempt_id="a1", candidate_id="c1", session_id="s1", package_id="p1",
            extra_time_percentage=0, accessible_only=False, seed=1, now=now)
        for decide in (lambda: _with_rules(started, rules), lambda: attempt.authorise(now),
                       lambda: attempt.begin(now)):
            for event in decide():
                attempt.apply(event, now)
        submitted = attempt.submit("coeur", later(now, 5_000))[0]
        return str(submitted.payload["status"])

    assert status_of_coeur(PIX) == "ko"
    assert status_of_coeur(folding) == "ok"
    assert status_of_coeur(PIX, rules=1) == "ok"


def test_a_timed_question_at_zero_ends_itself_timed_out_keeping_the_draft() -> None:
    bank = Bank(dataclasses.replace(i, timer=60) for i in BANK.items)
    d = Driver(bank=bank)
    d.start()
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.start_timed_item, advance_ms=600_000)
    with pytest.raises(AttemptError) as refused:
        d.do(d.attempt.time_out, None, advance_ms=59_000)
    assert refused.value.code == "attempt.item_time_left"
    draft = model_answer(item)
    events = d.do(d.attempt.time_out, draft, advance_ms=1_000)
    assert events[0].kind is Kind.ANSWER_SUBMITTED
    assert events[0].payload["status"] == "timedout"
    assert events[0].payload["counted"] is True
    assert d.attempt.state.answers[-1].status is AnswerStatus.TIMED_OUT
    assert d.attempt.current_item is not None and d.attempt.current_item.id != item.id
    assert comparable(replayed(d.events)) == comparable(d.attempt)


def test_time_out_is_refused_on_a_question_without_a_timer() -> None:
    d = Driver()
    d.start()
    with pytest.raises(AttemptError) as refused:
        d.do(d.attempt.time_out, None, advance_ms=3_600_000)
    assert refused.value.code == "attempt.item_time_left"


# --- timed questions start on the candidate's signal (issue #16) ---------------------------


def test_a_timed_question_cannot_be_answered_or_skipped_before_it_is_started() -> None:
    bank = Bank(dataclasses.replace(i, timer=60) for i in BANK.items)
    d = Driver(bank=bank)
    d.start()
    item = d.attempt.current_item
    assert item is not None
    for decide, args in ((d.attempt.submit, (model_answer(item),)), (d.attempt.skip, ())):
        with pytest.raises(AttemptError) as refused:
            d.do(decide, *args, advance_ms=1_000)
        assert refused.value.code == "attempt.item_not_started"
    assert d.events[-1].kind is Kind.CHALLENGE_ASSIGNED


def test_a_timed_questions_own_clock_counts_from_its_start_not_from_its_serving() -> None:
    bank = Bank(dataclasses.replace(i, timer=60) for i in BANK.items)
    d = Driver(bank=bank)
    d.start()
    d.now = later(d.now, 300_000)
    assert d.attempt.item_remaining_ms(d.now) == 60_000
    d.do(d.attempt.start_timed_item)
    assert d.attempt.remaining_ms(d.now) == d.attempt.state.timer.limit_ms - 300_000
    d.now = later(d.now, 59_000)
    assert d.attempt.item_remaining_ms(d.now) == 1_000
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.submit, model_answer(item))
    assert d.attempt.state.answers[-1].status is AnswerStatus.OK
    assert d.attempt.state.answers[-1].time_spent_ms == 359_000
    assert comparable(replayed(d.events, bank=bank)) == comparable(d.attempt)


def test_starting_an_untimed_or_already_started_question_is_refused() -> None:
    d = Driver()
    d.start()
    with pytest.raises(AttemptError) as refused:
        d.do(d.attempt.start_timed_item)
    assert refused.value.code == "attempt.item_not_timed"
    timed = Driver(bank=Bank(dataclasses.replace(i, timer=60) for i in BANK.items))
    timed.start()
    timed.do(timed.attempt.start_timed_item)
    with pytest.raises(AttemptError) as refused:
        timed.do(timed.attempt.start_timed_item)
    assert refused.value.code == "attempt.item_already_started"


def test_a_journal_without_timed_item_started_replays_and_rescores_as_written() -> None:
    """Attempts journalled before issue #16 have no start event: they keep their result."""
    bank = Bank(dataclasses.replace(i, timer=60) for i in BANK.items)
    d = Driver(bank=bank)
    d.start()
    for n in range(5):
        d.answer(right=n % 2 == 0, advance_ms=70_000 if n == 2 else 20_000)
    d.do(d.attempt.end, EndReason.INVIGILATOR)
    old_style = [e for e in d.events if e.kind is not Kind.TIMED_ITEM_STARTED]
    attempt = replayed(old_style, bank=bank)
    assert attempt.state.answers == d.attempt.state.answers
    assert attempt.state.answers[2].status is AnswerStatus.TIMED_OUT
    assert rescore(PIX, bank, old_style) == rescore(PIX, bank, d.events) == d.attempt.state.result


# --- room console proofs (issue #15) ---------------------------------------------------------

PROOF = {"envelope": {"v": 1, "command": "add_time", "nonce": "ab"}, "signature": "c2ln"}
"""The engine keeps a proof as received: its checking is the room's and the server's."""


def _invigilate(d: Driver, proof: dict[str, Any] | None) -> None:
    """Every invigilator action once, each with ``proof`` (None: as typed at the PC)."""
    p = {} if proof is None else {"proof": proof}
    d.answer(True)
    d.do(lambda now: d.attempt.pause(now, **p), advance_ms=1_000)
    d.do(lambda now: d.attempt.resume(now, **p), advance_ms=1_000)
    d.do(lambda now: d.attempt.extend_time(10, now, **p))
    d.do(lambda now: d.attempt.report_incident("E9", "page lente", now, **p))
    d.do(d.attempt.lock, "focus_lost")
    d.do(lambda now: d.attempt.unlock(now, **p))
    item = d.attempt.current_item
    assert item is not None
    d.do(lambda now: d.attempt.neutralise(item.id, now, **p))
    d.answer(False)
    d.do(lambda now: d.attempt.end(EndReason.INVIGILATOR, now, fraud=True, **p))


INVIGILATOR_KINDS = {Kind.AUTHORISED, Kind.PAUSED, Kind.RESUMED, Kind.TIME_EXTENDED,
                     Kind.INCIDENT_REPORTED, Kind.UNLOCKED, Kind.ITEM_NEUTRALISED, Kind.ENDED}


def test_invigilator_actions_without_a_proof_journal_the_payloads_they_always_did() -> None:
    d = Driver()
    d.start()
    _invigilate(d, None)
    payloads = {e.kind: dict(e.payload) for e in d.events if e.kind in INVIGILATOR_KINDS}
    assert all("proof" not in p for p in payloads.values())
    assert payloads[Kind.AUTHORISED] == payloads[Kind.PAUSED] == payloads[Kind.UNLOCKED] == {}
    assert payloads[Kind.TIME_EXTENDED] == {"minutes": 10}
    assert payloads[Kind.INCIDENT_REPORTED] == {"category": "E9", "text": "page lente"}
    assert set(payloads[Kind.ITEM_NEUTRALISED]) == {"item_id"}
    assert set(payloads[Kind.ENDED]) == {"reason", "fraud", "result"}


def test_a_proof_rides_in_the_invigilator_events_and_changes_nothing_else() -> None:
    plain, proven = Driver(), Driver()
    for d, proof in ((plain, None), (proven, PROOF)):
        d.start(seed=4)
        _invigilate(d, proof)
    assert [e.kind for e in proven.events] == [e.kind for e in plain.events]
    for bare, carrying in zip(plain.events, proven.events, strict=True):
        if carrying.kind in INVIGILATOR_KINDS - {Kind.AUTHORISED}:
            assert carrying.payload["proof"] == PROOF
            assert {k: v for k, v in carrying.payload.items() if k != "proof"} == bare.payload
        else:
            assert carrying.payload == bare.payload
    assert comparable(replayed(proven.events)) == comparable(proven.attempt)
    assert comparable(proven.attempt) == comparable(plain.attempt)
    assert rescore(PIX, BANK, proven.events) == rescore(PIX, BANK, plain.events)


def test_the_lock_reason_is_kept_while_locked_and_replayed() -> None:
    d = Driver()
    d.start()
    d.do(d.attempt.lock, "screen_added")
    assert d.attempt.state.lock_reason == "screen_added"
    assert replayed(d.events).state.lock_reason == "screen_added"
    d.do(d.attempt.unlock)
    assert d.attempt.state.lock_reason == "" == replayed(d.events).state.lock_reason
