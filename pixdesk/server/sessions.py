"""Enrolment tokens, the device registry and session files.

A token is shown once to IT and stored only as its SHA-256; enrolling with it registers the
PC's public keys for one centre. A session file is the signed ``pixdesk.session.Session``
with the content key sealed to every enrolled PC of the centre; a PC enrolled later is
given its own sealed copy (and a fresh signature) the first time it asks.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from pixdesk import crypto, invigilator
from pixdesk.content.package import open_package
from pixdesk.errors import UsageError
from pixdesk.room.keys import new_room_trust
from pixdesk.server.config import (
    DEFAULT_TOKEN_HOURS,
    MAX_TOKEN_HOURS,
    Refusal,
    ServerState,
    content_authorities,
    demo_session_path,
    now_iso,
)
from pixdesk.server.models import ContentKey, Device, EnrolToken, SessionRecord
from pixdesk.session import (
    ACCESS_CODE_DIGITS,
    ACCESS_CODE_LETTERS,
    ACCESS_CODE_RE,
    Candidate,
    Session,
    load_session,
    sign_session,
)
from pixdesk.sync.protocol import EnrolResponse
from pixdesk.trust import Role, shipped_keys

TOKEN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().upper().encode("utf-8")).hexdigest()


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_enrol_token(state: ServerState, centre_id: str,
                    valid_hours: int = DEFAULT_TOKEN_HOURS) -> str:
    """A one-time token for one PC of ``centre_id``, valid ``valid_hours``; only its hash
    is kept."""
    if not 1 <= valid_hours <= MAX_TOKEN_HOURS:
        raise UsageError(
            "server.bad_token_validity",
            f"Durée de validité du jeton : de 1 à {MAX_TOKEN_HOURS} heures.",
            f"Token validity: from 1 to {MAX_TOKEN_HOURS} hours.",
        )
    token = "-".join(
        "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(4)) for _ in range(5)
    )
    now = datetime.datetime.now(datetime.UTC)
    with state.writing() as session:
        session.add(EnrolToken(token_hash=_token_hash(token), centre_id=centre_id,
                               created_at=_iso(now),
                               expires_at=_iso(now + datetime.timedelta(hours=valid_hours))))
    return token


def _expired(token: EnrolToken) -> bool:
    expires = (
        datetime.datetime.fromisoformat(token.expires_at) if token.expires_at is not None
        else datetime.datetime.fromisoformat(token.created_at)
        + datetime.timedelta(hours=DEFAULT_TOKEN_HOURS)
    )
    return datetime.datetime.now(datetime.UTC) >= expires


def revoke_device(state: ServerState, device_id: str, reason: str) -> tuple[Device, bool]:
    """Mark a device revoked (every worker refuses it within ``DEVICE_RECHECK_S``); the
    device and whether this call revoked it (False: it already was, and stays as it was)."""
    with state.writing() as session:
        device = session.get(Device, device_id, with_for_update=True)
        if device is None:
            raise UsageError("server.unknown_device", f"Poste inconnu : {device_id}.",
                             f"Unknown device: {device_id}.")
        revoked = device.revoked_at is None
        if revoked:
            device.revoked_at, device.revoked_reason = now_iso(), reason[:255] or None
        session.flush()
        session.expunge(device)
    return device, revoked


def _find_token(session: DbSession, token: str) -> EnrolToken | None:
    """Compare against every stored hash without stopping at the first match."""
    wanted = _token_hash(token)
    found = None
    for row in session.scalars(select(EnrolToken)):
        if crypto.constant_time_equal(row.token_hash, wanted):
            found = row
    return found


def _malformed(detail: str) -> Refusal:
    return Refusal(400, "request.malformed", f"Requête mal formée : {detail}.",
                   f"Malformed request: {detail}.")


def _device_exists() -> Refusal:
    return Refusal(409, "enrol.device_exists", "Ce poste est déjà enrôlé.",
                   "This PC is already enrolled.")


def enrol_device(state: ServerState, body: bytes) -> EnrolResponse:
    """Register a PC with a one-time token. The token row is locked before it is checked,
    so PCs racing with one token (PostgreSQL runs them side by side) enrol one PC only."""
    try:
        data = json.loads(body)
        fields = {
            name: data[name]
            for name in ("token", "device_id", "signing_public_key", "sealing_public_key",
                         "centre_id", "hostname")
        }
        if not all(isinstance(v, str) for v in fields.values()):
            raise ValueError("types")
        signing = crypto.b64d(fields["signing_public_key"])
        sealing = crypto.b64d(fields["sealing_public_key"])
        crypto.public_key_from_bytes(signing)
        crypto.seal(sealing, b"check")
    except (ValueError, KeyError, TypeError, crypto.CryptoError) as exc:
        raise _malformed(str(exc)) from exc
    try:
        with state.writing() as session:
            token = _find_token(session, fields["token"])
            if token is not None:
                session.refresh(token, with_for_update=True)
            if token is None or token.centre_id != fields["centre_id"]:
                raise Refusal(403, "enrol.bad_token",
                              "Jeton d'enrôlement inconnu pour ce centre.",
                              "Unknown enrolment token for this centre.")
            if token.used_at is not None:
                raise Refusal(409, "enrol.token_used", "Ce jeton d'enrôlement a déjà servi.",
                              "This enrolment token has already been used.")
            if _expired(token):
                raise Refusal(403, "enrol.token_expired",
                              "Ce jeton d'enrôlement a expiré : demandez-en un nouveau.",
                              "This enrolment token has expired: ask for a new one.")
            if session.get(Device, fields["device_id"]) is not None:
                raise _device_exists()
            now = now_iso()
            token.used_at, token.used_by = now, fields["device_id"]
            session.add(Device(
                device_id=fields["device_id"], centre_id=fields["centre_id"],
                hostname=fields["hostname"][:255], signing_public_key=signing,
                sealing_public_key=sealing, enrolled_at=now,
            ))
    except IntegrityError as exc:
        raise _device_exists() from exc
    return EnrolResponse(device_id=fields["device_id"], enrolled_at=now)


def generate_access_code() -> str:
    letters = "".join(secrets.choice(ACCESS_CODE_LETTERS) for _ in range(4))
    return letters + "".join(secrets.choice(ACCESS_CODE_DIGITS) for _ in range(2))


def generate_password() -> str:
    return invigilator.new_password()


_CSV_FIELDS = ("id", "last_name", "first_name", "birth_date")


def read_candidates(path: Path) -> tuple[Candidate, ...]:
    """Candidates from a CSV with a header row (``;`` or ``,``): id, last_name, first_name,
    birth_date (YYYY-MM-DD), and optionally birth_place, external_id, extra_time_percentage,
    accessibility_adjustment (oui/yes/1)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
        rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
        candidates = tuple(
            Candidate(
                id=row["id"].strip(), last_name=row["last_name"].strip(),
                first_name=row["first_name"].strip(), birth_date=row["birth_date"].strip(),
                birth_place=(row.get("birth_place") or "").strip(),
                external_id=(row.get("external_id") or "").strip(),
                extra_time_percentage=float(row.get("extra_time_percentage") or 0),
                accessibility_adjustment=(row.get("accessibility_adjustment") or "").strip()
                .lower() in ("1", "oui", "yes", "true"),
            )
            for row in rows
        )
    except (OSError, UnicodeDecodeError, csv.Error, IndexError, KeyError, ValueError,
            AttributeError) as exc:
        raise UsageError(
            "server.bad_candidates",
            f"Liste de candidats illisible : {path} ({exc}). Colonnes attendues : "
            + ", ".join(_CSV_FIELDS) + ".",
            f"Unreadable candidate list: {path} ({exc}). Expected columns: "
            + ", ".join(_CSV_FIELDS) + ".",
        ) from exc
    if not candidates or len({c.id for c in candidates}) != len(candidates):
        raise UsageError(
            "server.bad_candidates",
            f"Liste de candidats vide ou identifiants en double : {path}.",
            f"Empty candidate list or duplicate ids: {path}.",
        )
    return candidates


