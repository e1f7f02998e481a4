"""Ingest files an attempt only where its session allows it, judged on its signed events
(issue 13): centre, candidate list, package, version, day, and a clear ``meta`` that says
what the events say. Every refusal stores nothing, online and through an emergency import."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pixdesk.content.package import demo_content_key
from pixdesk.demo import load_demo
from pixdesk.errors import UsageError
from pixdesk.server.config import SessionFacts, demo_package_path
from pixdesk.server.ingest import import_export_file
from pixdesk.server.sessions import create_session, generate_password
from pixdesk.session import Candidate, Session
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Enrolled,
    Record,
    Serve,
    enrol_and_record,
    issue_session,
    receipt_of,
    stored_attempt,
)

TABLES = ("attempts", "events", "receipts", "results")


def pcs_copy(**changes: Any) -> Session:
    """The session as the PC holds it (its events name this), not as the server issued it."""
    return replace(load_demo().session,
                   **({"date": datetime.now(UTC).date().isoformat()} | changes))


def assert_refused(pc: Enrolled, status: int, code: str,
                   body: dict[str, Any] | None = None) -> None:
    answer = pc.device.post(pc.server, pc.events_path, body or pc.attempt.body(pc.device))
    assert (answer.status_code, answer.json()["error"]) == (status, code), answer.text
    assert [pc.server.count(table) for table in TABLES] == [0, 0, 0, 0]


@BOTH_DATABASES
def test_pc_of_another_centre_cannot_file_into_a_session(serve: Serve, record: Record) -> None:
    pc = enrol_and_record(serve(accept_demo=True), record, centre_id="C1")
    assert_refused(pc, 403, "attempt.wrong_centre")


@BOTH_DATABASES
def test_candidate_not_on_the_servers_list_is_refused(serve: Serve, record: Record) -> None:
    server = serve(accept_demo=True)
    issued = issue_session(server, id="S-LIST")
    intruder = Candidate("intrus", "Intrus", "Ilan", "2009-01-01")
    forged = pcs_copy(id=issued.id, candidates=(*issued.candidates, intruder))
    pc = enrol_and_record(server, record, session=forged, candidate=len(forged.candidates) - 1)
    assert pc.attempt.meta["candidate_id"] == "intrus"
    assert_refused(pc, 403, "attempt.unknown_candidate")


@BOTH_DATABASES
def test_session_the_server_never_issued_is_refused(serve: Serve, record: Record) -> None:
    pc = enrol_and_record(serve(accept_demo=True), record, session=pcs_copy(id="S-NOWHERE"))
    assert_refused(pc, 403, "attempt.unknown_session")


@BOTH_DATABASES
def test_package_other_than_the_sessions_is_refused(serve: Serve, record: Record) -> None:
    server = serve(accept_demo=True)
    issue_session(server, id="S-PKG", package_id="pix-2027-1")
    pc = enrol_and_record(server, record, session=pcs_copy(id="S-PKG"))
    assert pc.attempt.meta["package_id"] == load_demo().content.package_id
    assert_refused(pc, 403, "attempt.wrong_package")


@BOTH_DATABASES
def test_version_other_than_the_sessions_is_refused(serve: Serve, record: Record) -> None:
    server = serve(accept_demo=True)
    issue_session(server, id="S-V2", version_id="v2-demo")
    pc = enrol_and_record(server, record, session=pcs_copy(id="S-V2"))
    assert pc.attempt.meta["version_id"] == "v3-demo"
    assert_refused(pc, 403, "attempt.wrong_version")


@BOTH_DATABASES
def test_attempt_started_on_another_day_than_its_session_is_refused(
    serve: Serve, record: Record
) -> None:
    server = serve(accept_demo=True)
    issue_session(server, id="S-JUNE", date="2026-06-12")
    late = enrol_and_record(server, record, session=pcs_copy(id="S-JUNE", date="2026-06-12"))
    assert_refused(late, 403, "attempt.session_closed")

    issue_session(server, id="S-TODAY")
    on_time = enrol_and_record(server, record, session=pcs_copy(id="S-TODAY"))
    assert receipt_of(server, on_time.send())["acked_through_seq"] == len(
        on_time.attempt.records)


def test_a_sessions_day_holds_the_local_day_of_every_time_zone() -> None:
    facts = SessionFacts("S", "C1", "pkg", "v3", "2026-06-12", False, frozenset())

    def at(iso: str) -> int:
        return int(datetime.fromisoformat(iso).timestamp() * 1000)

    assert facts.open_at(at("2026-06-11T10:00:00+00:00"))  # 00:00 at UTC+14
    assert facts.open_at(at("2026-06-13T13:59:59+00:00"))  # 23:59 at UTC-12 (+2 h slack)
    assert not facts.open_at(at("2026-06-11T09:59:59+00:00"))
    assert not facts.open_at(at("2026-06-13T14:00:00+00:00"))
    assert not replace(facts, date="12/06/2026").open_at(at("2026-06-12T12:00:00+00:00"))
    assert replace(facts, date="2026-11-22", shipped_demo=True).open_at(at("2026-12-04T12:00:00Z"))


def test_a_session_is_issued_only_for_a_calendar_date(serve: Serve) -> None:
    server = serve()
    for wrong in ("12/06/2026", "2026-6-12", "2026-02-30"):
        with pytest.raises(UsageError) as refused:
            create_session(
                server.state, package=demo_package_path(), content_key=demo_content_key(),
                centre_id="C1", centre_name="Lycée", date=wrong, room="B12",
                candidates=load_demo().session.candidates, access_code="BKQT47",
                invigilator_password=generate_password(),
            )
        assert refused.value.code == "server.bad_date"
    assert server.count("sessions") == 0


@BOTH_DATABASES
@pytest.mark.parametrize("claim", [
    {"candidate_id": "demo-6"}, {"demo": False}, {"session_id": "S-OTHER"},
    {"package_id": "pix-2027-1"}, {"version_id": "v2-demo"},
])
def test_meta_that_contradicts_the_signed_events_is_refused(
    serve: Serve, record: Record, claim: dict[str, Any]
) -> None:
    server = serve(accept_demo=True)
    issue_session(server, id="S-OTHER")
    pc = enrol_and_record(server, record)
    assert pc.attempt.meta["candidate_id"] == "demo-1"
    lying = pc.attempt.body(pc.device) | {"meta": pc.attempt.meta | claim}
    assert_refused(pc, 422, "attempt.meta_mismatch", lying)


@BOTH_DATABASES
def test_later_batch_must_repeat_the_meta_the_attempt_was_stored_with(
    enrolled: Enrolled
) -> None:
    enrolled.receipt(1, 10)
    lying = enrolled.attempt.body(enrolled.device, 11) | {
        "meta": enrolled.attempt.meta | {"candidate_id": "demo-6"}}
    answer = enrolled.device.post(enrolled.server, enrolled.events_path, lying)
    assert (answer.status_code, answer.json()["error"]) == (422, "attempt.meta_mismatch")
    assert stored_attempt(enrolled.server, enrolled.attempt.attempt_id) == {"head_seq": 10}


@BOTH_DATABASES
def test_emergency_import_meets_the_same_checks(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    pc = enrol_and_record(serve(accept_demo=True), record, centre_id="C1")
    body = pc.attempt.body(pc.device)
    path = tmp_path / "export.json"
    path.write_text(json.dumps({
        "format": protocol.EXPORT_FORMAT, "device_id": pc.device.device_id, "created": "x",
        "batches": [{"path": pc.events_path, "body": body, "headers": pc.device.headers(
            "POST", pc.events_path, protocol.encode_body(body))}],
    }), encoding="utf-8")

    imported = import_export_file(pc.server.state, path)

    assert (imported.accepted, imported.refused) == (0, [(pc.events_path,
                                                          "attempt.wrong_centre")])
    assert [pc.server.count(table) for table in TABLES] == [0, 0, 0, 0]
