"""The room hub: the central server relays each room between its PCs and the console.

A school with a central server on its LAN can point every PC's ``room_console`` at the
server; the invigilator's console (``pixdesk room --hub``) then attaches to the hub instead
of listening itself, from any machine, and a console restarted elsewhere gets the room
back at once. The hub is a relay that holds no secret and can forge nothing:

- PCs connect exactly as to a console. Each status and ack is checked as the console
  checks it (``pixdesk.room.roll.Roll``) against the trust of the session *the server
  issued*, device keys included; the latest status frame of each PC is kept verbatim.
- A console attaches with ``{"type": "console", "session_id": …, "proof": …}``, the proof
  an attach proof signed by the session's command key, the key only the invigilator's
  password unlocks (``pixdesk.room.commands.open_attach``: issued within the time window
  of the hub's clock, and not seen before). Only then is it sent the latest status of
  every PC of that session, then every new status and ack verbatim (it checks them again
  with its own trust), and the set of PCs whose link is up. Any other hello is answered
  ``refused`` with its code and closed (1008), before anything about the room is sent.
- A console's ``command`` is forwarded, to the connected PCs it is addressed to, only if
  it is signed by the session's command key (``open_command``) and was not forwarded
  before; the console is told to whom it went. The PCs still check it themselves
  (``CommandGate``: clock window, replay ledger), as they do from a console.

Sessions are read from the server's database when a PC or console first names them, and
read again (at most every ``recheck_s``) when a PC unknown to the stored session speaks:
a PC enrolled after the session was issued is added to it when it fetches its file.

The hub also advertises on the LAN (``pixdesk.room.discovery``) the room sessions of the
day, read again every ``ADVERTISE_EVERY_S``: a PC set to ``room_console = "auto"`` finds the
hub as it finds a console. Failing to advertise (no multicast) leaves the hub serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import zeroconf
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from zeroconf import IPVersion, ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from pixdesk.errors import PixdeskError
from pixdesk.room.commands import (
    STALE_WINDOW_MS,
    Command,
    open_attach,
    open_command,
    target_matches,
)
from pixdesk.room.console import DEFAULT_PORT, MAX_MESSAGE
from pixdesk.room.discovery import service_info
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.room.roll import Roll
from pixdesk.room.status import Status
from pixdesk.server.config import ServerState
from pixdesk.server.models import SessionRecord
from pixdesk.server.sessions import load_session_record

_log = logging.getLogger(__name__)

CONSOLE = "console"
"""The first frame's type by which a console attaches (a PC's first frame is a status)."""
CONSOLE_QUEUE = 4096
"""Frames waiting for one console: one that reads none of them is let go."""
FORWARDED_NONCES = 4096
"""Nonces of the latest commands forwarded per room, refused if sent again."""
LOOKUP_CACHE = 4096
MAX_SESSION_ID = 64

TrustSource = Callable[[str], RoomTrust | None]
"""The trust of the session the server issued under this id; None if it has no room key."""
SessionList = Callable[[], Iterable[str]]
"""The ids of the sessions to advertise now."""
ADVERTISE_EVERY_S = 60.0


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def _frame(kind: str, **fields: Any) -> str:
    return json.dumps({"type": kind, **fields})


class _Console:
    """One attached console: frames go out through its own queue, in order, so a slow
    console holds up neither the PCs nor the other consoles."""

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[str | bytes] = asyncio.Queue(CONSOLE_QUEUE)
        self._closing: asyncio.Task[None] | None = None

    def put(self, frame: str | bytes) -> None:
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            if self._closing is None:
                _log.warning("room hub: a console reads nothing, let go")
                self._closing = asyncio.get_running_loop().create_task(
                    self.ws.close(1008, "too slow"))

    async def write(self) -> None:
        while True:
            await self.ws.send(await self.queue.get())


@dataclass
class HubRoom:
    """One session's room as the hub sees it."""

    roll: Roll
    frames: dict[str, str | bytes] = field(default_factory=dict)
    """The latest status of each PC, as it sent it."""
    pcs: dict[str, ServerConnection] = field(default_factory=dict)
    consoles: set[_Console] = field(default_factory=set)
    forwarded: deque[str] = field(default_factory=lambda: deque(maxlen=FORWARDED_NONCES))
    attach_nonces: dict[str, int] = field(default_factory=dict)
    """The nonce of each attach proof taken, and when it was issued (ms): kept while a
    proof that old would still pass the time window."""
    read_at: float = field(default_factory=time.monotonic)

    @property
    def trust(self) -> RoomTrust:
        return self.roll.trust

    def to_consoles(self, frame: str | bytes) -> None:
        for console in self.consoles:
            console.put(frame)

    def links_changed(self) -> None:
        self.to_consoles(_frame("connected", devices=sorted(self.pcs)))


