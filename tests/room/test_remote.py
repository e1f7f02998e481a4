"""The console attached to a hub does not trust it: a false hub on 127.0.0.1 relays forged,
replayed and other sessions' statuses, claims PCs it has no status for, and answers a
command with PCs of its choosing; the console keeps only what the PCs signed."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from pixdesk import crypto
from pixdesk.errors import PixdeskError
from pixdesk.room import commands
from pixdesk.room.keys import unlock_command_key
from pixdesk.room.remote import RemoteRoomConsole, hub_uri
from pixdesk.room.status import PcState, Status, sign_status
from tests.room.conftest import PASSWORD, SESSION_ID, Pc, room_session, run, trust_of

PCS = [Pc(f"pc{i}") for i in range(2)]
SESSION = room_session(PCS)
TRUST = trust_of(SESSION)
KEY = unlock_command_key(SESSION, PASSWORD)


def status(pc: Pc, seq: int, *, session_id: str = SESSION_ID, key: Any = None,
           sent_ms: int | None = None) -> str:
    signed = sign_status(key or pc.key, Status(
        session_id, pc.device_id, seq, sent_ms or time.time_ns() // 1_000_000, -1,
        PcState(state="running", candidate_id="c0")))
    return json.dumps({"type": "status", **signed})


def test_what_a_false_hub_relays_is_checked_against_the_session_file() -> None:
    commands_seen: list[dict[str, Any]] = []

    async def false_hub(ws: ServerConnection) -> None:
        hello = json.loads(await ws.recv())
        assert set(hello) == {"type", "session_id", "proof"}
        assert (hello["type"], hello["session_id"]) == ("console", SESSION_ID)
        await ws.send(json.dumps({"type": "attached", "session_id": SESSION_ID,
                                  "connected": ["pc0", "pc1", "pc-ghost"]}))
        for frame in (status(PCS[0], 5), status(PCS[0], 5), status(PCS[0], 4),
                      status(PCS[1], 1, key=crypto.new_signing_key()),
                      status(PCS[1], 1, session_id="9999999"),
                      status(PCS[1], 2, sent_ms=1)):
            await ws.send(frame)
        async for raw in ws:
            commands_seen.append(json.loads(raw))
            await ws.send(json.dumps({"type": "sent", "nonce": "not-that-one",
                                      "delivered": ["pc1"]}))
            await ws.send(json.dumps({"type": "sent", "nonce": commands_seen[-1][
                "envelope"]["nonce"], "delivered": ["pc0"]}))

    async def body() -> None:
        async with serve(false_hub, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            console = RemoteRoomConsole(TRUST, KEY, f"ws://127.0.0.1:{port}")
            await console.start()
            try:
                await console.wait_until(lambda: len(console.refusals) >= 4)
                assert console.refusals[:4] == ["room.replay", "room.bad_signature",
                                                "room.wrong_session", "room.stale"]
                assert set(console.room) == {"pc0"} and console.room["pc0"].seq == 5
                assert console.connected == {"pc0"}
                sent = await console.send(commands.PAUSE)
                assert sent.delivered == ("pc0",)
                assert commands_seen[0]["envelope"]["command"] == commands.PAUSE
            finally:
                await console.stop()

    run(body())


def test_the_console_proves_the_session_key_afresh_at_every_connection() -> None:
    """Each hello carries a new attach proof by the console's clock; a refusal is kept as
    ``hub_refusal`` until the hub attaches the console."""
    hellos: list[dict[str, Any]] = []

    async def hub(ws: ServerConnection) -> None:
        hellos.append(json.loads(await ws.recv()))
        if len(hellos) == 1:
            await ws.send(json.dumps({"type": "refused", "code": "room.stale"}))
            await ws.close(1008, "room.stale")
            return
        await ws.send(json.dumps({"type": "attached", "session_id": SESSION_ID,
                                  "connected": []}))
        if len(hellos) == 2:
            await ws.close()
            return
        await ws.wait_closed()

    clock = 1_781_250_000_000

    async def body() -> None:
        async with serve(hub, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            console = RemoteRoomConsole(TRUST, KEY, f"ws://127.0.0.1:{port}",
                                        clock=lambda: clock, first_retry_s=0.05,
                                        max_retry_s=0.1)
            await console.start()
            try:
                await console.wait_until(lambda: console.hub_refusal == "room.stale")
                assert not console.joined
                await console.wait_until(lambda: console.joins == 2)
                assert console.hub_refusal is None
            finally:
                await console.stop()
        proofs = [commands.open_attach(h["proof"], command_public_key=TRUST.command_public_key,
                                       session_id=SESSION_ID, now_ms=clock) for h in hellos]
        assert len(proofs) == 3 and {p.issued_ms for p in proofs} == {clock}
        assert len({p.nonce for p in proofs}) == 3

    run(body())


def test_a_console_with_no_hub_in_reach_sends_to_nobody_and_keeps_trying() -> None:
    async def body() -> None:
        console = RemoteRoomConsole(TRUST, KEY, "ws://127.0.0.1:9", first_retry_s=0.05,
                                    max_retry_s=0.1)
        await console.start()
        try:
            await asyncio.sleep(0.3)
            assert not console.joined and console.connected == frozenset()
            sent = await console.send(commands.PAUSE)
            assert sent.delivered == () and sent.command.command == commands.PAUSE
        finally:
            await console.stop()

    run(body())


@pytest.mark.parametrize(("address", "uri"), [
    ("srv", "ws://srv:47815"), ("10.0.0.5:8000", "ws://10.0.0.5:8000"),
    ("ws://srv:47815", "ws://srv:47815"), (" srv:80 ", "ws://srv:80")])
def test_hub_addresses(address: str, uri: str) -> None:
    assert hub_uri(address) == uri


@pytest.mark.parametrize("address", ["", ":80", "srv:0", "srv:x", "srv:70000", "a/b:1"])
def test_bad_hub_addresses(address: str) -> None:
    with pytest.raises(PixdeskError) as refused:
        hub_uri(address)
    assert refused.value.code == "room.bad_hub_address"
