"""A real server on loopback, devices that sign like the client, and attempts recorded by
the real client journal (the server code never imports the store; its tests may).

``serve`` runs on SQLite unless a module parametrises ``database`` (indirectly) with
``"postgresql"``: then each test gets a fresh database in one PostgreSQL cluster (found by
``postgres_bin``) started for the whole session, as the ``postgres`` user when the tests
run as root."""

from __future__ import annotations

import functools
import itertools
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from sqlalchemy import text

from pixdesk import crypto
from pixdesk.demo import load_demo
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.engine.status import EndReason
from pixdesk.exam import LiveAttempt
from pixdesk.server.app import create_app
from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.server.models import SessionRecord
from pixdesk.server.sessions import new_enrol_token
from pixdesk.session import Session, sign_session
from pixdesk.store.journal import Journal
from pixdesk.sync import protocol
from tests.conftest import require


def bound_socket() -> socket.socket:
    """A loopback socket already bound to a port the system chose, so nothing can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    """A port for a server in another process (which must bind it itself)."""
    with bound_socket() as sock:
        return int(sock.getsockname()[1])


@dataclass
class ServedApp:
    """An ASGI app under uvicorn in a daemon thread of the test process."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_in_thread(app: Any) -> ServedApp:
    """uvicorn on a socket bound before it starts (no free-port race), once it accepts."""
    sock = bound_socket()
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    host, port = sock.getsockname()
    return ServedApp(f"http://{host}:{port}", server, thread)


@dataclass
class RunningServer:
    state: ServerState
    served: ServedApp

    @property
    def url(self) -> str:
        return self.served.url

    def meta(self) -> dict[str, Any]:
        answer: dict[str, Any] = requests.get(self.url + protocol.META_PATH, timeout=5).json()
        return answer

    def count(self, table: str) -> int:
        with self.state.engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())

    def stop(self) -> None:
        self.served.stop()
        self.state.close()


def start_server(config: ServerConfig) -> RunningServer:
    state = ServerState.open(config)
    return RunningServer(state, serve_in_thread(create_app(config, state)))


