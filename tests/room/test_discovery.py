"""LAN discovery: a PC set to ``auto`` finds its session's console, and finds it again when
it comes back elsewhere. The multicast tests use real mDNS on this machine; only they are
skipped, and only when this machine does not deliver multicast to itself."""

from __future__ import annotations

import asyncio
import socket
import struct
from pathlib import Path

import pytest

from pixdesk.errors import PixdeskError
from pixdesk.room import commands
from pixdesk.room.agent import RoomAgent
from pixdesk.room.console import RoomConsole
from pixdesk.room.discovery import advertise, console_source, find_console
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import unlock_command_key
from pixdesk.room.status import APPLIED
from tests.room.conftest import PASSWORD, SESSION_ID, Exam, Pc, room_session, run, trust_of

PCS = [Pc("pc0")]
SESSION = room_session(PCS)
TRUST = trust_of(SESSION)
KEY = unlock_command_key(SESSION, PASSWORD)
OTHER = room_session(PCS, session_id="4200002")
MDNS_GROUP = "224.0.0.251"


def _multicast_reaches_this_machine() -> bool:
    """Whether a datagram sent to the mDNS group comes back to a socket of this machine that
    joined it: what discovery between a console and a PC on one machine needs."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        receiver.bind(("", 0))
        receiver.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                            struct.pack("4s4s", socket.inet_aton(MDNS_GROUP),
                                        socket.inet_aton("0.0.0.0")))
        receiver.settimeout(1.0)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        sender.sendto(b"pixdesk-probe", (MDNS_GROUP, receiver.getsockname()[1]))
        return receiver.recvfrom(64)[0] == b"pixdesk-probe"
    except OSError:
        return False
    finally:
        receiver.close()
        sender.close()


@pytest.fixture
def multicast() -> None:
    if not _multicast_reaches_this_machine():
        pytest.skip("this machine does not deliver multicast datagrams (mDNS group "
                    f"{MDNS_GROUP}) back to itself: no LAN discovery to test here")


def _agent(tmp_path: Path, exam: Exam, uri: object) -> RoomAgent:
    gate = CommandGate(TRUST, "pc0", CommandLedger(tmp_path))
    return RoomAgent(uri, gate, PCS[0].key, exam.current, exam.apply,  # type: ignore[arg-type]
                     first_retry_s=0.05, max_retry_s=0.5)


@pytest.mark.usefixtures("multicast")
def test_a_pc_finds_the_console_of_its_own_session_only() -> None:
    async def body() -> None:
        mine = RoomConsole(TRUST, KEY, host="127.0.0.1", port=0, advertise=True)
        other = RoomConsole(trust_of(OTHER), unlock_command_key(OTHER, PASSWORD),
                            host="127.0.0.1", port=0, advertise=True)
        await other.start()
        await mine.start()
        try:
            assert await find_console(SESSION_ID, 10) == f"ws://127.0.0.1:{mine.port}"
            assert await find_console("4209999", 1.5) is None
        finally:
            await mine.stop()
            await other.stop()

    run(body())


@pytest.mark.usefixtures("multicast")
def test_the_advertisement_ends_with_its_block() -> None:
    with advertise(SESSION_ID, 47999, host="127.0.0.1"):
        found = asyncio.run(find_console(SESSION_ID, 10))
    assert found == "ws://127.0.0.1:47999"
    assert asyncio.run(find_console(SESSION_ID, 1.5)) is None


@pytest.mark.usefixtures("multicast")
def test_an_auto_pc_finds_the_console_again_after_it_restarts_elsewhere(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        exam = Exam("c0")
        agent = _agent(tmp_path, exam, console_source("auto", SESSION_ID, timeout_s=5))
        first = RoomConsole(TRUST, KEY, host="127.0.0.1", port=0, advertise=True)
        await first.start()
        task = asyncio.create_task(agent.run())
        try:
            await first.wait_until(lambda: first.connected == {"pc0"})
            assert agent.uri == f"ws://127.0.0.1:{first.port}"
            await first.stop()
            second = RoomConsole(TRUST, KEY, host="127.0.0.1", port=0, advertise=True)
            await second.start()
            try:
                await second.wait_until(lambda: second.connected == {"pc0"})
                assert second.port != first.port
                assert agent.uri == f"ws://127.0.0.1:{second.port}"
                sent = await second.send(commands.AUTHORISE_START)
                await second.wait_until(lambda: "pc0" in sent.acks)
                assert sent.acks["pc0"].result == APPLIED
            finally:
                await second.stop()
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    run(body())


def test_an_agent_asks_its_provider_again_after_the_link_drops(tmp_path: Path) -> None:
    """No multicast needed: the provider is asked before every connection, and a provider
    that finds nothing only delays the next try."""
    async def body() -> None:
        exam = Exam("c0")
        answers: list[str | None] = []
        consoles: list[RoomConsole] = []

        async def provider() -> str | None:
            answer = f"ws://127.0.0.1:{consoles[-1].port}" if consoles else None
            answers.append(answer)
            return answer

        agent = _agent(tmp_path, exam, provider)
        task = asyncio.create_task(agent.run())
        try:
            while not answers:
                await asyncio.sleep(0.01)
            consoles.append(RoomConsole(TRUST, KEY, host="127.0.0.1", port=0))
            await consoles[0].start()
            await consoles[0].wait_until(lambda: consoles[0].connected == {"pc0"})
            await consoles[0].stop()
            consoles.append(RoomConsole(TRUST, KEY, host="127.0.0.1", port=0))
            await consoles[1].start()
            await consoles[1].wait_until(lambda: consoles[1].connected == {"pc0"})
            await consoles[1].stop()
            assert answers[0] is None
            assert answers[-1] == f"ws://127.0.0.1:{consoles[1].port}"
            assert agent.joins == 2
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    run(body())


def test_the_configured_console_address_is_read_or_refused() -> None:
    assert console_source("192.168.1.20:47815", SESSION_ID) == "ws://192.168.1.20:47815"
    assert console_source(" ws://salle-b12:47815 ", SESSION_ID) == "ws://salle-b12:47815"
    assert callable(console_source("auto", SESSION_ID))
    for bad in ("salle-b12", "salle-b12:port", ":47815", "h:70000"):
        with pytest.raises(PixdeskError) as refused:
            console_source(bad, SESSION_ID)
        assert refused.value.code == "room.bad_console_address"


def test_a_console_that_cannot_advertise_still_serves_its_address(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    async def no_multicast(self: object) -> None:
        raise OSError("no multicast interface")

    monkeypatch.setattr("pixdesk.room.discovery.Advertisement.start", no_multicast)

    async def scenario() -> None:
        console = RoomConsole(TRUST, KEY, host="127.0.0.1", port=0, advertise=True)
        await console.start()
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", console.port)
            writer.close()
            await writer.wait_closed()
        finally:
            await console.stop()

    run(scenario())
    assert "not advertised" in caplog.text
