"""Ingest of the device security journal: a PC's runs, checked like attempts.

A run is hash-chained and encrypted exactly like an attempt's journal (the run id in place
of the attempt id), so the same checks hold before anything is stored: the device's
signature (and revocation), the device named in the path being that device, the data key
unsealed with the server's key, every chain link from ``genesis_hash(run_id)`` and every
AES-GCM tag. Records are stored as written; the same batch again gets the same signed
receipt, and a batch that contradicts stored records is kept aside and refused (409).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from pixdesk import crypto
from pixdesk.chain import chain_hash, event_aad, event_header, genesis_hash
from pixdesk.server.config import MAX_TRIES, Refusal, ServerState, now_iso, server_busy
from pixdesk.server.ingest import (
    _bad_request,
    _check_idempotency_key,
    _ConflictFound,
    _json,
    _refuse_demo,
    _same,
    authenticate,
)
from pixdesk.sync import protocol
from pixdesk.sync.protocol import DeviceJournalBody, EventRecord, SignedReceipt

log = logging.getLogger(__name__)
RUN_PATH = re.compile(r"/v1/devices/(?P<device>[^/]+)/journal/(?P<run>[^/]+)/events\Z")

_COLUMNS = ("run_id", "seq", "kind", "schema", "mono_elapsed_ms", "wall_time_ms", "nonce",
            "ciphertext", "prev_hash", "hash", "received_at")
_INSERT = (f"INSERT INTO device_run_events ({', '.join(_COLUMNS)}) VALUES "
           f"({', '.join('?' * len(_COLUMNS))})")
_STORED = ("SELECT seq, kind, schema, mono_elapsed_ms, wall_time_ms, nonce, ciphertext, "
           "prev_hash, hash FROM device_run_events WHERE run_id = ? AND seq BETWEEN ? AND ?")


@dataclass(frozen=True)
class _Plan:
    """A batch verified against the head ``base_seq``/``base_hash``, ready to write."""

    sealed: bytes
    base_seq: int
    base_hash: bytes
    rows: list[tuple[Any, ...]]
    head_seq: int
    head_hash: bytes
    flag: str | None


def _bad_chain(seq: int, what: str) -> Refusal:
    return Refusal(
        422, "device_journal.bad_chain",
        f"Journal du poste, enregistrement n° {seq} refusé : {what}.",
        f"Device journal, record {seq} refused: {what}.",
    )


def _verify_new(run_id: str, data_key: bytes, records: list[EventRecord], head: bytes,
                now: str) -> list[tuple[Any, ...]]:
    """Rows for the new records once each link, hash and tag has held."""
    opener = crypto.Decryptor(data_key)
    prev, rows = head, []
    for record in records:
        seq = record["seq"]
        try:
            nonce = crypto.b64d(record["nonce"])
            ciphertext = crypto.b64d(record["ciphertext"])
        except crypto.CryptoError as exc:
            raise _bad_chain(seq, "base64") from exc
        if record["prev_hash"] != prev.hex():
            raise _bad_chain(seq, "maillon précédent incorrect / wrong previous link")
        header = event_header(run_id, seq, record["kind"], record["schema"],
                              record["mono_elapsed_ms"], record["wall_time_ms"])
        digest = chain_hash(prev, header, nonce, ciphertext)
        if digest.hex() != record["hash"]:
            raise _bad_chain(seq, "empreinte incorrecte / hash mismatch")
        try:
            opener.decrypt(nonce, ciphertext, event_aad(header))
        except crypto.CryptoError as exc:
            raise _bad_chain(seq, "authentification refusée / tag mismatch") from exc
        rows.append((run_id, seq, record["kind"], record["schema"], record["mono_elapsed_ms"],
                     record["wall_time_ms"], nonce, ciphertext, prev, digest, now))
        prev = digest
    return rows


def _plan(state: ServerState, conn: Connection, device_id: str, body: DeviceJournalBody,
          key: str) -> SignedReceipt | _Plan:
    """Every check, outside the write lock: the stored receipt if the batch is known."""
    run_id = body["run_id"]
    stored = conn.exec_driver_sql(state.sql(
        "SELECT signed FROM device_run_receipts WHERE run_id = ? AND idempotency_key = ?"),
        (run_id, key)).scalar_one_or_none()
    if stored is not None:
        known: SignedReceipt = json.loads(stored)
        return known
    run = conn.exec_driver_sql(state.sql(
        "SELECT device_id, sealed_data_key, head_seq, head_hash, demo, integrity "
        "FROM device_runs WHERE run_id = ?"), (run_id,)).one_or_none()
    if run is not None and run.device_id != device_id:
        raise Refusal(
            403, "device_journal.wrong_device",
            "Ce journal de sécurité appartient à un autre poste.",
            "This security journal belongs to another PC.",
        )
    if run is not None and bool(run.demo) != body["meta"]["demo"]:
        raise Refusal(
            422, "device_journal.meta_mismatch",
            "L'en-tête du journal ne correspond pas à celui déjà reçu (demo).",
            "The journal's header does not match the one already received (demo).",
        )
    try:
        sealed = (bytes(run.sealed_data_key) if run is not None
                  else crypto.b64d(body["sealed_data_key"]))
        data_key = crypto.open_sealed(state.keys.sealing, sealed, protocol.data_key_aad(run_id))
    except crypto.CryptoError as exc:
        raise Refusal(
            422, "device_journal.bad_key",
            "La clé du journal du poste n'est pas scellée pour ce serveur.",
            "The device journal's key is not sealed to this server.",
        ) from exc
    head_seq = run.head_seq if run is not None else 0
    head_hash = bytes(run.head_hash) if run is not None else genesis_hash(run_id)
    records = body["events"]
    first = records[0]["seq"]
    if first < 1 or any(r["seq"] != first + i for i, r in enumerate(records)):
        raise _bad_request(protocol.malformed("seq"))
    if first > head_seq + 1:
        raise Refusal(
            409, "device_journal.gap",
            f"Enregistrements manquants : le serveur a reçu jusqu'au n° {head_seq}.",
            f"Missing records: the server has received up to seq {head_seq}.",
            acked_through_seq=head_seq,
        )
    old = [r for r in records if r["seq"] <= head_seq]
    if old:
        rows = {row[0]: row for row in conn.exec_driver_sql(
            state.sql(_STORED), (run_id, old[0]["seq"], old[-1]["seq"]))}
        differing = [r for r in old if not _same(r, rows[r["seq"]])]
        if differing:
            raise _ConflictFound(differing)
    new = _verify_new(run_id, data_key, [r for r in records if r["seq"] > head_seq],
                      head_hash, now_iso())
    new_seq, new_hash = (new[-1][1], new[-1][9]) if new else (head_seq, head_hash)
    integrity = body["meta"].get("integrity")
    flag = integrity if run is None or run.integrity is None else None
    return _Plan(sealed, head_seq, head_hash, new, new_seq, new_hash, flag)


def _commit(state: ServerState, device_id: str, body: DeviceJournalBody, key: str,
            plan: _Plan, conn: Connection) -> SignedReceipt | None:
    """Write a planned batch; None if the head moved meanwhile (then plan again)."""
    run_id, sql = body["run_id"], state.sql
    found = conn.exec_driver_sql(sql(
        "SELECT head_seq, head_hash FROM device_runs WHERE run_id = ?" + sql.for_update),
        (run_id,)).one_or_none()
    head = (found[0], bytes(found[1])) if found is not None else (0, genesis_hash(run_id))
    if head != (plan.base_seq, plan.base_hash):
        return None
    now = now_iso()
    if found is None:
        conn.exec_driver_sql(sql(
            "INSERT INTO device_runs (run_id, device_id, demo, sealed_data_key, head_seq, "
            "head_hash, created_at, integrity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            (run_id, device_id, body["meta"]["demo"], plan.sealed, plan.head_seq,
             plan.head_hash, now, plan.flag))
    else:
        conn.exec_driver_sql(sql(
            "UPDATE device_runs SET head_seq = ?, head_hash = ?, "
            "integrity = COALESCE(integrity, ?) WHERE run_id = ?"),
            (plan.head_seq, plan.head_hash, plan.flag, run_id))
    if plan.rows:
        conn.exec_driver_sql(sql(_INSERT), plan.rows)
    receipt = protocol.sign_receipt(state.keys.signing, protocol.Receipt(
        attempt_id=run_id, acked_through_seq=plan.head_seq, head_hash=plan.head_hash.hex(),
        received_at=now, server_key_id=state.keys.key_id,
    ))
    conn.exec_driver_sql(sql(
        "INSERT INTO device_run_receipts (run_id, idempotency_key, signed) VALUES (?, ?, ?)"),
        (run_id, key, json.dumps(receipt)))
    return receipt


def _keep_conflicts(state: ServerState, run_id: str, device_id: str, key: str,
                    records: list[EventRecord]) -> None:
    with state.writing() as session:
        session.connection().exec_driver_sql(state.sql(
            "INSERT INTO device_run_conflicts (run_id, seq, device_id, record, received_at, "
            "batch_key) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, batch_key) "
            "DO NOTHING"),
            (run_id, records[0]["seq"], device_id, json.dumps(records, sort_keys=True),
             now_iso(), key))


def ingest_run(state: ServerState, device_id: str, run_id: str, path: str,
               headers: Mapping[str, str], body: bytes) -> SignedReceipt:
    """Verify and store one batch of a run; the signed receipt, or a ``Refusal``."""
    sender = "?"
    try:
        for _ in range(MAX_TRIES):
            with state.engine.connect() as conn:
                device = authenticate(state, "POST", path, headers, body)
                sender = device.device_id
                if not crypto.constant_time_equal(device_id, sender):
                    raise Refusal(
                        403, "device_journal.wrong_device",
                        "Un poste ne peut envoyer que son propre journal de sécurité.",
                        "A PC may only send its own security journal.",
                    )
                key = _check_idempotency_key(headers, body)
                try:
                    parsed = protocol.parse_device_journal_body(_json(body))
                except protocol.ProtocolError as exc:
                    raise _bad_request(exc) from exc
                if parsed["run_id"] != run_id or parsed["device_id"] != sender:
                    raise _bad_request(protocol.malformed("run_id / device_id"))
                _refuse_demo(state, parsed["meta"]["demo"], "")
                plan = _plan(state, conn, sender, parsed, key)
            if not isinstance(plan, _Plan):
                return plan
            try:
                receipt = state.write_grouped(
                    functools.partial(_commit, state, sender, parsed, key, plan))
            except IntegrityError:
                continue
            if receipt is not None:
                return receipt
        raise server_busy(state)
    except _ConflictFound as found:
        _keep_conflicts(state, run_id, sender, key, found.records)
        refusal = Refusal(
            409, "device_journal.conflict",
            f"Contenu différent pour un enregistrement déjà reçu (n° "
            f"{found.records[0]['seq']}) : les deux versions sont conservées pour examen.",
            f"Different content for a record already received (seq "
            f"{found.records[0]['seq']}): both versions are kept for review.",
        )
        log.warning("refused %s from %s: %s", path, sender, refusal.code)
        raise refusal from None
    except Refusal as refusal:
        log.warning("refused %s from %s: %s", path, sender, refusal.code)
        raise