def _unknown_session(session_id: str) -> RoomError:
    return RoomError(
        "room.unknown_session",
        f"Session inconnue du serveur, ou sans clé de commande : {session_id[:40]}.",
        f"Session unknown to the server, or without a command key: {session_id[:40]}.")


def _malformed() -> RoomError:
    return RoomError("room.malformed", "Message inattendu.", "Unexpected message.")


class RoomHub:
    def __init__(self, trust_of: TrustSource, *, host: str = "0.0.0.0",
                 port: int = DEFAULT_PORT, clock: Callable[[], int] = _wall_ms,
                 recheck_s: float = 5.0, advertised: SessionList | None = None,
                 advertise_every_s: float = ADVERTISE_EVERY_S) -> None:
        self.host, self.port = host, port
        self._trust_of, self._clock, self._recheck_s = trust_of, clock, recheck_s
        self._advertised, self._advertise_every_s = advertised, advertise_every_s
        self._advertiser: asyncio.Task[None] | None = None
        self.advertising: frozenset[str] = frozenset()
        self._server: Server | None = None
        self.rooms: dict[str, HubRoom] = {}
        self._missing: dict[str, float] = {}
        self.refusals: deque[str] = deque(maxlen=10_000)

    async def start(self) -> None:
        self._server = await serve(self._handle, self.host, self.port, max_size=MAX_MESSAGE)
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        if self._advertised is not None:
            self._advertiser = asyncio.create_task(self._advertise(self._advertised))

    async def stop(self) -> None:
        if self._advertiser is not None:
            self._advertiser.cancel()
            await asyncio.gather(self._advertiser, return_exceptions=True)
            self._advertiser = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self.rooms.clear()

    async def serve_forever(self) -> None:
        assert self._server is not None
        await self._server.serve_forever()

    async def _advertise(self, sessions: SessionList) -> None:
        """Keep the LAN advertisement in step with ``sessions`` until cancelled."""
        shown: dict[str, ServiceInfo] = {}
        lan = AsyncZeroconf(ip_version=IPVersion.V4Only)
        try:
            while True:
                wanted = set(await asyncio.to_thread(lambda: list(sessions())))
                for session_id in sorted(wanted - shown.keys()):
                    info = service_info(session_id, self.port, self.host)
                    await lan.async_register_service(info, allow_name_change=True)
                    shown[session_id] = info
                for session_id in sorted(shown.keys() - wanted):
                    await lan.async_unregister_service(shown.pop(session_id))
                self.advertising = frozenset(shown)
                await asyncio.sleep(self._advertise_every_s)
        except (OSError, RuntimeError, zeroconf.Error) as exc:
            _log.warning("room hub not advertised on the LAN (%s): PCs need its address", exc)
        finally:
            self.advertising = frozenset()
            with contextlib.suppress(Exception):
                for info in shown.values():
                    await lan.async_unregister_service(info)
            await lan.async_close()

    # --- sessions ---

    async def _room(self, session_id: Any) -> HubRoom:
        if not isinstance(session_id, str) or not 0 < len(session_id) <= MAX_SESSION_ID:
            raise _malformed()
        room = self.rooms.get(session_id)
        if room is not None:
            return room
        missed = self._missing.get(session_id)
        if missed is not None and time.monotonic() - missed < self._recheck_s:
            raise _unknown_session(session_id)
        trust = await asyncio.to_thread(self._trust_of, session_id)
        room = self.rooms.get(session_id)
        if room is not None:
            return room
        if trust is None:
            if len(self._missing) >= LOOKUP_CACHE:
                self._missing.clear()
            self._missing[session_id] = time.monotonic()
            raise _unknown_session(session_id)
        self._missing.pop(session_id, None)
        room = self.rooms[session_id] = HubRoom(Roll(trust, self._clock))
        return room

    async def _read_again(self, room: HubRoom) -> bool:
        """Whether the stored session was read again (a PC may have been added to it)."""
        if time.monotonic() - room.read_at < self._recheck_s:
            return False
        room.read_at = time.monotonic()
        trust = await asyncio.to_thread(self._trust_of, room.trust.session_id)
        if trust is None or trust == room.trust:
            return False
        room.roll.trust = trust
        return True

    # --- connections ---

    async def _handle(self, ws: ServerConnection) -> None:
        try:
            first = await ws.recv()
            try:
                hello = json.loads(first)
                kind = hello.get("type")
            except (ValueError, AttributeError):
                hello, kind = None, None
            if kind == CONSOLE:
                await self._attach(ws, hello)
            else:
                await self._serve_pc(ws, first)
        except ConnectionClosed:
            pass

    async def _serve_pc(self, ws: ServerConnection, first: str | bytes) -> None:
        room: HubRoom | None = None
        device: str | None = None
        try:
            room, device = await self._from_pc(ws, first, room, device)
            async for raw in ws:
                room, device = await self._from_pc(ws, raw, room, device)
        finally:
            if room is not None and device is not None and room.pcs.get(device) is ws:
                del room.pcs[device]
                room.links_changed()

    async def _from_pc(self, ws: ServerConnection, raw: str | bytes, room: HubRoom | None,
                       device: str | None) -> tuple[HubRoom | None, str | None]:
        """Check one frame of a PC, keep and pass it on; the room and the device this
        connection speaks for, once proven."""
        try:
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "status":
                if room is None:
                    room = await self._room(message["status"]["session_id"])
                status = await self._admit(room, message, device)
                room.frames[status.device_id] = raw
                if room.pcs.get(status.device_id) is not ws:
                    room.pcs[status.device_id] = ws
                    room.links_changed()
                room.to_consoles(raw)
                return room, status.device_id
            if kind == "ack" and room is not None and device is not None:
                room.roll.admit_ack(message, device)
                room.to_consoles(raw)
                return room, device
            raise _malformed()
        except (ValueError, AttributeError, KeyError, TypeError):
            self._refuse("room.malformed")
        except PixdeskError as error:
            self._refuse(error.code)
        return (room if device is not None else None), device

    async def _admit(self, room: HubRoom, message: Any, device: str | None) -> Status:
        try:
            return room.roll.admit(message, device)
        except RoomError as error:
            if error.code != "room.unknown_device" or not await self._read_again(room):
                raise
            return room.roll.admit(message, device)

    async def _attach(self, ws: ServerConnection, hello: Any) -> None:
        try:
            room = await self._room(hello.get("session_id"))
            self._let_in(room, hello.get("proof"))
        except RoomError as error:
            self._refuse(error.code)
            _log.info("room hub: a console from %s refused (%s)", ws.remote_address,
                      error.code)
            await ws.send(_frame("refused", code=error.code))
            await ws.close(1008, error.code)
            return
        console = _Console(ws)
        console.put(_frame("attached", session_id=room.trust.session_id,
                           connected=sorted(room.pcs)))
        now = self._clock()
        for device, frame in room.frames.items():
            if abs(now - room.roll.statuses[device].sent_ms) <= STALE_WINDOW_MS:
                console.put(frame)
        room.consoles.add(console)
        _log.info("room hub: a console attached to session %s from %s (%d PCs connected)",
                  room.trust.session_id, ws.remote_address, len(room.pcs))
        writer = asyncio.create_task(console.write())
        try:
            async for raw in ws:
                console.put(await self._command(room, raw))
        finally:
            room.consoles.discard(console)
            _log.info("room hub: a console left session %s", room.trust.session_id)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await writer

    def _let_in(self, room: HubRoom, proof: Any) -> None:
        """Admit a console's attach proof once: signed by the session's command key, fresh
        by the hub's clock, its nonce not taken before (``room.replay``)."""
        now = self._clock()
        attach = open_attach(proof, command_public_key=room.trust.command_public_key,
                             session_id=room.trust.session_id, now_ms=now)
        taken = room.attach_nonces
        for nonce, issued in list(taken.items()):
            if abs(now - issued) > STALE_WINDOW_MS:
                del taken[nonce]
        if attach.nonce in taken:
            raise RoomError("room.replay", "Preuve d'accès de la console déjà servie : refusée.",
                            "Console access proof already used: refused.")
        taken[attach.nonce] = attach.issued_ms

    async def _command(self, room: HubRoom, raw: str | bytes) -> str:
        """Forward a console's command if it is the session's; the console's answer."""
        nonce: Any = None
        try:
            message = json.loads(raw)
            if message.get("type") != "command":
                raise _malformed()
            nonce = message.get("envelope", {}).get("nonce")
            command = open_command(message, command_public_key=room.trust.command_public_key,
                                   session_id=room.trust.session_id)
            if command.nonce in room.forwarded:
                raise RoomError("room.replay", "Commande déjà transmise : refusée.",
                                "Command already forwarded: refused.")
        except (ValueError, AttributeError):
            self._refuse("room.malformed")
            return _frame("refused", nonce=nonce if isinstance(nonce, str) else None,
                          code="room.malformed")
        except PixdeskError as error:
            self._refuse(error.code)
            return _frame("refused", nonce=nonce if isinstance(nonce, str) else None,
                          code=error.code)
        room.forwarded.append(command.nonce)
        delivered = await self._forward(room, command)
        return _frame("sent", nonce=command.nonce, delivered=delivered)

    async def _forward(self, room: HubRoom, command: Command) -> list[str]:
        frame = json.dumps({"type": "command", **command.proof})
        recipients = sorted(
            device for device in room.pcs
            if target_matches(command.target, device,
                              room.roll.statuses[device].pc.candidate_id))
        delivered = []
        for device in recipients:
            link = room.pcs.get(device)
            if link is None:
                continue
            with contextlib.suppress(ConnectionClosed):
                await link.send(frame)
                delivered.append(device)
        return delivered

    def _refuse(self, code: str) -> None:
        _log.debug("room hub refused a frame: %s", code)
        self.refusals.append(code)


