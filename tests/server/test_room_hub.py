"""The room run from the central server: ``pixdesk-server room-hub`` relays a session the
server issued (real database, PCs enrolled over HTTP) between real ``RoomAgent``s and a
``RemoteRoomConsole``, all on 127.0.0.1. The hub forwards only what the session's keys
signed; the console and the PCs still check everything themselves."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from pixdesk import crypto
from pixdesk.content.package import demo_content_key
from pixdesk.room import commands
from pixdesk.room.agent import RoomAgent
from pixdesk.room.discovery import find_console
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomTrust, unlock_command_key
from pixdesk.room.remote import RemoteRoomConsole, hub_uri
from pixdesk.room.status import APPLIED, PcState, Status, sign_status
from pixdesk.server import cli
from pixdesk.server.config import ServerConfig, demo_package_path
from pixdesk.server.room_hub import RoomHub, sessions_of_the_day, stored_trust
from pixdesk.server.sessions import create_session
from pixdesk.session import Candidate, Session, load_session
from pixdesk.sync import protocol
from tests.room.conftest import GUARD_S, PASSWORD, Exam, Pc, room_session
from tests.server.conftest import Device, RunningServer, start_server

RETRY: dict[str, Any] = {"first_retry_s": 0.05, "max_retry_s": 0.5}


@dataclass
class Issued:
    """A server with two enrolled PCs and the session it issued them, as the invigilator's
    file holds it."""

    server: RunningServer
    devices: list[Device]
    session: Session
    key: Ed25519PrivateKey

    @property
    def trust(self) -> RoomTrust:
        return RoomTrust.from_session(self.session)


def verified(server: RunningServer, path: Path, document: dict[str, Any]) -> Session:
    """The session file as the invigilator's machine loads it."""
    path.write_text(json.dumps(document), encoding="utf-8")
    public = crypto.b64d(server.meta()["signing_public_key"])
    return load_session(path, {crypto.key_id(public): public})


@pytest.fixture
def issued(tmp_path: Path) -> Iterator[Issued]:
    server = start_server(ServerConfig(data_dir=tmp_path / "server", accept_demo=True))
    try:
        devices = [Device(centre_id="C1") for _ in range(2)]
        for device in devices:
            assert device.enrol(server).status_code == 201
        document = create_session(
            server.state, package=demo_package_path(), content_key=demo_content_key(),
            centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
            candidates=tuple(Candidate(f"c{i}", "Nom", "Prénom", "2009-01-01")
                             for i in range(2)),
            access_code="BKQT47", invigilator_password=PASSWORD)
        session = verified(server, tmp_path / "session.pixsession", document)
        yield Issued(server, devices, session, unlock_command_key(session, PASSWORD))
    finally:
        server.stop()


@dataclass
class Room:
    """The hub on the server's database, the PCs' agents and the console."""

    issued: Issued
    tmp_path: Path
    hub: RoomHub
    exams: dict[str, Exam] = field(default_factory=dict)
    agents: dict[str, RoomAgent] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    consoles: list[RemoteRoomConsole] = field(default_factory=list)

    @property
    def uri(self) -> str:
        return f"ws://127.0.0.1:{self.hub.port}"

    def agent(self, index: int, heartbeat_s: float = 5.0) -> RoomAgent:
        device = self.issued.devices[index]
        data = self.tmp_path / f"pc{index}"
        data.mkdir(exist_ok=True)
        gate = CommandGate(self.issued.trust, device.device_id, CommandLedger(data))
        exam = self.exams[device.device_id] = Exam(f"c{index}")
        agent = RoomAgent(self.uri, gate, device.signing, exam.current, exam.apply,
                          heartbeat_s=heartbeat_s, **RETRY)
        self.agents[device.device_id] = agent
        self.tasks.append(asyncio.create_task(agent.run()))
        return agent

    async def console(self, **options: Any) -> RemoteRoomConsole:
        console = RemoteRoomConsole(self.issued.trust, self.issued.key, self.uri,
                                    **(RETRY | options))
        await console.start()
        self.consoles.append(console)
        return console

    def ids(self) -> set[str]:
        return {d.device_id for d in self.issued.devices}

    async def close(self) -> None:
        for console in self.consoles:
            await console.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.hub.stop()


@contextlib.asynccontextmanager
async def hub_room(issued: Issued, tmp_path: Path) -> AsyncIterator[Room]:
    hub = RoomHub(stored_trust(issued.server.state), host="127.0.0.1", port=0, recheck_s=0)
    await hub.start()
    room = Room(issued, tmp_path, hub)
    try:
        yield room
    finally:
        await room.close()


