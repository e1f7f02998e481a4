"""Ingest: verify everything a device sends, then store it once, idempotently.

Nothing is written before the device's signature, the attempt key, every chain link and
every AES-GCM tag have checked out, so the database only ever holds records that the device
really wrote, in order, for that attempt. A batch the server has already seen gets the
receipt it got the first time; a record that contradicts a stored one is kept aside as
evidence and refused, never written over. The online endpoint and ``pixdesk-server import``
both come through here, so an emergency export meets exactly the same checks.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pixdesk import crypto
from pixdesk.chain import chain_hash, event_aad, event_header, genesis_hash
from pixdesk.engine.attempt import Event, Kind
from pixdesk.errors import UsageError
from pixdesk.server import rescoring
from pixdesk.server.config import (
    DEVICE_RECHECK_S,
    MAX_TRIES,
    Refusal,
    ServerState,
    SessionFacts,
    now_iso,
    server_busy,
)
from pixdesk.server.models import Device
from pixdesk.session import Session as IssuedSession
from pixdesk.sync import protocol
from pixdesk.sync.protocol import (
    AttemptMeta,
    EventRecord,
    EventsBody,
    ResultResponse,
    SignedReceipt,
)

log = logging.getLogger(__name__)
ATTEMPT_PATH = re.compile(r"/v1/attempts/(?P<attempt>[^/]+)/(?P<what>events|result)\Z")


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _device(state: ServerState, device_id: str) -> Device | None:
    """The device row as this process last read it, read again once ``DEVICE_RECHECK_S``
    has passed so that a revocation reaches every worker."""
    now = time.monotonic()
    known = state.devices.get(device_id)
    if known is not None and now - known[1] < DEVICE_RECHECK_S:
        return known[0]
    with Session(state.engine) as session:
        device = session.get(Device, device_id)
        if device is None:
            return None
        session.expunge(device)
    state.devices[device_id] = (device, now)
    return device


def authenticate(
    state: ServerState,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
) -> Device:
    """The enrolled device that signed this request (detached), or a refusal: 401 for an
    unknown device or a bad signature, 403 ``device.revoked`` for a revoked one.

    Enrolled keys never change, so each worker keeps the devices it has seen in memory and
    reads a device's row again only every ``DEVICE_RECHECK_S`` (see ``_device``)."""
    h = _lower(headers)
    device_id = h.get(protocol.HEADER_DEVICE.lower(), "")
    device = _device(state, device_id) if device_id else None
    if device is None:
        raise Refusal(
            401, "device.unknown",
            "Appareil inconnu du serveur : enrôlez ce poste.",
            "Device unknown to the server: enrol this PC.",
        )
    try:
        protocol.verify_request(
            device.signing_public_key, method, path,
            h.get(protocol.HEADER_TIMESTAMP.lower(), ""), body,
            h.get(protocol.HEADER_SIGNATURE.lower(), ""),
        )
    except protocol.ProtocolError as exc:
        raise Refusal(401, exc.code, exc.fr, exc.en) from exc
    if device.revoked_at is not None:
        raise Refusal(
            403, "device.revoked",
            f"Ce poste a été révoqué le {device.revoked_at} : le serveur refuse ses envois. "
            "Appelez le support informatique (rien n'est effacé sur le poste).",
            f"This PC was revoked on {device.revoked_at}: the server refuses what it sends. "
            "Call IT support (nothing is deleted on the PC).",
        )
    return device


def _bad_request(error: protocol.ProtocolError) -> Refusal:
    return Refusal(400, error.code, error.fr, error.en)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _bad_request(protocol.malformed("JSON")) from exc


def _check_idempotency_key(headers: Mapping[str, str], body: bytes) -> str:
    key = _lower(headers).get(protocol.HEADER_IDEMPOTENCY.lower(), "")
    if not crypto.constant_time_equal(key, protocol.idempotency_key(body)):
        raise Refusal(
            400, "request.bad_idempotency_key",
            "L'en-tête Idempotency-Key ne correspond pas au contenu envoyé.",
            "The Idempotency-Key header does not match the body.",
        )
    return key


