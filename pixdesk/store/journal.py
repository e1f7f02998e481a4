"""The journal: every attempt's events, encrypted, hash-chained and durable on return.

This is the only truth an attempt is rebuilt from after a crash, so it is append-only and
checks itself on every read. Each payload is AES-256-GCM under the attempt's data key with
the event's clear fields as associated data; each record's hash chains it to the previous
one (``pixdesk.chain``); and after every append the new head is written to the key store,
outside the database, so that losing the tail or restoring an older file is detected rather
than silently resumed from. One lock serialises writers and each ``append`` commits all the
events of one intent in a single ``BEGIN IMMEDIATE`` transaction before returning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, exists, select
from sqlalchemy.orm import Session

from pixdesk.chain import (
    HEADER_DOMAIN,
    chain_hash,
    event_aad,
    event_header,
    event_header_prefixes,
    event_headers,
    genesis_hash,
)
from pixdesk.crypto import (
    CryptoError,
    Decryptor,
    canonical_json,
    encrypt,
    random_key,
    seal,
    unwrap_key,
    wrap_key,
)
from pixdesk.errors import JournalError, KeyStoreError
from pixdesk.store import db, keys
from pixdesk.store.db import disk_full as disk_full
from pixdesk.store.db import write_failures
from pixdesk.store.models import Attempt, Event, MetaEntry
from pixdesk.store.outbox_state import OutboxAttempt

DB_FILE = "journal.db"
RESERVE_FILE = "journal.reserve"
RESERVE_BYTES = 256 * 1024
"""Room kept back on the disk so that, when it fills up mid-exam, the lock that stops the
attempt can still be written: released on the first failed write, rebuilt after recovery."""
WRITE_FAILURES = frozenset({"journal.disk_full", "journal.write_failed"})
"""Codes of a write the journal could not make; what was committed before is intact."""
SCHEMA = 1
"""Version of the payload layout; it is bound into every record's associated data."""
_KIND = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")
_ATTEMPT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")
_SEAL_AAD = b"pixdesk-dek-v1|"
log = logging.getLogger(__name__)

What = Literal["tag", "hash", "gap", "order", "truncated", "rollback", "key", "vanished"]

WHAT_TEXT: dict[str, tuple[str, str]] = {
    "tag": (
        "contenu chiffré modifié, déplacé ou échangé (authentification refusée)",
        "encrypted content altered, moved or swapped (authentication failed)",
    ),
    "hash": ("chaînage rompu (empreinte incorrecte)", "chain broken (hash mismatch)"),
    "gap": ("événement manquant", "event missing"),
    "order": ("événements réordonnés ou déplacés", "events reordered or moved"),
    "truncated": ("fin du journal supprimée", "end of the journal removed"),
    "rollback": (
        "base restaurée depuis une copie plus ancienne",
        "database restored from an older copy",
    ),
    "key": (
        "clé ou point d'ancrage de l'épreuve manquant ou invalide",
        "attempt key or head record missing or invalid",
    ),
    "vanished": (
        "épreuve absente de la base alors que son point d'ancrage existe (copie plus ancienne "
        "restaurée)",
        "attempt missing from the database although its head record exists (older copy "
        "restored)",
    ),
}
DEGRADED_TEXT = (
    "fin du journal non garantie (point d'ancrage endommagé : coupure ou altération) — "
    "à revoir",
    "end of the journal not guaranteed (head record damaged: crash or tampering) — "
    "needs review",
)
DEGRADED = "journal.degraded"
"""The integrity code of an attempt that verifies but whose tail only the database vouches
for (docs/journal.md, "Degraded")."""


def integrity_text(code: str) -> tuple[str, str]:
    """What an integrity code means, in French and English."""
    if code == DEGRADED:
        return DEGRADED_TEXT
    return WHAT_TEXT.get(code.removeprefix("journal."), (code, code))


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append, with the two clocks its caller read.

    ``mono_elapsed_ms`` is exam time from the monotonic clock; ``wall_time_ms`` is the wall
    clock in milliseconds since the Unix epoch (UTC), kept as evidence only. Integers, not
    ISO strings, so the engine's ``wall_ms`` round-trips exactly and the header has one
    spelling.
    """

    kind: str
    payload: dict[str, Any]
    mono_elapsed_ms: int
    wall_time_ms: int


@dataclass(frozen=True, slots=True)
class StoredEvent:
    attempt_id: str
    seq: int
    kind: str
    payload: dict[str, Any]
    mono_elapsed_ms: int
    wall_time_ms: int
    hash: bytes


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    attempt_id: str
    created: str
    meta: dict[str, Any]
    head_seq: int
    head_hash: bytes
    sealed_key: bytes | None


@dataclass(frozen=True, slots=True)
class Break:
    """Where an attempt's journal stops being trustworthy; ``seq`` is None for the attempt."""

    attempt_id: str
    seq: int | None
    what: What

    def message(self, lang: str) -> str:
        fr, en = WHAT_TEXT[self.what]
        if lang == "en":
            where = f"attempt {self.attempt_id}" + ("" if self.seq is None else f", seq {self.seq}")
            return f"{where}: {en}"
        where = f"épreuve {self.attempt_id}" + ("" if self.seq is None else f", n° {self.seq}")
        return f"{where} : {fr}"