def run(coroutine: Any) -> None:
    asyncio.run(asyncio.wait_for(coroutine, GUARD_S))


async def everyone(room: Room, console: RemoteRoomConsole) -> None:
    await console.wait_until(lambda: console.connected == room.ids())


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def test_statuses_reach_the_console_and_its_commands_are_applied(
        issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with hub_room(issued, tmp_path) as room:
            room.agent(0)
            room.agent(1)
            console = await room.console()
            await everyone(room, console)
            assert {s.pc.state for s in console.room.values()} == {"checked_in"}
            sent = await console.send(commands.AUTHORISE_START)
            assert set(sent.delivered) == room.ids()
            await console.wait_until(lambda: len(sent.acks) == 2)
            assert {a.result for a in sent.acks.values()} == {APPLIED}
            await console.wait_until(lambda: all(
                s.pc.state == "authorised" for s in console.room.values()))

            second = issued.devices[1].device_id
            exam = room.exams[second]
            exam.state = PcState(state="running", candidate_id="c1", total=32)
            room.agents[second].status_changed()
            await console.wait_until(lambda: console.room[second].pc.state == "running")
            pause = await console.send(commands.PAUSE, commands.candidate_target("c1"))
            assert pause.delivered == (second,)
            await console.wait_until(lambda: second in pause.acks)
            assert pause.acks[second].result == APPLIED
            assert [c.command for c in exam.applied] == [commands.AUTHORISE_START,
                                                         commands.PAUSE]
            assert len(room.exams[issued.devices[0].device_id].applied) == 1
            assert console.refusals == [] and list(room.hub.refusals) == []

    run(body())


def hello(issued: Issued, **proof: Any) -> str:
    """A console's first frame, its attach proof signed with the session's key by default
    (``key``, ``session_id``, ``issued_ms``, ``nonce`` change it)."""
    fields: dict[str, Any] = {"session_id": issued.session.id, "issued_ms": now_ms()}
    key = proof.pop("key", issued.key)
    signed = commands.sign_attach(key, **(fields | proof))
    return json.dumps({"type": "console", "session_id": issued.session.id, "proof": signed})


async def raw_console(room: Room) -> ClientConnection:
    ws = await connect(room.uri, proxy=None)
    await ws.send(hello(room.issued))
    attached = json.loads(await ws.recv())
    assert attached["type"] == "attached"
    return ws


async def answer_to(ws: ClientConnection) -> dict[str, Any]:
    """The hub's answer to a command, past the statuses and acks it relays meanwhile."""
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] in ("sent", "refused"):
            return message


