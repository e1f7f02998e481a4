"""What a PC checks before a console command touches the exam; each refusal has its code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pixdesk import crypto
from pixdesk.room import commands
from pixdesk.room.commands import (
    STALE_WINDOW_MS,
    Command,
    candidate_target,
    check_proof,
    device_target,
    sign_command,
)
from pixdesk.room.gate import LEDGER_FILE, CommandGate, CommandLedger
from pixdesk.room.keys import RoomError, unlock_command_key
from tests.room.conftest import PASSWORD, SESSION_ID, Pc, room_session, trust_of

NOW = 1_781_250_000_000


@pytest.fixture(scope="module")
def room() -> tuple[Any, Any]:
    session = room_session([Pc("pc1"), Pc("pc2")])
    return session, unlock_command_key(session, PASSWORD)


def _proof(key: Any, *, command: str = commands.PAUSE, target: str = "all",
           args: dict[str, Any] | None = None, counter: int = 1, issued_ms: int = NOW,
           session_id: str = SESSION_ID) -> dict[str, Any]:
    return sign_command(key, session_id=session_id, target=target, command=command,
                        args=args or {}, counter=counter, issued_ms=issued_ms)


def _gate(room: tuple[Any, Any], data_dir: Path, device: str = "pc1") -> CommandGate:
    return CommandGate(trust_of(room[0]), device, CommandLedger(data_dir))


def _refusal(gate: CommandGate, proof: Any, candidate: str = "c0", now: int = NOW) -> str:
    with pytest.raises(RoomError) as caught:
        gate.admit(proof, candidate, now)
    return caught.value.code


def test_a_signed_command_for_this_pc_is_admitted_with_its_proof(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    proof = _proof(room[1], command=commands.ADD_TIME, args={"minutes": 10},
                   target=device_target("pc1"))
    command = _gate(room, tmp_path).admit(proof, "c0", NOW)
    assert (command.command, command.args, command.counter) == (
        commands.ADD_TIME, {"minutes": 10}, 1)
    assert command.proof == proof


def test_the_server_rechecks_a_journaled_proof_with_the_same_function(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    gate = _gate(room, tmp_path)
    gate.admit(_proof(room[1], target=candidate_target("c0")), "c0", NOW)
    stored = json.loads(json.dumps(gate.ledger.proofs(SESSION_ID)))
    assert check_proof(stored[0], room[0], "pc9", "c0").counter == 1
    with pytest.raises(RoomError) as caught:
        check_proof(stored[0], room[0], "pc1", "c1")
    assert caught.value.code == "room.wrong_target"
    other_room = room_session([Pc("pc1")])
    with pytest.raises(RoomError) as caught:
        check_proof(stored[0], other_room, "pc1", "c0")
    assert caught.value.code == "room.bad_signature"


def test_a_command_signed_by_another_key_is_refused(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    forged = _proof(crypto.new_signing_key())
    assert _refusal(_gate(room, tmp_path), forged) == "room.bad_signature"


def test_a_command_whose_arguments_were_altered_is_refused(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    proof = _proof(room[1], command=commands.ADD_TIME, args={"minutes": 5})
    proof["envelope"]["args"]["minutes"] = 60
    assert _refusal(_gate(room, tmp_path), proof) == "room.bad_signature"


def test_a_command_of_another_session_is_refused(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    other = _proof(room[1], session_id="4200002")
    assert _refusal(_gate(room, tmp_path), other) == "room.wrong_session"


def test_a_command_for_another_pc_or_candidate_is_refused(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    gate = _gate(room, tmp_path)
    assert _refusal(gate, _proof(room[1], target=device_target("pc2"))) == "room.wrong_target"
    assert _refusal(gate, _proof(room[1], target=candidate_target("c1"))) == (
        "room.wrong_target")
    assert _refusal(gate, _proof(room[1], target=candidate_target("c1")), candidate="") == (
        "room.wrong_target")


@pytest.mark.parametrize("issued", [NOW - STALE_WINDOW_MS - 1, NOW + STALE_WINDOW_MS + 1])
def test_a_command_outside_the_time_window_is_refused(
    room: tuple[Any, Any], tmp_path: Path, issued: int
) -> None:
    assert _refusal(_gate(room, tmp_path), _proof(room[1], issued_ms=issued)) == "room.stale"


def test_a_replayed_command_is_refused_even_after_a_restart(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    proof = _proof(room[1], counter=7)
    _gate(room, tmp_path).admit(proof, "c0", NOW)
    restarted = _gate(room, tmp_path)
    assert _refusal(restarted, proof) == "room.replay"
    assert _refusal(restarted, _proof(room[1], counter=7)) == "room.replay"
    assert _refusal(restarted, _proof(room[1], counter=3)) == "room.replay"
    assert restarted.admit(_proof(room[1], counter=8), "c0", NOW).counter == 8
    assert restarted.ledger.highest(SESSION_ID) == 8


def test_a_refused_command_is_not_recorded(room: tuple[Any, Any], tmp_path: Path) -> None:
    gate = _gate(room, tmp_path)
    _refusal(gate, _proof(crypto.new_signing_key(), counter=50))
    _refusal(gate, _proof(room[1], counter=60, issued_ms=NOW - STALE_WINDOW_MS - 1))
    assert gate.ledger.proofs(SESSION_ID) == []
    assert gate.admit(_proof(room[1], counter=2), "c0", NOW).counter == 2


@pytest.mark.parametrize("proof", [
    None, "text", {}, {"envelope": {}, "signature": "AA=="},
    {"envelope": {"v": 1}, "signature": 5}, {"envelope": [], "signature": "!!"},
])
def test_a_malformed_command_is_refused(
    room: tuple[Any, Any], tmp_path: Path, proof: Any
) -> None:
    assert _refusal(_gate(room, tmp_path), proof) == "room.malformed"


@pytest.mark.parametrize("bad", [{"counter": "7"}, {"counter": -1},
                                 {"counter": commands.MAX_COUNTER + 1}, {"issued_ms": 1.5},
                                 {"nonce": ""}, {"v": 2}, {"target": "room:B12"}])
def test_a_signed_envelope_with_bad_fields_is_malformed(
    room: tuple[Any, Any], tmp_path: Path, bad: dict[str, Any]
) -> None:
    envelope = _proof(room[1])["envelope"] | bad
    signature = crypto.sign(room[1], commands.CONTEXT + crypto.canonical_json(envelope))
    proof = {"envelope": envelope, "signature": crypto.b64e(signature)}
    assert _refusal(_gate(room, tmp_path), proof) == "room.malformed"


@pytest.mark.parametrize(("command", "args", "code"), [
    ("format_disk", {}, "room.unknown_command"),
    (commands.ADD_TIME, {}, "room.bad_arguments"),
    (commands.ADD_TIME, {"minutes": 0}, "room.bad_arguments"),
    (commands.ADD_TIME, {"minutes": commands.MAX_ADDED_MINUTES + 1}, "room.bad_arguments"),
    (commands.ADD_TIME, {"minutes": 5.0}, "room.bad_arguments"),
    (commands.PAUSE, {"minutes": 5}, "room.bad_arguments"),
    (commands.NEUTRALISE, {"item_id": ""}, "room.bad_arguments"),
    (commands.END_TEST, {"fraud": "yes"}, "room.bad_arguments"),
    (commands.RECORD_INCIDENT, {"code": "E13"}, "room.bad_arguments"),
    (commands.RECORD_INCIDENT, {"code": "E4", "text": "x" * 501}, "room.bad_arguments"),
    (commands.VALIDATE_ALERT, {}, "room.bad_arguments"),
    (commands.VALIDATE_ALERT, {"alert_id": 1}, "room.bad_arguments"),
    (commands.VALIDATE_ALERT, {"alert_id": ""}, "room.bad_arguments"),
    (commands.DISMISS_ALERT, {"alert_id": "a1|image|rec1"}, "room.bad_arguments"),
    (commands.DISMISS_ALERT, {"alert_id": "a" * 33}, "room.bad_arguments"),
    (commands.DISMISS_ALERT, {"alert_id": "a1", "item_id": "rec1"}, "room.bad_arguments"),
])
def test_an_unknown_command_or_bad_arguments_are_refused_even_when_signed(
    room: tuple[Any, Any], tmp_path: Path, command: str, args: dict[str, Any], code: str
) -> None:
    envelope = _proof(room[1])["envelope"] | {"command": command, "args": args}
    signature = crypto.sign(room[1], commands.CONTEXT + crypto.canonical_json(envelope))
    proof = {"envelope": envelope, "signature": crypto.b64e(signature)}
    assert _refusal(_gate(room, tmp_path), proof) == code
    with pytest.raises(RoomError) as caught:
        _proof(room[1], command=command, args=args)
    assert caught.value.code == code


@pytest.mark.parametrize(("command", "args"), [
    (commands.AUTHORISE_START, {}), (commands.AUTHORISE_RESUME, {}), (commands.RESUME, {}),
    (commands.NEUTRALISE, {"item_id": "rec123"}), (commands.END_TEST, {"fraud": True}),
    (commands.END_TEST, {}), (commands.RECORD_INCIDENT, {"code": "E12", "text": "Alarme"}),
    (commands.VALIDATE_ALERT, {"alert_id": "a1"}), (commands.DISMISS_ALERT, {"alert_id": "a12"}),
])
def test_every_console_command_is_accepted_with_its_arguments(
    room: tuple[Any, Any], tmp_path: Path, command: str, args: dict[str, Any]
) -> None:
    admitted: Command = _gate(room, tmp_path).admit(
        _proof(room[1], command=command, args=args), "c0", NOW)
    assert (admitted.command, admitted.args) == (command, args)


def test_the_console_cannot_sign_for_a_malformed_target(room: tuple[Any, Any]) -> None:
    with pytest.raises(RoomError) as caught:
        _proof(room[1], target="device:")
    assert caught.value.code == "room.bad_target"


def test_a_command_the_pc_cannot_record_is_refused(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    gate = _gate(room, tmp_path)
    for path in tmp_path.glob(LEDGER_FILE + "*"):
        path.unlink()
    (tmp_path / LEDGER_FILE).mkdir()
    assert _refusal(gate, _proof(room[1])) == "room.ledger_unwritable"


def test_an_alert_entry_reads_back_and_a_malformed_one_is_refused() -> None:
    entry = commands.alert_entry("a3", "kiosk:focus_lost", "")
    assert entry == "a3|kiosk:focus_lost|"
    assert commands.parse_alert(entry) == ("a3", "kiosk:focus_lost", "")
    assert commands.parse_alert("a1|image|rec|odd") == ("a1", "image", "rec|odd")
    for bad in ("", "a1", "a1|image", "|image|rec1", "a 1|image|rec1", "a1||rec1"):
        with pytest.raises(RoomError) as caught:
            commands.parse_alert(bad)
        assert caught.value.code == "room.bad_alert"


# --- a console's proof that it may attach to the hub ---


def _attach_refusal(room: tuple[Any, Any], proof: Any, now: int = NOW) -> str:
    with pytest.raises(RoomError) as caught:
        commands.open_attach(proof, command_public_key=trust_of(room[0]).command_public_key,
                             session_id=SESSION_ID, now_ms=now)
    return caught.value.code


def test_an_attach_proof_signed_with_the_session_key_is_admitted(
    room: tuple[Any, Any]
) -> None:
    proof = commands.sign_attach(room[1], session_id=SESSION_ID, issued_ms=NOW - 1000)
    admitted = commands.open_attach(
        json.loads(json.dumps(proof)), command_public_key=trust_of(room[0]).command_public_key,
        session_id=SESSION_ID, now_ms=NOW)
    assert admitted == commands.Attach(SESSION_ID, NOW - 1000, proof["envelope"]["nonce"])
    again = commands.sign_attach(room[1], session_id=SESSION_ID, issued_ms=NOW - 1000)
    assert again["envelope"]["nonce"] != admitted.nonce


def test_an_attach_proof_signed_by_another_key_is_refused(room: tuple[Any, Any]) -> None:
    forged = commands.sign_attach(crypto.new_signing_key(), session_id=SESSION_ID,
                                  issued_ms=NOW)
    assert _attach_refusal(room, forged) == "room.bad_signature"


def test_an_attach_proof_for_another_session_is_refused(room: tuple[Any, Any]) -> None:
    other = commands.sign_attach(room[1], session_id="4200002", issued_ms=NOW)
    assert _attach_refusal(room, other) == "room.wrong_session"


@pytest.mark.parametrize("issued", [NOW - STALE_WINDOW_MS - 1, NOW + STALE_WINDOW_MS + 1])
def test_an_attach_proof_outside_the_time_window_is_refused(
    room: tuple[Any, Any], issued: int
) -> None:
    proof = commands.sign_attach(room[1], session_id=SESSION_ID, issued_ms=issued)
    assert _attach_refusal(room, proof) == "room.stale"
    assert commands.open_attach(
        proof, command_public_key=trust_of(room[0]).command_public_key,
        session_id=SESSION_ID, now_ms=issued).issued_ms == issued


@pytest.mark.parametrize("bad", [{"issued_ms": "1"}, {"issued_ms": 1.5}, {"issued_ms": -1},
                                 {"nonce": ""}, {"nonce": "n" * 65}, {"v": 2}])
def test_a_signed_attach_proof_with_bad_fields_is_malformed(
    room: tuple[Any, Any], bad: dict[str, Any]
) -> None:
    envelope = commands.sign_attach(room[1], session_id=SESSION_ID,
                                    issued_ms=NOW)["envelope"] | bad
    signature = crypto.sign(room[1], commands.ATTACH_CONTEXT + crypto.canonical_json(envelope))
    proof = {"envelope": envelope, "signature": crypto.b64e(signature)}
    assert _attach_refusal(room, proof) == "room.malformed"


@pytest.mark.parametrize("proof", [None, "text", {}, {"envelope": {}, "signature": "AA=="},
                                   {"envelope": [], "signature": "!!"}])
def test_a_missing_or_malformed_attach_proof_is_refused(
    room: tuple[Any, Any], proof: Any
) -> None:
    assert _attach_refusal(room, proof) == "room.malformed"


def test_an_attach_proof_and_a_command_are_never_taken_for_each_other(
    room: tuple[Any, Any], tmp_path: Path
) -> None:
    """Each is signed over its own context: even an envelope shaped like the other's, signed
    with the session key, does not pass."""
    assert commands.ATTACH_CONTEXT != commands.CONTEXT
    command = _proof(room[1])
    assert _attach_refusal(room, command) == "room.malformed"
    attach = commands.sign_attach(room[1], session_id=SESSION_ID, issued_ms=NOW)
    assert _refusal(_gate(room, tmp_path), attach) == "room.malformed"

    as_attach = {"v": 1, "session_id": SESSION_ID, "issued_ms": NOW, "nonce": "n1"}
    command_signed = crypto.sign(room[1], commands.CONTEXT + crypto.canonical_json(as_attach))
    assert _attach_refusal(room, {"envelope": as_attach, "signature": crypto.b64e(
        command_signed)}) == "room.bad_signature"
    envelope = command["envelope"]
    attach_signed = crypto.sign(room[1], commands.ATTACH_CONTEXT
                                + crypto.canonical_json(envelope))
    assert _refusal(_gate(room, tmp_path), {"envelope": envelope, "signature": crypto.b64e(
        attach_signed)}) == "room.bad_signature"
