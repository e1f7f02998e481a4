"""Finding the room console on the LAN with multicast DNS service discovery (``zeroconf``).

The console advertises ``SERVICE_TYPE`` with the TXT record ``session=<session id>``; a PC
configured with ``room_console = "auto"`` browses for it and keeps the first console of its
own session that answers. Discovery only gives an *address*: anyone on the LAN can
advertise anything, so nothing here is trusted. A PC that reaches a false console is sent
no command it would accept (every command is checked against the session's command key),
and the console drops every status not signed by a PC of its session. The worst a false
advertisement can do is keep a PC from the real console, which its own panel covers.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import ifaddr
from zeroconf import IPVersion, ServiceInfo, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from pixdesk.room.keys import RoomError

SERVICE_TYPE = "_pixdesk-room._tcp.local."
SESSION_KEY = "session"
AUTO = "auto"
"""The machine config value of ``room_console`` that asks for discovery."""
RESOLVE_MS = 3000

UriProvider = Callable[[], Awaitable[str | None]]
"""What ``RoomAgent`` calls before each connection when the console is not configured."""


def _wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses, loopback last (a PC on another machine cannot use it)."""
    found = {str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
             if isinstance(ip.ip, str)}
    return sorted(found, key=lambda a: (ipaddress.ip_address(a).is_loopback, a))


def service_info(session_id: str, port: int, host: str = "0.0.0.0") -> ServiceInfo:
    """The advertisement of a console listening on ``host:port``: every LAN address when it
    listens on all of them, else the one it listens on."""
    addresses = lan_addresses() if _wildcard(host) else [host]
    instance = f"PixDesk {session_id} {socket.gethostname()}"[:63]
    return ServiceInfo(
        SERVICE_TYPE, f"{instance}.{SERVICE_TYPE}",
        addresses=[socket.inet_aton(a) for a in addresses], port=port,
        properties={SESSION_KEY: session_id}, server=f"{socket.gethostname()}.local.")


@contextlib.contextmanager
def advertise(session_id: str, port: int, host: str = "0.0.0.0") -> Iterator[ServiceInfo]:
    """Announce the console for as long as the block runs (from a thread without a running
    event loop: the console window's Qt thread, a script)."""
    zeroconf = Zeroconf(ip_version=IPVersion.V4Only)
    info = service_info(session_id, port, host)
    try:
        zeroconf.register_service(info, allow_name_change=True)
        yield info
    finally:
        with contextlib.suppress(Exception):
            zeroconf.unregister_service(info)
        zeroconf.close()


class Advertisement:
    """``advertise`` for code already on an event loop: ``RoomConsole`` starts one with its
    server when asked to."""

    def __init__(self, session_id: str, port: int, host: str = "0.0.0.0") -> None:
        self.info = service_info(session_id, port, host)
        self._zeroconf: AsyncZeroconf | None = None

    async def start(self) -> None:
        self._zeroconf = AsyncZeroconf(ip_version=IPVersion.V4Only)
        await self._zeroconf.async_register_service(self.info, allow_name_change=True)

    async def stop(self) -> None:
        if self._zeroconf is None:
            return
        with contextlib.suppress(Exception):
            await self._zeroconf.async_unregister_service(self.info)
        await self._zeroconf.async_close()
        self._zeroconf = None


@contextlib.asynccontextmanager
async def _browsing() -> AsyncIterator[tuple[AsyncZeroconf, asyncio.Queue[str]]]:
    """Browse for room services while the block runs: each name seen (added or updated)
    comes out of the queue, to be resolved with ``_resolve``."""
    zeroconf = AsyncZeroconf(ip_version=IPVersion.V4Only)
    names: asyncio.Queue[str] = asyncio.Queue()

    def seen(*, zeroconf: Zeroconf, service_type: str, name: str,
             state_change: ServiceStateChange) -> None:
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            names.put_nowait(name)

    browser = AsyncServiceBrowser(zeroconf.zeroconf, [SERVICE_TYPE], handlers=[seen])
    try:
        yield zeroconf, names
    finally:
        await browser.async_cancel()
        await zeroconf.async_close()


async def _resolve(zeroconf: AsyncZeroconf, name: str) -> tuple[str, str] | None:
    """The session a service advertises and its ``ws://host:port``; None if it does not
    answer in time or lacks either."""
    info = AsyncServiceInfo(SERVICE_TYPE, name)
    if not await info.async_request(zeroconf.zeroconf, RESOLVE_MS):
        return None
    properties: dict[Any, Any] = info.properties or {}
    session = properties.get(SESSION_KEY.encode())
    addresses = info.parsed_addresses(IPVersion.V4Only)
    if not isinstance(session, bytes) or not addresses or not info.port:
        return None
    return session.decode(errors="replace"), f"ws://{addresses[0]}:{info.port}"


async def find_console(session_id: str, timeout_s: float) -> str | None:
    """The ``ws://host:port`` of the first console advertising ``session_id`` within
    ``timeout_s``; None when none answers (the agent tries again later)."""
    async with _browsing() as (zeroconf, names):
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    found = await _resolve(zeroconf, await names.get())
                    if found is not None and found[0] == session_id:
                        return found[1]
        except TimeoutError:
            return None


async def advertised_sessions(timeout_s: float) -> dict[str, str]:
    """Every room session advertised on the LAN within ``timeout_s``, with its console's (or
    hub's) ``ws://`` address: what ``pixdesk doctor`` shows IT on a PC set to ``auto``."""
    async with _browsing() as (zeroconf, names):
        await asyncio.sleep(timeout_s)
        seen = set()
        while not names.empty():
            seen.add(names.get_nowait())
        found: dict[str, str] = {}
        for name in sorted(seen):
            resolved = await _resolve(zeroconf, name)
            if resolved is not None:
                found.setdefault(*resolved)
        return found


def console_source(setting: str, session_id: str, *,
                   timeout_s: float = 5.0) -> str | UriProvider:
    """What ``RoomAgent`` takes for the machine config's ``room_console``: ``"host:port"``
    (or a ``ws://`` URI) as is, ``"auto"`` as a provider that discovers the console anew
    before each connection (it may have restarted elsewhere)."""
    setting = setting.strip()
    if setting == AUTO:
        async def discover() -> str | None:
            return await find_console(session_id, timeout_s)
        return discover
    uri = setting if setting.startswith("ws://") else f"ws://{setting}"
    host, _, port = uri.removeprefix("ws://").rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise RoomError(
            "room.bad_console_address",
            f"Adresse de console invalide : {setting[:80]} (attendu : hôte:port ou auto).",
            f"Invalid console address: {setting[:80]} (expected: host:port or auto).")
    return uri