def _new_session_id(session: DbSession) -> str:
    while True:
        candidate = str(secrets.randbelow(9_000_000) + 1_000_000)
        if session.get(SessionRecord, candidate) is None:
            return candidate


def create_session(
    state: ServerState,
    *,
    package: Path,
    content_key: bytes,
    centre_id: str,
    centre_name: str,
    date: str,
    room: str,
    candidates: Sequence[Candidate],
    access_code: str,
    invigilator_password: str,
    version_id: str | None = None,
) -> dict[str, Any]:
    """Issue a session: the signed document, also stored to be served to the centre's PCs."""
    if not ACCESS_CODE_RE.match(access_code):
        raise UsageError(
            "server.bad_access_code",
            "Code d'accès invalide : 4 lettres parmi BCDFGHJKMPQRTVWXY puis 2 chiffres parmi "
            "2346789.",
            "Invalid access code: 4 letters from BCDFGHJKMPQRTVWXY then 2 digits from 2346789.",
        )
    try:
        well_formed = datetime.date.fromisoformat(date).isoformat() == date
    except ValueError:
        well_formed = False
    if not well_formed:
        raise UsageError("server.bad_date",
                         f"Date de session invalide : {date} (attendu AAAA-MM-JJ).",
                         f"Invalid session date: {date} (expected YYYY-MM-DD).")
    if not invigilator.is_strong(invigilator_password):
        raise UsageError(
            "server.bad_password",
            f"Le mot de passe surveillant doit compter au moins {invigilator.SYMBOLS} "
            f"caractères parmi {invigilator.ALPHABET} (tirez-en un : omettez "
            "--invigilator-password).",
            f"The invigilator password must hold at least {invigilator.SYMBOLS} characters "
            f"from {invigilator.ALPHABET} (leave out --invigilator-password to draw one).",
        )
    opened = open_package(package, content_key=content_key,
                          trusted_keys=content_authorities(state.config))
    if opened.demo and not state.config.accept_demo:
        raise UsageError(
            "server.demo_refused",
            f"{package.name} est un paquet de démonstration : ce serveur ne l'accepte pas "
            "(--accept-demo pour un serveur de répétition).",
            f"{package.name} is a demo package: this server does not accept it "
            "(--accept-demo for a rehearsal server).",
        )
    package_id = opened.manifest.package_id
    version = version_id or opened.default_version
    if version not in opened.versions:
        raise UsageError("server.unknown_version", f"Version inconnue : {version}.",
                         f"Unknown version: {version}.")
    aad = package_id.encode("utf-8")
    with state.writing() as session:
        devices = list(session.scalars(select(Device).where(Device.centre_id == centre_id,
                                                            Device.revoked_at.is_(None))))
        session_id = _new_session_id(session)
        issued = Session(
            id=session_id, centre_id=centre_id, centre_name=centre_name,
            date=date, room=room, access_code_hash=crypto.hash_secret(access_code),
            invigilator_password_hash=crypto.hash_secret(
                invigilator.normalise(invigilator_password)),
            version_id=version, package_id=package_id, candidates=tuple(candidates),
            server_public_key=crypto.b64e(state.keys.signing_public),
            sealed_content_keys={
                d.device_id: crypto.b64e(crypto.seal(d.sealing_public_key, content_key, aad))
                for d in devices
            },
            demo=opened.demo,
            room_console=new_room_trust(session_id, invigilator_password,
                                {d.device_id: d.signing_public_key for d in devices}),
        )
        document = sign_session(issued, state.keys.signing)
        sealed_for_server = crypto.seal(state.keys.sealing_public, content_key, aad)
        existing = session.get(ContentKey, package_id)
        if existing is None:
            session.add(ContentKey(package_id=package_id, sealed_key=sealed_for_server))
        session.add(SessionRecord(session_id=issued.id, centre_id=centre_id,
                                  package_id=package_id, document=json.dumps(document),
                                  created_at=now_iso()))
    return document


