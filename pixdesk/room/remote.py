"""The console attached to the central server's room hub (``pixdesk-server room-hub``).

Where the school has a central server on its LAN, the PCs report to its hub and the
console attaches to it instead of listening: ``{"type": "console", "session_id": …,
"proof": …}`` first, the proof signed at every connection with the command key the
invigilator's password unlocked (``pixdesk.room.commands.sign_attach``: session, this
machine's time, a fresh nonce), so that only the invigilator watches the room through the
hub. Then the hub sends the latest signed status of every PC of the session, and every
new status and ack as the PCs sent them; or ``refused`` with a code (``hub_refusal``:
``room.unknown_session``, ``room.stale`` if this machine's clock is off from the server's,
``room.bad_signature`` if the server's session has another key…) and closes, and the
console tries again a little later. The hub is not trusted: every status and ack goes
through the same ``Roll`` as on a listening console, against the console's own session
file. Commands are signed here, with the key the invigilator's password unlocked; the hub
forwards them only if the session's command key signed them, and answers to whom it
did (``sent``) or why not (``refused``). Which PCs are connected is the hub's word, kept
only for PCs whose signed status the console holds: a hub that lies can only hide PCs
or drop commands, which the missing acks show.

When the hub drops, the console reconnects by itself with ``websockets``' backoff (with
jitter), as the PCs' agents do, and rebuilds the room from what the hub sends on attaching.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from websockets.asyncio.client import ClientConnection, connect
from websockets.client import backoff
from websockets.exceptions import ConnectionClosed

from pixdesk.errors import PixdeskError
from pixdesk.room.commands import ALL, sign_attach
from pixdesk.room.console import DEFAULT_PORT, MAX_MESSAGE, Desk, Sent
from pixdesk.room.keys import RoomError, RoomTrust

ANSWER_S = 5.0
"""How long ``send`` waits for the hub to say to whom it forwarded a command."""


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def hub_uri(address: str) -> str:
    """``ws://host:port`` from ``host:port`` (port 47815 if left out) or a ``ws://`` URI."""
    text = address.strip()
    where = text.removeprefix("ws://")
    host, colon, port = where.rpartition(":")
    if not colon:
        host, port = where, str(DEFAULT_PORT)
    if not host or "/" in host or not port.isdigit() or not 0 < int(port) < 65536:
        raise RoomError(
            "room.bad_hub_address",
            f"Adresse du relais invalide : {text[:80]} (attendu : serveur:port).",
            f"Invalid hub address: {text[:80]} (expected: server:port).")
    return f"ws://{host}:{port}"