def _refuse_demo(state: ServerState, demo: bool, package_id: str) -> None:
    if (demo or state.is_demo_package(package_id)) and not state.config.accept_demo:
        raise Refusal(
            403, "attempt.demo_refused",
            "Résultat de démonstration : ce serveur ne l'accepte pas.",
            "Demo result: this server does not accept it.",
        )


def session_facts(state: ServerState, session_id: str) -> SessionFacts | None:
    """The facts of a session this server issued (or imported), read once per process."""
    facts = state.sessions.get(session_id)
    if facts is not None:
        return facts
    with state.engine.connect() as conn:
        document = conn.exec_driver_sql(state.sql(
            "SELECT document FROM sessions WHERE session_id = ?"), (session_id,)
        ).scalar_one_or_none()
    if document is None:
        return None
    signed = json.loads(document)
    issued = IssuedSession.from_dict(signed["session"])
    facts = SessionFacts(
        session_id=issued.id, centre_id=issued.centre_id, package_id=issued.package_id,
        version_id=issued.version_id, date=issued.date, demo=issued.demo,
        candidates=frozenset(c.id for c in issued.candidates),
        shipped_demo=issued.demo and signed.get("signer") != state.keys.key_id,
    )
    state.sessions[session_id] = facts
    return facts


_META_FIELDS: tuple[Literal["session_id", "candidate_id", "package_id", "version_id"], ...] = (
    "session_id", "candidate_id", "package_id", "version_id")


def _meta_mismatch(fields: list[str]) -> Refusal:
    named = ", ".join(fields)
    return Refusal(
        422, "attempt.meta_mismatch",
        f"L'en-tête de l'épreuve ne correspond pas à ses événements signés ({named}).",
        f"The attempt's header does not match its signed events ({named}).",
    )


def _not_allowed(code: str, fr: str, en: str) -> Refusal:
    return Refusal(403, code, fr, en)


def authorise_attempt(
    state: ServerState, device: Device, meta: AttemptMeta, started: Event
) -> SessionFacts:
    """Refuse an attempt that ``device`` may not file, judged on its signed first event
    (``started``, decrypted): the clear ``meta`` must say the same, the session must be one
    this server issued, for the device's centre, listing the candidate, with the session's
    package and version, on the session's day (``SessionFacts.open_at``; the shipped demo
    session is rehearsed any day, in any version of its package). Only the first
    batch of an attempt holds that event; later batches are held to the stored attempt
    (``_check_stored_meta``). The session facts are cached per process: no query per
    request once a session has been seen."""
    if started.kind is not Kind.ATTEMPT_STARTED:
        raise _meta_mismatch(["attempt_started"])
    signed = started.payload
    differing: list[str] = [name for name in _META_FIELDS if signed.get(name) != meta[name]]
    if differing:
        raise _meta_mismatch(differing)
    facts = session_facts(state, meta["session_id"])
    if facts is None:
        raise _not_allowed(
            "attempt.unknown_session",
            f"Session inconnue de ce serveur : {meta['session_id']}.",
            f"Session unknown to this server: {meta['session_id']}.",
        )
    if meta["demo"] != facts.demo:
        raise _meta_mismatch(["demo"])
    _refuse_demo(state, facts.demo, facts.package_id)
    if device.centre_id != facts.centre_id:
        raise _not_allowed(
            "attempt.wrong_centre",
            f"Ce poste est enrôlé pour le centre {device.centre_id}, pas pour celui de la "
            f"session {facts.session_id}.",
            f"This PC is enrolled for centre {device.centre_id}, not for the centre of "
            f"session {facts.session_id}.",
        )
    if meta["candidate_id"] not in facts.candidates:
        raise _not_allowed(
            "attempt.unknown_candidate",
            f"Le candidat {meta['candidate_id']} n'est pas inscrit à la session "
            f"{facts.session_id}.",
            f"Candidate {meta['candidate_id']} is not on the list of session "
            f"{facts.session_id}.",
        )
    if meta["package_id"] != facts.package_id:
        raise _not_allowed(
            "attempt.wrong_package",
            f"Paquet {meta['package_id']} : la session {facts.session_id} se passe avec "
            f"{facts.package_id}.",
            f"Package {meta['package_id']}: session {facts.session_id} uses "
            f"{facts.package_id}.",
        )
    if meta["version_id"] != facts.version_id and not facts.shipped_demo:
        raise _not_allowed(
            "attempt.wrong_version",
            f"Version {meta['version_id']} : la session {facts.session_id} se passe en "
            f"{facts.version_id}.",
            f"Version {meta['version_id']}: session {facts.session_id} uses "
            f"{facts.version_id}.",
        )
    if not facts.open_at(started.wall_ms):
        raise _not_allowed(
            "attempt.session_closed",
            f"Épreuve commencée hors du jour de la session {facts.session_id} "
            f"({facts.date}).",
            f"Attempt started outside the day of session {facts.session_id} ({facts.date}).",
        )
    return facts