@dataclass(frozen=True, slots=True)
class AttemptCheck:
    attempt_id: str
    events: int
    """Events verified before the break (all of them when ``broken`` is None)."""
    broken: Break | None
    degraded: bool = False
    """Verified, but its head record had to be taken from before a torn write."""

    @property
    def integrity(self) -> str | None:
        """None when the journal vouches for the whole attempt; else the code sent with it."""
        if self.broken is not None:
            return f"journal.{self.broken.what}"
        return DEGRADED if self.degraded else None

    def message(self, lang: str) -> str:
        if self.broken is not None:
            return self.broken.message(lang)
        if lang == "en":
            text = f"attempt {self.attempt_id}: {self.events} events, "
            return text + (f"DEGRADED: {DEGRADED_TEXT[1]}" if self.degraded else "OK")
        text = f"épreuve {self.attempt_id} : {self.events} événements, "
        return text + (f"DÉGRADÉ : {DEGRADED_TEXT[0]}" if self.degraded else "OK")


@dataclass(frozen=True, slots=True)
class VerifyReport:
    attempts: tuple[AttemptCheck, ...]

    @property
    def ok(self) -> bool:
        """Every attempt verified and vouched for to its end (none degraded)."""
        return all(check.integrity is None for check in self.attempts)

    def integrity(self) -> dict[str, str | None]:
        return {check.attempt_id: check.integrity for check in self.attempts}

    @property
    def first_break(self) -> Break | None:
        return next((a.broken for a in self.attempts if a.broken is not None), None)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _invalid(fr: str, en: str) -> JournalError:
    return JournalError("journal.invalid_event", fr, en)


def _check_attempt_id(attempt_id: str) -> None:
    if not isinstance(attempt_id, str) or not _ATTEMPT_ID.match(attempt_id):
        raise JournalError(
            "journal.invalid_attempt_id",
            f"Identifiant d'épreuve invalide : {attempt_id!r}.",
            f"Invalid attempt id: {attempt_id!r}.",
        )


def _check_event(event: NewEvent) -> bytes:
    """Validate an event's clear fields and return its canonical payload bytes."""
    if not isinstance(event.kind, str) or not _KIND.match(event.kind):
        raise _invalid(f"Type d'événement invalide : {event.kind!r}.", f"Bad kind {event.kind!r}.")
    elapsed = event.mono_elapsed_ms
    if isinstance(elapsed, bool) or not isinstance(elapsed, int) or not 0 <= elapsed < 2**53:
        raise _invalid("Temps écoulé invalide.", f"Invalid mono_elapsed_ms: {elapsed!r}.")
    wall = event.wall_time_ms
    if isinstance(wall, bool) or not isinstance(wall, int) or not 0 <= wall < 2**53:
        raise _invalid(
            "Horodatage invalide (millisecondes depuis 1970 attendues).",
            f"Invalid wall_time_ms {wall!r} (milliseconds since the Unix epoch expected).",
        )
    if not isinstance(event.payload, dict):
        raise _invalid("Contenu d'événement invalide.", "Event payload must be a JSON object.")
    try:
        return canonical_json(event.payload)
    except (TypeError, ValueError) as error:
        raise _invalid(
            "Contenu d'événement non sérialisable.", f"Event payload is not JSON: {error}."
        ) from error


