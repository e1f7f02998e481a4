"""Invigilator commands: signed envelopes that any PC, and later the server, checks offline.

A command travels as its *proof* ``{"envelope": {...}, "signature": b64}``. The signature is
Ed25519, by the session's invigilator command key (``pixdesk.room.keys``), over
``CONTEXT`` followed by the canonical JSON of the envelope. The envelope holds the session
id, the target (``all``, ``device:<id>`` or ``candidate:<id>``), the command and its
arguments, a counter that only grows, the time it was issued (ms since the epoch) and a
random nonce. The PC journals the proof with what the command did, so the server can run
``open_command`` and ``check_addressed`` again when it re-scores: nothing here reads a
clock, a file or the network.

A console attaching to the central server's room hub proves it holds the same key with an
*attach proof* (``sign_attach``/``open_attach``): the same shape, signed over its own
``ATTACH_CONTEXT`` (so a command is never taken for an attach proof, nor the reverse), its
envelope the session id, the time it was issued and a random nonce. The hub checks it
against its clock and keeps the nonces it took within the time window.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.session import Session

CONTEXT = b"pixdesk-room-command-v1\n"
ATTACH_CONTEXT = b"pixdesk-room-attach-v1\n"
VERSION = 1
STALE_WINDOW_MS = 120_000
"""A PC refuses a command issued more than 2 minutes before or after its own clock."""
MAX_COUNTER = 2**62
"""Counters and times stay within SQLite's 64-bit integers on every PC."""
MAX_ADDED_MINUTES = 120
MAX_TEXT = 500
INCIDENT_CODE = re.compile(r"^E([1-9]|1[0-2])$")

AUTHORISE_START = "authorise_start"
AUTHORISE_RESUME = "authorise_resume"
PAUSE = "pause"
RESUME = "resume"
ADD_TIME = "add_time"
NEUTRALISE = "neutralise"
END_TEST = "end_test"
RECORD_INCIDENT = "record_incident"
VALIDATE_ALERT = "validate_alert"
DISMISS_ALERT = "dismiss_alert"
ALERT_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
"""An alert's id as the PC names it in its status (``a1``, ``a2``…)."""

ALL = "all"
_TARGET = re.compile(r"^(all|(device|candidate):[^\s:]{1,128})$")
_ENVELOPE_FIELDS = frozenset(
    {"v", "session_id", "target", "command", "args", "counter", "issued_ms", "nonce"})
_ATTACH_FIELDS = frozenset({"v", "session_id", "issued_ms", "nonce"})


def _bad_arguments(command: str) -> RoomError:
    return RoomError("room.bad_arguments", f"Arguments invalides pour la commande {command}.",
                     f"Invalid arguments for the command {command}.")


def _no_args(args: Mapping[str, Any]) -> bool:
    return not args


def _minutes(args: Mapping[str, Any]) -> bool:
    minutes = args.get("minutes")
    return (set(args) == {"minutes"} and type(minutes) is int
            and 1 <= minutes <= MAX_ADDED_MINUTES)


def _item(args: Mapping[str, Any]) -> bool:
    item = args.get("item_id")
    return set(args) == {"item_id"} and isinstance(item, str) and 0 < len(item) <= 128


def _end(args: Mapping[str, Any]) -> bool:
    return set(args) <= {"fraud"} and type(args.get("fraud", False)) is bool


def _incident(args: Mapping[str, Any]) -> bool:
    code, text = args.get("code"), args.get("text", "")
    return (set(args) <= {"code", "text"} and isinstance(code, str)
            and INCIDENT_CODE.match(code) is not None
            and isinstance(text, str) and len(text) <= MAX_TEXT)


def _alert(args: Mapping[str, Any]) -> bool:
    alert_id = args.get("alert_id")
    return (set(args) == {"alert_id"} and isinstance(alert_id, str)
            and ALERT_ID.match(alert_id) is not None)


_ARGUMENTS = {
    AUTHORISE_START: _no_args,
    AUTHORISE_RESUME: _no_args,
    PAUSE: _no_args,
    RESUME: _no_args,
    ADD_TIME: _minutes,
    NEUTRALISE: _item,
    END_TEST: _end,
    RECORD_INCIDENT: _incident,
    VALIDATE_ALERT: _alert,
    DISMISS_ALERT: _alert,
}
COMMANDS = frozenset(_ARGUMENTS)


def alert_entry(alert_id: str, category: str, item_id: str) -> str:
    """An open alert as ``PcState.alerts`` carries it: ``<alert_id>|<category>|<item_id>``
    (the item empty for a kiosk alert raised between questions)."""
    return f"{alert_id}|{category}|{item_id}"


