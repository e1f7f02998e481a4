"""The exam PC's room link without Qt: console commands through the real gate applied to a
real ``LiveAttempt`` on a real journal file, each journaled with its proof; the PC's panel
signing its own actions; the status the console shows."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.bundle import ExamBundle
from pixdesk.demo import load_demo
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer
from pixdesk.errors import AttemptError
from pixdesk.exam import LiveAttempt
from pixdesk.room import commands as rc
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomError, RoomTrust, new_room_trust, unlock_command_key
from pixdesk.room.status import CONTEXT as STATUS_CONTEXT
from pixdesk.room.status import PcState, Status, open_status, sign_status
from pixdesk.roomlink import apply_command, panel_proof, pc_state
from pixdesk.session import Session
from pixdesk.store.journal import Journal

PASSWORD = "K7M2-PQ4X-9TR"
DEVICE = "pc-07"


@dataclass
class Room:
    bundle: ExamBundle
    session: Session
    key: Ed25519PrivateKey
    device_key: Ed25519PrivateKey


@pytest.fixture(scope="module")
def room() -> Room:
    """The demo session as the server issues it now: with a sealed command key (scrypt
    twice for the whole module)."""
    bundle = load_demo()
    device_key = crypto.new_signing_key()
    session = replace(bundle.session, room_console=new_room_trust(
        bundle.session.id, PASSWORD, {DEVICE: crypto.public_key_bytes(device_key)}))
    return Room(bundle, session, unlock_command_key(session, PASSWORD), device_key)


@dataclass
class Pc:
    room: Room
    journal: Journal
    live: LiveAttempt
    ledger: CommandLedger
    gate: CommandGate
    counter: int = 0

    @property
    def candidate_id(self) -> str:
        return str(self.live.attempt.state.facts["candidate_id"])

    def command(self, command: str, args: Mapping[str, Any] | None = None,
                target: str = rc.ALL) -> rc.Command:
        """A console command signed now, through this PC's gate."""
        now_ms = time.time_ns() // 1_000_000
        self.counter = max(self.counter + 1, now_ms * 1000)
        proof = rc.sign_command(self.room.key, session_id=self.room.session.id, target=target,
                                command=command, args=args or {}, counter=self.counter,
                                issued_ms=now_ms)
        return self.gate.admit(proof, self.candidate_id, now_ms)

    def apply(self, command: str, args: Mapping[str, Any] | None = None) -> list[Any]:
        return apply_command(self.live, self.command(command, args))

    def kinds(self) -> list[str]:
        return [e.kind for e in self.journal.events(self.live.attempt_id)]


@pytest.fixture
def pc(room: Room, tmp_path: Path) -> Iterator[Pc]:
    """A PC with a candidate checked in (not yet authorised)."""
    with Journal.open(tmp_path, demo=True) as journal:
        live = LiveAttempt.check_in(journal, room.bundle.content, room.session,
                                    room.session.candidates[0], attempt_id="att-1", seed=3)
        ledger = CommandLedger(tmp_path)
        gate = CommandGate(RoomTrust.from_session(room.session), DEVICE, ledger)
        yield Pc(room, journal, live, ledger, gate)


def answer(live: LiveAttempt) -> None:
    item = live.attempt.current_item
    assert item is not None
    if not live.attempt.item_started:
        live.act(live.attempt.start_timed_item)
    live.act(functools.partial(live.attempt.submit, model_answer(item)))


def last_payload(pc: Pc, kind: str) -> Mapping[str, Any]:
    return [e.payload for e in pc.journal.events(pc.live.attempt_id) if e.kind == kind][-1]


