"""Live alerts: the candidate's "Signaler un problème", validated or dismissed."""

from __future__ import annotations

import dataclasses

import pytest

from pixdesk.engine.attempt import (
    ALERT_CATEGORIES,
    Kind,
    Phase,
    rescore,
)
from pixdesk.engine.status import EndReason
from pixdesk.engine.version import PRESETS
from pixdesk.errors import AttemptError
from tests.engine.test_attempt import BANK, Driver, comparable, replayed

PROOF = {"envelope": {"command": "validate_alert", "args": {"alert_id": "a1"}}, "signature": "c2ln"}


def running(advance_ms: int = 0) -> Driver:
    d = Driver()
    d.start()
    d.answer(right=True)
    if advance_ms:
        d.do(d.attempt.tick, advance_ms=advance_ms)
    return d


def refused(code: str, call: object, *args: object) -> None:
    with pytest.raises(AttemptError) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.code == code


def test_raising_an_alert_journals_it_open_and_the_test_goes_on() -> None:
    d = running()
    item = d.attempt.current_item
    assert item is not None
    (event,) = d.do(d.attempt.raise_alert, "image", advance_ms=5_000)
    assert event.kind is Kind.ALERT_RAISED
    assert event.payload == {"alert_id": "a1", "category": "image", "item_id": item.id}
    (alert,) = d.attempt.state.open_alerts
    assert (alert.alert_id, alert.category, alert.item_id, alert.outcome) == (
        "a1", "image", item.id, None)
    assert d.attempt.state.phase is Phase.RUNNING
    d.answer(right=True)
    assert d.attempt.state.open_alerts == (alert,)


def test_validating_replaces_the_question_and_gives_back_the_time_spent_on_it() -> None:
    d = running()
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.raise_alert, "embedded", advance_ms=30_000)
    limit = d.attempt.state.timer.limit_ms
    remaining = d.attempt.remaining_ms(d.now)
    events = d.do(d.attempt.validate_alert, "a1", advance_ms=15_000)
    assert [e.kind for e in events] == [
        Kind.ALERT_CLOSED, Kind.ITEM_NEUTRALISED, Kind.CHALLENGE_ASSIGNED]
    assert events[0].payload == {
        "alert_id": "a1", "outcome": "validated", "item_id": item.id, "time_back_ms": 45_000}
    assert d.attempt.state.timer.limit_ms == limit + 45_000
    assert d.attempt.remaining_ms(d.now) == remaining - 15_000 + 45_000
    replacement = d.attempt.current_item
    assert replacement is not None and replacement.skill != item.skill
    assert BANK.row(item.id) in d.attempt.state.excluded
    assert d.attempt.question_number == 2
    assert d.attempt.state.open_alerts == ()
    assert d.attempt.state.alerts["a1"].outcome == "validated"


def test_validation_is_neutralise_exactly_apart_from_the_alert_and_the_time() -> None:
    by_alert = running()
    by_panel = running()
    by_alert.do(by_alert.attempt.raise_alert, "link", advance_ms=10_000)
    by_panel.do(by_panel.attempt.tick, advance_ms=10_000)
    item = by_panel.attempt.current_item
    assert item is not None
    alert_events = by_alert.do(by_alert.attempt.validate_alert, "a1", advance_ms=1_000)
    panel_events = by_panel.do(by_panel.attempt.neutralise, item.id, advance_ms=1_000)
    assert alert_events[1].payload == {**panel_events[0].payload, "alert_id": "a1"}
    assert alert_events[2:] == panel_events[1:]
    for _ in range(5):
        by_alert.answer(right=True)
        by_panel.answer(right=True)
    assert by_alert.attempt.current_item == by_panel.attempt.current_item
    assert by_alert.attempt.state.theta == by_panel.attempt.state.theta


def test_an_answered_question_validated_later_leaves_the_score_with_its_time_back() -> None:
    d = running()
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.raise_alert, "other", advance_ms=2_000)
    d.answer(right=True, advance_ms=25_000)
    next_item = d.attempt.current_item
    limit = d.attempt.state.timer.limit_ms
    events = d.do(d.attempt.validate_alert, "a1", advance_ms=3_000)
    assert [e.kind for e in events] == [Kind.ALERT_CLOSED, Kind.ITEM_NEUTRALISED]
    assert events[0].payload["time_back_ms"] == 27_000
    assert d.attempt.state.timer.limit_ms == limit + 27_000
    assert d.attempt.current_item == next_item
    assert d.attempt.state.answers[-1].neutralised


def test_dismissing_keeps_the_question_and_the_time() -> None:
    d = running()
    item = d.attempt.current_item
    d.do(d.attempt.raise_alert, "image", advance_ms=5_000)
    limit = d.attempt.state.timer.limit_ms
    (event,) = d.do(
        lambda now: d.attempt.dismiss_alert("a1", now, proof=PROOF), advance_ms=1_000)
    assert event.payload == {"alert_id": "a1", "outcome": "dismissed", "proof": PROOF}
    assert d.attempt.current_item == item
    assert d.attempt.state.timer.limit_ms == limit
    assert d.attempt.state.open_alerts == ()
    (second,) = d.do(d.attempt.raise_alert, "image")
    assert second.payload["alert_id"] == "a2"


