"""The session file (``.pixsession``): who may sit which test, signed by the server.

A session file is a JSON document ``{"session": {...}, "signer": key_id, "signature": b64}``
whose signature covers the canonical JSON of ``session``. Nothing in it is trusted before
the signature is checked against a known server key. Secrets are stored as scrypt hashes;
only a demo session may carry its access code and password in clear, to show them on screen.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.errors import PixdeskError
from pixdesk.invigilator import normalise
from pixdesk.trust import Role, is_demo_key

ACCESS_CODE_LETTERS = "BCDFGHJKMPQRTVWXY"
ACCESS_CODE_DIGITS = "2346789"
ACCESS_CODE_RE = re.compile(f"^[{ACCESS_CODE_LETTERS}]{{4}}[{ACCESS_CODE_DIGITS}]{{2}}$")


class SessionError(PixdeskError):
    """A session file is refused, or a check-in does not match it."""


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    last_name: str
    first_name: str
    birth_date: str
    birth_place: str = ""
    external_id: str = ""
    extra_time_percentage: float = 0.0
    accessibility_adjustment: bool = False
    v2_profile: Mapping[str, int] | None = None
    v2_pix_scores: Mapping[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    centre_id: str
    centre_name: str
    date: str
    room: str
    access_code_hash: str
    invigilator_password_hash: str
    version_id: str
    package_id: str
    candidates: tuple[Candidate, ...]
    server_public_key: str = ""
    sealed_content_keys: Mapping[str, str] = field(default_factory=dict)
    demo: bool = False
    demo_access_code: str = ""
    demo_invigilator_password: str = ""
    room_console: Mapping[str, Any] = field(default_factory=dict)
    """The room console's trust (``pixdesk.room.keys``): the invigilator command key's public
    half, its private half sealed under the invigilator password, and the enrolled devices'
    signing keys. Empty in sessions issued before the console existed, and then left out of
    ``to_dict`` so their signed bytes stay the same."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            name: getattr(self, name) for name in self.__dataclass_fields__ if name != "candidates"
        }
        data["sealed_content_keys"] = dict(self.sealed_content_keys)
        if self.room_console:
            data["room_console"] = dict(self.room_console)
        else:
            del data["room_console"]
        data["candidates"] = [
            {
                name: (dict(v) if isinstance(v := getattr(c, name), Mapping) else v)
                for name in c.__dataclass_fields__
            }
            for c in self.candidates
        ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        try:
            fields = {k: v for k, v in data.items() if k != "candidates"}
            candidates = tuple(Candidate(**c) for c in data["candidates"])
            return cls(**fields, candidates=candidates)
        except (KeyError, TypeError) as exc:
            raise SessionError(
                "session.malformed",
                f"Fichier de session mal formé ({exc}).",
                f"Malformed session file ({exc}).",
            ) from exc

    def candidate(self, candidate_id: str) -> Candidate:
        for c in self.candidates:
            if c.id == candidate_id:
                return c
        raise KeyError(candidate_id)

    def check_access_code(self, code: str) -> bool:
        return crypto.verify_secret(code.strip().upper(), self.access_code_hash)

    def check_invigilator_password(self, password: str) -> bool:
        """Case, spaces and dashes ignored, O read as 0 and I/L as 1
        (``pixdesk.invigilator.normalise``, which the server hashed)."""
        return crypto.verify_secret(normalise(password), self.invigilator_password_hash)

    def find_candidate(self, last_name: str, first_name: str, birth_date: str) -> Candidate:
        """Match a check-in against the list, ignoring case, accents and extra spaces."""
        wanted = (_fold(last_name), _fold(first_name), birth_date.strip())
        matches = [
            c
            for c in self.candidates
            if (_fold(c.last_name), _fold(c.first_name), c.birth_date) == wanted
        ]
        if len(matches) != 1:
            raise SessionError(
                "session.unknown_candidate",
                "Aucun candidat de cette session ne correspond à ces nom, prénom et date de "
                "naissance. Vérifiez la saisie ou appelez le surveillant.",
                "No candidate of this session matches this name and birth date. "
                "Check what you typed or call the invigilator.",
            )
        return matches[0]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("-", " ").replace("'", " ").lower().split())


def sign_session(session: Session, server_key: Ed25519PrivateKey) -> dict[str, Any]:
    body = session.to_dict()
    return {
        "session": body,
        "signer": crypto.key_id(crypto.public_key_bytes(server_key)),
        "signature": crypto.b64e(crypto.sign(server_key, crypto.canonical_json(body))),
    }


def load_session(path: Path, trusted_server_keys: Mapping[str, bytes]) -> Session:
    """Read and verify a session file; refuse anything unsigned, unknown or altered, and a
    real session signed by a demo server key (whose private half anyone has)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        body, signer, signature = document["session"], document["signer"], document["signature"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SessionError(
            "session.unreadable",
            f"Fichier de session illisible : {path.name}.",
            f"Unreadable session file: {path.name}.",
        ) from exc
    public = trusted_server_keys.get(str(signer))
    if public is None:
        raise SessionError(
            "session.unknown_signer",
            "Fichier de session signé par un serveur inconnu.",
            "Session file signed by an unknown server.",
        )
    try:
        crypto.verify(public, crypto.b64d(str(signature)), crypto.canonical_json(body))
    except crypto.CryptoError as exc:
        raise SessionError(
            "session.bad_signature",
            "La signature du fichier de session est invalide : il a été modifié.",
            "The session file's signature is invalid: it was altered.",
        ) from exc
    session = Session.from_dict(body)
    if is_demo_key(Role.SERVER, str(signer)) and not session.demo:
        raise SessionError(
            "session.demo_key_real_session",
            "Session non marquée démonstration mais signée par la clé de démonstration "
            "(publique) : refusée.",
            "Session not marked demo but signed by the (public) demo key: refused.",
        )
    if (session.demo_access_code or session.demo_invigilator_password) and not session.demo:
        raise SessionError(
            "session.clear_secrets",
            "Un fichier de session réel ne doit contenir aucun secret en clair.",
            "A real session file must not contain clear-text secrets.",
        )
    return session