def parse_alert(entry: str) -> tuple[str, str, str]:
    """``(alert_id, category, item_id)`` of a status entry; refuses a malformed one."""
    alert_id, category, item_id = [*entry.split("|", 2), "", ""][:3]
    if not ALERT_ID.match(alert_id) or not category or entry.count("|") < 2:
        raise RoomError("room.bad_alert", f"Alerte mal formée : {entry[:60]}.",
                        f"Malformed alert: {entry[:60]}.")
    return alert_id, category, item_id


@dataclass(frozen=True, slots=True)
class Command:
    """A command whose signature, session and arguments were checked."""

    session_id: str
    target: str
    command: str
    args: Mapping[str, Any]
    counter: int
    issued_ms: int
    nonce: str
    proof: Mapping[str, Any]
    """The envelope and signature as received: what the PC journals."""


def device_target(device_id: str) -> str:
    return f"device:{device_id}"


def candidate_target(candidate_id: str) -> str:
    return f"candidate:{candidate_id}"


def check_arguments(command: str, args: Mapping[str, Any]) -> None:
    check = _ARGUMENTS.get(command)
    if check is None:
        raise RoomError("room.unknown_command", f"Commande inconnue : {command[:40]}.",
                        f"Unknown command: {command[:40]}.")
    if not check(args):
        raise _bad_arguments(command)


def sign_command(key: Ed25519PrivateKey, *, session_id: str, target: str, command: str,
                 args: Mapping[str, Any], counter: int, issued_ms: int,
                 nonce: str | None = None) -> dict[str, Any]:
    """The proof of a new command; refuses to sign one that no PC would accept."""
    check_arguments(command, args)
    if not _TARGET.match(target):
        raise RoomError("room.bad_target", f"Cible invalide : {target[:40]}.",
                        f"Invalid target: {target[:40]}.")
    envelope = {
        "v": VERSION, "session_id": session_id, "target": target, "command": command,
        "args": dict(args), "counter": counter, "issued_ms": issued_ms,
        "nonce": nonce or secrets.token_hex(16),
    }
    signature = crypto.sign(key, CONTEXT + crypto.canonical_json(envelope))
    return {"envelope": envelope, "signature": crypto.b64e(signature)}


def _malformed() -> RoomError:
    return RoomError("room.malformed", "Message de la console mal formé : ignoré.",
                     "Malformed console message: ignored.")


def _signed_envelope(proof: Any, *, fields: frozenset[str], context: bytes, public_key: bytes,
                     session_id: str, malformed: RoomError, wrong_session: RoomError,
                     bad_signature: RoomError) -> Mapping[str, Any]:
    """The envelope of a proof ``{"envelope", "signature"}`` with exactly ``fields``, for
    ``session_id`` and signed by ``public_key`` under ``context``; else the error given."""
    try:
        envelope, signature = proof["envelope"], crypto.b64d(proof["signature"])
        if not isinstance(envelope, Mapping) or set(envelope) != fields:
            raise TypeError("envelope")
        data = crypto.canonical_json(envelope)
    except (KeyError, TypeError, ValueError, AttributeError, crypto.CryptoError) as exc:
        raise malformed from exc
    if envelope["session_id"] != session_id:
        raise wrong_session
    try:
        crypto.verify(public_key, signature, context + data)
    except crypto.CryptoError as exc:
        raise bad_signature from exc
    return envelope


def open_command(proof: Any, *, command_public_key: bytes, session_id: str) -> Command:
    """Check a proof against the session's command key. Pure: the PC at reception and the
    server at re-scoring call it alike. Refusals: ``room.malformed``,
    ``room.wrong_session`` (another room's command), ``room.bad_signature``,
    ``room.unknown_command``, ``room.bad_arguments``."""
    envelope = _signed_envelope(
        proof, fields=_ENVELOPE_FIELDS, context=CONTEXT, public_key=command_public_key,
        session_id=session_id, malformed=_malformed(),
        wrong_session=RoomError("room.wrong_session",
                                "Commande destinée à une autre session : refusée.",
                                "Command meant for another session: refused."),
        bad_signature=RoomError(
            "room.bad_signature",
            "Commande non signée par la clé surveillant de cette session : refusée.",
            "Command not signed by this session's invigilator key: refused."))
    counter, issued, nonce = envelope["counter"], envelope["issued_ms"], envelope["nonce"]
    target, command, args = envelope["target"], envelope["command"], envelope["args"]
    if (envelope["v"] != VERSION or type(counter) is not int
            or not 0 <= counter <= MAX_COUNTER or type(issued) is not int
            or not 0 <= issued <= MAX_COUNTER
            or not isinstance(nonce, str) or not 0 < len(nonce) <= 64
            or not isinstance(target, str) or not _TARGET.match(target)
            or not isinstance(command, str) or not isinstance(args, Mapping)):
        raise _malformed()
    check_arguments(command, args)
    return Command(session_id, target, command, dict(args), counter, issued, nonce,
                   {"envelope": dict(envelope), "signature": proof["signature"]})


