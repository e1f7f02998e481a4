"""Real servers, a fault-injecting TCP proxy and enrolled PCs for the sync client tests.

The server is the real app (``pixdesk.server.app.create_app``) under a real uvicorn on
127.0.0.1, in a thread on a socket bound before start (no free-port race), or as a separate
process when a test must kill it. The proxy sits between client and server and, request by
request, forwards faithfully or injects one fault: an answer of 500 or 503 + Retry-After,
a cut in the middle of the request or of the response, or a delay past the client's read
timeout. Nothing on the network path is mocked; only the client's waiting is (``sleep``).
"""

from __future__ import annotations

import functools
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from pixdesk.bundle import ExamBundle
from pixdesk.demo import load_demo
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.exam import LiveAttempt
from pixdesk.server import sessions
from pixdesk.server.app import create_app
from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.server.models import AttemptRecord, EventRow, Result
from pixdesk.store.journal import Journal
from pixdesk.store.outbox_state import OutboxState
from pixdesk.sync.client import RetryPolicy, SyncClient
from pixdesk.sync.device import enrol, open_device_store, require_enrolled
from pixdesk.sync.outbox import Outbox
from tests.server.conftest import RunningServer, bound_socket, serve_in_thread
from tests.server.conftest import free_port as free_port  # the UI and e2e tests import it here

CENTRE = "DEMO"


# --- the server -----------------------------------------------------------------------------


class LiveServer(RunningServer):
    """A running server plus what the sync tests ask of it: demo-centre tokens, chains, results."""

    def token(self, centre: str = CENTRE) -> str:
        return sessions.new_enrol_token(self.state, centre)

    def stored_events(self, attempt_id: str) -> list[tuple[int, bytes]]:
        return stored_events(self.state, attempt_id)

    def attempt_ids(self) -> list[str]:
        with DbSession(self.state.engine) as db:
            return list(db.scalars(select(AttemptRecord.attempt_id)))

    def result(self, attempt_id: str) -> Result | None:
        with DbSession(self.state.engine) as db:
            found = db.get(Result, attempt_id)
            if found is not None:
                db.expunge(found)
            return found


def stored_events(state: ServerState, attempt_id: str) -> list[tuple[int, bytes]]:
    """(seq, hash) of every event the server's database holds for the attempt."""
    with DbSession(state.engine) as db:
        rows = db.scalars(
            select(EventRow).where(EventRow.attempt_id == attempt_id).order_by(EventRow.seq)
        )
        return [(row.seq, row.hash) for row in rows]


def start_server(data_dir: Path, *, accept_demo: bool = True, **options: Any) -> LiveServer:
    config = ServerConfig(data_dir, accept_demo=accept_demo, **options)
    state = ServerState.open(config)
    return LiveServer(state, serve_in_thread(create_app(config, state)))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(tmp_path / "server")
    yield live
    live.stop()


SERVE_SNIPPET = """
import sys, uvicorn
from pathlib import Path
from pixdesk.server.app import create_app
from pixdesk.server.config import ServerConfig
app = create_app(ServerConfig(Path(sys.argv[1]), accept_demo=True))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", lifespan="off")
"""


