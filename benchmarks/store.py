"""Journal figures on this machine, each beside its floor measured in the same run.

Every append is a real ``BEGIN IMMEDIATE … COMMIT`` on a temp file with WAL and
``synchronous=FULL``, followed by the head-record update. Two key stores are measured: the
0600 key-file store (what a PC without a keyring runs, with one more data sync per append
for the head record) and an in-process keyring (the database cost alone, as a real keyring's
latency varies by OS). The floor is the same disk doing the least a durable append can: a
bare sqlite3 insert of a record-sized row and its commit, WAL and ``synchronous=FULL``
(target: the keyring append's p50 ≤ 3× it). ``journal verify`` is set beside a bare loop of
AES-GCM decryption and SHA-256 over records of the same size (target: ≥ 40 % of its rate).
Run: ``python benchmarks/store.py [--appends N] [--verify-events N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import keyring
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from keyring.backend import KeyringBackend
from keyring.backends import fail

from pixdesk.chain import event_aad, event_header
from pixdesk.crypto import canonical_json
from pixdesk.store.journal import SCHEMA, Journal, NewEvent

WALL_MS = 1_746_522_902_125
PAYLOAD = {"challenge_id": "rec" + "x" * 14, "answer": "2,4", "status": "ok", "time_ms": 41_250}


class ProcessKeyring(KeyringBackend):
    """Secrets in a dict: stands in for the OS keyring so only the database is timed."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


def _event(n: int) -> NewEvent:
    return NewEvent("answer_submitted", PAYLOAD | {"n": n}, n * 1000, WALL_MS + n * 1000)


def append_latency(data_dir: Path, appends: int) -> list[float]:
    with Journal.open(data_dir, allow_file_key=True) as journal:
        journal.create_attempt("bench", {"session_id": "s"})
        latencies = []
        for n in range(appends):
            started = time.perf_counter()
            journal.append("bench", [_event(n)])
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def sqlite_floor(data_dir: Path, appends: int) -> list[float]:
    """Bare sqlite3, same pragmas as the journal: one record-sized row per commit."""
    conn = sqlite3.connect(data_dir / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, nonce BLOB, body BLOB, hash BLOB)")
    body = os.urandom(len(canonical_json(PAYLOAD)) + 16)
    latencies = []
    for n in range(appends):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (n, os.urandom(12), body, bytes(32)))
        conn.execute("COMMIT")
        latencies.append((time.perf_counter() - started) * 1000)
    conn.close()
    return latencies


def crypto_floor(attempts: int, per_attempt: int) -> Callable[[], float]:
    """One timed pass of the bare checks verify makes, AES-GCM open and SHA-256, over
    records of exactly the journal's sizes (the same payloads, headers and associated data
    as ``verify_against_floor`` writes, made before the clock starts): returns seconds."""
    cipher = AESGCM(os.urandom(32))
    records = []
    for a in range(attempts):
        for n in range(per_attempt):
            event = _event(n)
            header = event_header(
                f"a{a}", n + 1, event.kind, SCHEMA, event.mono_elapsed_ms, event.wall_time_ms
            )
            nonce, aad = os.urandom(12), event_aad(header)
            ciphertext = cipher.encrypt(nonce, canonical_json(event.payload), aad)
            records.append((nonce, ciphertext, header, aad))

    def one_pass() -> float:
        started = time.perf_counter()
        prev = bytes(32)
        for nonce, ciphertext, header, aad in records:
            cipher.decrypt(nonce, ciphertext, aad)
            prev = hashlib.sha256(prev + header + nonce + ciphertext).digest()
        return time.perf_counter() - started

    return one_pass


def verify_against_floor(data_dir: Path, events: int, rounds: int) -> tuple[int, float, float]:
    """Events verified, and the median seconds of ``journal verify`` (a fresh open each
    time) and of the bare loop over as many records, the two run in alternation so that
    the load of a shared machine weighs on both alike."""
    attempts, batch = 20, 50
    per_attempt = events // attempts
    with Journal.open(data_dir, allow_file_key=True) as journal:
        for a in range(attempts):
            journal.create_attempt(f"a{a}", {})
            for start in range(0, per_attempt, batch):
                journal.append(f"a{a}", [_event(n) for n in range(start, start + batch)])
    bare = crypto_floor(attempts, per_attempt)
    verify_times, floor_times = [], []
    for _ in range(rounds):
        floor_times.append(bare())
        with Journal.open(data_dir, allow_file_key=True) as journal:
            started = time.perf_counter()
            report = journal.verify()
            verify_times.append(time.perf_counter() - started)
        assert report.ok
    count = sum(check.events for check in report.attempts)
    return count, statistics.median(verify_times), statistics.median(floor_times)


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--verify-events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        floor = _percentile(sqlite_floor(Path(tmp), args.appends), 50)
    print(f"floor: bare SQLite WAL/FULL insert+commit p50={floor:.2f} ms")
    stores = {"key file (no keyring)": fail.Keyring(), "keyring (in-process)": ProcessKeyring()}
    for label, backend in stores.items():
        keyring.set_keyring(backend)
        with tempfile.TemporaryDirectory() as tmp:
            latencies = append_latency(Path(tmp), args.appends)
        p50 = _percentile(latencies, 50)
        print(
            f"append, 1 event/commit, {label}: n={len(latencies)} "
            f"p50={p50:.2f} ms ({p50 / floor:.1f}× floor) "
            f"p99={_percentile(latencies, 99):.2f} ms max={max(latencies):.2f} ms"
        )
    keyring.set_keyring(ProcessKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        count, elapsed, bare = verify_against_floor(Path(tmp), args.verify_events, args.rounds)
    print(f"floor: bare AES-GCM + SHA-256 loop = {count / bare:,.0f} events/s")
    print(f"verify: {count} events in {elapsed:.3f} s = {count / elapsed:,.0f} events/s "
          f"({bare / elapsed:.0%} of the floor; medians of {args.rounds}, alternated)")

if __name__ == "__main__":
    main()
