"""Who may command the room, and which PCs may report to it, as the session file says.

At session creation the server draws an Ed25519 *invigilator command key* for the session.
The signed session file carries its public half, which every PC checks commands against
offline, and its private half sealed under the invigilator password: scrypt (the cost of
``pixdesk.crypto``'s secret hashes, its own salt) derives an AES-256-GCM key, whose
associated data binds the sealed key to its session and public half. Only someone who
knows the password unlocks it, on the console. The file also lists the signing keys of the
enrolled PCs, the keys their status messages are checked against.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.errors import PixdeskError
from pixdesk.invigilator import normalise
from pixdesk.session import Session

SEAL_LABEL = b"pixdesk-room-command-key-v1:"
SALT_BYTES = 16


class RoomError(PixdeskError):
    """A room message or key is refused; nothing was applied or stored."""


def _malformed_trust() -> RoomError:
    return RoomError(
        "room.no_command_key",
        "Ce fichier de session ne permet pas la console de salle (clé de commande absente "
        "ou illisible) : utilisez le panneau de chaque poste.",
        "This session file does not allow the room console (command key missing or "
        "unreadable): use each PC's own panel.",
    )


@dataclass(frozen=True, slots=True)
class RoomTrust:
    """The public trust of one session's room, read from its (verified) session file."""

    session_id: str
    command_public_key: bytes
    device_keys: Mapping[str, bytes]

    @classmethod
    def from_session(cls, session: Session) -> RoomTrust:
        try:
            public = crypto.b64d(str(session.room_console["command_public_key"]))
            crypto.public_key_from_bytes(public)
            devices = session.room_console.get("device_keys", {})
            if not isinstance(devices, Mapping):
                raise TypeError("device_keys")
            device_keys = {str(d): crypto.b64d(str(k)) for d, k in devices.items()}
        except (KeyError, TypeError, crypto.CryptoError) as exc:
            raise _malformed_trust() from exc
        return cls(session.id, public, device_keys)


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(normalise(password).encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          dklen=crypto.KEY_BYTES, maxmem=2**27)


def _aad(session_id: str, public: bytes) -> bytes:
    return SEAL_LABEL + session_id.encode("utf-8") + b":" + public


def seal_command_key(key: Ed25519PrivateKey, password: str, session_id: str) -> str:
    """``scrypt$n$r$p$salt$nonce$ciphertext``: the private key under the password."""
    salt = os.urandom(SALT_BYTES)
    kek = _derive(password, salt, crypto.SCRYPT_N, crypto.SCRYPT_R, crypto.SCRYPT_P)
    nonce, sealed = crypto.encrypt(kek, crypto.signing_key_to_bytes(key),
                                   _aad(session_id, crypto.public_key_bytes(key)))
    return "$".join(["scrypt", str(crypto.SCRYPT_N), str(crypto.SCRYPT_R),
                     str(crypto.SCRYPT_P), crypto.b64e(salt), crypto.b64e(nonce),
                     crypto.b64e(sealed)])


def new_room_trust(session_id: str, password: str,
                   device_keys: Mapping[str, bytes]) -> dict[str, Any]:
    """The session file's ``room_console`` field for a new session: a fresh command key, sealed."""
    key = crypto.new_signing_key()
    return {
        "command_public_key": crypto.b64e(crypto.public_key_bytes(key)),
        "sealed_command_key": seal_command_key(key, password, session_id),
        "device_keys": {d: crypto.b64e(k) for d, k in sorted(device_keys.items())},
    }


def unlock_command_key(session: Session, password: str) -> Ed25519PrivateKey:
    """The command key, for the console of someone who knows the invigilator password."""
    trust = RoomTrust.from_session(session)
    try:
        sealed_text = str(session.room_console["sealed_command_key"])
        scheme, n, r, p, salt, nonce, sealed = sealed_text.split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        kek = _derive(password, crypto.b64d(salt), int(n), int(r), int(p))
        sealed_bytes, nonce_bytes = crypto.b64d(sealed), crypto.b64d(nonce)
    except (KeyError, ValueError, crypto.CryptoError) as exc:
        raise _malformed_trust() from exc
    try:
        raw = crypto.decrypt(kek, nonce_bytes, sealed_bytes,
                             _aad(session.id, trust.command_public_key))
        key = crypto.signing_key_from_bytes(raw)
    except crypto.CryptoError as exc:
        raise RoomError(
            "room.bad_password",
            "Mot de passe surveillant incorrect : la clé de commande reste verrouillée.",
            "Wrong invigilator password: the command key stays locked.",
        ) from exc
    if not crypto.constant_time_equal(crypto.public_key_bytes(key), trust.command_public_key):
        raise _malformed_trust()
    return key