@dataclass
class ServerProcess:
    """The real app in its own process, so that it can be SIGKILLed and started again."""

    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE_SNIPPET, str(self.data_dir), str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    """Until a server process listens on ``port`` (it may take seconds to import)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "server process did not start"
            assert process.poll() is None, "server process exited"
            time.sleep(0.05)


# --- the proxy ------------------------------------------------------------------------------


def _read_message(conn: socket.socket, buffer: bytearray) -> bytes | None:
    """One whole HTTP/1.1 message (headers + Content-Length body) from ``conn``."""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    head_end = buffer.index(b"\r\n\r\n") + 4
    length = 0
    for line in bytes(buffer[:head_end]).split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < head_end + length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    message = bytes(buffer[: head_end + length])
    del buffer[: head_end + length]
    return message


def _canned(status: str, extra: str = "") -> bytes:
    body = b'{"error":"proxy.injected","message_fr":"panne simulee","message_en":"injected"}'
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra}"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


class FaultProxy:
    """A TCP proxy applying ``plan`` (one fault per request, in order), then forwarding.

    Faults: ``"500"``, ``"503:<retry-after>"``, ``"cut_request"`` (half the request reaches
    the server, then both sides are closed), ``"cut_response"`` (the server answers in full,
    the client gets half), ``"delay:<s>"`` (the server answers, the client hears after
    ``s`` seconds), or the name of an entry of ``actions`` (the request reaches the server,
    the action runs at once — e.g. SIGKILL the server — and the client's connection drops).
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.plan: list[str] = []
        self.actions: dict[str, Callable[[], None]] = {}
        self.seen: list[tuple[str, bytes]] = []
        self._lock = threading.Lock()
        self._listener = bound_socket()
        self._listener.listen(16)
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _next_fault(self) -> str:
        with self._lock:
            return self.plan.pop(0) if self.plan else "ok"

    def _serve(self, client: socket.socket) -> None:
        """Relay one client connection; a dead server or client just ends it, like a reset."""
        try:
            self._relay(client)
        except OSError:
            client.close()

    def _relay(self, client: socket.socket) -> None:
        buffer = bytearray()
        with client:
            while (request := _read_message(client, buffer)) is not None:
                fault = self._next_fault()
                with self._lock:
                    self.seen.append((fault, request))
                if fault == "500":
                    client.sendall(_canned("500 Internal Server Error"))
                    continue
                if fault.startswith("503:"):
                    retry = fault.split(":", 1)[1]
                    client.sendall(_canned("503 Service Unavailable", f"retry-after: {retry}\r\n"))
                    continue
                with socket.create_connection(self.upstream, timeout=30) as upstream:
                    if fault == "cut_request":
                        upstream.sendall(request[: len(request) // 2])
                        return
                    upstream.sendall(request)
                    if fault in self.actions:
                        self.actions[fault]()
                        return
                    response = _read_message(upstream, bytearray())
                if response is None:
                    return
                if fault == "cut_response":
                    client.sendall(response[: len(response) // 2])
                    return
                if fault.startswith("delay:"):
                    time.sleep(float(fault.split(":", 1)[1]))
                client.sendall(response)

    def replay(self, request: bytes) -> bytes | None:
        """Send a recorded request straight to the server again; its raw answer."""
        with socket.create_connection(self.upstream, timeout=30) as upstream:
            upstream.sendall(request)
            return _read_message(upstream, bytearray())


@pytest.fixture
def proxy(server: LiveServer) -> Iterator[FaultProxy]:
    host, port = server.url.removeprefix("http://").split(":")
    fault_proxy = FaultProxy((host, int(port)))
    yield fault_proxy
    fault_proxy.close()


# --- PCs --------------------------------------------------------------------------------------


@functools.cache
def demo() -> ExamBundle:
    return load_demo()


def begin_exam(journal: Journal, *, attempt_id: str, seed: int,
               candidate: str = "demo-1") -> LiveAttempt:
    """A demo attempt checked in, authorised and begun: its first question is showing."""
    bundle = demo()
    live = LiveAttempt.check_in(
        journal, bundle.content, bundle.session, bundle.session.candidate(candidate),
        attempt_id=attempt_id, seed=seed,
    )
    live.act(live.attempt.authorise)
    live.act(live.attempt.begin)
    return live


def answer_right(live: LiveAttempt, count: int) -> None:
    """The next ``count`` questions answered with their model answers (none may be missing)."""
    for _ in range(count):
        item = live.attempt.current_item
        assert item is not None
        if not live.attempt.item_started:
            live.act(live.attempt.start_timed_item)
        live.act(functools.partial(live.attempt.submit, model_answer(item)))


def run_exam(journal: Journal, *, seed: int, candidate: str = "demo-1", answers: int = 99) -> str:
    """A demo attempt through the real engine, ended after ``answers`` answers at most."""
    attempt_id = f"att-{seed}-{candidate}"
    live = begin_exam(journal, attempt_id=attempt_id, seed=seed, candidate=candidate)
    chooser = random.Random(seed)
    for _ in range(answers):
        item = live.attempt.current_item
        if live.phase is not Phase.RUNNING or item is None:
            break
        answer = model_answer(item) if chooser.random() < 0.6 else wrong_answer(item)
        if not live.attempt.item_started:
            live.act(live.attempt.start_timed_item)
        live.act(functools.partial(live.attempt.submit, answer))
    return attempt_id


@dataclass
class PC:
    data_dir: Path
    journal: Journal
    sleeps: list[float] = field(default_factory=list)

    def enrol(self, url: str, token: str, centre: str = CENTRE) -> None:
        client = SyncClient(url)
        try:
            enrol(
                open_device_store(self.data_dir), client, device_id=self.journal.device_id,
                token=token, centre_id=centre, hostname="pc-test",
            )
        finally:
            client.close()

    def outbox(
        self, url: str | None = None, *, batch_size: int = 200, tries: int = 6,
        read_timeout: float = 15.0,
    ) -> Outbox:
        device, pin = require_enrolled(open_device_store(self.data_dir))
        client = SyncClient(
            url or pin.url, device, policy=RetryPolicy(tries=tries), timeout=(2.0, read_timeout),
            sleep=self.sleeps.append, rng=random.Random(7),
        )
        return Outbox(self.journal, OutboxState(self.journal.path), client, device, pin,
                      batch_size=batch_size)

    def raw_hashes(self, attempt_id: str) -> list[tuple[int, bytes]]:
        return [(e.seq, e.hash) for e in self.journal.events(attempt_id)]


@pytest.fixture
def make_pc(tmp_path: Path) -> Iterator[Callable[[str], PC]]:
    opened: list[PC] = []

    def make(name: str = "pc") -> PC:
        data_dir = tmp_path / name
        data_dir.mkdir()
        pc = PC(data_dir, Journal.open(data_dir))
        opened.append(pc)
        return pc

    yield make
    for pc in opened:
        pc.journal.close()


@pytest.fixture
def pc(make_pc: Callable[[str], PC]) -> PC:
    return make_pc("pc")