def _check_stored_meta(meta: AttemptMeta, stored: Any) -> None:
    """A later batch's ``meta`` must repeat what the attempt was stored with."""
    differing: list[str] = [name for name in _META_FIELDS
                            if getattr(stored, name) != meta[name]]
    if bool(stored.demo) != meta["demo"]:
        differing.append("demo")
    if differing:
        raise _meta_mismatch(differing)


def _bad_chain(seq: int, what: str) -> Refusal:
    return Refusal(
        422, "attempt.bad_chain",
        f"Événement n° {seq} refusé : {what}.",
        f"Event {seq} refused: {what}.",
    )


_STORED_EVENT = ("SELECT seq, kind, schema, mono_elapsed_ms, wall_time_ms, nonce, ciphertext, "
                 "prev_hash, hash FROM events WHERE attempt_id = ? AND seq BETWEEN ? AND ?")
_EVENT_COLUMNS = ("attempt_id", "seq", "kind", "schema", "mono_elapsed_ms", "wall_time_ms",
                  "nonce", "ciphertext", "prev_hash", "hash", "received_at")


@cache
def _insert_events(count: int) -> str:
    """An INSERT of ``count`` rows (see ``db.Sql.multi_row_insert``)."""
    row = "(" + ", ".join("?" * len(_EVENT_COLUMNS)) + ")"
    return (f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES "
            + ", ".join([row] * count))


def _same(record: EventRecord, row: tuple[Any, ...]) -> bool:
    seq, kind, schema, mono_ms, wall_ms, nonce, ciphertext, prev_hash, digest = row
    return protocol.event_record(
        seq=seq, kind=kind, schema=schema, mono_elapsed_ms=mono_ms, wall_time_ms=wall_ms,
        nonce=bytes(nonce), ciphertext=bytes(ciphertext), prev_hash=bytes(prev_hash),
        hash=bytes(digest),
    ) == record


_DECODER = json.JSONDecoder()


def _payload(plaintext: bytes) -> Any:
    """``json.loads(plaintext)``, read as UTF-8 first: that is what every device writes, and
    it spares sniffing the encoding of each of a batch's payloads. Valid JSON never holds the
    NUL bytes or BOM that other encodings start with, so any text this first reading
    refuses is handed to ``json.loads``, which then accepts or refuses it as it always did."""
    try:
        return _DECODER.decode(plaintext.decode("utf-8"))
    except ValueError:
        return json.loads(plaintext)


