"""The server's check of the invigilator commands an attempt journaled with their proofs.

An extra time (``time_extended``), a neutralisation (``item_neutralised``) or a validated
live alert (``alert_closed``: neutralisation and time given back) changes a result; on a PC
of a session with a room command key each is journaled with the proof of the signed command
that caused it (the neutralisation of a validated alert names the alert, whose proof holds),
from the room console or the PC's own panel (``pixdesk.roomlink``). Here every such event is
held to that proof with the same pure function the PC used
(``pixdesk.room.commands.check_proof``): signed by the session's command key, for this PC or
candidate, for this command with these arguments, and each proof used once, its counter
growing through the attempt. An event that fails is a review reason: its result is withheld
until a reviewer decides. A session without a command key (issued before the room console)
cannot prove anything: its events are only noted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pixdesk.engine.attempt import Kind
from pixdesk.room import commands as rc
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.session import Session

UNPROVEN = "room.unproven_command"
"""Review reason: ``room.unproven_command:<kind>@<seq>:<why>``."""
UNCHECKED = "room.unchecked_commands"
"""Note, not a reason: ``room.unchecked_commands:<kind>×<n>`` in a session without a key."""


def _minutes(payload: Mapping[str, Any], command: rc.Command) -> bool:
    return command.command == rc.ADD_TIME and command.args.get("minutes") == payload.get(
        "minutes")


def _item(payload: Mapping[str, Any], command: rc.Command) -> bool:
    return command.command == rc.NEUTRALISE and command.args.get("item_id") == payload.get(
        "item_id")


def _validated(payload: Mapping[str, Any], command: rc.Command) -> bool:
    return command.command == rc.VALIDATE_ALERT and command.args.get(
        "alert_id") == payload.get("alert_id")


PROVEN_KINDS: Mapping[Kind, Callable[[Mapping[str, Any], rc.Command], bool]] = {
    Kind.TIME_EXTENDED: _minutes,
    Kind.ITEM_NEUTRALISED: _item,
    Kind.ALERT_CLOSED: _validated,
}
"""The event kinds that need a proof, each with what its command must say."""


@dataclass(frozen=True)
class Journaled:
    """One event of a kind in ``PROVEN_KINDS``, decrypted (None: it would not decrypt)."""

    seq: int
    kind: Kind
    payload: Mapping[str, Any] | None


def _changes_nothing(event: Journaled) -> bool:
    """A dismissed live alert: the question and the time stay as they were."""
    return (event.kind is Kind.ALERT_CLOSED and event.payload is not None
            and event.payload.get("outcome") != "validated")


def _why(event: Journaled, session: Session, device_id: str, candidate_id: str,
         seen: set[str], last: int, validated: dict[str, str]) -> tuple[str, int]:
    """Why the event is not proven ("" if it is), and the highest counter so far. A live
    alert's validation carries the proof on ``alert_closed`` (it gives time back); the
    neutralisation it causes names the alert and is proven by it (``validated``)."""
    if event.payload is None:
        return "result.undecryptable", last
    if _changes_nothing(event):
        return "", last
    alert_id = event.payload.get("alert_id")
    if event.kind is Kind.ITEM_NEUTRALISED and alert_id is not None:
        proven = validated.get(str(alert_id)) == event.payload.get("item_id")
        return ("" if proven else "room.no_proof"), last
    proof = event.payload.get("proof")
    if proof is None:
        return "room.no_proof", last
    try:
        command = rc.check_proof(proof, session, device_id, candidate_id)
    except RoomError as refused:
        return refused.code, last
    if not PROVEN_KINDS[event.kind](event.payload, command):
        return "room.proof_mismatch", last
    if command.nonce in seen or command.counter <= last:
        return "room.replay", last
    seen.add(command.nonce)
    if event.kind is Kind.ALERT_CLOSED:
        validated[str(alert_id)] = str(event.payload.get("item_id"))
    return "", command.counter


def _has_command_key(session: Session) -> bool:
    try:
        RoomTrust.from_session(session)
    except RoomError:
        return False
    return True


def check_commands(events: Sequence[Journaled], session: Session | None, device_id: str,
                   candidate_id: str) -> tuple[list[str], list[str]]:
    """The review reasons (unproven events) and the notes (events a session without a
    command key cannot prove) of one attempt's ``events``, in journal order."""
    events = [e for e in events if not _changes_nothing(e)]
    if not events:
        return [], []
    if session is None or not _has_command_key(session):
        counts: dict[str, int] = {}
        for event in events:
            counts[event.kind] = counts.get(event.kind, 0) + 1
        return [], [f"{UNCHECKED}:{kind}×{n}" for kind, n in sorted(counts.items())]
    reasons, seen, last, validated = [], set[str](), -1, dict[str, str]()
    for event in sorted(events, key=lambda e: e.seq):
        why, last = _why(event, session, device_id, candidate_id, seen, last, validated)
        if why:
            reasons.append(f"{UNPROVEN}:{event.kind}@{event.seq}:{why}")
    return reasons, []
