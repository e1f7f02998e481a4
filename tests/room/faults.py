"""A link the tests can cut, and an impostor in the console's place: shared by the
in-process room tests and the process ones."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Mapping
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from pixdesk import crypto
from pixdesk.room import commands


class FaultProxy:
    """A TCP relay between agents and console that the test can cut and restore."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port, self.port = upstream_port, 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()
        await self._server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1",
                                                                 self.upstream_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers += [writer, up_writer]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def impostor_round(port: int, replayed: Mapping[str, Any], counter: int,
                         session_id: str, pcs: int, timeout_s: float) -> list[dict[str, Any]]:
    """Take the stopped console's port, send each of ``pcs`` PCs a genuine proof again and
    a command signed by another key; return their signed acks (two per PC)."""
    acks: list[dict[str, Any]] = []
    got_all = asyncio.Event()
    forged = commands.sign_command(
        crypto.new_signing_key(), session_id=session_id, target=commands.ALL,
        command=commands.END_TEST, args={}, counter=counter + 10**9,
        issued_ms=time.time_ns() // 1_000_000)

    async def impostor(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "command", **replayed}))
        await ws.send(json.dumps({"type": "command", **forged}))
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "ack":
                acks.append(message["ack"])
                if len(acks) == 2 * pcs:
                    got_all.set()

    async with serve(impostor, "127.0.0.1", port):
        await asyncio.wait_for(got_all.wait(), timeout_s)
    assert forged["envelope"]["nonce"] in {a["nonce"] for a in acks}
    return acks