@dataclass(frozen=True)
class _Verified:
    """New records whose chain and tags held, ready to store."""

    rows: list[tuple[Any, ...]]
    """Values of ``_EVENT_COLUMNS``, one tuple per record."""
    events: list[Event]
    """The same records decrypted, as the engine reads them."""
    head_seq: int
    head_hash: bytes
    claimed: dict[str, Any] | None
    """The result inside a new ``ended`` event, if the batch holds one."""


def _verify_new(
    attempt_id: str, data_key: bytes, records: list[EventRecord], head_hash: bytes, now: str
) -> _Verified:
    prev, claimed = head_hash, None
    opener = crypto.Decryptor(data_key)
    rows: list[tuple[Any, ...]] = []
    events: list[Event] = []
    seq = 0
    for record in records:
        seq = record["seq"]
        try:
            nonce = crypto.b64d(record["nonce"])
            ciphertext = crypto.b64d(record["ciphertext"])
        except crypto.CryptoError as exc:
            raise _bad_chain(seq, "base64") from exc
        if record["prev_hash"] != prev.hex():
            raise _bad_chain(seq, "maillon précédent incorrect / wrong previous link")
        header = event_header(
            attempt_id, seq, record["kind"], record["schema"], record["mono_elapsed_ms"],
            record["wall_time_ms"],
        )
        digest = chain_hash(prev, header, nonce, ciphertext)
        if digest.hex() != record["hash"]:
            raise _bad_chain(seq, "empreinte incorrecte / hash mismatch")
        try:
            plaintext = opener.decrypt(nonce, ciphertext, event_aad(header))
        except crypto.CryptoError as exc:
            raise _bad_chain(seq, "authentification refusée / tag mismatch") from exc
        try:
            payload = _payload(plaintext)
            if not isinstance(payload, dict):
                raise ValueError("payload")
            events.append(Event(Kind(record["kind"]), payload, record["mono_elapsed_ms"],
                                record["wall_time_ms"]))
        except ValueError as exc:
            raise _bad_chain(seq, f"contenu ou type inconnu / unknown payload or kind "
                                  f"{record['kind']!r}") from exc
        if record["kind"] == Kind.ENDED and isinstance(payload.get("result"), dict):
            claimed = payload["result"]
        rows.append((attempt_id, seq, record["kind"], record["schema"],
                     record["mono_elapsed_ms"], record["wall_time_ms"], nonce, ciphertext, prev,
                     digest, now))
        prev = digest
    return _Verified(rows, events, seq, prev, claimed)


class _ConflictFound(Exception):
    def __init__(self, records: list[EventRecord]) -> None:
        super().__init__("conflict")
        self.records = records


@dataclass(frozen=True)
class _Plan:
    """A batch verified against the head ``base_seq``/``base_hash``, ready to write."""

    sealed: bytes
    base_seq: int
    base_hash: bytes
    verified: _Verified
    outcome: rescoring.Outcome | None
    """The server's result when the batch holds a whole attempt that ended."""
    flag: str | None = None
    """An integrity code to store: the batch's ``meta.integrity`` when the attempt is new
    or not flagged yet (a flag is never cleared nor replaced)."""


def _stored_receipt(state: ServerState, conn: Connection, attempt_id: str,
                    key: str) -> SignedReceipt | None:
    stored = conn.exec_driver_sql(state.sql(
        "SELECT signed FROM receipts WHERE attempt_id = ? AND idempotency_key = ?"),
        (attempt_id, key)).scalar_one_or_none()
    if stored is None:
        return None
    receipt: SignedReceipt = json.loads(stored)
    return receipt


