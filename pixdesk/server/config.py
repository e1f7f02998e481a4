"""What a running server holds: its configuration, database, keys and opened packages.

One ``ServerState`` is built per process (by ``create_app`` or an admin command) and shared
by every request; the ingest, session and export code take it instead of reaching for
globals, so tests run several servers side by side.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar, cast

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from pixdesk.content.package import OpenedPackage, open_package, read_key_file
from pixdesk.engine.irt import Estimator
from pixdesk.errors import PixdeskError
from pixdesk.paths import resource_path
from pixdesk.server import db
from pixdesk.server.keys import ServerKeys, load_or_create
from pixdesk.server.models import Device
from pixdesk.trust import Role, trusted_keys

if sys.platform != "win32":
    import fcntl

SERVER_VERSION = "0.1.0"
T = TypeVar("T")


class Refusal(PixdeskError):
    """A request the server turns down, with the HTTP status it is answered with."""

    def __init__(
        self,
        status: int,
        code: str,
        fr: str,
        en: str,
        *,
        acked_through_seq: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(code, fr, en)
        self.status = status
        self.acked_through_seq = acked_through_seq
        self.retry_after = retry_after


DEVICE_RECHECK_S = 2.0
"""How long a process trusts the device row it read: ``revoke-device`` reaches every worker
within this time, at the cost of one primary-key read per active device per period."""
DEFAULT_TOKEN_HOURS = 72
"""How long an enrolment token stays valid unless ``enrol-token --valid-hours`` says."""
MAX_TOKEN_HOURS = 24 * 31
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8750"
"""Where certificates' QR codes point unless ``certificate --public-url`` says."""

MAX_TRIES = 5
"""Times a write is re-planned when a concurrent request of the same attempt overtook it."""


def server_busy(state: ServerState) -> Refusal:
    return Refusal(503, "server.busy", "Serveur occupé : réessayez.", "Server busy: try again.",
                   retry_after=state.config.retry_after_s)


@dataclass(frozen=True)
class ContentSource:
    package: Path
    content_key: Path | None = None


@dataclass(frozen=True)
class ServerConfig:
    data_dir: Path
    db_url: str | None = None
    contents: tuple[ContentSource, ...] = ()
    accept_demo: bool = False
    max_in_flight: int = 64
    """Ingest requests handled at once; the next one is answered 503 + Retry-After."""
    retry_after_s: int = 2
    max_body_bytes: int = 8 * 1024 * 1024
    """Largest body of an ingest POST (a batch of 200 events is about 100 KiB)."""
    max_other_body_bytes: int = 64 * 1024
    """Largest body of any other route (an enrolment is under 1 KiB; the GETs have none)."""

    def to_json(self) -> str:
        """For worker processes, which rebuild the configuration from the environment."""
        return json.dumps({
            "data_dir": str(self.data_dir), "db_url": self.db_url,
            "contents": [[str(c.package), None if c.content_key is None else str(c.content_key)]
                         for c in self.contents],
            "accept_demo": self.accept_demo, "max_in_flight": self.max_in_flight,
            "retry_after_s": self.retry_after_s, "max_body_bytes": self.max_body_bytes,
            "max_other_body_bytes": self.max_other_body_bytes,
        })

    @classmethod
    def from_json(cls, text: str) -> ServerConfig:
        data = json.loads(text)
        contents = tuple(ContentSource(Path(p), None if k is None else Path(k))
                         for p, k in data.pop("contents"))
        return cls(data_dir=Path(data.pop("data_dir")), contents=contents, **data)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


CONTENT_KEYS_DIR = "content-keys"


def content_authorities(config: ServerConfig) -> dict[str, bytes]:
    """The content authorities PixDesk ships plus the operator's (``*.pub`` in
    ``<data dir>/content-keys``); the shipped demo authority verifies demo packages only."""
    return trusted_keys(Role.CONTENT_AUTHORITY, demo=True,
                        folders=[config.data_dir / CONTENT_KEYS_DIR])


def demo_package_path() -> Path:
    return resource_path("demo", "demo.pixpkg")


def demo_session_path() -> Path:
    return resource_path("demo", "demo-session.pixsession")


SESSION_DAY_MARGIN = timedelta(hours=14)
"""How far an attempt's start may lie outside its session's date taken in UTC: the local day
of every time zone (UTC-12 to UTC+14) falls within the UTC day widened by 14 h each side."""


@dataclass(frozen=True)
class SessionFacts:
    """What ingest checks an attempt against, from a session the server signed itself (or
    the shipped demo session). None of it changes once the session is issued, so each
    process reads a session once and keeps these."""

    session_id: str
    centre_id: str
    package_id: str
    version_id: str
    date: str
    demo: bool
    candidates: frozenset[str]
    shipped_demo: bool = False
    """The shipped demo session (signed by the demo server key, not by this server): it
    carries the date it was made and is rehearsed on any day, in any version of the demo
    package (``pixdesk rehearse --version``)."""

    def open_at(self, wall_time_ms: int) -> bool:
        """Whether an attempt started at ``wall_time_ms`` (Unix ms, from its signed first
        event) falls on the session's day, ``SESSION_DAY_MARGIN`` each side."""
        if self.shipped_demo:
            return True
        try:
            day = date.fromisoformat(self.date)
        except ValueError:
            return False
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        opens = midnight - SESSION_DAY_MARGIN
        closes = midnight + timedelta(days=1) + SESSION_DAY_MARGIN
        started = datetime.fromtimestamp(wall_time_ms / 1000, UTC)
        return opens <= started < closes