def test_each_console_command_is_the_panels_action_journaled_with_its_proof(pc: Pc) -> None:
    command = pc.command(rc.AUTHORISE_START)
    stored = apply_command(pc.live, command)
    assert [e.kind for e in stored] == ["authorised"]
    assert stored[0].payload == {"proof": dict(command.proof)}
    pc.live.act(pc.live.attempt.begin)
    answer(pc.live)
    steps: list[tuple[str, dict[str, Any], str]] = [
        (rc.PAUSE, {}, "paused"),
        (rc.RESUME, {}, "resumed"),
        (rc.ADD_TIME, {"minutes": 10}, "time_extended"),
        (rc.RECORD_INCIDENT, {"code": "E9", "text": "Page figée"}, "incident_reported"),
    ]
    for name, args, kind in steps:
        command = pc.command(name, args)
        assert [e.kind for e in apply_command(pc.live, command)] == [kind]
        assert last_payload(pc, kind)["proof"] == command.proof
    assert last_payload(pc, "time_extended")["minutes"] == 10
    assert last_payload(pc, "incident_reported")["category"] == "E9"
    pc.live.act(lambda now: pc.live.attempt.lock("focus_lost", now))
    pc.apply(rc.AUTHORISE_RESUME)
    assert pc.live.phase is Phase.RUNNING and "proof" in last_payload(pc, "unlocked")
    current = pc.live.attempt.current_item
    assert current is not None
    stored = pc.apply(rc.NEUTRALISE, {"item_id": current.id})
    assert stored[0].kind == "item_neutralised" and stored[1].kind == "challenge_assigned"
    assert stored[0].payload["item_id"] == current.id and "proof" in stored[0].payload
    assert "proof" not in stored[1].payload
    stored = pc.apply(rc.END_TEST, {"fraud": True})
    assert [e.kind for e in stored] == ["ended"]
    assert stored[0].payload["reason"] == "invigilator" and stored[0].payload["fraud"] is True
    assert "proof" in stored[0].payload
    assert pc_state(pc.live, pc.live.clock.now()).state == "ended_by_invigilator"


def test_a_command_the_phase_forbids_is_refused_and_nothing_is_journaled(pc: Pc) -> None:
    before = pc.kinds()
    for name in (rc.PAUSE, rc.RESUME, rc.AUTHORISE_RESUME):
        with pytest.raises(AttemptError) as refused:
            pc.apply(name)
        assert refused.value.code == "attempt.invalid_state"
    pc.apply(rc.AUTHORISE_START)
    with pytest.raises(AttemptError):
        pc.apply(rc.AUTHORISE_START)
    assert pc.kinds() == [*before, "authorised"]


def test_neutralise_names_the_question_on_screen_or_is_refused(pc: Pc) -> None:
    pc.apply(rc.AUTHORISE_START)
    pc.live.act(pc.live.attempt.begin)
    first = pc.live.attempt.current_item
    assert first is not None
    answer(pc.live)
    before = pc.kinds()
    with pytest.raises(RoomError) as refused:
        pc.apply(rc.NEUTRALISE, {"item_id": first.id})
    assert refused.value.code == "room.not_current_item"
    assert pc.kinds() == before


def test_pc_state_shows_what_the_console_lists(pc: Pc) -> None:
    assert pc_state(None, pc.live.clock.now(), unsynced=True) == PcState(unsynced=True)
    checked_in = pc_state(pc.live, pc.live.clock.now())
    assert checked_in.state == "checked_in" and checked_in.remaining_ms is None
    assert checked_in.candidate_id == pc.room.session.candidates[0].id
    pc.apply(rc.AUTHORISE_START)
    pc.live.act(pc.live.attempt.begin)
    answer(pc.live)
    pc.apply(rc.ADD_TIME, {"minutes": 5})
    state = pc_state(pc.live, pc.live.clock.now())
    current = pc.live.attempt.current_item
    assert current is not None
    assert (state.state, state.answered, state.added_minutes, state.item_id) == (
        "running", 1, 5, current.id)
    assert state.total == pc.live.attempt.test_length
    limit = int(pc.live.attempt.state.facts["limit_ms"])
    assert state.remaining_ms is not None and limit < state.remaining_ms <= limit + 5 * 60_000
    pc.live.act(lambda now: pc.live.attempt.lock("screen_added", now))
    locked = pc_state(pc.live, pc.live.clock.now())
    assert (locked.state, locked.lock_reason, locked.item_id) == (
        "locked", "screen_added", current.id)


def resigned(key: Ed25519PrivateKey, message: dict[str, Any]) -> dict[str, Any]:
    """A status whose body was edited, signed again by its PC."""
    body = crypto.canonical_json(message["status"])
    return message | {"signature": crypto.b64e(crypto.sign(key, STATUS_CONTEXT + body))}


def test_a_status_with_unsynced_round_trips_and_an_older_one_still_opens(room: Room) -> None:
    trust = RoomTrust.from_session(room.session)
    status = Status(room.session.id, DEVICE, 1, 1_000, 0,
                    PcState(state="finished", candidate_id="c", unsynced=True))
    assert open_status(sign_status(room.device_key, status), trust) == status
    old = sign_status(room.device_key, replace(status, pc=PcState(state="running")))
    del old["status"]["pc"]["unsynced"]
    assert open_status(resigned(room.device_key, old), trust).pc.unsynced is False
    odd = sign_status(room.device_key, status)
    odd["status"]["pc"]["unsynced"] = "yes"
    with pytest.raises(RoomError) as refused:
        open_status(resigned(room.device_key, odd), trust)
    assert refused.value.code == "room.malformed"


