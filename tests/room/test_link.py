"""The console and PC agents over real sockets on 127.0.0.1: commands reach the PCs,
forgeries and replays do not, and the room survives a console restart and a cut link."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from pixdesk import crypto
from pixdesk.room import commands
from pixdesk.room.agent import RoomAgent
from pixdesk.room.console import RoomConsole
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import unlock_command_key
from pixdesk.room.status import APPLIED, REFUSED, PcState, Status, sign_status
from tests.room.conftest import PASSWORD, SESSION_ID, Exam, Pc, room_session, run, trust_of
from tests.room.faults import FaultProxy

PCS = [Pc(f"pc{i}") for i in range(3)]
SESSION = room_session(PCS)
TRUST = trust_of(SESSION)
KEY = unlock_command_key(SESSION, PASSWORD)


class Room:
    """A console and three agents, each with its own data dir and exam stand-in."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.exams = {pc.device_id: Exam(f"c{i}") for i, pc in enumerate(PCS)}
        self.agents: dict[str, RoomAgent] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def agent(self, pc: Pc, port: int) -> RoomAgent:
        gate = CommandGate(TRUST, pc.device_id, CommandLedger(self.tmp_path / pc.device_id))
        exam = self.exams[pc.device_id]
        agent = RoomAgent(f"ws://127.0.0.1:{port}", gate, pc.key, exam.current, exam.apply,
                          first_retry_s=0.05, max_retry_s=0.5)
        self.agents[pc.device_id] = agent
        self.tasks.append(asyncio.create_task(agent.run()))
        return agent

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


@contextlib.asynccontextmanager
async def room_at(tmp_path: Path, **console_options: Any) -> AsyncIterator[
        tuple[RoomConsole, Room]]:
    for pc in PCS:
        (tmp_path / pc.device_id).mkdir(exist_ok=True)
    console = RoomConsole(TRUST, KEY, host="127.0.0.1", port=0, **console_options)
    await console.start()
    room = Room(tmp_path)
    try:
        yield console, room
    finally:
        await room.close()
        await console.stop()


async def _all_reporting(console: RoomConsole) -> None:
    await console.wait_until(lambda: console.connected == {pc.device_id for pc in PCS})


def test_authorise_all_reaches_every_checked_in_pc(tmp_path: Path) -> None:
    async def body() -> None:
        async with room_at(tmp_path) as (console, room):
            for pc in PCS:
                room.agent(pc, console.port)
            await _all_reporting(console)
            assert {s.pc.state for s in console.room.values()} == {"checked_in"}
            sent = await console.send(commands.AUTHORISE_START)
            await console.wait_until(lambda: len(sent.acks) == 3)
            assert {a.result for a in sent.acks.values()} == {APPLIED}
            await console.wait_until(lambda: all(
                s.pc.state == "authorised" for s in console.room.values()))
            for exam in room.exams.values():
                assert [c.nonce for c in exam.applied] == [sent.command.nonce]

    run(body())


def test_a_command_for_one_candidate_reaches_only_their_pc(tmp_path: Path) -> None:
    async def body() -> None:
        async with room_at(tmp_path) as (console, room):
            for pc in PCS:
                room.agent(pc, console.port)
            await _all_reporting(console)
            sent = await console.send(commands.ADD_TIME, commands.candidate_target("c1"),
                                      {"minutes": 10})
            assert sent.delivered == ("pc1",)
            await console.wait_until(lambda: "pc1" in sent.acks)
            assert [len(e.applied) for e in room.exams.values()] == [0, 1, 0]

    run(body())


def test_a_forged_and_a_replayed_command_are_refused_by_the_pc(tmp_path: Path) -> None:
    """An impostor takes the console's place on the LAN: it holds a genuine proof already
    applied, and no command key."""
    async def body() -> None:
        async with room_at(tmp_path) as (console, room):
            agent = room.agent(PCS[0], console.port)
            await _all_reporting_one(console)
            genuine = await console.send(commands.AUTHORISE_START)
            await console.wait_until(lambda: "pc0" in genuine.acks)
            port = console.port
            await console.stop()
            acks: list[dict[str, Any]] = []
            got_two = asyncio.Event()
            forged = commands.sign_command(
                crypto.new_signing_key(), session_id=SESSION_ID, target="all",
                command=commands.END_TEST, args={}, counter=10**18, issued_ms=1)
            forged["envelope"]["issued_ms"] = genuine.command.issued_ms

            async def impostor(ws: ServerConnection) -> None:
                await ws.send(json.dumps({"type": "command", **genuine.command.proof}))
                await ws.send(json.dumps({"type": "command", **forged}))
                async for raw in ws:
                    message = json.loads(raw)
                    if message["type"] == "ack":
                        acks.append(message["ack"])
                        if len(acks) == 2:
                            got_two.set()

            async with serve(impostor, "127.0.0.1", port):
                await got_two.wait()
            assert [(a["result"], a["code"]) for a in acks] == [
                (REFUSED, "room.replay"), (REFUSED, "room.bad_signature")]
            assert agent.refusals == ["room.replay", "room.bad_signature"]
            assert len(room.exams["pc0"].applied) == 1

    run(body())


