"""The server holds every extra time and neutralisation to the proof of the invigilator
command that caused it (``pixdesk.server.proofs``): attempts recorded by the real client
(``LiveAttempt``, ``pixdesk.roomlink``, the room's ``CommandGate``) and filed through the real
ingest path; a missing or forged proof sends the result to review, never to publication."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.demo import load_demo
from pixdesk.errors import EXIT_OK
from pixdesk.exam import LiveAttempt
from pixdesk.room import commands as rc
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomTrust, new_room_trust, unlock_command_key
from pixdesk.roomlink import apply_command, panel_proof
from pixdesk.server import cli, review
from pixdesk.server.proofs import UNCHECKED, UNPROVEN
from pixdesk.server.publication import publication
from pixdesk.session import Session
from tests.server.conftest import (
    BOTH_DATABASES,
    Device,
    Enrolled,
    Record,
    RunningServer,
    Serve,
    finalised,
    issue_session,
)
from tests.server.test_review import cli_db

PASSWORD = "K7M2-PQ4X-9TR"
ROOM = "S-ROOM"


@functools.cache
def room_trust() -> tuple[dict[str, Any], Ed25519PrivateKey]:
    """The session's ``room_console`` field and its unlocked key, drawn once (scrypt)."""
    trust = new_room_trust(ROOM, PASSWORD, {})
    key = unlock_command_key(Session.from_dict(
        {"id": ROOM, "centre_id": "", "centre_name": "", "date": "", "room": "",
         "access_code_hash": "", "invigilator_password_hash": "", "version_id": "",
         "package_id": "", "candidates": [], "room_console": trust}), PASSWORD)
    return trust, key


def now_ms() -> int:
    return time.time_ns() // 1_000_000


Act = Callable[[LiveAttempt, Device, Session, Ed25519PrivateKey], object]


def filed(server: RunningServer, record: Record, act: Act, *, keyed: bool = True) -> Enrolled:
    """A PC of the room session (or, not ``keyed``, of the shipped demo session, which has
    no command key) whose candidate gets ``act`` before the first answer; the attempt is
    sent to the server."""
    device = Device(centre_id="DEMO")
    device.enrol(server)
    trust, key = room_trust()
    session = issue_session(server, id=ROOM, room_console=trust) if keyed else (
        load_demo().session)
    recorded = record(server, session=session,
                      during=lambda live: act(live, device, session, key))
    pc = Enrolled(server, device, recorded)
    pc.receipt()
    return pc


def signed(key: Ed25519PrivateKey, device: Device, command: str, args: dict[str, Any],
           *, target: str | None = None, session_id: str = ROOM) -> dict[str, Any]:
    return rc.sign_command(key, session_id=session_id,
                           target=target or rc.device_target(device.device_id),
                           command=command, args=args, counter=now_ms() * 1000,
                           issued_ms=now_ms())


def current_item(live: LiveAttempt) -> str:
    item = live.attempt.current_item
    assert item is not None
    return item.id


def attempt_of(server: RunningServer, pc: Enrolled) -> review.Attempt:
    found = review.load_attempt(server.state, pc.attempt.attempt_id)
    assert found is not None
    return found


@pytest.fixture
def server(serve: Serve) -> RunningServer:
    return serve(accept_demo=True)


@BOTH_DATABASES
def test_console_and_panel_commands_with_their_proofs_are_published(
    server: RunningServer, record: Record, tmp_path: Path
) -> None:
    def act(live: LiveAttempt, device: Device, session: Session,
            key: Ed25519PrivateKey) -> None:
        ledger = CommandLedger(tmp_path)
        gate = CommandGate(RoomTrust.from_session(session), device.device_id, ledger)
        candidate = str(live.attempt.state.facts["candidate_id"])
        console = signed(key, device, rc.ADD_TIME, {"minutes": 10}, target=rc.ALL)
        apply_command(live, gate.admit(console, candidate, now_ms()))
        item = current_item(live)
        proof = panel_proof(session, PASSWORD, ledger, device.device_id, candidate,
                            rc.NEUTRALISE, {"item_id": item}, now_ms())
        live.act(lambda now: live.attempt.neutralise(item, now, proof=proof))

    pc = filed(server, record, act)
    finalised(server, ROOM)
    assert attempt_of(server, pc).reasons == [] and attempt_of(server, pc).notes == []
    assert [a.attempt_id for a in publication(server.state, ROOM).published] == [
        pc.attempt.attempt_id]