def test_a_forged_or_replayed_command_is_refused_by_the_hub_and_reaches_no_pc(
        issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with hub_room(issued, tmp_path) as room:
            agent = room.agent(0)
            console = await room.console()
            await console.wait_until(lambda: len(console.connected) == 1)
            async with await raw_console(room) as ws:
                forged = commands.sign_command(
                    crypto.new_signing_key(), session_id=issued.session.id, target="all",
                    command=commands.END_TEST, args={}, counter=now_ms() * 1000,
                    issued_ms=now_ms())
                await ws.send(json.dumps({"type": "command", **forged}))
                assert await answer_to(ws) == {"type": "refused", "code": "room.bad_signature",
                                               "nonce": forged["envelope"]["nonce"]}
                other = commands.sign_command(
                    issued.key, session_id="9999999", target="all", command=commands.PAUSE,
                    args={}, counter=now_ms() * 1000, issued_ms=now_ms())
                await ws.send(json.dumps({"type": "command", **other}))
                assert (await answer_to(ws))["code"] == "room.wrong_session"
                await ws.send("not json")
                assert (await answer_to(ws))["code"] == "room.malformed"

                genuine = await console.send(commands.AUTHORISE_START)
                await console.wait_until(lambda: len(genuine.acks) == 1)
                await ws.send(json.dumps({"type": "command", **genuine.command.proof}))
                assert (await answer_to(ws))["code"] == "room.replay"
            exam = room.exams[issued.devices[0].device_id]
            assert [c.nonce for c in exam.applied] == [genuine.command.nonce]
            assert agent.refusals == []
            assert list(room.hub.refusals) == ["room.bad_signature", "room.wrong_session",
                                               "room.malformed", "room.replay"]

    run(body())


def test_statuses_from_an_unknown_pc_replayed_or_stale_are_refused(
        issued: Issued, tmp_path: Path) -> None:
    pc = issued.devices[0]

    def status(key: Ed25519PrivateKey, device_id: str, seq: int, sent_ms: int,
               session_id: str = issued.session.id) -> str:
        signed = sign_status(key, Status(session_id, device_id, seq, sent_ms, -1,
                                         PcState(state="running", candidate_id="c0")))
        return json.dumps({"type": "status", **signed})

    async def body() -> None:
        async with hub_room(issued, tmp_path) as room, connect(room.uri, proxy=None) as ws:
            console = await room.console()
            await console.wait_until(lambda: console.joined)
            rogue = crypto.new_signing_key()
            now = now_ms()
            for frame in (status(rogue, "pc-rogue", 1, now), status(rogue, pc.device_id, 1, now),
                          status(pc.signing, pc.device_id, 1, now, "9999999")):
                await ws.send(frame)
            await ws.send(status(pc.signing, pc.device_id, 5, now))
            await console.wait_until(lambda: pc.device_id in console.connected)
            for frame in (status(pc.signing, pc.device_id, 5, now),
                          status(pc.signing, pc.device_id, 6, now - 200_000),
                          status(issued.devices[1].signing, issued.devices[1].device_id, 1,
                                 now)):
                await ws.send(frame)
            await ws.send(status(pc.signing, pc.device_id, 7, now))
            await console.wait_until(lambda: console.room[pc.device_id].seq == 7)
            assert list(room.hub.refusals) == [
                "room.unknown_device", "room.bad_signature", "room.unknown_session",
                "room.replay", "room.stale", "room.wrong_device"]
            assert set(console.room) == {pc.device_id}
            assert console.refusals == []

    run(body())


def test_a_pc_enrolled_after_the_session_is_taken_once_it_fetched_its_file(
        issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with hub_room(issued, tmp_path) as room, connect(room.uri, proxy=None) as ws:
            late = Device(centre_id="C1")
            assert late.enrol(issued.server).status_code == 201

            def frame(seq: int) -> str:
                signed = sign_status(late.signing, Status(
                    issued.session.id, late.device_id, seq, now_ms(), -1, PcState()))
                return json.dumps({"type": "status", **signed})

            await ws.send(frame(1))
            await asyncio.sleep(0.2)
            assert list(room.hub.refusals) == ["room.unknown_device"]
            reissued = await asyncio.to_thread(
                late.get, issued.server, protocol.session_path(issued.session.id))
            assert reissued.status_code == 200
            await ws.send(frame(2))
            async with await raw_console(room) as watcher:
                seen = json.loads(await watcher.recv())
                while seen["type"] == "connected":
                    seen = json.loads(await watcher.recv())
            assert seen["type"] == "status" and seen["status"]["device_id"] == late.device_id

    run(body())


def test_a_console_that_attaches_again_gets_the_room_at_once(
        issued: Issued, tmp_path: Path) -> None:
    """The PCs send nothing new (heartbeat a minute away): what the second console shows
    it got from the hub. Its clock a minute behind, its counters still start above what
    the PCs accepted."""
    async def body() -> None:
        async with hub_room(issued, tmp_path) as room:
            room.agent(0, heartbeat_s=60)
            room.agent(1, heartbeat_s=60)
            first = await room.console()
            await everyone(room, first)
            sent = await first.send(commands.AUTHORISE_START)
            await first.wait_until(lambda: len(sent.acks) == 2)
            await first.wait_until(lambda: all(
                s.pc.state == "authorised" for s in first.room.values()))
            await first.stop()

            started = time.monotonic()
            again = await room.console(clock=lambda: now_ms() - 60_000)
            await again.wait_until(lambda: again.connected == room.ids() and all(
                s.pc.state == "authorised" for s in again.room.values()))
            assert time.monotonic() - started < 5
            incident = await again.send(commands.RECORD_INCIDENT, "all", {"code": "E12"})
            assert incident.command.counter > sent.command.counter
            await again.wait_until(lambda: len(incident.acks) == 2)
            assert {(a.result, a.code) for a in incident.acks.values()} == {(APPLIED, "")}

    run(body())


def test_after_a_hub_restart_the_pcs_and_the_console_rejoin_by_themselves(
        issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with hub_room(issued, tmp_path) as room:
            agents = [room.agent(0), room.agent(1)]
            console = await room.console()
            await everyone(room, console)
            port = room.hub.port
            await room.hub.stop()
            await console.wait_until(lambda: not console.joined)
            assert console.connected == frozenset()
            room.hub = RoomHub(stored_trust(issued.server.state), host="127.0.0.1",
                               port=port, recheck_s=0)
            await room.hub.start()
            await console.wait_until(lambda: console.joins == 2 and console.connected
                                     == room.ids())
            assert [a.joins for a in agents] == [2, 2]
            sent = await console.send(commands.AUTHORISE_START)
            await console.wait_until(lambda: len(sent.acks) == 2)
            assert {a.result for a in sent.acks.values()} == {APPLIED}

    run(body())


def test_a_console_for_a_session_the_server_did_not_issue_is_refused(
        issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with hub_room(issued, tmp_path) as room, connect(room.uri, proxy=None) as ws:
            await ws.send(json.dumps({
                "type": "console", "session_id": "9999999",
                "proof": commands.sign_attach(issued.key, session_id="9999999",
                                              issued_ms=now_ms())}))
            assert json.loads(await ws.recv()) == {"type": "refused",
                                                   "code": "room.unknown_session"}
            await ws.wait_closed()
            stranger = room_session([Pc("pc-x")], session_id="SESSION-ELSEWHERE")
            console = RemoteRoomConsole(RoomTrust.from_session(stranger),
                                        unlock_command_key(stranger, PASSWORD), room.uri)
            await console.start()
            try:
                await console.wait_until(lambda: console.hub_refusal is not None)
                assert console.hub_refusal == "room.unknown_session" and not console.joined
            finally:
                await console.stop()

    run(body())


# --- who may attach as a console -------------------------------------------------------------


async def hub_answer(room: Room, first: str) -> tuple[list[dict[str, Any]], int | None]:
    """Every frame the hub sends a console that opens with ``first``, until the hub closes
    the link, and the close code."""
    received: list[dict[str, Any]] = []
    async with connect(room.uri, proxy=None) as ws:
        await ws.send(first)
        try:
            while True:
                received.append(json.loads(await ws.recv()))
        except ConnectionClosed as closed:
            return received, closed.rcvd.code if closed.rcvd is not None else None


@contextlib.asynccontextmanager
async def reporting_room(issued: Issued, tmp_path: Path) -> AsyncIterator[Room]:
    """A hub that holds a status of one PC, seen by the invigilator's console."""
    async with hub_room(issued, tmp_path) as room:
        room.agent(0)
        console = await room.console()
        await console.wait_until(lambda: len(console.connected) == 1)
        yield room


def stranger_hello(issued: Issued, case: str) -> str:
    if case == "without_proof":
        return json.dumps({"type": "console", "session_id": issued.session.id})
    if case == "signed_by_another_key":
        return hello(issued, key=crypto.new_signing_key())
    if case == "for_another_session":
        return hello(issued, session_id="9999999")
    if case == "stale":
        return hello(issued, issued_ms=now_ms() - commands.STALE_WINDOW_MS - 10_000)
    assert case == "with_a_command_proof"
    proof = commands.sign_command(
        issued.key, session_id=issued.session.id, target="all", command=commands.PAUSE,
        args={}, counter=now_ms() * 1000, issued_ms=now_ms())
    return json.dumps({"type": "console", "session_id": issued.session.id, "proof": proof})


@pytest.mark.parametrize(("case", "code"), [
    ("without_proof", "room.malformed"),
    ("signed_by_another_key", "room.bad_signature"),
    ("for_another_session", "room.wrong_session"),
    ("stale", "room.stale"),
    ("with_a_command_proof", "room.malformed"),
])
def test_a_console_without_a_proof_of_the_session_key_is_refused_and_sees_no_status(
        issued: Issued, tmp_path: Path, case: str, code: str) -> None:
    async def body() -> None:
        async with reporting_room(issued, tmp_path) as room:
            received, closed = await hub_answer(room, stranger_hello(issued, case))
            assert received == [{"type": "refused", "code": code}]
            assert closed == 1008
            assert list(room.hub.refusals) == [code]
            assert len(room.hub.rooms[issued.session.id].consoles) == 1

    run(body())


def test_a_replayed_attach_proof_is_refused_and_sees_no_status(
        issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with reporting_room(issued, tmp_path) as room:
            first = hello(issued)
            async with connect(room.uri, proxy=None) as ws:
                await ws.send(first)
                assert json.loads(await ws.recv())["type"] == "attached"
            received, closed = await hub_answer(room, first)
            assert received == [{"type": "refused", "code": "room.replay"}]
            assert closed == 1008 and list(room.hub.refusals) == ["room.replay"]

    run(body())


def test_a_console_with_a_fresh_proof_gets_the_room(issued: Issued, tmp_path: Path) -> None:
    async def body() -> None:
        async with reporting_room(issued, tmp_path) as room, \
                await raw_console(room) as ws:
            device = issued.devices[0].device_id
            seen = json.loads(await ws.recv())
            while seen["type"] == "connected":
                seen = json.loads(await ws.recv())
            assert seen["type"] == "status" and seen["status"]["device_id"] == device
            assert list(room.hub.refusals) == []

    run(body())


def test_the_hub_forgets_attach_proofs_once_too_old_to_pass(
        issued: Issued, tmp_path: Path) -> None:
    """Its ledger of attach nonces stays as small as the time window: a proof pruned from
    it would be refused as stale anyway."""
    async def body() -> None:
        clock = [now_ms()]
        hub = RoomHub(stored_trust(issued.server.state), host="127.0.0.1", port=0,
                      clock=lambda: clock[0])
        await hub.start()
        room = Room(issued, tmp_path, hub)
        async def attach(first: str) -> None:
            async with connect(room.uri, proxy=None) as ws:
                await ws.send(first)
                assert json.loads(await ws.recv())["type"] == "attached"

        try:
            old = hello(issued, issued_ms=clock[0])
            await attach(old)
            taken = hub.rooms[issued.session.id].attach_nonces
            assert len(taken) == 1
            clock[0] += commands.STALE_WINDOW_MS + 1
            await attach(hello(issued, issued_ms=clock[0]))
            assert len(taken) == 1 and json.loads(old)["proof"]["envelope"]["nonce"] not in taken
            received, _ = await hub_answer(room, old)
            assert received == [{"type": "refused", "code": "room.stale"}]
        finally:
            await room.close()

    run(body())


# --- pixdesk-server room-hub -----------------------------------------------------------------


def test_room_hub_refuses_a_bad_port_and_a_busy_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "server")
    assert cli.main(["--lang", "en", "room-hub", "--data-dir", data, "--port", "70000"]) == 2
    err = capsys.readouterr().err
    assert err == "pixdesk-server: Invalid port: 70000 (0 to 65535). [room.bad_port]\n"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["room-hub", "--data-dir", data, "--host", "127.0.0.1",
                         "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pixdesk-server: Le relais de salle ne peut pas écouter sur "
                          f"127.0.0.1:{port}")
    assert err.endswith("[room.port_busy]\n") and err.count("\n") == 1


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_room_hub_serves_the_server_sessions_until_interrupted(
        issued: Issued, stop_signal: signal.Signals) -> None:
    data_dir = issued.server.state.config.data_dir
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pixdesk.server.cli import main; "
         "sys.exit(main())", "room-hub", "--data-dir", str(data_dir), "--host", "127.0.0.1",
         "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[2])})
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("relais de salle / room hub: ws://127.0.0.1:"), line
        uri = hub_uri(line.split("ws://")[1].split()[0])

        async def attach() -> dict[str, Any]:
            async with connect(uri, proxy=None) as ws:
                await ws.send(hello(issued))
                answer: dict[str, Any] = json.loads(await ws.recv())
                return answer

        assert asyncio.run(asyncio.wait_for(attach(), GUARD_S)) == {
            "type": "attached", "session_id": issued.session.id, "connected": []}
        process.send_signal(stop_signal)
        _, log = process.communicate(timeout=GUARD_S)
        assert process.returncode == 0, log
        assert "server closing" in log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_hub_advertises_the_room_sessions_of_the_day_only(issued: Issued) -> None:
    state = issued.server.state
    day = date.fromisoformat(issued.session.date)
    assert sessions_of_the_day(state, lambda: day)() == [issued.session.id]
    assert sessions_of_the_day(state, lambda: day + timedelta(days=1))() == [
        issued.session.id]
    assert sessions_of_the_day(state, lambda: day + timedelta(days=2))() == []


@pytest.mark.usefixtures("multicast")
def test_an_auto_pc_finds_the_hub_of_its_session(issued: Issued) -> None:
    async def body() -> None:
        hub = RoomHub(stored_trust(issued.server.state), host="127.0.0.1", port=0,
                      advertised=lambda: [issued.session.id])
        await hub.start()
        try:
            found = await find_console(issued.session.id, 10)
            assert found == f"ws://127.0.0.1:{hub.port}"
            assert hub.advertising == {issued.session.id}
        finally:
            await hub.stop()
        assert hub.advertising == frozenset()

    run(body())