def addressed_to(command: Command, device_id: str, candidate_id: str) -> bool:
    return target_matches(command.target, device_id, candidate_id)


def target_matches(target: str, device_id: str, candidate_id: str) -> bool:
    """Whether ``target`` names this PC, or the candidate now sitting at it."""
    if target == ALL:
        return True
    kind, _, name = target.partition(":")
    return (kind == "device" and name == device_id) or (
        kind == "candidate" and bool(candidate_id) and name == candidate_id)


def check_addressed(command: Command, device_id: str, candidate_id: str) -> None:
    if not addressed_to(command, device_id, candidate_id):
        raise RoomError("room.wrong_target", "Commande destinée à un autre poste : ignorée.",
                        "Command meant for another PC: ignored.")


def check_proof(proof: Any, session: Session, device_id: str, candidate_id: str) -> Command:
    """What the server runs on a journaled proof when it re-scores: signed by the session's
    command key, for this session, addressed to this PC or candidate. The time window and
    the replay ledger were the PC's to apply at reception; the server sees the whole
    journal, where a counter that does not grow is its own evidence."""
    trust = RoomTrust.from_session(session)
    command = open_command(proof, command_public_key=trust.command_public_key,
                           session_id=session.id)
    check_addressed(command, device_id, candidate_id)
    return command


def check_fresh(command: Command, now_ms: int, window_ms: int = STALE_WINDOW_MS) -> None:
    """Refuse a command issued too long before (or after) this PC's clock says it is."""
    if abs(now_ms - command.issued_ms) > window_ms:
        raise RoomError(
            "room.stale",
            "Commande trop ancienne, ou horloges de la console et du poste trop décalées : "
            "refusée.",
            "Command too old, or the console's and PC's clocks too far apart: refused.",
        )


# --- attaching a console to the hub ---


@dataclass(frozen=True, slots=True)
class Attach:
    """An attach proof whose signature, session and time were checked."""

    session_id: str
    issued_ms: int
    nonce: str
    """What the hub keeps to refuse the same proof twice."""


def sign_attach(key: Ed25519PrivateKey, *, session_id: str, issued_ms: int,
                nonce: str | None = None) -> dict[str, Any]:
    """The proof a console sends the hub to be let into ``session_id``'s room, issued at
    ``issued_ms`` by its clock (a fresh one at every connection: the hub takes each once)."""
    envelope = {"v": VERSION, "session_id": session_id, "issued_ms": issued_ms,
                "nonce": nonce or secrets.token_hex(16)}
    signature = crypto.sign(key, ATTACH_CONTEXT + crypto.canonical_json(envelope))
    return {"envelope": envelope, "signature": crypto.b64e(signature)}


def _malformed_attach() -> RoomError:
    return RoomError("room.malformed",
                     "Preuve d'accès de la console absente ou mal formée : refusée.",
                     "Console access proof missing or malformed: refused.")


def open_attach(proof: Any, *, command_public_key: bytes, session_id: str, now_ms: int,
                window_ms: int = STALE_WINDOW_MS) -> Attach:
    """Check a console's attach proof against the session's command key and the checker's
    clock ``now_ms``. Pure; the replay ledger is the caller's. Refusals:
    ``room.malformed`` (none, or not an attach proof), ``room.wrong_session`` (another
    room's), ``room.bad_signature``, ``room.stale`` (issued more than ``window_ms`` before
    or after ``now_ms``)."""
    envelope = _signed_envelope(
        proof, fields=_ATTACH_FIELDS, context=ATTACH_CONTEXT, public_key=command_public_key,
        session_id=session_id, malformed=_malformed_attach(),
        wrong_session=RoomError("room.wrong_session",
                                "Preuve d'accès de la console pour une autre session : refusée.",
                                "Console access proof for another session: refused."),
        bad_signature=RoomError("room.bad_signature",
                                "Console sans la clé surveillant de cette session : refusée.",
                                "Console without this session's invigilator key: refused."))
    issued, nonce = envelope["issued_ms"], envelope["nonce"]
    if (envelope["v"] != VERSION or type(issued) is not int
            or not 0 <= issued <= MAX_COUNTER
            or not isinstance(nonce, str) or not 0 < len(nonce) <= 64):
        raise _malformed_attach()
    if abs(now_ms - issued) > window_ms:
        raise RoomError(
            "room.stale",
            "Preuve d'accès de la console trop ancienne, ou horloges de la console et du "
            "serveur trop décalées : refusée.",
            "Console access proof too old, or the console's and server's clocks too far "
            "apart: refused.",
        )
    return Attach(session_id, issued, nonce)
