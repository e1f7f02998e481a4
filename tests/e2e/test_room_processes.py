"""A room on 127.0.0.1: the console core and three headless PC processes
(``python -m pixdesk.room_pc``), each a real exam on its own journal, behind a fault proxy.

One exam, in order: authorise all, pause all and resume all, add time to one candidate
(their time left grows in their journal), a forged and a replayed command sent by an
impostor in the console's place (refused, nothing journaled), the console stopped and
restarted mid-exam (the room rebuilt from the PCs, its next command not taken for a
replay), and the link cut and restored while the PCs keep running their exams. Every wait
is bounded by ``GUARD_S``; nothing is timed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from websockets.asyncio.server import ServerConnection, serve

from benchmarks.room_capacity import (
    DEMO_SERVER_KEY,
    PASSWORD,
    RoomFiles,
    build_room,
    pc_environment,
)
from pixdesk import crypto, room_pc
from pixdesk.room import commands
from pixdesk.room.console import RoomConsole, Sent
from pixdesk.room.keys import RoomTrust, unlock_command_key
from pixdesk.room.status import APPLIED, REFUSED
from pixdesk.session import sign_session
from pixdesk.store.journal import Journal
from pixdesk.trust import read_key_file, write_key_file
from tests.room.faults import FaultProxy

PCS = 3
GUARD_S = 120
ANSWER_EVERY_S = 1.0


class PcProcess:
    """One ``pixdesk.room_pc`` process and the JSON lines it printed."""

    def __init__(self, room: RoomFiles, index: int, console_uri: str) -> None:
        self.device_id, self.candidate_id = room.device(index), room.candidate(index)
        self.data_dir = room.data_dir(index)
        self.lines: list[dict[str, Any]] = []
        self.args = [sys.executable, "-m", "pixdesk.room_pc", "--data-dir", str(self.data_dir),
                     "--session", str(room.session_file), "--device-key",
                     str(room.key_file(index)), "--console", console_uri, "--candidate",
                     self.candidate_id, "--answer-every", str(ANSWER_EVERY_S),
                     "--seed", str(index)]
        self.process: asyncio.subprocess.Process | None = None
        self.reader: asyncio.Task[None] | None = None

    async def start(self, changed: asyncio.Event) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=pc_environment())
        self.reader = asyncio.create_task(self._read(changed))

    async def _read(self, changed: asyncio.Event) -> None:
        assert self.process is not None and self.process.stdout is not None
        async for line in self.process.stdout:
            self.lines.append(json.loads(line))
            changed.set()

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [line for line in self.lines if line["event"] == kind]

    def applied(self, nonce: str) -> dict[str, Any] | None:
        return next((line for line in self.events("applied") if line["nonce"] == nonce), None)

    async def stop(self) -> str:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        if self.reader is not None:
            await self.reader
        assert self.process.stderr is not None
        err = await self.process.stderr.read()
        await self.process.wait()
        return err.decode()


class Pcs:
    def __init__(self, room: RoomFiles, console_uri: str) -> None:
        self.all = [PcProcess(room, i, console_uri) for i in range(PCS)]
        self.changed = asyncio.Event()

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait until the PCs' output satisfies ``condition`` (bounded by the test guard)."""
        while not condition():
            self.changed.clear()
            await self.changed.wait()


async def _acked(console: RoomConsole, sent: Sent) -> None:
    await console.wait_until(lambda: len(sent.acks) == len(sent.delivered) == PCS)
    assert {(a.result, a.code) for a in sent.acks.values()} == {(APPLIED, "")}


async def _states(console: RoomConsole, state: str) -> None:
    await console.wait_until(lambda: len(console.room) == PCS and all(
        s.pc.state == state for s in console.room.values()))


async def _impostor_round(port: int, genuine: Sent) -> list[dict[str, Any]]:
    """Take the console's port, send each PC a genuine proof again and a forgery; return
    their signed acks."""
    acks: list[dict[str, Any]] = []
    got_all = asyncio.Event()
    forged = commands.sign_command(
        crypto.new_signing_key(), session_id=genuine.command.session_id, target="all",
        command=commands.END_TEST, args={}, counter=genuine.command.counter + 10**9,
        issued_ms=time.time_ns() // 1_000_000)

    async def impostor(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "command", **genuine.command.proof}))
        await ws.send(json.dumps({"type": "command", **forged}))
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "ack":
                acks.append(message["ack"])
                if len(acks) == 2 * PCS:
                    got_all.set()

    async with serve(impostor, "127.0.0.1", port):
        await got_all.wait()
    assert forged["envelope"]["nonce"] in {a["nonce"] for a in acks}
    return acks