class RemoteRoomConsole(Desk):
    """The room through the hub at ``uri``, with ``RoomConsole``'s interface: ``room``,
    ``sent``, ``connected``, ``refusals``, ``send``, ``wait_until``, ``start``/``stop``.
    ``joined`` is whether the hub has attached it now; ``hub_refusal`` the hub's last
    refusal to attach it (``room.unknown_session``, ``room.stale``, ``room.bad_signature``…)."""

    def __init__(self, trust: RoomTrust, command_key: Ed25519PrivateKey, uri: str, *,
                 clock: Callable[[], int] = _wall_ms, ping_s: float = 5.0,
                 first_retry_s: float = 1.0, max_retry_s: float = 15.0,
                 answer_s: float = ANSWER_S) -> None:
        super().__init__(trust, command_key, clock)
        self.uri = uri
        self.address = uri.removeprefix("ws://")
        self.ping_s, self.answer_s, self._max_retry_s = ping_s, answer_s, max_retry_s
        self._delays = functools.partial(backoff, initial_delay=first_retry_s,
                                         min_delay=first_retry_s, max_delay=max_retry_s)
        self._ws: ClientConnection | None = None
        """The link once the hub attached it."""
        self._link: ClientConnection | None = None
        self._hub_links: frozenset[str] = frozenset()
        self._answers: dict[str, asyncio.Future[list[str]]] = {}
        self._task: asyncio.Task[None] | None = None
        self.joins = 0
        self.hub_refusal: str | None = None

    @property
    def port(self) -> int:
        return int(self.address.rpartition(":")[2])

    @property
    def joined(self) -> bool:
        return self._ws is not None

    @property
    def connected(self) -> frozenset[str]:
        return frozenset(d for d in self._hub_links if d in self.roll.statuses)

    async def start(self) -> None:
        """Returns at once: the console attaches, and re-attaches, by itself."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Close the link to the hub (the hub then drops this console at once), then stop."""
        if self._link is not None:
            await self._link.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        async for ws in connect(self.uri, max_size=MAX_MESSAGE, ping_interval=self.ping_s,
                                ping_timeout=self.ping_s, open_timeout=self.ping_s,
                                reconnect_delays=self._delays, proxy=None):
            refused = await self._attach(ws)
            if refused:
                await asyncio.sleep(self._max_retry_s)

    async def _attach(self, ws: ClientConnection) -> bool:
        """Serve one link to the hub until it drops; whether the hub refused to attach."""
        self._link = ws
        try:
            proof = sign_attach(self._key, session_id=self.trust.session_id,
                                issued_ms=self._clock())
            await ws.send(json.dumps({"type": "console", "session_id": self.trust.session_id,
                                      "proof": proof}))
            async for raw in ws:
                self._receive(ws, raw)
                await self._notify()
        except ConnectionClosed:
            pass
        finally:
            self._ws, self._link, self._hub_links = None, None, frozenset()
            for answer in self._answers.values():
                if not answer.done():
                    answer.set_result([])
            await self._notify()
        return self.hub_refusal is not None

    def _receive(self, ws: ClientConnection, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
            kind = message.get("type")
        except (ValueError, AttributeError):
            self.refusals.append("room.malformed")
            return
        try:
            if kind == "status":
                self.roll.admit(message, None, repeat_ok=True)
            elif kind == "ack":
                self._take_ack(message, None)
            elif kind in ("attached", "connected"):
                self._hub_said(ws, kind, message)
            elif kind in ("sent", "refused"):
                self._answered(message)
            else:
                raise RoomError("room.malformed", "Message inattendu.", "Unexpected message.")
        except PixdeskError as error:
            self.refusals.append(error.code)

    def _hub_said(self, ws: ClientConnection, kind: str, message: Mapping[str, Any]) -> None:
        devices = message.get("connected" if kind == "attached" else "devices")
        if not isinstance(devices, list):
            raise RoomError("room.malformed", "Message inattendu.", "Unexpected message.")
        if kind == "attached":
            if message.get("session_id") != self.trust.session_id:
                raise RoomError("room.wrong_session", "Le relais sert une autre session.",
                                "The hub serves another session.")
            self._ws, self.hub_refusal = ws, None
            self.joins += 1
        self._hub_links = frozenset(str(d) for d in devices)

    def _answered(self, message: Mapping[str, Any]) -> None:
        nonce, code = message.get("nonce"), message.get("code")
        if message["type"] == "refused" and nonce is None:
            self.hub_refusal = str(code)[:64]
            raise RoomError(self.hub_refusal, "Le relais refuse la console.",
                            "The hub refuses the console.")
        answer = self._answers.get(str(nonce))
        if answer is None or answer.done():
            return
        if message["type"] == "refused":
            self.refusals.append(str(code)[:64])
            answer.set_result([])
            return
        delivered = message.get("delivered")
        answer.set_result([str(d) for d in delivered] if isinstance(delivered, list) else [])

    async def send(self, command: str, target: str = ALL,
                   args: Mapping[str, Any] | None = None) -> Sent:
        """Sign ``command`` and hand it to the hub, which forwards it to every connected PC
        it is addressed to; ``delivered`` is whom the hub says it reached (none while the
        hub is out of reach: the invigilator uses the PCs' panels or sends again)."""
        signed, frame = self._sign(command, target, args)
        sent = Sent(signed, ())
        self.sent[signed.nonce] = sent
        ws = self._ws
        if ws is None:
            return sent
        answer = asyncio.get_running_loop().create_future()
        self._answers[signed.nonce] = answer
        try:
            await ws.send(frame)
            delivered = await asyncio.wait_for(answer, self.answer_s)
            sent.delivered = tuple(sorted(delivered))
        except (ConnectionClosed, TimeoutError):
            pass
        finally:
            self._answers.pop(signed.nonce, None)
        return sent
