"""The exam PC's side of the room console, without Qt: its status, and commands applied.

``pc_state`` is what the console shows of this PC; ``apply_command`` turns a command the
``CommandGate`` has verified into the same engine action the invigilator panel performs,
journaled with the command's proof; ``panel_proof`` gives an action typed in the PC's own
panel a proof too, signed with the session's command key the password unlocks, so the
server checks every extra time and neutralisation the same way (docs/room.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pixdesk.engine.attempt import Attempt, Event, Phase
from pixdesk.engine.status import EndReason
from pixdesk.engine.timer import Instant
from pixdesk.exam import LiveAttempt
from pixdesk.room import commands as rc
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomError, RoomTrust, unlock_command_key
from pixdesk.room.status import PcState
from pixdesk.session import Session
from pixdesk.store.journal import StoredEvent

_STATES = {
    Phase.NEW: "not_arrived",
    Phase.CHECKED_IN: "checked_in",
    Phase.AUTHORISED: "authorised",
    Phase.RUNNING: "running",
    Phase.PAUSED: "paused",
    Phase.LOCKED: "locked",
}
_NOT_STARTED = (Phase.NEW, Phase.CHECKED_IN, Phase.AUTHORISED)


def pc_state(live: LiveAttempt | None, now: Instant, *, unsynced: bool = False) -> PcState:
    """What the console shows of this PC: no attempt is ``not_arrived``; an attempt its
    invigilator ended is ``ended_by_invigilator``, any other end ``finished``."""
    if live is None:
        return PcState(unsynced=unsynced)
    attempt = live.attempt
    state = attempt.state
    facts = state.facts
    if state.phase is Phase.ENDED:
        name = ("ended_by_invigilator" if state.end_reason is EndReason.INVIGILATOR
                else "finished")
    else:
        name = _STATES[state.phase]
    item = attempt.current_item
    started_limit = int(facts.get("limit_ms", state.timer.limit_ms))
    given_back = sum(a.time_back_ms for a in state.alerts.values())
    return PcState(
        state=name,
        candidate_id=str(facts.get("candidate_id", "")),
        answered=len(state.counted_answers),
        total=attempt.test_length if facts else 0,
        remaining_ms=None if state.phase in _NOT_STARTED else attempt.remaining_ms(now),
        extra_time_percentage=float(facts.get("extra_time_percentage", 0.0)),
        added_minutes=max(0, state.timer.limit_ms - started_limit - given_back) // 60_000,
        item_id=item.id if item is not None and state.phase is not Phase.ENDED else "",
        lock_reason=state.lock_reason if state.phase is Phase.LOCKED else "",
        alerts=tuple(rc.alert_entry(a.alert_id, a.category, a.item_id)
                     for a in state.open_alerts),
        unsynced=unsynced,
    )


def _not_current(item_id: str) -> RoomError:
    return RoomError(
        "room.not_current_item",
        f"La question {item_id[:40]} n'est plus la question en cours sur ce poste : "
        "neutralisation refusée.",
        f"Question {item_id[:40]} is no longer the current question on this PC: "
        "neutralisation refused.",
    )


def _decision(attempt: Attempt, command: rc.Command) -> Callable[[Instant], list[Event]]:
    """The engine action a command stands for, as the invigilator panel performs it."""
    proof, args = command.proof, command.args
    match command.command:
        case rc.AUTHORISE_START:
            return lambda now: attempt.authorise(now, proof=proof)
        case rc.AUTHORISE_RESUME:
            return lambda now: attempt.unlock(now, proof=proof)
        case rc.PAUSE:
            return lambda now: attempt.pause(now, proof=proof)
        case rc.RESUME:
            return lambda now: attempt.resume(now, proof=proof)
        case rc.ADD_TIME:
            minutes = int(args["minutes"])
            return lambda now: attempt.extend_time(minutes, now, proof=proof)
        case rc.NEUTRALISE:
            item_id = str(args["item_id"])
            current = attempt.current_item
            if current is None or current.id != item_id:
                raise _not_current(item_id)
            return lambda now: attempt.neutralise(item_id, now, proof=proof)
        case rc.END_TEST:
            fraud = bool(args.get("fraud", False))
            return lambda now: attempt.end(EndReason.INVIGILATOR, now, fraud=fraud, proof=proof)
        case rc.RECORD_INCIDENT:
            code, text = str(args["code"]), str(args.get("text", ""))
            return lambda now: attempt.report_incident(code, text, now, proof=proof)
        case rc.VALIDATE_ALERT:
            alert_id = str(args["alert_id"])
            return lambda now: attempt.validate_alert(alert_id, now, proof=proof)
        case rc.DISMISS_ALERT:
            alert_id = str(args["alert_id"])
            return lambda now: attempt.dismiss_alert(alert_id, now, proof=proof)
    raise RoomError("room.unknown_command", f"Commande inconnue : {command.command[:40]}.",
                    f"Unknown command: {command.command[:40]}.")


def apply_command(live: LiveAttempt, command: rc.Command) -> list[StoredEvent]:
    """Apply a command the ``CommandGate`` verified, journaling its proof with the event.
    Refused with the exam's ``PixdeskError`` when the attempt's state forbids it (e.g.
    ``attempt.invalid_state``: authorise_start on a PC not checked in), or with
    ``room.not_current_item`` when the question to neutralise is no longer on screen;
    nothing is journaled then."""
    return live.act(_decision(live.attempt, command))


def panel_proof(session: Session, password: str, ledger: CommandLedger, device_id: str,
                candidate_id: str, command: str, args: Mapping[str, Any],
                now_ms: int) -> dict[str, Any]:
    """The proof for an action typed in this PC's own panel: the password unlocks the
    session's command key, which signs the command for this PC; the ledger admits it like
    a console command, so counters stay monotonic across panel and console. Refusals:
    ``room.no_command_key`` (an older session: the panel acts without a proof),
    ``room.bad_password``, ``room.bad_arguments``, ``room.ledger_unwritable``."""
    key = unlock_command_key(session, password)
    counter = max(ledger.highest(session.id) + 1, now_ms * 1000)
    proof = rc.sign_command(key, session_id=session.id, target=rc.device_target(device_id),
                            command=command, args=args, counter=counter, issued_ms=now_ms)
    gate = CommandGate(RoomTrust.from_session(session), device_id, ledger)
    return dict(gate.admit(proof, candidate_id, now_ms).proof)