def test_a_room_of_pc_processes_through_an_exam(tmp_path: Path) -> None:
    room = build_room(tmp_path, PCS)
    trust = RoomTrust.from_session(room.session)
    key = unlock_command_key(room.session, PASSWORD)

    async def body() -> tuple[list[Sent], Sent, set[str], Pcs]:
        console = RoomConsole(trust, key, host="127.0.0.1", port=0)
        await console.start()
        port = console.port
        proxy = FaultProxy(port)
        await proxy.start()
        pcs = Pcs(room, f"ws://127.0.0.1:{proxy.port}")
        for pc in pcs.all:
            await pc.start(pcs.changed)
        try:
            await _states(console, "checked_in")

            authorise = await console.send(commands.AUTHORISE_START)
            await _acked(console, authorise)
            await _states(console, "running")
            assert all(pc.applied(authorise.command.nonce) for pc in pcs.all)

            pause = await console.send(commands.PAUSE)
            await _acked(console, pause)
            await _states(console, "paused")
            resume = await console.send(commands.RESUME)
            await _acked(console, resume)
            await _states(console, "running")

            target = pcs.all[1]
            more = await console.send(commands.ADD_TIME,
                                      commands.candidate_target(target.candidate_id),
                                      {"minutes": 10})
            assert more.delivered == (target.device_id,)
            await console.wait_until(lambda: target.device_id in more.acks)
            assert more.acks[target.device_id].result == APPLIED
            await pcs.until(lambda: target.applied(more.command.nonce) is not None)
            line = target.applied(more.command.nonce)
            assert line is not None
            assert 590_000 < line["remaining_ms"] - line["remaining_ms_before"] <= 600_000
            assert [pc.applied(more.command.nonce) is None for pc in pcs.all] == [
                True, False, True]

            # An impostor in the console's place: a replayed genuine proof and a forgery.
            await console.stop()
            acks = await _impostor_round(port, resume)
            assert sorted((a["device_id"], a["result"], a["code"]) for a in acks) == sorted(
                [(pc.device_id, REFUSED, "room.replay") for pc in pcs.all]
                + [(pc.device_id, REFUSED, "room.bad_signature") for pc in pcs.all])
            forged_nonces = {a["nonce"] for a in acks if a["code"] == "room.bad_signature"}

            # The console restarts: the room comes back from the PCs.
            restarted = RoomConsole(trust, key, host="127.0.0.1", port=port)
            await restarted.start()
            try:
                await _states(restarted, "running")
                assert {s.last_counter for s in restarted.room.values()} == {
                    more.command.counter, resume.command.counter}
                assert all(s.pc.answered > 0 for s in restarted.room.values())
                incident = await restarted.send(commands.RECORD_INCIDENT, commands.ALL,
                                                {"code": "E12", "text": "Coupure courant"})
                assert incident.command.counter > more.command.counter
                await _acked(restarted, incident)

                # The link is cut: the PCs answer on; restored, they come back by themselves.
                await proxy.cut()
                await restarted.wait_until(lambda: not restarted.connected)
                cut_ms = time.time_ns() // 1_000_000
                await pcs.until(lambda: all(
                    any(a["answered_ms"] > cut_ms for a in pc.events("answered"))
                    for pc in pcs.all))
                assert not restarted.connected
                answered = {d: s.pc.answered for d, s in restarted.room.items()}
                await proxy.start()
                await restarted.wait_until(lambda: len(restarted.connected) == PCS and all(
                    s.pc.answered > answered[d] for d, s in restarted.room.items()))
                after = await restarted.send(commands.PAUSE)
                await _acked(restarted, after)
                await _states(restarted, "paused")
            finally:
                await restarted.stop()
        finally:
            errors = [await pc.stop() for pc in pcs.all]
            await proxy.cut()
        assert all(pc.events("refused") == [] for pc in pcs.all), errors
        return [authorise, pause, resume, incident, after], more, forged_nonces, pcs

    sent, more, forged, pcs = asyncio.run(asyncio.wait_for(body(), GUARD_S))
    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    for pc in pcs.all:
        with Journal.open(pc.data_dir, demo=True, create=False) as journal:
            (attempt,) = journal.attempts()
            proofs = [e.payload["proof"]["envelope"]["nonce"]
                      for e in journal.events(attempt.attempt_id) if "proof" in e.payload]
        expected = [s.command.nonce for s in sent]
        if pc.device_id == room.device(1):
            expected.insert(3, more.command.nonce)
        assert proofs == expected
        assert not set(proofs) & forged


def _refusal(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert room_pc.main(list(args)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err.strip()


def test_a_headless_pc_refuses_a_key_a_candidate_or_a_session_it_cannot_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PIXDESK_LANG", "fr")
    room = build_room(tmp_path / "room", 1)
    stranger = tmp_path / "stranger.key"
    write_key_file(stranger, crypto.signing_key_to_bytes(crypto.new_signing_key()))
    other_package = tmp_path / "other.pixsession"
    other_package.write_text(json.dumps(sign_session(
        dataclasses.replace(room.session, package_id="pixdesk-other-1"),
        crypto.signing_key_from_bytes(read_key_file(DEMO_SERVER_KEY)))), encoding="utf-8")
    data = tmp_path / "pc"
    common = ["--data-dir", str(data), "--console", "ws://127.0.0.1:9"]
    assert _refusal(capsys, *common, "--session", str(room.session_file), "--device-key",
                    str(stranger), "--candidate", room.candidate(0)) == (
        "Cette clé de poste n'est pas dans la liste des postes de la session.")
    assert _refusal(capsys, *common, "--session", str(room.session_file), "--device-key",
                    str(room.key_file(0)), "--candidate", "cand-999") == (
        "Candidat inconnu dans la session : cand-999.")
    assert _refusal(capsys, *common, "--session", str(other_package), "--device-key",
                    str(room.key_file(0)), "--candidate", room.candidate(0)).startswith(
        "La session DEMO-ROOM-1 n'est pas sur le paquet de démonstration")
    assert _refusal(capsys, "--data-dir", str(data), "--console", "salle-b12",
                    "--session", str(room.session_file), "--device-key",
                    str(room.key_file(0)), "--candidate", room.candidate(0)).startswith(
        "Adresse de console invalide : salle-b12")
    assert not data.exists()