@pytest.mark.parametrize(("forgery", "why"), [
    ("missing", "room.no_proof"),
    ("wrong_key", "room.bad_signature"),
    ("altered_minutes", "room.proof_mismatch"),
    ("other_candidate", "room.wrong_target"),
    ("other_session", "room.wrong_session"),
    ("replayed", "room.replay"),
])
def test_an_extra_time_without_a_valid_proof_goes_to_review_not_publication(
    server: RunningServer, record: Record, forgery: str, why: str
) -> None:
    def act(live: LiveAttempt, device: Device, session: Session,
            key: Ed25519PrivateKey) -> None:
        proofs: dict[str, Any] = {
            "missing": None,
            "wrong_key": signed(crypto.new_signing_key(), device, rc.ADD_TIME, {"minutes": 30}),
            "altered_minutes": signed(key, device, rc.ADD_TIME, {"minutes": 5}),
            "other_candidate": signed(key, device, rc.ADD_TIME, {"minutes": 30},
                                      target=rc.candidate_target("someone-else")),
            "other_session": signed(key, device, rc.ADD_TIME, {"minutes": 30},
                                    session_id="S-OTHER"),
            "replayed": signed(key, device, rc.ADD_TIME, {"minutes": 30}),
        }
        proof = proofs[forgery]
        if forgery == "replayed":
            live.act(lambda now: live.attempt.extend_time(30, now, proof=proof))
        live.act(lambda now: live.attempt.extend_time(30, now, proof=proof))

    pc = filed(server, record, act)
    finalised(server, ROOM)
    reasons = attempt_of(server, pc).reasons
    assert len(reasons) == 1
    assert reasons[0].startswith(f"{UNPROVEN}:time_extended@") and reasons[0].endswith(why)
    withheld = publication(server.state, ROOM).withheld
    assert [(w.attempt_id, w.reason) for w in withheld] == [(pc.attempt.attempt_id, reasons[0])]


def test_a_neutralisation_proven_for_another_question_goes_to_review(
    server: RunningServer, record: Record
) -> None:
    def act(live: LiveAttempt, device: Device, session: Session,
            key: Ed25519PrivateKey) -> None:
        item = current_item(live)
        proof = signed(key, device, rc.NEUTRALISE, {"item_id": item + "-other"})
        live.act(lambda now: live.attempt.neutralise(item, now, proof=proof))

    pc = filed(server, record, act)
    [reason] = attempt_of(server, pc).reasons
    assert reason.startswith(f"{UNPROVEN}:item_neutralised@")
    assert reason.endswith("room.proof_mismatch")
    assert pc.attempt.attempt_id in {a.attempt_id for a in review.to_review(server.state)}


def test_a_session_without_a_command_key_keeps_its_results_and_notes_the_unchecked(
    server: RunningServer, record: Record, capsys: pytest.CaptureFixture[str]
) -> None:
    def act(live: LiveAttempt, device: Device, session: Session,
            key: Ed25519PrivateKey) -> None:
        live.act(lambda now: live.attempt.extend_time(10, now))

    pc = filed(server, record, act, keyed=False)
    finalised(server)
    attempt = attempt_of(server, pc)
    assert attempt.reasons == []
    assert attempt.notes == [f"{UNCHECKED}:time_extended×1"]
    assert [a.attempt_id for a in publication(server.state, "DEMO-0001").published] == [
        pc.attempt.attempt_id]
    review.decide(server.state, pc.attempt.attempt_id, "accept", "vu", "M. Leroy")
    capsys.readouterr()
    assert cli.main(["review", "--all", "--accept-demo", *cli_db(server)]) == EXIT_OK
    assert f"(note) {UNCHECKED}:time_extended×1" in capsys.readouterr().out


def test_a_live_alert_validated_by_the_console_and_one_dismissed_are_published(
    server: RunningServer, record: Record, tmp_path: Path
) -> None:
    def act(live: LiveAttempt, device: Device, session: Session,
            key: Ed25519PrivateKey) -> None:
        gate = CommandGate(RoomTrust.from_session(session), device.device_id,
                           CommandLedger(tmp_path))
        candidate = str(live.attempt.state.facts["candidate_id"])
        live.act(lambda now: live.attempt.raise_alert("image", now))
        console = signed(key, device, rc.VALIDATE_ALERT, {"alert_id": "a1"})
        apply_command(live, gate.admit(console, candidate, now_ms()))
        live.act(lambda now: live.attempt.raise_alert("link", now))
        live.act(lambda now: live.attempt.dismiss_alert("a2", now))

    pc = filed(server, record, act)
    finalised(server, ROOM)
    assert attempt_of(server, pc).reasons == [] and attempt_of(server, pc).notes == []
    assert [a.attempt_id for a in publication(server.state, ROOM).published] == [
        pc.attempt.attempt_id]


@pytest.mark.parametrize("forgery", ["unproven", "other_alert"])
def test_a_validation_without_its_proof_goes_to_review_with_its_neutralisation(
    server: RunningServer, record: Record, forgery: str
) -> None:
    def act(live: LiveAttempt, device: Device, session: Session,
            key: Ed25519PrivateKey) -> None:
        live.act(lambda now: live.attempt.raise_alert("embedded", now))
        proof = None if forgery == "unproven" else signed(
            key, device, rc.VALIDATE_ALERT, {"alert_id": "a7"})
        live.act(lambda now: live.attempt.validate_alert("a1", now, proof=proof))

    pc = filed(server, record, act)
    reasons = attempt_of(server, pc).reasons
    why = "room.no_proof" if forgery == "unproven" else "room.proof_mismatch"
    assert [r.split("@")[0] for r in reasons] == [
        f"{UNPROVEN}:alert_closed", f"{UNPROVEN}:item_neutralised"]
    assert reasons[0].endswith(why) and reasons[1].endswith("room.no_proof")
