"""The device security journal: what the kiosk did to this PC and saw on it, candidate or not.

The attempt journal only holds what happens during an attempt; the lockdown starts, changes
the system and blocks keys before anyone checks in, and an invigilator password can be
mistyped on the opening screen. Those facts are evidence too, so they go to a journal of
their own with exactly the attempt journal's guarantees: it *is* a ``Journal`` (encrypted
payloads, hash chain, head records outside the database, rollback and vanished checks,
``synchronous=FULL``), opened on the ``device`` folder of the data dir so it has its own
file, master key and head records and never mixes with candidates' attempts. Each app start
is one *run*, a chain of its own (attempt id ``device-<UTC time>-<random>``), and
``record`` returns only once the event is on disk, so a caller can journal before acting.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from pixdesk.store.journal import Journal, NewEvent, StoredEvent, VerifyReport
from pixdesk.store.keys import KEY_DIR, FileKeyStore

DEVICE_DIR = "device"
"""The device journal's folder inside the data dir (its ``journal.db`` and key files)."""
RUN_PREFIX = "device-"
RUN_STARTED = "device_run_started"


def device_dir(data_dir: Path) -> Path:
    return data_dir / DEVICE_DIR


def present(data_dir: Path) -> bool:
    """Whether this data dir has a device journal (read-only tools skip it otherwise)."""
    return (device_dir(data_dir) / "journal.db").is_file()


def uses_file_key(data_dir: Path) -> bool:
    """Whether the device journal's keys were kept in files (allowed or demo run)."""
    return FileKeyStore.present(device_dir(data_dir) / KEY_DIR)


def new_run_id(now: datetime | None = None) -> str:
    """A run's attempt id: sortable by start time, unguessable, valid as an attempt id."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{RUN_PREFIX}{stamp}-{secrets.token_hex(6)}"


class DeviceJournal:
    """One app run's security events, appended durably to the device journal."""

    def __init__(self, journal: Journal, run_id: str) -> None:
        self.journal = journal
        self.run_id = run_id
        self._started = time.monotonic()
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        allow_file_key: bool = False,
        demo: bool = False,
        facts: dict[str, str | int | bool | None] | None = None,
    ) -> DeviceJournal:
        """Open the device journal and start this run with ``device_run_started``.

        ``facts`` are clear scalars about the run (mode, version): they are stored as the
        run's metadata and repeated, encrypted, in its first event. A keyring that is
        unusable is refused exactly as for the attempt journal (``keys.no_keyring``)."""
        folder = device_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        journal = Journal.open(folder, allow_file_key=allow_file_key, demo=demo)
        try:
            run = cls(journal, new_run_id())
            meta = {"kind": "device", **(facts or {})}
            journal.create_attempt(run.run_id, meta)
            run.record(RUN_STARTED, dict(meta))
        except BaseException:
            journal.close()
            raise
        return run

    def record(self, kind: str, payload: dict[str, Any]) -> StoredEvent:
        """Append one event; it is on disk when this returns, else ``JournalError`` is
        raised and the caller must not go on with what it was about to do."""
        elapsed = int((time.monotonic() - self._started) * 1000)
        event = NewEvent(kind, dict(payload), max(0, elapsed), time.time_ns() // 1_000_000)
        with self._lock:
            return self.journal.append(self.run_id, [event])[0]

    def close(self) -> None:
        self.journal.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()


def verify_device_journal(data_dir: Path, *, allow_file_key: bool = False) -> VerifyReport | None:
    """Every run of the device journal checked like an attempt; None when there is none.

    Read-only: nothing is created, as for ``pixdesk journal verify``."""
    if not present(data_dir):
        return None
    journal = Journal.open(
        device_dir(data_dir),
        allow_file_key=allow_file_key or uses_file_key(data_dir),
        create=False,
    )
    try:
        return journal.verify()
    finally:
        journal.close()