def postgres_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: ``pg_config --bindir``, else ``initdb`` on the
    PATH, else the newest Debian-style ``/usr/lib/postgresql/<version>/bin``."""
    folders = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        folders.append(Path(found.stdout.strip()))
    initdb = shutil.which("initdb")
    if initdb is not None:
        folders.append(Path(initdb).resolve().parent)
    folders += sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                      reverse=True)
    return next((f for f in folders if (f / "initdb").is_file() and (f / "pg_ctl").is_file()),
                None)


BOTH_DATABASES = pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
"""Put on a test or module to run it once on SQLite and once on PostgreSQL."""


@dataclass
class Postgres:
    """A throw-away cluster on loopback; ``new_database`` gives each test a clean one."""

    port: int
    socket_dir: Path
    names: Iterator[int] = field(default_factory=itertools.count)

    def dsn(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"pixdesk_{next(self.names)}"
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.dsn(name)


def _as_postgres(*command: str | Path) -> list[str]:
    """Root may not run PostgreSQL: drop to its system user (CI and this image run as root)."""
    argv = [str(c) for c in command]
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The installed PostgreSQL (15 in CI) with fsync on, in a temporary directory, stopped
    at the end; its absence skips the test, or fails it under ``CI=true``."""
    pg_bin = postgres_bin()
    require(pg_bin is not None, "PostgreSQL (initdb, pg_ctl)")
    assert pg_bin is not None
    root = Path(tempfile.mkdtemp(prefix="pixdesk-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        for path in (root, sockets):
            shutil.chown(path, "postgres")
    port = free_port()
    try:
        subprocess.run(_as_postgres(pg_bin / "initdb", "-D", data, "-U", "postgres",
                                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"),
                       check=True, capture_output=True)
        subprocess.run(_as_postgres(
            pg_bin / "pg_ctl", "-D", data, "-l", root / "postgres.log", "-w", "-t", "30",
            "-o", f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=on -c max_connections=200",
            "start"), check=True, capture_output=True)
        yield Postgres(port, sockets)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres(pg_bin / "pg_ctl", "-D", data, "-m", "fast", "-w",
                                        "stop"), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """``sqlite`` unless the test is parametrised with ``BOTH_DATABASES``."""
    kind: str = getattr(request, "param", "sqlite")
    return kind


@pytest.fixture
def serve(
    tmp_path: Path, database: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., RunningServer]]:
    started: list[RunningServer] = []

    def _serve(**options: Any) -> RunningServer:
        if database == "postgresql" and "db_url" not in options:
            options["db_url"] = request.getfixturevalue("postgres").new_database()
        config = ServerConfig(data_dir=tmp_path / f"server{len(started)}", **options)
        running = start_server(config)
        started.append(running)
        return running

    yield _serve
    for running in started:
        running.stop()


Serve = Callable[..., RunningServer]


@dataclass
class Device:
    """A PC as the server sees it: an id and two key pairs, signing like the client."""

    centre_id: str = "C1"
    device_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    signing: Any = field(default_factory=crypto.new_signing_key)
    sealing: Any = field(default_factory=crypto.new_sealing_key)

    def enrol_body(self, token: str) -> dict[str, str]:
        return {
            "token": token, "device_id": self.device_id,
            "signing_public_key": crypto.b64e(crypto.public_key_bytes(self.signing)),
            "sealing_public_key": crypto.b64e(crypto.sealing_public_bytes(self.sealing)),
            "centre_id": self.centre_id, "hostname": "salle101-pc07",
        }

    def enrol(self, server: RunningServer, token: str | None = None) -> requests.Response:
        token = token or new_enrol_token(server.state, self.centre_id)
        return requests.post(server.url + protocol.DEVICES_PATH, json=self.enrol_body(token),
                             timeout=5)

    def headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        return protocol.sign_request(self.signing, self.device_id, method, path, body,
                                     time.time_ns() // 1_000_000)

    def post(self, server: RunningServer, path: str, body: dict[str, Any]) -> requests.Response:
        raw = protocol.encode_body(body)
        headers = self.headers("POST", path, raw) | {"Content-Type": "application/json"}
        return requests.post(server.url + path, data=raw, headers=headers, timeout=30)

    def get(self, server: RunningServer, path: str) -> requests.Response:
        return requests.get(server.url + path, headers=self.headers("GET", path, b""),
                            timeout=10)


@dataclass
class Recorded:
    """An attempt as the real client journal wrote it, in wire form."""

    attempt_id: str
    meta: dict[str, Any]
    sealed_data_key: str
    records: list[protocol.EventRecord]
    result: dict[str, Any]

    def body(self, device: Device, first: int = 1, last: int | None = None,
             records: list[protocol.EventRecord] | None = None) -> dict[str, Any]:
        chosen = records if records is not None else [
            r for r in self.records if first <= r["seq"] <= (last or len(self.records))
        ]
        return {
            "attempt_id": self.attempt_id, "device_id": device.device_id,
            "meta": self.meta, "sealed_data_key": self.sealed_data_key, "events": chosen,
        }


def raw_records(journal_db: Path, attempt_id: str) -> list[protocol.EventRecord]:
    with sqlite3.connect(journal_db) as conn:
        rows = conn.execute(
            "SELECT seq, kind, schema, mono_elapsed_ms, wall_time_ms, nonce, ciphertext, "
            "prev_hash, hash FROM events WHERE attempt_id = ? ORDER BY seq", (attempt_id,),
        ).fetchall()
    return [
        protocol.event_record(seq=s, kind=k, schema=sc, mono_elapsed_ms=m, wall_time_ms=w,
                              nonce=n, ciphertext=c, prev_hash=p, hash=h)
        for s, k, sc, m, w, n, c, p, h in rows
    ]


@pytest.fixture
def record(tmp_path: Path) -> Callable[..., Recorded]:
    """Run a full demo attempt through ``LiveAttempt`` and the real ``Journal``."""
    demo = load_demo()
    counter = iter(range(1000))

    def _record(server: RunningServer, *, right: float = 0.7, seed: int = 7,
                candidate: int = 0, session: Session | None = None,
                during: Callable[[LiveAttempt], object] | None = None,
                end: EndReason | None = None) -> Recorded:
        """``session`` (default: the shipped demo session) is the PC's copy: the attempt's
        signed events name it, whatever the server holds. ``during`` acts on the running
        attempt before its first answer (a kiosk alert…); ``end`` ends it for that reason
        after three answers."""
        data_dir = tmp_path / f"pc{next(counter)}"
        data_dir.mkdir()
        attempt_id = f"att-{uuid.uuid4()}"
        sitting = session or demo.session
        with Journal.open(data_dir, demo=True) as journal:
            live = LiveAttempt.check_in(
                journal, demo.content, sitting, sitting.candidates[candidate],
                attempt_id=attempt_id, seed=seed,
            )
            live.act(live.attempt.authorise)
            live.act(live.attempt.begin)
            if during is not None:
                during(live)
            chooser = random.Random(seed)
            while live.phase is Phase.RUNNING and live.attempt.current_item is not None:
                if end is not None and len(live.attempt.state.counted_answers) >= 3:
                    live.act(functools.partial(live.attempt.end, end))
                    break
                item = live.attempt.current_item
                answer = model_answer(item) if chooser.random() < right else wrong_answer(item)
                if not live.attempt.item_started:
                    live.act(live.attempt.start_timed_item)
                live.act(functools.partial(live.attempt.submit, answer))
            result = live.result()
            assert result is not None
            sealing = crypto.b64d(server.meta()["sealing_public_key"])
            sealed = journal.seal_for_server(attempt_id, sealing)
            meta = journal.attempts()[0].meta
        return Recorded(attempt_id, meta, crypto.b64e(sealed),
                        raw_records(data_dir / "journal.db", attempt_id), result)

    return _record


def issue_session(server: RunningServer, **changes: Any) -> Session:
    """The shipped demo session with ``changes``, signed by ``server`` and stored as
    ``create_session`` stores the sessions it issues; dated today (UTC) unless changed."""
    session = replace(load_demo().session,
                      **({"date": datetime.now(UTC).date().isoformat()} | changes))
    with server.state.writing() as db:
        db.add(SessionRecord(session_id=session.id, centre_id=session.centre_id,
                             package_id=session.package_id,
                             document=json.dumps(sign_session(session, server.state.keys.signing)),
                             created_at="2026-06-01T08:00:00.000Z"))
    return session


def receipt_of(server: RunningServer, answer: requests.Response) -> protocol.Receipt:
    assert answer.status_code == 200, answer.text
    public = crypto.b64d(server.meta()["signing_public_key"])
    return protocol.verify_receipt(public, answer.json())


Record = Callable[..., Recorded]


@dataclass
class Enrolled:
    """One enrolled PC and one attempt its journal recorded, ready to send to ``server``."""

    server: RunningServer
    device: Device
    attempt: Recorded

    @property
    def events_path(self) -> str:
        return protocol.events_path(self.attempt.attempt_id)

    def send(self, first: int = 1, last: int | None = None,
             records: list[protocol.EventRecord] | None = None) -> requests.Response:
        """POST the attempt's records ``first``..``last`` (or ``records``) as one batch."""
        return self.device.post(self.server, self.events_path,
                                self.attempt.body(self.device, first, last, records))

    def receipt(self, first: int = 1, last: int | None = None) -> protocol.Receipt:
        """Send a batch that must be accepted; the server's verified receipt for it."""
        return receipt_of(self.server, self.send(first, last))

    def claim(self, result: dict[str, Any]) -> requests.Response:
        return self.device.post(self.server, protocol.result_path(self.attempt.attempt_id),
                                {"attempt_id": self.attempt.attempt_id, "result": result})


def enrol_and_record(server: RunningServer, record: Record, *, centre_id: str = "DEMO",
                     **recording: Any) -> Enrolled:
    device = Device(centre_id=centre_id)
    device.enrol(server)
    return Enrolled(server, device, record(server, **recording))


@pytest.fixture
def enrolled(serve: Serve, record: Record) -> Enrolled:
    """The usual start of an ingest test: a server taking demo attempts, a PC, an attempt."""
    return enrol_and_record(serve(accept_demo=True), record)


def stored_attempt(server: RunningServer, attempt_id: str) -> dict[str, Any] | None:
    with server.state.engine.connect() as conn:
        row = conn.execute(
            text("SELECT head_seq FROM attempts WHERE attempt_id = :a"), {"a": attempt_id}
        ).one_or_none()
    return None if row is None else {"head_seq": row[0]}


def result_row(server: RunningServer, attempt_id: str) -> dict[str, Any]:
    with server.state.engine.connect() as conn:
        claimed, rescored, match = conn.execute(
            text("SELECT claimed, rescored, match FROM results WHERE attempt_id = :a"),
            {"a": attempt_id},
        ).one()
    return {"claimed": json.loads(claimed), "rescored": json.loads(rescored), "match": match}


def finalised(server: RunningServer, session_id: str = "DEMO-0001") -> None:
    """Finalise a session as its centre manager would, with no incident: the publication
    rule then lets its clean results out."""
    from pixdesk.server.finalise import finalise

    finalise(server.state, session_id, "Responsable du centre", "", [])