@dataclass
class _Job(Generic[T]):
    """One request's write, waiting to go into the next grouped transaction."""

    work: Callable[[Connection], T]
    done: bool = False
    result: T | None = None
    error: Exception | None = None


class ServerState:
    """The opened database, keys and packages one server process works with."""

    def __init__(
        self,
        config: ServerConfig,
        engine: Engine,
        keys: ServerKeys,
        packages: dict[str, OpenedPackage],
    ) -> None:
        self.config = config
        self.engine = engine
        self.writer = db.writer(engine)
        self.keys = keys
        self.packages = packages
        self.devices: dict[str, tuple[Device, float]] = {}
        """Enrolled devices seen by this process, with the ``time.monotonic()`` of when
        their row was read (their keys never change; a revocation is re-read after
        ``DEVICE_RECHECK_S``)."""
        self.sessions: dict[str, SessionFacts] = {}
        """Sessions this process has checked attempts against, by id."""
        self.sql = db.Sql(engine)
        self._estimators: dict[tuple[str, str], Estimator] = {}
        self._write_lock = threading.Lock() if db.is_sqlite(engine) else None
        self._queue: list[_Job[object]] = []
        self._queue_mutex = threading.Lock()
        database = engine.url.database if db.is_sqlite(engine) else None
        self._lock_file = (
            os.fdopen(os.open(f"{database}.write-lock", os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                              0o600), "ab")
            if database and database != ":memory:" and sys.platform != "win32" else None
        )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """On SQLite the writers of every worker process queue first, on a thread lock and
        a file lock: one file has one writer anyway, and a queue is fair where SQLite's
        busy-wait backoff lets an unlucky request starve for seconds."""
        with self._write_lock or nullcontext():
            if self._lock_file is not None:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                if self._lock_file is not None:
                    fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction of its own (see ``_locked`` for SQLite)."""
        with self._locked(), Session(self.writer) as session, session.begin():
            yield session

    def write_grouped(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction, shared on SQLite with the other requests
        that queued meanwhile: each durable commit waits for an fsync (milliseconds on a
        busy disk), so the thread that gets the lock commits every waiting write at once.
        Each write runs in its own savepoint, so one that fails is undone alone and its
        exception re-raised in its own request; if the commit fails, all of them fail.
        PostgreSQL commits side by side and keeps one transaction per request (its row
        locks are then held for the shortest time)."""
        if self._write_lock is None:
            with self.writer.begin() as conn:
                return work(conn)
        job = _Job(work)
        with self._queue_mutex:
            self._queue.append(cast(_Job[object], job))
        with self._locked():
            if not job.done:
                with self._queue_mutex:
                    jobs, self._queue = self._queue, []
                self._run_group(jobs)
        if job.error is not None:
            raise job.error
        return cast(T, job.result)

    def _run_group(self, jobs: list[_Job[object]]) -> None:
        try:
            with self.writer.begin() as conn:
                for job in jobs:
                    conn.exec_driver_sql("SAVEPOINT pixdesk_job")
                    try:
                        job.result = job.work(conn)
                    except Exception as exc:  # re-raised in the job's own thread
                        conn.exec_driver_sql("ROLLBACK TO SAVEPOINT pixdesk_job")
                        job.error = exc
                    conn.exec_driver_sql("RELEASE SAVEPOINT pixdesk_job")
        except Exception as exc:  # the commit failed: nothing was written
            for job in jobs:
                job.error = job.error or exc
        finally:
            for job in jobs:
                job.done = True

    @classmethod
    def open(cls, config: ServerConfig, *, load_content: bool = True) -> ServerState:
        """Open the database and keys, and (for serving) every content package to re-score."""
        keys = load_or_create(config.data_dir)
        engine = db.open_engine(config.db_url or db.default_url(config.data_dir))
        packages: dict[str, OpenedPackage] = {}
        if load_content:
            for source in config.contents:
                key = None if source.content_key is None else read_key_file(source.content_key)
                opened = open_package(source.package, content_key=key,
                                      trusted_keys=content_authorities(config))
                packages[opened.manifest.package_id] = opened
            if config.accept_demo:
                demo = open_package(demo_package_path())
                packages.setdefault(demo.manifest.package_id, demo)
        return cls(config, engine, keys, packages)

    def close(self) -> None:
        self.engine.dispose()
        if self._lock_file is not None:
            self._lock_file.close()

    def estimator(self, package_id: str, version_id: str) -> Estimator:
        """The estimator of an opened package's version, built on first use: its tables
        cost as much as replaying a whole attempt, and they never change. Two threads may
        both build it once; either copy is the same."""
        key = (package_id, version_id)
        found = self._estimators.get(key)
        if found is None:
            package = self.packages[package_id]
            found = Estimator(package.versions[version_id].estimation, package.bank)
            self._estimators[key] = found
        return found

    def is_demo_package(self, package_id: str) -> bool:
        opened = self.packages.get(package_id)
        return opened is not None and opened.demo