def _plan(
    state: ServerState, conn: Connection, device: Device, body: EventsBody, key: str
) -> SignedReceipt | _Plan:
    """Every check, outside the write lock: the stored receipt if the batch is known."""
    attempt_id = body["attempt_id"]
    known = _stored_receipt(state, conn, attempt_id, key)
    if known is not None:
        return known
    attempt = conn.exec_driver_sql(state.sql(
        "SELECT device_id, sealed_data_key, head_seq, head_hash, session_id, candidate_id, "
        "package_id, version_id, demo, integrity FROM attempts WHERE attempt_id = ?"),
        (attempt_id,)).one_or_none()
    if attempt is not None and attempt.device_id != device.device_id:
        raise Refusal(
            403, "attempt.wrong_device",
            "Cette épreuve a été commencée sur un autre poste.",
            "This attempt was started on another PC.",
        )
    if attempt is not None:
        _check_stored_meta(body["meta"], attempt)
    try:
        sealed = (
            bytes(attempt.sealed_data_key) if attempt is not None
            else crypto.b64d(body["sealed_data_key"])
        )
        data_key = crypto.open_sealed(state.keys.sealing, sealed, protocol.data_key_aad(attempt_id))
    except crypto.CryptoError as exc:
        raise Refusal(
            422, "attempt.bad_key",
            "La clé de l'épreuve n'est pas scellée pour ce serveur.",
            "The attempt key is not sealed to this server.",
        ) from exc
    head_seq = attempt.head_seq if attempt is not None else 0
    head_hash = bytes(attempt.head_hash) if attempt is not None else genesis_hash(attempt_id)
    records = body["events"]
    first = records[0]["seq"]
    if any(r["seq"] != first + i for i, r in enumerate(records)) or first < 1:
        raise _bad_request(protocol.malformed("seq"))
    if first > head_seq + 1:
        raise Refusal(
            409, "attempt.gap",
            f"Événements manquants : le serveur a reçu jusqu'au n° {head_seq}.",
            f"Missing events: the server has received up to seq {head_seq}.",
            acked_through_seq=head_seq,
        )
    old = [r for r in records if r["seq"] <= head_seq]
    if old:
        rows = {
            row[0]: row for row in conn.exec_driver_sql(
                state.sql(_STORED_EVENT), (attempt_id, old[0]["seq"], old[-1]["seq"]))
        }
        differing = [r for r in old if not _same(r, rows[r["seq"]])]
        if differing:
            raise _ConflictFound(differing)
    verified = _verify_new(
        attempt_id, data_key, [r for r in records if r["seq"] > head_seq], head_hash, now_iso()
    )
    if attempt is None:
        authorise_attempt(state, device, body["meta"], verified.events[0])
    outcome = None
    if verified.claimed is not None and head_seq == 0:
        meta = body["meta"]
        outcome = rescoring.compute(state, meta["package_id"], meta["version_id"],
                                    verified.events)
    integrity = body["meta"].get("integrity")
    flag = integrity if attempt is None or attempt.integrity is None else None
    return _Plan(sealed, head_seq, head_hash, verified, outcome, flag)


