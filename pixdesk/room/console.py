"""The console's core, without a window: the room's state and the signed commands.

The console listens (WebSocket, ``DEFAULT_PORT``); PCs connect to it. It keeps no state of
its own worth saving: the room is rebuilt from the signed statuses the PCs send as soon as
they (re)connect, and the counter of the next command is taken above every counter a PC
reports having accepted, so a restarted console, even with its clock set back, is not
taken for a replay (a counter beyond what this clock could have issued is not followed:
one PC must not push the room's counters out of range). Anything that fails verification
is dropped and noted in ``refusals``; an unauthenticated connection is never sent anything.
With ``advertise=True`` it also announces itself on the LAN (``pixdesk.room.discovery``)
while it listens, for the PCs configured with ``room_console = "auto"``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import zeroconf
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from pixdesk import crypto
from pixdesk.errors import PixdeskError
from pixdesk.room.commands import (
    ALL,
    STALE_WINDOW_MS,
    Command,
    open_command,
    sign_command,
    target_matches,
)
from pixdesk.room.discovery import Advertisement
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.room.status import Ack, Status, open_ack, open_status

_log = logging.getLogger(__name__)

DEFAULT_PORT = 47815
MAX_MESSAGE = 64 * 1024


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class Sent:
    """A command the console sent, and the PCs' signed answers to it."""

    command: Command
    delivered: tuple[str, ...]
    acks: dict[str, Ack] = field(default_factory=dict)


class RoomConsole:
    def __init__(self, trust: RoomTrust, command_key: Ed25519PrivateKey, *,
                 host: str = "0.0.0.0", port: int = DEFAULT_PORT,
                 clock: Callable[[], int] = _wall_ms, advertise: bool = False) -> None:
        if not crypto.constant_time_equal(crypto.public_key_bytes(command_key),
                                          trust.command_public_key):
            raise RoomError("room.key_mismatch",
                            "Cette clé de commande n'est pas celle de la session.",
                            "This command key is not the session's.")
        self.trust, self._key, self.host, self.port = trust, command_key, host, port
        self._clock = clock
        self._server: Server | None = None
        self._advertise = advertise
        self._advertisement: Advertisement | None = None
        self._links: dict[str, ServerConnection] = {}
        self._counter = -1
        self._changed = asyncio.Condition()
        self.room: dict[str, Status] = {}
        self.sent: dict[str, Sent] = {}
        self.refusals: list[str] = []

    async def start(self) -> None:
        self._server = await serve(self._handle, self.host, self.port, max_size=MAX_MESSAGE)
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        if self._advertise:
            advertisement = Advertisement(self.trust.session_id, self.port, self.host)
            try:
                await advertisement.start()
            except (OSError, RuntimeError, zeroconf.Error) as exc:
                _log.warning("room console not advertised on the LAN (%s): PCs need its "
                             "address", exc)
            else:
                self._advertisement = advertisement

    async def stop(self) -> None:
        if self._advertisement is not None:
            await self._advertisement.stop()
            self._advertisement = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self._links.clear()

    @property
    def connected(self) -> frozenset[str]:
        return frozenset(self._links)

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait until ``condition`` holds after some message (callers bound the wait)."""
        async with self._changed:
            await self._changed.wait_for(condition)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, ws: ServerConnection) -> None:
        device: str | None = None
        try:
            async for raw in ws:
                device = self._receive(ws, raw, device)
                await self._notify()
        except ConnectionClosed:
            pass
        finally:
            if device is not None and self._links.get(device) is ws:
                del self._links[device]
                await self._notify()

    def _receive(self, ws: ServerConnection, raw: str | bytes,
                 device: str | None) -> str | None:
        """Apply one message; the device this connection speaks for, once proven."""
        try:
            message = json.loads(raw)
            kind = message.get("type")
        except (ValueError, AttributeError):
            self.refusals.append("room.malformed")
            return device
        try:
            if kind == "status":
                status = open_status(message, self.trust)
                if device is not None and status.device_id != device:
                    raise RoomError("room.wrong_device", "Un poste parle pour un autre.",
                                    "A PC speaks for another.")
                known = self.room.get(status.device_id)
                if known is not None and status.seq <= known.seq:
                    raise RoomError("room.replay", "État déjà reçu (rejoué) : ignoré.",
                                    "Status already received (replayed): ignored.")
                if abs(self._clock() - status.sent_ms) > STALE_WINDOW_MS:
                    raise RoomError(
                        "room.stale",
                        "État trop ancien, ou horloges du poste et de la console trop "
                        "décalées : ignoré.",
                        "Status too old, or the PC's and console's clocks too far apart: "
                        "ignored.")
                self.room[status.device_id] = status
                if status.last_counter <= (self._clock() + STALE_WINDOW_MS) * 1000:
                    self._counter = max(self._counter, status.last_counter)
                self._links[status.device_id] = ws
                return status.device_id
            if kind == "ack" and device is not None:
                ack = open_ack(message, self.trust)
                sent = self.sent.get(ack.nonce)
                if ack.device_id == device and sent is not None:
                    sent.acks[device] = ack
                return device
            raise RoomError("room.malformed", "Message inattendu.", "Unexpected message.")
        except PixdeskError as error:
            self.refusals.append(error.code)
            return device

    def recipients(self, target: str) -> tuple[str, ...]:
        return tuple(sorted(
            device for device in self._links
            if target_matches(target, device, self.room[device].pc.candidate_id)))

    async def send(self, command: str, target: str = ALL,
                   args: Mapping[str, Any] | None = None) -> Sent:
        """Sign ``command`` and send it to every connected PC it is addressed to. A PC
        that is not connected gets nothing: the invigilator uses its panel or sends again."""
        self._counter = max(self._counter + 1, self._clock() * 1000)
        proof = sign_command(self._key, session_id=self.trust.session_id, target=target,
                             command=command, args=args or {}, counter=self._counter,
                             issued_ms=self._clock())
        signed = open_command(proof, command_public_key=self.trust.command_public_key,
                              session_id=self.trust.session_id)
        recipients = self.recipients(target)
        sent = Sent(signed, recipients)
        self.sent[signed.nonce] = sent
        frame = json.dumps({"type": "command", **proof})
        for device in recipients:
            link = self._links.get(device)
            if link is not None:
                with contextlib.suppress(ConnectionClosed):
                    await link.send(frame)
        return sent

