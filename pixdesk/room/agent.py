"""The PC's side of the room link: report status, take console commands, re-join alone.

The agent connects to the console's WebSocket address, sends a signed status at once, on
every change and every ``heartbeat_s``, and passes each command through the
``CommandGate`` before handing it to ``on_command``. What ``on_command`` raises (a
``PixdeskError``: the exam refused it) goes back in a signed ack, like a gate refusal.
When the link drops, ``websockets``' own exponential backoff (with jitter) paces the
reconnections; the exam never waits on the link. Given a URI *provider* instead of a URI
(``pixdesk.room.discovery``: ``room_console = "auto"``), the agent asks it for the
console's address before every connection, paced by the same backoff: a console restarted
on another machine or port is found again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from websockets.asyncio.client import ClientConnection, connect
from websockets.client import backoff
from websockets.exceptions import ConnectionClosed, WebSocketException

from pixdesk.errors import PixdeskError
from pixdesk.room.commands import Command
from pixdesk.room.gate import CommandGate
from pixdesk.room.status import APPLIED, REFUSED, Ack, PcState, Status, sign_ack, sign_status

MAX_MESSAGE = 64 * 1024


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


class RoomAgent:
    """One PC's link. ``state`` says what the exam shows now; ``on_command`` applies a
    verified command (its proof in ``Command.proof``, to journal) or raises the exam's
    refusal. ``connected`` is set while a link is up, for the panel to show."""

    def __init__(
        self,
        uri: str | Callable[[], Awaitable[str | None]],
        gate: CommandGate,
        signing_key: Ed25519PrivateKey,
        state: Callable[[], PcState],
        on_command: Callable[[Command], None],
        *,
        heartbeat_s: float = 5.0,
        ping_s: float = 5.0,
        first_retry_s: float = 1.0,
        max_retry_s: float = 15.0,
        clock: Callable[[], int] = _wall_ms,
    ) -> None:
        self._provider = None if isinstance(uri, str) else uri
        self.uri = uri if isinstance(uri, str) else ""
        """The console's address, or the last one the provider gave."""
        self.gate, self._key = gate, signing_key
        self._state, self._on_command, self._clock = state, on_command, clock
        self.heartbeat_s, self.ping_s = heartbeat_s, ping_s
        self._delays = functools.partial(backoff, initial_delay=first_retry_s,
                                         min_delay=first_retry_s, max_delay=max_retry_s)
        self._seq = clock() * 1000
        self._changed = asyncio.Event()
        self.connected = asyncio.Event()
        self.joins = 0
        self.refusals: list[str] = []

    def status_changed(self) -> None:
        """Send a status now rather than at the next heartbeat (call from the loop)."""
        self._changed.set()

    def _status(self) -> dict[str, Any]:
        self._seq = max(self._seq + 1, self._clock() * 1000)
        trust = self.gate.trust
        return {"type": "status", **sign_status(self._key, Status(
            trust.session_id, self.gate.device_id, self._seq, self._clock(),
            self.gate.ledger.highest(trust.session_id), self._state()))}

    def _connect(self, uri: str) -> connect:
        return connect(uri, max_size=MAX_MESSAGE, ping_interval=self.ping_s,
                       ping_timeout=self.ping_s, open_timeout=self.ping_s,
                       reconnect_delays=self._delays, proxy=None)

    async def run(self) -> None:
        """Forever: connect, serve the link until it drops, back off, connect again."""
        if self._provider is not None:
            await self._run_discovering(self._provider)
            return
        async for ws in self._connect(self.uri):
            await self._join(ws)

    async def _run_discovering(self, provider: Callable[[], Awaitable[str | None]]) -> None:
        """Ask where the console is before each connection; back off after any failure, and
        start the backoff afresh after a link that was up."""
        delays = self._delays()
        while True:
            uri = await provider()
            if uri is not None:
                self.uri = uri
                try:
                    async with self._connect(uri) as ws:
                        delays = self._delays()
                        await self._join(ws)
                except (OSError, TimeoutError, WebSocketException):
                    pass
            await asyncio.sleep(next(delays))

    async def _join(self, ws: ClientConnection) -> None:
        self.joins += 1
        self.connected.set()
        try:
            await self._serve(ws)
        except ConnectionClosed:
            pass
        finally:
            self.connected.clear()

    async def _serve(self, ws: ClientConnection) -> None:
        sender = asyncio.create_task(self._report(ws))
        try:
            async for raw in ws:
                await self._receive(ws, raw)
        finally:
            sender.cancel()

    async def _report(self, ws: ClientConnection) -> None:
        while True:
            self._changed.clear()
            try:
                await ws.send(json.dumps(self._status()))
            except ConnectionClosed:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), self.heartbeat_s)

    async def _receive(self, ws: ClientConnection, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
            if message.get("type") != "command":
                return
        except (ValueError, AttributeError):
            return
        candidate = self._state().candidate_id
        try:
            command = self.gate.admit(message, candidate, self._clock())
        except PixdeskError as error:
            self.refusals.append(error.code)
            if error.code != "room.wrong_target":
                await self._ack(ws, message, REFUSED, error.code)
            return
        try:
            self._on_command(command)
        except PixdeskError as error:
            await self._ack(ws, message, REFUSED, error.code)
        else:
            await self._ack(ws, message, APPLIED, "")
        self.status_changed()

    async def _ack(self, ws: ClientConnection, message: Any, result: str, code: str) -> None:
        envelope = message.get("envelope") if isinstance(message, dict) else None
        nonce = envelope.get("nonce") if isinstance(envelope, dict) else None
        counter = envelope.get("counter") if isinstance(envelope, dict) else None
        if not isinstance(nonce, str) or type(counter) is not int:
            return
        ack = Ack(self.gate.trust.session_id, self.gate.device_id, nonce[:64], counter,
                  result, code)
        await ws.send(json.dumps({"type": "ack", **sign_ack(self._key, ack)}))