def stored_trust(state: ServerState) -> TrustSource:
    """Sessions as this server issued them (and re-signed as PCs were added)."""
    def trust_of(session_id: str) -> RoomTrust | None:
        try:
            session = load_session_record(state, session_id)
            if session is None or not session.room_console:
                return None
            return RoomTrust.from_session(session)
        except (PixdeskError, KeyError, TypeError, ValueError) as exc:
            _log.warning("room hub: session %s unreadable (%s)", session_id, exc)
            return None
    return trust_of


def sessions_of_the_day(state: ServerState, today: Callable[[], date] = date.today
                        ) -> SessionList:
    """Room sessions dated yesterday, today or tomorrow (a session's date is the centre's
    local day; the server's may differ by one): those a PC may look for now."""
    def listed() -> list[str]:
        days = {(today() + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}
        found = []
        with DbSession(state.engine) as db:
            for session_id, document in db.execute(
                    select(SessionRecord.session_id, SessionRecord.document)):
                try:
                    issued = json.loads(document)["session"]
                except (ValueError, KeyError, TypeError):
                    continue
                if issued.get("date") in days and issued.get("room_console"):
                    found.append(session_id)
        return found
    return listed


async def run(trust_of: TrustSource, host: str, port: int,
              started: Callable[[RoomHub], None] = lambda hub: None,
              advertised: SessionList | None = None) -> None:
    """The hub until Ctrl+C or SIGTERM (a service manager's stop), then a clean stop: the
    sessions unadvertised, the connections closed. The handlers are the hub's own, so a hub
    started from a script that left SIGINT ignored still stops on it; where the loop cannot
    take signals (Windows), Ctrl+C cancels ``asyncio.run`` as before. ``room.port_busy`` if
    it cannot listen."""
    hub = RoomHub(trust_of, host=host, port=port, advertised=advertised)
    try:
        await hub.start()
    except OSError as exc:
        raise RoomError(
            "room.port_busy",
            f"Le relais de salle ne peut pas écouter sur {host}:{port} ({exc}) : une console "
            "ou un autre relais s'en sert-il ? Arrêtez-le ou choisissez --port.",
            f"The room hub cannot listen on {host}:{port} ({exc}): is a console or another "
            "hub using it? Stop it or choose --port.") from exc
    started(hub)
    serving = asyncio.create_task(hub.serve_forever())
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(stop_signal, serving.cancel)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    finally:
        await hub.stop()