async def _all_reporting_one(console: RoomConsole) -> None:
    await console.wait_until(lambda: console.connected == {"pc0"})


def test_a_restarted_console_rebuilds_the_room_from_the_pcs(tmp_path: Path) -> None:
    """Its clock even set a minute back: its counters still start above what the PCs
    accepted, so its commands are not taken for replays."""
    async def body() -> None:
        async with room_at(tmp_path) as (console, room):
            for pc in PCS:
                room.agent(pc, console.port)
            await _all_reporting(console)
            first = await console.send(commands.AUTHORISE_START)
            await console.wait_until(lambda: len(first.acks) == 3)
            port = console.port
            await console.stop()

            def behind() -> int:
                return first.command.issued_ms - 60_000

            restarted = RoomConsole(TRUST, KEY, host="127.0.0.1", port=port, clock=behind)
            await restarted.start()
            try:
                await _all_reporting(restarted)
                await restarted.wait_until(lambda: all(
                    s.pc.state == "authorised" for s in restarted.room.values()))
                assert {s.last_counter for s in restarted.room.values()} == {
                    first.command.counter}
                sent = await restarted.send(commands.RECORD_INCIDENT, "all", {"code": "E12"})
                assert sent.command.counter > first.command.counter
                await restarted.wait_until(lambda: len(sent.acks) == 3)
                assert {(a.result, a.code) for a in sent.acks.values()} == {(APPLIED, "")}
            finally:
                await restarted.stop()

    run(body())


def test_a_cut_link_is_rejoined_by_itself(tmp_path: Path) -> None:
    async def body() -> None:
        async with room_at(tmp_path) as (console, room):
            proxy = FaultProxy(console.port)
            await proxy.start()
            agent = room.agent(PCS[0], proxy.port)
            await _all_reporting_one(console)
            await proxy.cut()
            await console.wait_until(lambda: not console.connected)
            before = console.room["pc0"].seq
            await proxy.start()
            await console.wait_until(lambda: "pc0" in console.connected
                                     and console.room["pc0"].seq > before)
            assert agent.joins == 2
            sent = await console.send(commands.AUTHORISE_START)
            await console.wait_until(lambda: "pc0" in sent.acks)
            assert sent.acks["pc0"].result == APPLIED

    run(body())


def test_a_stranger_connecting_to_the_console_is_sent_nothing(tmp_path: Path) -> None:
    async def body() -> None:
        async with room_at(tmp_path) as (console, _room), connect(
                f"ws://127.0.0.1:{console.port}") as stranger:
            await stranger.send(json.dumps({"type": "status", "status": {
                "session_id": SESSION_ID, "device_id": "pc0"}, "signature": "AAAA"}))
            await stranger.send("not json")
            await console.wait_until(lambda: len(console.refusals) == 2)
            assert console.refusals == ["room.bad_signature", "room.malformed"]
            assert console.connected == frozenset()
            assert (await console.send(commands.PAUSE)).delivered == ()

    run(body())


def test_the_console_drops_replayed_stale_or_borrowed_statuses_and_wild_counters(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with room_at(tmp_path) as (console, _room), connect(
                f"ws://127.0.0.1:{console.port}") as pc0:
            now = time.time_ns() // 1_000_000

            def status(pc: Pc, seq: int, sent_ms: int, last_counter: int = -1) -> str:
                signed = sign_status(pc.key, Status(SESSION_ID, pc.device_id, seq, sent_ms,
                                                    last_counter, PcState(state="running")))
                return json.dumps({"type": "status", **signed})

            await pc0.send(status(PCS[0], 5, now))
            await console.wait_until(lambda: console.connected == {"pc0"})
            for message in (status(PCS[0], 5, now), status(PCS[0], 6, now - 200_000),
                            status(PCS[1], 1, now)):
                await pc0.send(message)
            await console.wait_until(lambda: len(console.refusals) == 3)
            assert console.refusals == ["room.replay", "room.stale", "room.wrong_device"]
            assert set(console.room) == {"pc0"} and console.room["pc0"].seq == 5
            await pc0.send(status(PCS[0], 7, now, last_counter=commands.MAX_COUNTER))
            await console.wait_until(lambda: console.room["pc0"].seq == 7)
            sent = await console.send(commands.PAUSE)
            assert sent.command.counter < (now + 10 * 60_000) * 1000

    run(body())