def test_the_proof_is_journaled_with_the_validation() -> None:
    d = running()
    d.do(d.attempt.raise_alert, "image")
    events = d.do(lambda now: d.attempt.validate_alert("a1", now, proof=PROOF))
    assert events[0].payload["proof"] == PROOF
    assert "proof" not in events[1].payload and events[1].payload["alert_id"] == "a1"


def test_alerts_are_closed_while_paused_or_locked() -> None:
    d = running()
    d.do(d.attempt.raise_alert, "image")
    d.do(d.attempt.pause)
    d.do(d.attempt.validate_alert, "a1")
    assert d.attempt.state.phase is Phase.PAUSED
    d.do(d.attempt.resume)
    d.do(d.attempt.raise_alert, "link")
    d.do(d.attempt.lock, "focus_lost")
    d.do(d.attempt.dismiss_alert, "a2")
    assert d.attempt.state.open_alerts == ()


@pytest.mark.parametrize("category", ["", "video", "kiosk:", "kiosk:Focus Lost", "IMAGE"])
def test_an_unknown_category_is_refused(category: str) -> None:
    d = running()
    refused("attempt.alert_bad_category", d.attempt.raise_alert, category, d.now)


def test_refusals_leave_nothing_journaled() -> None:
    d = Driver()
    d.start()
    d.do(d.attempt.pause)
    refused("attempt.invalid_state", d.attempt.raise_alert, "image", d.now)
    d.do(d.attempt.resume)
    d.do(d.attempt.raise_alert, "image")
    refused("attempt.alert_already_open", d.attempt.raise_alert, "other", d.now)
    refused("attempt.unknown_alert", d.attempt.validate_alert, "a9", d.now)
    refused("attempt.unknown_alert", d.attempt.dismiss_alert, "nope", d.now)
    d.do(d.attempt.dismiss_alert, "a1")
    refused("attempt.alert_closed", d.attempt.dismiss_alert, "a1", d.now)
    refused("attempt.alert_closed", d.attempt.validate_alert, "a1", d.now)
    d.do(d.attempt.end, EndReason.CANDIDATE)
    refused("attempt.invalid_state", d.attempt.raise_alert, "image", d.now)
    assert [e.kind for e in d.events].count(Kind.ALERT_RAISED) == 1


def test_not_before_the_test_runs() -> None:
    d = Driver()
    events = d.attempt.check_in(
        attempt_id="a1", candidate_id="c1", session_id="s1", package_id="p1",
        extra_time_percentage=0, accessible_only=False, seed=1, now=d.now)
    for event in events:
        d.attempt.apply(event, d.now)
    refused("attempt.invalid_state", d.attempt.raise_alert, "image", d.now)
    refused("attempt.invalid_state", d.attempt.dismiss_alert, "a1", d.now)


def test_a_question_neutralised_meanwhile_cannot_be_validated_but_can_be_dismissed() -> None:
    d = running()
    item = d.attempt.current_item
    assert item is not None
    d.do(d.attempt.raise_alert, "image")
    d.do(d.attempt.neutralise, item.id)
    refused("attempt.alert_item_neutralised", d.attempt.validate_alert, "a1", d.now)
    d.do(d.attempt.dismiss_alert, "a1")
    assert d.attempt.state.open_alerts == ()


def test_kiosk_alerts_are_one_per_kind_and_only_acknowledged() -> None:
    d = running()
    d.do(d.attempt.raise_alert, "image")
    (event,) = d.do(d.attempt.raise_alert, "kiosk:focus_lost")
    assert event.payload["category"] == "kiosk:focus_lost"
    refused("attempt.alert_already_open", d.attempt.raise_alert, "kiosk:focus_lost", d.now)
    d.do(d.attempt.raise_alert, "kiosk:screen_added")
    refused("attempt.alert_not_validatable", d.attempt.validate_alert, "a2", d.now)
    d.do(d.attempt.dismiss_alert, "a2")
    assert [a.alert_id for a in d.attempt.state.open_alerts] == ["a1", "a3"]


def test_open_alerts_are_none_once_ended_and_replay_rebuilds_everything() -> None:
    d = running()
    d.do(d.attempt.raise_alert, "image", advance_ms=1_000)
    d.do(d.attempt.validate_alert, "a1", advance_ms=1_000)
    d.do(d.attempt.raise_alert, "link", advance_ms=1_000)
    d.do(d.attempt.dismiss_alert, "a2", advance_ms=1_000)
    d.do(d.attempt.raise_alert, "other", advance_ms=1_000)
    rebuilt = replayed(d.events)
    assert comparable(rebuilt) == comparable(d.attempt)
    assert [a.alert_id for a in rebuilt.state.open_alerts] == ["a3"]
    while d.attempt.state.phase is not Phase.ENDED:
        d.answer(right=True)
    assert d.attempt.state.open_alerts == ()
    assert rescore(PRESETS["pix-v3"], BANK, d.events) == d.attempt.state.result


def test_a_journal_without_alerts_replays_as_before() -> None:
    d = running()
    for _ in range(3):
        d.answer(right=False)
    state = comparable(replayed(d.events))
    assert state["alerts"] == {}
    without = {k: v for k, v in state.items() if k != "alerts"}
    fields = {f.name for f in dataclasses.fields(d.attempt.state)} - {"alerts"}
    assert set(without) == fields


def test_every_candidate_category_is_accepted() -> None:
    for category in ALERT_CATEGORIES:
        d = running()
        d.do(d.attempt.raise_alert, category)
        assert d.attempt.state.open_alerts[0].category == category