def load_session_record(state: ServerState, session_id: str) -> Session | None:
    with DbSession(state.engine) as session:
        record = session.get(SessionRecord, session_id)
        return None if record is None else Session.from_dict(json.loads(record.document)["session"])


def session_for_device(state: ServerState, session_id: str, device: Device) -> dict[str, Any]:
    """The session file for ``device``, sealing the content key to it if it is new (the
    row is locked: PCs added at the same moment must not drop each other's key). The
    shipped demo session holds no secret (its key is public) and goes to any PC."""
    with state.writing() as session:
        record = session.get(SessionRecord, session_id, with_for_update=True)
        if record is None:
            raise Refusal(404, "session.unknown", f"Session inconnue : {session_id}.",
                          f"Unknown session: {session_id}.")
        document: dict[str, Any] = json.loads(record.document)
        issued = Session.from_dict(document["session"])
        if issued.demo and not state.config.accept_demo:
            raise Refusal(403, "session.demo_refused",
                          "Session de démonstration : ce serveur ne la distribue pas.",
                          "Demo session: this server does not hand it out.")
        stored_key = session.get(ContentKey, issued.package_id)
        if issued.demo and stored_key is None:
            return document
        if device.centre_id != issued.centre_id:
            raise Refusal(403, "session.wrong_centre",
                          "Cette session appartient à un autre centre.",
                          "This session belongs to another centre.")
        if device.device_id in issued.sealed_content_keys:
            return document
        if stored_key is None:
            raise Refusal(409, "session.no_content_key",
                          "Le serveur n'a pas la clé de contenu de cette session.",
                          "The server lacks this session's content key.")
        aad = issued.package_id.encode("utf-8")
        content_key = crypto.open_sealed(state.keys.sealing, stored_key.sealed_key, aad)
        keys = dict(issued.sealed_content_keys)
        keys[device.device_id] = crypto.b64e(crypto.seal(device.sealing_public_key,
                                                         content_key, aad))
        fields = issued.to_dict() | {"sealed_content_keys": keys}
        if issued.room_console:
            device_keys = dict(issued.room_console.get("device_keys", {}))
            device_keys[device.device_id] = crypto.b64e(device.signing_public_key)
            fields["room_console"] = dict(issued.room_console) | {"device_keys": device_keys}
        document = sign_session(Session.from_dict(fields), state.keys.signing)
        record.document = json.dumps(document)
        return document


def import_demo_session(state: ServerState, path: Path | None = None) -> None:
    """Make the shipped demo session (``path``: the shipped file) known, so demo attempts
    can be exported like others. It is checked like any session file, with the shipped
    server keys: a file signed by the demo key that does not say ``demo`` is refused."""
    path = path or demo_session_path()
    issued = load_session(path, shipped_keys(Role.SERVER))
    try:
        with state.writing() as session:
            if session.get(SessionRecord, issued.id) is None:
                session.add(SessionRecord(
                    session_id=issued.id, centre_id=issued.centre_id,
                    package_id=issued.package_id,
                    document=path.read_text(encoding="utf-8"),
                    created_at=now_iso(),
                ))
    except IntegrityError:
        pass  # another worker process imported it at the same moment
