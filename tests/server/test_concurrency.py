"""Requests that race each other, on SQLite and on PostgreSQL (where writers really run side
by side): one batch sent several times at once, overlapping batches, result claims racing
the last batch, one enrolment token tried by several PCs, PCs fetching one session."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
import requests

from pixdesk.content.package import demo_content_key
from pixdesk.server import rescoring
from pixdesk.server.config import demo_package_path
from pixdesk.server.sessions import create_session, new_enrol_token
from pixdesk.session import Candidate, Session
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Device,
    Enrolled,
    Serve,
    receipt_of,
    result_row,
    stored_attempt,
)

T = TypeVar("T")
pytestmark = BOTH_DATABASES


def at_once(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, released together; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[T | None] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(a is not None for a in answers), "a request did not finish"
    return [a for a in answers if a is not None]


def test_copies_of_one_batch_sent_at_once_are_stored_once_under_one_receipt(
    enrolled: Enrolled
) -> None:
    server, attempt = enrolled.server, enrolled.attempt
    answers = at_once([enrolled.send] * 8)
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
    assert len({a.text for a in answers}) == 1
    assert server.count("events") == len(attempt.records)
    assert (server.count("attempts"), server.count("receipts"), server.count("results")) == (
        1, 1, 1)
    assert result_row(server, attempt.attempt_id)["match"]


def test_overlapping_batches_sent_at_once_chain_once_and_busy_ones_pass_on_retry(
    enrolled: Enrolled
) -> None:
    server, attempt = enrolled.server, enrolled.attempt
    total = len(attempt.records)
    lasts = [10, 20, 35, 50, total, total - 1, 5, total]
    answers = at_once([functools.partial(enrolled.send, 1, last) for last in lasts])
    for last, answer in zip(lasts, answers, strict=True):
        if answer.status_code == 503:
            assert answer.json()["error"] == "server.busy" and answer.headers["Retry-After"]
            answer = enrolled.send(1, last)
        assert receipt_of(server, answer)["acked_through_seq"] >= last
    assert stored_attempt(server, attempt.attempt_id) == {"head_seq": total}
    assert server.count("events") == total
    assert result_row(server, attempt.attempt_id)["rescored"] == attempt.result


def test_result_claims_racing_the_last_batch_end_with_the_complete_rescoring(
    enrolled: Enrolled
) -> None:
    server, attempt = enrolled.server, enrolled.attempt
    enrolled.receipt(1, 30)
    answers = at_once([functools.partial(enrolled.send, 31)]
                      + [functools.partial(enrolled.claim, attempt.result)] * 6)
    assert answers[0].status_code == 200, answers[0].text
    for answer in answers[1:]:
        assert answer.status_code == 200 or answer.json()["error"] == "attempt.not_ended"
    stored = result_row(server, attempt.attempt_id)
    assert stored["rescored"] == attempt.result and stored["match"]
    assert server.count("results") == 1


def test_an_outcome_computed_at_an_older_head_never_replaces_a_newer_one(
    enrolled: Enrolled
) -> None:
    server, attempt = enrolled.server, enrolled.attempt
    enrolled.receipt()
    late = rescoring.Outcome(None, [])
    with pytest.raises(rescoring.StaleOutcome), server.state.writing() as session:
        rescoring.record(server.state, session.connection(), attempt.attempt_id, None, late,
                         seq=30)
    assert result_row(server, attempt.attempt_id)["rescored"] == attempt.result


def test_one_enrolment_token_raced_by_several_pcs_enrols_one(serve: Serve) -> None:
    server = serve()
    token = new_enrol_token(server.state, "C1")
    pcs = [Device() for _ in range(6)]
    answers = at_once([functools.partial(pc.enrol, server, token) for pc in pcs])
    assert sorted(a.status_code for a in answers) == [201] + [409] * 5
    assert server.count("devices") == 1
    newcomer = Device()
    bodies = [newcomer.enrol_body(new_enrol_token(server.state, "C1")) for _ in range(2)]
    twice = at_once([functools.partial(requests.post, server.url + protocol.DEVICES_PATH,
                                       json=body, timeout=10) for body in bodies])
    assert sorted((a.status_code, a.json().get("error")) for a in twice) == [
        (201, None), (409, "enrol.device_exists")]
    assert server.count("devices") == 2


def test_pcs_fetching_one_session_at_once_each_find_their_key_kept(
    serve: Serve, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    document = create_session(
        server.state, package=demo_package_path(), content_key=demo_content_key(),
        centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
        candidates=(Candidate(id="c1", last_name="Durand", first_name="Zoé",
                              birth_date="2009-02-11"),),
        access_code="BKQT47", invigilator_password="K7M2-PQ4X-9TR",
    )
    session_id = Session.from_dict(document["session"]).id
    pcs = [Device() for _ in range(5)]
    for pc in pcs:
        pc.enrol(server)
    answers = at_once([functools.partial(pc.get, server, protocol.session_path(session_id))
                       for pc in pcs])
    assert [a.status_code for a in answers] == [200] * len(pcs)
    for pc, answer in zip(pcs, answers, strict=True):
        assert pc.device_id in Session.from_dict(answer.json()["session"]).sealed_content_keys
    last = pcs[0].get(server, protocol.session_path(session_id)).json()
    assert set(Session.from_dict(last["session"]).sealed_content_keys) == {
        pc.device_id for pc in pcs}
