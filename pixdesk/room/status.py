"""What a PC tells the console, signed with that PC's own device key.

A status is ``{"status": {...}, "signature": b64}``: Ed25519 by the device's signing key
(the one it enrolled with, ``pixdesk.sync.device``) over ``CONTEXT`` and the canonical JSON
of the body. The console checks it against the device keys the session file lists, so a
PC cannot speak for another and nothing unsigned reaches the room's state. An ack is the
same with ``ACK_CONTEXT``: the PC's signed word on what it did with one command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.room.keys import RoomError, RoomTrust

CONTEXT = b"pixdesk-room-status-v1\n"
ACK_CONTEXT = b"pixdesk-room-ack-v1\n"
STATES = frozenset({"not_arrived", "checked_in", "authorised", "running", "paused", "locked",
                    "finished", "ended_by_invigilator"})
APPLIED, REFUSED = "applied", "refused"


@dataclass(frozen=True, slots=True)
class PcState:
    """The exam's side of a status: what the console shows for this PC."""

    state: str = "not_arrived"
    candidate_id: str = ""
    answered: int = 0
    total: int = 0
    remaining_ms: int | None = None
    """Time left, tiers-temps and added time included; None before the test starts."""
    extra_time_percentage: float = 0.0
    added_minutes: int = 0
    item_id: str = ""
    lock_reason: str = ""
    alerts: tuple[str, ...] = ()
    unsynced: bool = False
    """Results on this PC not yet acknowledged by the server (the console's "not synced");
    a status from a PC that predates the field reads as False."""


@dataclass(frozen=True, slots=True)
class Status:
    session_id: str
    device_id: str
    seq: int
    """Grows with every status a PC sends: the console drops an older one it sees later."""
    sent_ms: int
    last_counter: int
    """The highest command counter this PC accepted: a restarted console counts on from it."""
    pc: PcState


@dataclass(frozen=True, slots=True)
class Ack:
    session_id: str
    device_id: str
    nonce: str
    counter: int
    result: str
    code: str


def _sign(key: Ed25519PrivateKey, context: bytes, name: str,
          body: Mapping[str, Any]) -> dict[str, Any]:
    signature = crypto.sign(key, context + crypto.canonical_json(body))
    return {name: dict(body), "signature": crypto.b64e(signature)}


def sign_status(key: Ed25519PrivateKey, status: Status) -> dict[str, Any]:
    body = asdict(status)
    body["pc"]["alerts"] = list(status.pc.alerts)
    return _sign(key, CONTEXT, "status", body)


def sign_ack(key: Ed25519PrivateKey, ack: Ack) -> dict[str, Any]:
    return _sign(key, ACK_CONTEXT, "ack", asdict(ack))


def _malformed() -> RoomError:
    return RoomError("room.malformed", "Message d'un poste mal formé : ignoré.",
                     "Malformed message from a PC: ignored.")


def _open(message: Any, name: str, context: bytes, trust: RoomTrust) -> Mapping[str, Any]:
    """The body, once its session and device signature are checked."""
    try:
        body = message[name]
        signature = crypto.b64d(message["signature"])
        if not isinstance(body, Mapping):
            raise TypeError(name)
        session_id, device_id = body["session_id"], body["device_id"]
        data = crypto.canonical_json(body)
    except (KeyError, TypeError, ValueError, AttributeError, crypto.CryptoError) as exc:
        raise _malformed() from exc
    if session_id != trust.session_id:
        raise RoomError("room.wrong_session", "Message d'un poste d'une autre session : ignoré.",
                        "Message from a PC of another session: ignored.")
    public = trust.device_keys.get(str(device_id))
    if public is None:
        raise RoomError("room.unknown_device",
                        "Poste inconnu de cette session (non enrôlé avant sa création) : "
                        "ignoré.",
                        "PC unknown to this session (not enrolled before it was created): "
                        "ignored.")
    try:
        crypto.verify(public, signature, context + data)
    except crypto.CryptoError as exc:
        raise RoomError("room.bad_signature",
                        "Message non signé par la clé de ce poste : ignoré.",
                        "Message not signed by this PC's key: ignored.") from exc
    return body


def open_status(message: Any, trust: RoomTrust) -> Status:
    """Refusals: ``room.malformed``, ``room.wrong_session``, ``room.unknown_device``,
    ``room.bad_signature``."""
    body = _open(message, "status", CONTEXT, trust)
    try:
        pc = dict(body["pc"])
        pc["alerts"] = tuple(str(a) for a in pc.get("alerts", ()))
        status = Status(str(body["session_id"]), str(body["device_id"]), int(body["seq"]),
                        int(body["sent_ms"]), int(body["last_counter"]), PcState(**pc))
    except (KeyError, TypeError, ValueError) as exc:
        raise _malformed() from exc
    if status.pc.state not in STATES or type(status.pc.unsynced) is not bool:
        raise _malformed()
    return status


def open_ack(message: Any, trust: RoomTrust) -> Ack:
    body = _open(message, "ack", ACK_CONTEXT, trust)
    try:
        ack = Ack(**body)
    except TypeError as exc:
        raise _malformed() from exc
    if ack.result not in (APPLIED, REFUSED):
        raise _malformed()
    return ack