class Journal:
    """The local store of attempts; open one per data dir and share it between threads."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        key_store: keys.KeyStore,
        master: bytes | None,
        migration_backup: Path | None,
    ) -> None:
        self.path = path
        self.migration_backup = migration_backup
        """The copy taken before migrating an existing file at open, if any."""
        self._engine = engine
        self._writer = engine.execution_options(**{db.IMMEDIATE: True})
        self._pooled = engine.raw_connection()
        driver = self._pooled.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        self._raw = driver
        """One connection of the engine (same durable pragmas) kept for the hot paths,
        ``append`` and the verify walk, which speak SQL to sqlite3 directly: an answer's
        commit then costs one fsync and the crypto, not an ORM unit of work
        (docs/footprint.md)."""
        self._keys = key_store
        self._master = master
        self._lock = threading.Lock()
        self._data_keys: dict[str, bytes] = {}
        self._anchors: dict[str, keys.HeadRecord] = {}
        self._reserve_released = False

    @classmethod
    def open(
        cls, data_dir: Path, *, allow_file_key: bool = False, demo: bool = False,
        create: bool = True,
    ) -> Journal:
        """Open (or, if ``create``, start) the journal of ``data_dir``, migrating it first.

        ``create=False`` is for read-only tools such as ``pixdesk journal verify``: a missing
        journal is an error and no master key is made up for attempts that have lost theirs.
        """
        key_store = keys.open_key_store(data_dir, allow_file_key=allow_file_key, demo=demo)
        path = data_dir / DB_FILE
        existed = db.database_exists(path)
        if not existed and not create:
            raise JournalError(
                "journal.missing",
                f"Aucun journal dans {data_dir}.",
                f"No journal in {data_dir}.",
            )
        if not existed and os.name == "posix":
            data_dir.chmod(0o700)
        engine = db.open_engine(path)
        try:
            with write_failures(data_dir):
                backup = db.migrate(engine, path, existed=existed)
                writer = engine.execution_options(**{db.IMMEDIATE: True})
                with Session(writer) as session, session.begin():
                    defaults = {"format": str(SCHEMA), "device_id": str(uuid.uuid4())}
                    for key, value in (defaults | {"generation": "0"}).items():
                        if session.get(MetaEntry, key) is None:
                            session.add(MetaEntry(key=key, value=value))
            master = keys.master_key(key_store, create=create)
        except BaseException:
            engine.dispose()
            raise
        journal = cls(path, engine, key_store, master, backup)
        if create and master is not None:
            journal._register_existing(master)
            journal.keep_reserve()
        return journal

    def describe_keys(self) -> str:
        """``"keyring"`` or ``"file"``: where the master key and head records are kept."""
        return self._keys.describe()

    @property
    def device_id(self) -> str:
        with Session(self._engine) as session:
            entry = session.get(MetaEntry, "device_id")
            assert entry is not None
            return entry.value

    def close(self) -> None:
        self._pooled.close()
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def create_attempt(self, attempt_id: str, meta: dict[str, Any]) -> None:
        """Start an attempt with a fresh data key; ``meta`` is clear text, so scalars only."""
        _check_attempt_id(attempt_id)
        if not all(isinstance(v, str | int | bool | None) for v in meta.values()):
            raise JournalError(
                "journal.invalid_meta",
                "Les métadonnées d'épreuve doivent être des valeurs simples.",
                "Attempt metadata must be plain scalar values.",
            )
        master = self._require_master()
        data_key = random_key()
        genesis = genesis_hash(attempt_id)
        with (
            self._lock, write_failures(self.path.parent), Session(self._writer) as session,
            session.begin(),
        ):
            if session.get(Attempt, attempt_id) is not None:
                raise JournalError(
                    "journal.attempt_exists",
                    f"L'épreuve {attempt_id} existe déjà.",
                    f"Attempt {attempt_id} already exists.",
                )
            head = keys.HeadRecord(0, genesis, self._generation(session))
            try:
                self._write_anchor(attempt_id, head, master)
                keys.register_attempt(self._keys, master, attempt_id)
            except Exception as error:  # any keyring backend error: refuse before the exam
                if db.is_disk_full(error):
                    raise disk_full(self.path.parent) from error
                raise KeyStoreError(
                    "keys.write_failed",
                    "Impossible d'enregistrer le point d'ancrage de l'épreuve dans le trousseau.",
                    "Could not store the attempt's head record in the keyring.",
                ) from error
            session.add(
                Attempt(
                    attempt_id=attempt_id,
                    created=_now_iso(),
                    wrapped_key=wrap_key(master, data_key, attempt_id.encode("utf-8")),
                    meta_json=canonical_json(meta).decode("utf-8"),
                    head_seq=0,
                    head_hash=genesis,
                )
            )
        self._data_keys[attempt_id] = data_key

    def append(self, attempt_id: str, events: Sequence[NewEvent]) -> list[StoredEvent]:
        """Append ``events`` as one transaction; they are on disk when this returns."""
        payloads = [_check_event(event) for event in events]
        if not events:
            return []
        _check_attempt_id(attempt_id)
        conn = self._raw
        with self._lock:
            with write_failures(self.path.parent):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    stored, head = self._append_rows(conn, attempt_id, events, payloads)
                    conn.execute("COMMIT")
                finally:
                    if conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):  # keep the first error
                            conn.execute("ROLLBACK")
            self._anchor_after_commit(attempt_id, head)
        if self._reserve_released:
            self.keep_reserve()
        return stored

    def _append_rows(
        self, conn: sqlite3.Connection, attempt_id: str, events: Sequence[NewEvent],
        payloads: list[bytes],
    ) -> tuple[list[StoredEvent], keys.HeadRecord]:
        """Inside ``append``'s transaction: the rows, the attempt's head and the generation."""
        row = conn.execute(
            "SELECT head_seq, head_hash, wrapped_key FROM attempts WHERE attempt_id = ?",
            (attempt_id,),
        ).fetchone()
        if row is None:
            raise self._unknown(attempt_id)
        seq, prev, wrapped_key = int(row[0]), bytes(row[1]), bytes(row[2])
        self._refuse_if_behind_anchor(attempt_id, seq, prev)
        data_key = self._data_key(attempt_id, wrapped_key)
        if data_key is None:
            raise self._key_error(attempt_id)
        stored, rows = [], []
        for event, plaintext in zip(events, payloads, strict=True):
            seq += 1
            header = event_header(
                attempt_id, seq, event.kind, SCHEMA, event.mono_elapsed_ms, event.wall_time_ms
            )
            nonce, ciphertext = encrypt(data_key, plaintext, event_aad(header))
            digest = chain_hash(prev, header, nonce, ciphertext)
            rows.append((
                attempt_id, seq, event.kind, SCHEMA, nonce, ciphertext, prev, digest,
                event.mono_elapsed_ms, event.wall_time_ms,
            ))
            stored.append(StoredEvent(
                attempt_id, seq, event.kind, json.loads(plaintext), event.mono_elapsed_ms,
                event.wall_time_ms, digest,
            ))
            prev = digest
        conn.executemany(
            "INSERT INTO events (attempt_id, seq, kind, schema, nonce, ciphertext, prev_hash, "
            "hash, mono_elapsed_ms, wall_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "UPDATE attempts SET head_seq = ?, head_hash = ? WHERE attempt_id = ?",
            (seq, prev, attempt_id),
        )
        found = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        generation = (int(found[0]) if found is not None else 0) + 1
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(generation),),
        )
        return stored, keys.HeadRecord(seq, prev, generation)

    # --- the disk reserve ------------------------------------------------------------------

    def keep_reserve(self) -> bool:
        """Make sure the reserve file holds its room; False only when the disk has no room
        for it (then the next successful append tries again). Any other failure to write it
        is logged and never blocks the exam."""
        reserve = self.path.with_name(RESERVE_FILE)
        try:
            if not (reserve.is_file() and reserve.stat().st_size == RESERVE_BYTES):
                _write_reserve(reserve)
        except OSError as error:
            reserve.unlink(missing_ok=True)
            log.warning("no journal disk reserve: %s", error)
            if db.is_disk_full(error):
                return False
        self._reserve_released = False
        return True

    def release_reserve(self) -> bool:
        """Give the reserve's room back to the disk (it is full); whether there was one."""
        reserve = self.path.with_name(RESERVE_FILE)
        self._reserve_released = True
        try:
            reserve.unlink()
        except FileNotFoundError:
            return False
        return True

    def seal_for_server(self, attempt_id: str, public_x25519: bytes) -> bytes:
        """Seal the attempt's data key to the server so it can read the events even if this
        PC's keys are lost; stored with the attempt and returned."""
        with (
            self._lock, write_failures(self.path.parent), Session(self._writer) as session,
            session.begin(),
        ):
            attempt = self._attempt(session, attempt_id)
            data_key = self._data_key(attempt_id, attempt.wrapped_key)
            if data_key is None:
                raise self._key_error(attempt_id)
            try:
                sealed = seal(public_x25519, data_key, _SEAL_AAD + attempt_id.encode("utf-8"))
            except CryptoError as error:
                raise KeyStoreError(
                    "keys.bad_server_key",
                    "La clé publique du serveur est invalide.",
                    "The server public key is invalid.",
                ) from error
            attempt.sealed_key = sealed
        return sealed

    # --- reading ---------------------------------------------------------------------------

    def attempts(self) -> list[AttemptInfo]:
        with Session(self._engine) as session:
            rows = session.scalars(select(Attempt).order_by(Attempt.created, Attempt.attempt_id))
            return [
                AttemptInfo(
                    a.attempt_id, a.created, json.loads(a.meta_json), a.head_seq, a.head_hash,
                    a.sealed_key,
                )
                for a in rows
            ]

    def unacknowledged_results(self) -> list[str]:
        """The ended attempts whose result no server has accepted yet (the outbox's
        ``result_match`` still unset): what the room console shows as "not synced". One
        indexed query on the journal's own connection, cheap enough for every status."""
        ended = exists().where(Event.attempt_id == Attempt.attempt_id, Event.kind == "ended")
        acknowledged = exists().where(OutboxAttempt.attempt_id == Attempt.attempt_id,
                                      OutboxAttempt.result_match.is_not(None))
        query = (select(Attempt.attempt_id).where(ended, ~acknowledged)
                 .order_by(Attempt.created, Attempt.attempt_id))
        with Session(self._engine) as session:
            return list(session.scalars(query))

    def events(self, attempt_id: str) -> list[StoredEvent]:
        """Every event of the attempt, decrypted, after checking the whole chain and head."""
        _check_attempt_id(attempt_id)
        with Session(self._engine) as session, session.begin():
            _hashes, events, broken = self._check(session, attempt_id, decode=True)
        if broken is not None:
            fr, en = broken.message("fr"), broken.message("en")
            raise JournalError(
                f"journal.{broken.what}",
                f"Journal altéré — {fr}.",
                f"Journal tampered with — {en}.",
            )
        return events

    def verify(self, attempt_id: str | None = None) -> VerifyReport:
        """Re-check tags, chain and head records; breaks are reported, never raised.

        Without ``attempt_id`` the report also names every attempt the key store registered
        whose rows are gone from the database (``vanished``).
        """
        with Session(self._engine) as session, session.begin():
            if attempt_id is None:
                ids = list(session.scalars(select(Attempt.attempt_id).order_by(Attempt.created)))
            else:
                _check_attempt_id(attempt_id)
                ids = [attempt_id]
            checks = [self._check_attempt(session, one) for one in ids]
        if attempt_id is None:
            checks += [
                AttemptCheck(one, 0, Break(one, None, "vanished"))
                for one in self._vanished(set(ids))
            ]
        return VerifyReport(tuple(checks))

    def vanished(self) -> list[str]:
        """Attempts the key store registered with at least one event that the database no
        longer holds: an older copy of it was restored from before them.

        An attempt registered with a head record still at seq 0 is left out: a check-in cut
        between the key store and the database commit leaves exactly that, and nothing of
        it was lost. A register entry that is missing or forged is ignored here (file-key
        mode only; docs/journal.md says what that mode cannot see).
        """
        with Session(self._engine) as session:
            return self._vanished(set(session.scalars(select(Attempt.attempt_id))))

    def _vanished(self, known: set[str]) -> list[str]:
        """``vanished`` given the attempts the database holds."""
        if self._master is None:
            return []
        lost = []
        for attempt_id in keys.registered_attempts(self._keys, self._master):
            if attempt_id is None or attempt_id in known or not _ATTEMPT_ID.match(attempt_id):
                continue
            anchor = self._read_anchor(attempt_id)
            if anchor is None or anchor.seq > 0:
                lost.append(attempt_id)
        return lost

    # --- internals -------------------------------------------------------------------------

    def _check_attempt(self, session: Session, attempt_id: str) -> AttemptCheck:
        hashes, _events, broken = self._check(session, attempt_id, decode=False)
        degraded = broken is None and self._degraded_anchor(attempt_id)
        return AttemptCheck(attempt_id, len(hashes), broken, degraded)

    def _degraded_anchor(self, attempt_id: str) -> bool:
        anchor = self._read_anchor(attempt_id)
        return anchor is not None and (
            anchor.degraded or self._keys.torn(keys.head_name(attempt_id))
        )

    def _check(
        self, session: Session, attempt_id: str, *, decode: bool
    ) -> tuple[list[bytes], list[StoredEvent], Break | None]:
        """The hashes of the events that verified, those events decoded if ``decode``, and
        the break if any."""
        driver = session.connection().connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        attempt = driver.execute(
            "SELECT wrapped_key, head_seq, head_hash FROM attempts WHERE attempt_id = ?",
            (attempt_id,),
        ).fetchone()
        if attempt is None:
            if self._master is not None and self._keys.get(keys.head_name(attempt_id)):
                return [], [], Break(attempt_id, None, "vanished")
            raise self._unknown(attempt_id)
        wrapped_key, head_seq, head_hash = attempt
        data_key = self._data_key(attempt_id, wrapped_key)
        if data_key is None:
            return [], [], Break(attempt_id, None, "key")
        hashes, events, broken = self._walk(driver, attempt_id, data_key, decode=decode)
        if broken is not None:
            return hashes, events, broken
        return hashes, events, self._check_head(session, attempt_id, head_seq, head_hash, hashes)

    def _walk(
        self, driver: sqlite3.Connection, attempt_id: str, data_key: bytes, *, decode: bool
    ) -> tuple[list[bytes], list[StoredEvent], Break | None]:
        """Every record of the attempt checked in order, in the session's snapshot: tag,
        position and chain. Plain SQL on the session's sqlite3 connection, one cipher per
        attempt, and payloads parsed only when asked for, since ``journal verify`` runs this
        over every event of every attempt. The whole attempt is first proven a chunk of rows
        at a time (``_prove``); only when that fails are the rows walked one by one, which
        names the first break and is the reference for what each check means."""
        proven = _prove(driver, attempt_id, data_key, decode=decode)
        if proven is not None:
            return proven[0], proven[1], None
        rows = driver.execute(_SELECT_EVENTS, (attempt_id,))
        decrypt = Decryptor(data_key).decrypt
        header_of = event_headers(attempt_id)
        prev = genesis_hash(attempt_id)
        hashes: list[bytes] = []
        events: list[StoredEvent] = []
        verified = hashes.append
        expected = 1
        for seq, kind, schema, nonce, ciphertext, prev_hash, digest, elapsed, wall in rows:
            if seq != expected:
                return hashes, events, Break(attempt_id, expected, "gap")
            if prev_hash != prev:
                return hashes, events, Break(attempt_id, seq, "order")
            header = header_of(seq, kind, schema, elapsed, wall)
            try:
                plaintext = decrypt(nonce, ciphertext, event_aad(header))
            except CryptoError:
                return hashes, events, Break(attempt_id, seq, "tag")
            if chain_hash(prev, header, nonce, ciphertext) != digest:
                return hashes, events, Break(attempt_id, seq, "hash")
            verified(digest)
            if decode:
                events.append(StoredEvent(
                    attempt_id, seq, kind, json.loads(plaintext), elapsed, wall, digest
                ))
            prev = digest
            expected += 1
        return hashes, events, None

    def _check_head(
        self, session: Session, attempt_id: str, head_seq: int, head_hash: bytes,
        hashes: list[bytes],
    ) -> Break | None:
        """Compare the chain's end with the database's own head and the external record."""
        last = len(hashes)
        last_hash = hashes[-1] if hashes else genesis_hash(attempt_id)
        anchor = self._read_anchor(attempt_id)
        if anchor is None:
            return Break(attempt_id, None, "key")
        if anchor.seq > last:
            behind = self._generation(session) < anchor.generation
            return Break(attempt_id, last + 1, "rollback" if behind else "truncated")
        if head_seq > last:
            return Break(attempt_id, last + 1, "truncated")
        if head_seq < last or head_hash != last_hash:
            return Break(attempt_id, last, "hash")
        anchored_hash = hashes[anchor.seq - 1] if anchor.seq else genesis_hash(attempt_id)
        if anchored_hash != anchor.hash:
            return Break(attempt_id, anchor.seq or None, "hash")
        if anchor.seq == last and self._keys.torn(keys.head_name(attempt_id)):
            return Break(attempt_id, last + 1, "truncated")
        return None

    def _attempt(self, session: Session, attempt_id: str) -> Attempt:
        _check_attempt_id(attempt_id)
        attempt = session.get(Attempt, attempt_id)
        if attempt is None:
            raise self._unknown(attempt_id)
        return attempt

    def _data_key(self, attempt_id: str, wrapped_key: bytes) -> bytes | None:
        cached = self._data_keys.get(attempt_id)
        if cached is not None or self._master is None:
            return cached
        try:
            data_key = unwrap_key(self._master, wrapped_key, attempt_id.encode("utf-8"))
        except CryptoError:
            return None
        self._data_keys[attempt_id] = data_key
        return data_key

    def _generation(self, session: Session) -> int:
        entry = session.get(MetaEntry, "generation")
        return int(entry.value) if entry is not None else 0

    def _read_anchor(self, attempt_id: str) -> keys.HeadRecord | None:
        if self._master is None:
            return None
        raw = self._keys.get(keys.head_name(attempt_id))
        return None if raw is None else keys.decode_head(self._master, attempt_id, raw)

    def _write_anchor(self, attempt_id: str, head: keys.HeadRecord, master: bytes) -> None:
        self._keys.put(keys.head_name(attempt_id), keys.encode_head(master, attempt_id, head))
        self._anchors[attempt_id] = head

    def _register_existing(self, master: bytes) -> None:
        """Put attempts written before the register existed into it, once."""
        registered = set(keys.registered_attempts(self._keys, master))
        for info in self.attempts():
            if info.attempt_id not in registered:
                try:
                    keys.register_attempt(self._keys, master, info.attempt_id)
                except Exception:  # any keyring backend error; verify still checks the rest
                    log.exception("could not register attempt %s", info.attempt_id)
                    return

    def _anchor_after_commit(self, attempt_id: str, head: keys.HeadRecord) -> None:
        """Record the new head; a failing keyring must not fail an answer already saved.

        A degraded attempt stays degraded: the flag is carried into every later record."""
        assert self._master is not None
        previous = self._anchors.get(attempt_id)
        if previous is not None and previous.degraded:
            head = dataclasses.replace(head, degraded=True)
        try:
            self._write_anchor(attempt_id, head, self._master)
        except Exception:  # any keyring backend error; the events are already durable
            log.exception("could not update the head record of attempt %s", attempt_id)
            self._anchors[attempt_id] = head

    def _refuse_if_behind_anchor(self, attempt_id: str, head_seq: int, head_hash: bytes) -> None:
        """Never write over a history the head record says existed (restored or cut file).

        A head record read from before a torn write is accepted only if the database is
        ahead of it, as it is after a crash between the commit and the record's write; the
        attempt is then marked degraded for good."""
        anchor = self._anchors.get(attempt_id)
        torn = False
        if anchor is None:
            anchor = self._read_anchor(attempt_id)
            torn = self._keys.torn(keys.head_name(attempt_id))
            if anchor is not None and torn:
                log.warning("attempt %s goes on from a torn head record", attempt_id)
                anchor = dataclasses.replace(anchor, degraded=True)
        if anchor is None:
            log.warning("attempt %s has no valid head record", attempt_id)
            return
        self._anchors[attempt_id] = anchor
        if anchor.seq > head_seq or (
            anchor.seq == head_seq and (anchor.hash != head_hash or torn)
        ):
            raise JournalError(
                "journal.rollback",
                f"Le journal de l'épreuve {attempt_id} est en retard sur son point "
                "d'ancrage (copie restaurée ou fin supprimée) : aucune écriture.",
                f"The journal of attempt {attempt_id} is behind its head record "
                "(restored copy or removed tail): nothing written.",
            )

    def _require_master(self) -> bytes:
        if self._master is None:
            raise KeyStoreError(
                "keys.missing_master_key",
                "La clé maîtresse du journal est introuvable.",
                "The journal master key is missing.",
            )
        return self._master

    @staticmethod
    def _unknown(attempt_id: str) -> JournalError:
        return JournalError(
            "journal.unknown_attempt",
            f"Épreuve inconnue : {attempt_id}.",
            f"Unknown attempt: {attempt_id}.",
        )

    @staticmethod
    def _key_error(attempt_id: str) -> JournalError:
        return JournalError(
            "journal.key",
            f"La clé de l'épreuve {attempt_id} est introuvable ou invalide.",
            f"The key of attempt {attempt_id} is missing or invalid.",
        )