def _commit(
    state: ServerState, device: Device, body: EventsBody, key: str, plan: _Plan,
    conn: Connection,
) -> SignedReceipt | None:
    """Write a planned batch in ``conn``'s transaction; None if the head moved meanwhile
    (the attempt row is locked on PostgreSQL, so the head read here stays the head). The
    same batch committed concurrently either moved the head or, if it held nothing new,
    makes the receipt insert fail: both end in a new plan, which finds the stored receipt."""
    attempt_id, sql = body["attempt_id"], state.sql
    found = conn.exec_driver_sql(sql(
        "SELECT head_seq, head_hash FROM attempts WHERE attempt_id = ?" + sql.for_update),
        (attempt_id,)).one_or_none()
    head = (found[0], bytes(found[1])) if found is not None else (
        0, genesis_hash(attempt_id))
    if head != (plan.base_seq, plan.base_hash):
        return None
    now = now_iso()
    verified = plan.verified
    head_seq, head_hash = (
        (verified.head_seq, verified.head_hash) if verified.rows else head
    )
    if found is None:
        meta = body["meta"]
        conn.exec_driver_sql(sql(
            "INSERT INTO attempts (attempt_id, device_id, session_id, candidate_id, "
            "version_id, package_id, demo, sealed_data_key, head_seq, head_hash, "
            "created_at, integrity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            (attempt_id, device.device_id, meta["session_id"], meta["candidate_id"],
             meta["version_id"], meta["package_id"], meta["demo"], plan.sealed, head_seq,
             head_hash, now, plan.flag))
    else:
        if plan.flag is not None:
            conn.exec_driver_sql(sql(
                "UPDATE attempts SET integrity = ? WHERE attempt_id = ? AND integrity IS NULL"),
                (plan.flag, attempt_id))
        if verified.rows:
            conn.exec_driver_sql(sql(
                "UPDATE attempts SET head_seq = ?, head_hash = ? WHERE attempt_id = ?"),
                (head_seq, head_hash, attempt_id))
    if verified.rows and sql.multi_row_insert:
        conn.exec_driver_sql(sql(_insert_events(len(verified.rows))),
                             tuple(chain.from_iterable(verified.rows)))
    elif verified.rows:
        conn.exec_driver_sql(sql(_insert_events(1)), verified.rows)
    receipt = protocol.sign_receipt(state.keys.signing, protocol.Receipt(
        attempt_id=attempt_id, acked_through_seq=head_seq, head_hash=head_hash.hex(),
        received_at=now, server_key_id=state.keys.key_id,
    ))
    conn.exec_driver_sql(sql(
        "INSERT INTO receipts (attempt_id, idempotency_key, signed) VALUES (?, ?, ?)"),
        (attempt_id, key, json.dumps(receipt)))
    if plan.outcome is not None:
        rescoring.insert_first(state, conn, attempt_id, verified.claimed, plan.outcome,
                               head_seq)
    return receipt


def _keep_conflicts(
    state: ServerState, attempt_id: str, device_id: str, key: str, records: list[EventRecord]
) -> None:
    """Keep a batch's records that contradict stored ones, as one row per distinct batch
    (``key``, the batch's Idempotency-Key): a PC that sends the same batch again adds
    nothing."""
    with state.writing() as session:
        session.connection().exec_driver_sql(state.sql(
            "INSERT INTO conflicts (attempt_id, seq, device_id, record, received_at, "
            "batch_key) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id, batch_key) "
            "DO NOTHING"),
            (attempt_id, records[0]["seq"], device_id, json.dumps(records, sort_keys=True),
             now_iso(), key))


def ingest_events(
    state: ServerState, attempt_id: str, path: str, headers: Mapping[str, str], body: bytes
) -> SignedReceipt:
    """Verify and store one batch; the signed receipt, or a ``Refusal``."""
    device_id = "?"
    try:
        for _ in range(MAX_TRIES):
            with state.engine.connect() as conn:
                device = authenticate(state, "POST", path, headers, body)
                device_id = device.device_id
                key = _check_idempotency_key(headers, body)
                try:
                    parsed = protocol.parse_events_body(_json(body))
                except protocol.ProtocolError as exc:
                    raise _bad_request(exc) from exc
                if parsed["attempt_id"] != attempt_id or parsed["device_id"] != device_id:
                    raise _bad_request(protocol.malformed("attempt_id / device_id"))
                _refuse_demo(state, parsed["meta"]["demo"], parsed["meta"]["package_id"])
                plan = _plan(state, conn, device, parsed, key)
            if not isinstance(plan, _Plan):
                return plan
            try:
                receipt = state.write_grouped(
                    functools.partial(_commit, state, device, parsed, key, plan))
            except IntegrityError:
                continue
            if receipt is None:
                continue
            if plan.verified.claimed is not None and plan.outcome is None:
                _rescore_after(state, attempt_id, plan.verified.claimed)
            return receipt
        raise server_busy(state)
    except _ConflictFound as found:
        _keep_conflicts(state, attempt_id, device_id, key, found.records)
        refusal = Refusal(
            409, "attempt.conflict",
            f"Contenu différent pour un événement déjà reçu (n° {found.records[0]['seq']}) : "
            "les deux versions sont conservées pour examen.",
            f"Different content for an event already received (seq {found.records[0]['seq']}):"
            " both versions are kept for review.",
        )
        log.warning("refused %s from %s: %s", path, device_id, refusal.code)
        raise refusal from None
    except Refusal as refusal:
        log.warning("refused %s from %s: %s", path, device_id, refusal.code)
        raise