def test_panel_proof_signs_a_proof_the_server_accepts_and_grows_the_ledger(pc: Pc) -> None:
    now_ms = time.time_ns() // 1_000_000
    before = pc.ledger.highest(pc.room.session.id)
    proof = panel_proof(pc.room.session, PASSWORD, pc.ledger, DEVICE, pc.candidate_id,
                        rc.ADD_TIME, {"minutes": 7}, now_ms)
    command = rc.check_proof(proof, pc.room.session, DEVICE, pc.candidate_id)
    assert (command.command, command.args) == (rc.ADD_TIME, {"minutes": 7})
    assert command.target == rc.device_target(DEVICE)
    assert pc.ledger.highest(pc.room.session.id) == command.counter > before
    again = panel_proof(pc.room.session, PASSWORD, pc.ledger, DEVICE, pc.candidate_id,
                        rc.ADD_TIME, {"minutes": 7}, now_ms)
    assert rc.check_proof(again, pc.room.session, DEVICE, pc.candidate_id).counter > \
        command.counter
    pc.live.act(lambda now: pc.live.attempt.extend_time(7, now, proof=proof))
    assert last_payload(pc, "time_extended") == {"minutes": 7, "proof": proof}


def test_a_wrong_password_signs_nothing_and_an_older_session_has_no_key(pc: Pc) -> None:
    now_ms = time.time_ns() // 1_000_000
    before = pc.kinds()
    with pytest.raises(RoomError) as refused:
        panel_proof(pc.room.session, "WRONG-PASS", pc.ledger, DEVICE, pc.candidate_id,
                    rc.PAUSE, {}, now_ms)
    assert refused.value.code == "room.bad_password"
    assert pc.ledger.highest(pc.room.session.id) == -1 and pc.kinds() == before
    with pytest.raises(RoomError) as refused:
        panel_proof(replace(pc.room.session, room_console={}), PASSWORD, pc.ledger, DEVICE,
                    pc.candidate_id, rc.PAUSE, {}, now_ms)
    assert refused.value.code == "room.no_command_key"


def test_alerts_show_in_the_status_and_the_console_validates_or_dismisses_them(pc: Pc) -> None:
    pc.apply(rc.AUTHORISE_START)
    pc.live.act(pc.live.attempt.begin)
    answer(pc.live)
    current = pc.live.attempt.current_item
    assert current is not None
    pc.live.act(lambda now: pc.live.attempt.raise_alert("image", now))
    pc.live.act(lambda now: pc.live.attempt.raise_alert("kiosk:screen_added", now))
    state = pc_state(pc.live, pc.live.clock.now())
    assert state.alerts == (f"a1|image|{current.id}", f"a2|kiosk:screen_added|{current.id}")
    assert [rc.parse_alert(a)[1] for a in state.alerts] == ["image", "kiosk:screen_added"]
    with pytest.raises(AttemptError) as refused:
        pc.apply(rc.VALIDATE_ALERT, {"alert_id": "a2"})
    assert refused.value.code == "attempt.alert_not_validatable"
    command = pc.command(rc.VALIDATE_ALERT, {"alert_id": "a1"})
    stored = apply_command(pc.live, command)
    assert [e.kind for e in stored] == ["alert_closed", "item_neutralised", "challenge_assigned"]
    assert stored[0].payload["proof"] == command.proof
    assert stored[1].payload == {"item_id": current.id, "alert_id": "a1"}
    replaced = pc.live.attempt.current_item
    assert replaced is not None and replaced.id != current.id
    stored = pc.apply(rc.DISMISS_ALERT, {"alert_id": "a2"})
    assert stored[0].payload["outcome"] == "dismissed" and "proof" in stored[0].payload
    after = pc_state(pc.live, pc.live.clock.now())
    assert after.alerts == () and after.added_minutes == 0
    with pytest.raises(AttemptError) as closed:
        pc.apply(rc.DISMISS_ALERT, {"alert_id": "a2"})
    assert closed.value.code == "attempt.alert_closed"