_SELECT_EVENTS = (
    "SELECT seq, kind, schema, nonce, ciphertext, prev_hash, hash, mono_elapsed_ms, "
    "wall_time_ms FROM events WHERE attempt_id = ? ORDER BY seq"
)
_PROOF_ROWS = 256
"""Rows checked together by ``_prove``: enough to spread the per-chunk cost, few enough
that a long attempt never sits whole in memory."""
_CLEAR_FIELDS_WRITTEN = (
    "typeof(kind) = 'text' AND typeof(schema) = 'integer' "
    "AND typeof(mono_elapsed_ms) = 'integer' AND typeof(wall_time_ms) = 'integer'"
)


def _proof_select(*, decoded: bool, typed: bool) -> str:
    """``_prove``'s rows: ``seq``, the header body, ``nonce``, ``ciphertext``, ``prev_hash``,
    ``hash`` (and the kind and times if ``decoded``). The body is spelled by SQLite's
    ``json_array``, which writes the canonical JSON ``event_header`` writes for ints and
    strings (a test holds it to that for every character) and spells any other type as
    itself: text as a quoted string, a real with a point, a null as ``null``. A blob is an
    error before SQLite 3.45; from 3.45 a blob that reads as JSONB is spelled as the JSON it
    encodes, so there (``typed``) the body is only spelled, else null, when the clear fields
    have the types the writer gives them. Either way a body matches the bytes the tag was
    made over only for the fields the writer wrote, with their types."""
    body = "json_array(?2, ?1, seq, kind, schema, mono_elapsed_ms, wall_time_ms)"
    if typed:
        body = f"CASE WHEN {_CLEAR_FIELDS_WRITTEN} THEN {body} END"
    fields = ", kind, mono_elapsed_ms, wall_time_ms" if decoded else ""
    return (
        f"SELECT seq, CAST({body} AS BLOB), nonce, ciphertext, prev_hash, hash{fields} "
        "FROM events WHERE attempt_id = ?1 ORDER BY seq"
    )