def _rescore_after(state: ServerState, attempt_id: str, claimed: dict[str, Any]) -> None:
    """An attempt that ended in a later batch: re-score it from the stored events."""
    try:
        rescoring.rescore_and_store(state, attempt_id, claimed)
    except Refusal as refusal:
        log.warning("attempt %s not re-scored: %s", attempt_id, refusal.code)


def submit_result(
    state: ServerState, attempt_id: str, path: str, headers: Mapping[str, str], body: bytes
) -> ResultResponse:
    """The device's result: re-score from the stored events and compare."""
    device_id = "?"
    try:
        device = authenticate(state, "POST", path, headers, body)
        device_id = device.device_id
        try:
            parsed = protocol.parse_result_body(_json(body))
        except protocol.ProtocolError as exc:
            raise _bad_request(exc) from exc
        with state.engine.connect() as conn:
            attempt = rescoring.load(state, conn, attempt_id)
            if parsed["attempt_id"] != attempt_id or attempt is None or (
                attempt.device_id != device_id
            ):
                raise Refusal(
                    404, "attempt.unknown",
                    "Épreuve inconnue : envoyez d'abord ses événements.",
                    "Unknown attempt: send its events first.",
                )
            _refuse_demo(state, attempt.demo, attempt.package_id)
        return rescoring.rescore_and_store(state, attempt_id, parsed["result"], attempt)
    except Refusal as refusal:
        log.warning("refused %s from %s: %s", path, device_id, refusal.code)
        raise


@dataclass(frozen=True)
class ImportReport:
    accepted: int
    refused: list[tuple[str, str]]
    """(request path, error code) of every request refused."""


def import_export_file(state: ServerState, path: Path) -> ImportReport:
    """Replay an emergency export through the online checks (the device security journal's
    runs included); one bad request never stops the others, and importing the same file
    again changes nothing."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != protocol.EXPORT_FORMAT:
            raise ValueError("format")
        requests = [(r, "events") for r in document["batches"]]
        requests += [(r, "result") for r in document.get("results", [])]
        requests += [(r, "run") for r in document.get("runs", [])]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(
            "server.bad_export",
            f"Fichier d'export illisible : {path} ({exc}).",
            f"Unreadable export file: {path} ({exc}).",
        ) from exc
    from pixdesk.server.device_journal import RUN_PATH, ingest_run

    accepted, refused = 0, []
    for request, what in requests:
        try:
            target, headers = str(request["path"]), dict(request["headers"])
            body = protocol.encode_body(request["body"])
            if what == "run":
                run = RUN_PATH.match(target)
                if run is None:
                    raise _bad_request(protocol.malformed("path"))
                ingest_run(state, run["device"], run["run"], target, headers, body)
                accepted += 1
                continue
            match = ATTEMPT_PATH.match(target)
            if match is None or match["what"] != what:
                raise _bad_request(protocol.malformed("path"))
            if what == "result":
                submit_result(state, match["attempt"], target, headers, body)
            else:
                ingest_events(state, match["attempt"], target, headers, body)
            accepted += 1
        except Refusal as refusal:
            refused.append((str(request.get("path", "?")), refusal.code))
        except (KeyError, TypeError, ValueError, AttributeError):
            refused.append((str(request.get("path", "?")) if isinstance(request, dict)
                            else "?", "request.malformed"))
    return ImportReport(accepted, refused)