_JSONB = sqlite3.sqlite_version_info >= (3, 45, 0)
"""This SQLite reads a blob that looks like JSONB as JSON (``_proof_select``)."""
_SELECT_PROOF = _proof_select(decoded=False, typed=_JSONB)
_SELECT_PROOF_DECODED = _proof_select(decoded=True, typed=_JSONB)


def _prove(
    conn: sqlite3.Connection, attempt_id: str, data_key: bytes, *, decode: bool
) -> tuple[list[bytes], list[StoredEvent]] | None:
    """The attempt's hashes (and events if ``decode``) when every record checks out, else
    None. The same checks as the row-by-row walk, in bulk over chunks of rows: positions
    1, 2, 3… with no gap, each ``prev_hash`` equal to the hash before it, each tag valid
    under the header of the clear fields, each stored hash equal to the chain hash
    recomputed from the previous one. The headers come spelled by SQLite (``_SELECT_PROOF``)
    and the per-event work is done by ``map`` and one comprehension, not a loop body: what
    brings ``journal verify`` near the bare crypto's speed (docs/footprint.md). Anything
    that does not check out, or raises, ends the proof: the walk that follows reports it,
    or raises it, exactly where it stands."""
    hashes: list[bytes] = []
    events: list[StoredEvent] = []
    prev, expected = genesis_hash(attempt_id), 1
    aad = event_aad(b"")
    try:
        decrypt = AESGCM(data_key).decrypt
        rows = conn.execute(
            _SELECT_PROOF_DECODED if decode else _SELECT_PROOF, (attempt_id, HEADER_DOMAIN)
        )
        while chunk := rows.fetchmany(_PROOF_ROWS):
            seqs, bodies, nonces, ciphertexts, prev_hashes, digests, *decoded = (
                zip(*chunk, strict=True)
            )
            chained = (prev, *digests[:-1])
            if seqs != tuple(range(expected, expected + len(chunk))) or prev_hashes != chained:
                return None
            prefixes = list(event_header_prefixes(bodies))
            plaintexts = map(
                decrypt, nonces, ciphertexts, map(b"".join, zip(repeat(aad), prefixes, bodies))
            )
            if decode:
                kinds, monos, walls = decoded
                events += map(
                    StoredEvent, repeat(attempt_id), seqs, kinds,
                    map(json.loads, list(plaintexts)), monos, walls, digests,
                )
            else:
                deque(plaintexts, maxlen=0)  # each tag checked, nothing kept
            joined = map(b"".join, zip(chained, prefixes, bodies, nonces, ciphertexts, strict=True))
            if tuple([hashlib.sha256(data).digest() for data in joined]) != digests:
                return None
            hashes += digests
            prev, expected = digests[-1], expected + len(chunk)
    except Exception:  # the row-by-row walk that follows reports or raises it
        return None
    return hashes, events


def _write_reserve(reserve: Path) -> None:
    temporary = reserve.with_name(reserve.name + ".tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                     0o600)
        try:
            view = memoryview(bytes(RESERVE_BYTES))
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, reserve)
    finally:
        temporary.unlink(missing_ok=True)

