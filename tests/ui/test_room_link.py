"""The exam window linked to a real room console on 127.0.0.1: console commands reach the
exam and its journal with their proof, a forgery does not, and the exam and its panel go on
while the console is away, the link coming back by itself."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Coroutine, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QDateTime, Qt
from pytestqt.qtbot import QtBot

from pixdesk import crypto
from pixdesk.app import attach_room_link
from pixdesk.bundle import ExamBundle
from pixdesk.demo import DEMO_INVIGILATOR_PASSWORD
from pixdesk.engine.attempt import Phase
from pixdesk.room import commands
from pixdesk.room.commands import check_proof
from pixdesk.room.console import RoomConsole, Sent
from pixdesk.room.keys import RoomTrust, new_room_trust, unlock_command_key
from pixdesk.room.status import APPLIED, REFUSED
from pixdesk.session import Session
from pixdesk.store.journal import Journal
from pixdesk.ui import room_link
from pixdesk.ui.desk import HistoryEntry
from pixdesk.ui.invigilator import history_lines
from pixdesk.ui.main_window import MainWindow
from pixdesk.ui.room_link import RoomDevice, RoomLink
from pixdesk.ui.theme import Look
from tests.ui.conftest import SteerableClock, demo_bundle
from tests.ui.driver import check_in, click, enter_password, open_session, settle
from tests.ui.test_exam_flow import LEA, open_panel

GUARD_S = 30
WAIT_MS = 10_000
"""Upper bound on every wait: a hang fails the test, nothing is timed."""
DEVICE = RoomDevice("pc-b12-07", crypto.new_signing_key())
T = TypeVar("T")


@cache
def room_bundle() -> ExamBundle:
    """The demo bundle whose session has a room: a command key sealed under the demo
    invigilator password, and this PC among its devices."""
    demo = demo_bundle()
    room = new_room_trust(demo.session.id, DEMO_INVIGILATOR_PASSWORD,
                          {DEVICE.device_id: crypto.public_key_bytes(DEVICE.signing_key)})
    return dataclasses.replace(demo, session=dataclasses.replace(demo.session,
                                                                 room_console=room))


@cache
def command_key() -> Ed25519PrivateKey:
    return unlock_command_key(room_bundle().session, DEMO_INVIGILATOR_PASSWORD)


class ConsoleThread:
    """A real ``RoomConsole`` on its own loop and thread, as the console window runs it."""

    def __init__(self, trust: RoomTrust, key: Ed25519PrivateKey, port: int = 0) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.console = RoomConsole(trust, key, host="127.0.0.1", port=port)
        self.call(self.console.start())
        self.port = self.console.port

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(GUARD_S)

    def send(self, command: str, args: Mapping[str, Any] | None = None) -> Sent:
        return self.call(self.console.send(command, commands.ALL, args))

    def linked(self) -> bool:
        return DEVICE.device_id in self.console.connected

    def state(self) -> str:
        status = self.console.room.get(DEVICE.device_id)
        return status.pc.state if status is not None else ""

    def stop(self) -> None:
        self.call(self.console.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(GUARD_S)
        self.loop.close()


def real_console(port: int = 0) -> ConsoleThread:
    return ConsoleThread(RoomTrust.from_session(room_bundle().session), command_key(), port)


def forged_console(port: int) -> ConsoleThread:
    """A console holding another command key: the PCs' statuses still reach it (their
    device keys are public), but nothing it signs is the session's."""
    forger = crypto.new_signing_key()
    trust = RoomTrust.from_session(room_bundle().session)
    return ConsoleThread(dataclasses.replace(
        trust, command_public_key=crypto.public_key_bytes(forger)), forger, port)


@pytest.fixture
def console() -> Iterator[ConsoleThread]:
    running = real_console()
    yield running
    if running.thread.is_alive():
        running.stop()


@pytest.fixture
def room_window(qtbot: QtBot, data_dir: Path, clock: SteerableClock,
                console: ConsoleThread) -> Iterator[MainWindow]:
    win = MainWindow(room_bundle(), data_dir, kiosk=True, look=Look(), lang="fr", clock=clock)
    qtbot.addWidget(win)
    controller = win.controller
    controller.attach_room(RoomLink(controller, data_dir, f"127.0.0.1:{console.port}", DEVICE,
                                    first_retry_s=0.05, max_retry_s=0.3, heartbeat_s=0.5))
    win.resize(1100, 800)
    win.start()
    win.show()
    qtbot.waitUntil(lambda: controller.desk.journal is not None)
    yield win
    win.allow_close = True
    win.close()
    assert not win.background.running
    link = controller.room
    assert link is not None and link._thread is None


def events(data_dir: Path, kind: str) -> list[dict[str, Any]]:
    with Journal.open(data_dir, demo=True) as journal:
        return [dict(e.payload) for a in journal.attempts() for e in journal.events(a.attempt_id)
                if e.kind == kind]


def acked(qtbot: QtBot, sent: Sent) -> str:
    qtbot.waitUntil(lambda: DEVICE.device_id in sent.acks, timeout=WAIT_MS)
    ack = sent.acks[DEVICE.device_id]
    return ack.result if ack.result == APPLIED else f"{ack.result} {ack.code}"


def proven(payload: Mapping[str, Any], session: Session) -> commands.Command:
    return check_proof(payload["proof"], session, DEVICE.device_id, "demo-1")


def checked_in(qtbot: QtBot, win: MainWindow, console: ConsoleThread) -> None:
    open_session(qtbot, win)
    check_in(qtbot, win, *LEA)
    assert win.stack.currentWidget() is win.waiting
    qtbot.waitUntil(lambda: console.linked() and console.state() == "checked_in",
                    timeout=WAIT_MS)


def clock_at(ms: int) -> str:
    return QDateTime.fromMSecsSinceEpoch(ms).toString("HH:mm:ss")


def history(win: MainWindow) -> list[str]:
    panel = win.controller.panel
    assert panel is not None
    return [panel.history.item(i).text() for i in range(panel.history.count())]


def test_the_console_starts_pauses_and_gives_time_each_journaled_with_its_proof(
    qtbot: QtBot, room_window: MainWindow, console: ConsoleThread, data_dir: Path
) -> None:
    win = room_window
    checked_in(qtbot, win, console)
    assert acked(qtbot, console.send(commands.AUTHORISE_START)) == APPLIED
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.instructions, timeout=WAIT_MS)
    click(qtbot, win.instructions.start)
    settle(qtbot, win)
    assert win.stack.currentWidget() is win.question
    qtbot.waitUntil(lambda: console.state() == "running", timeout=WAIT_MS)

    assert acked(qtbot, console.send(commands.PAUSE)) == APPLIED
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pause, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.state() == "paused", timeout=WAIT_MS)
    assert acked(qtbot, console.send(commands.PAUSE)).startswith(REFUSED)
    assert acked(qtbot, console.send(commands.RESUME)) == APPLIED
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.question, timeout=WAIT_MS)

    settle(qtbot, win)
    before = win.controller.snapshot
    assert before is not None
    assert acked(qtbot, console.send(commands.ADD_TIME, {"minutes": 10})) == APPLIED
    qtbot.waitUntil(lambda: win.controller.snapshot is not None
                    and win.controller.snapshot.extra_minutes == 10, timeout=WAIT_MS)
    after = win.controller.snapshot
    assert after is not None and after.remaining_ms > before.remaining_ms + 9 * 60_000
    assert "10 minutes supplémentaires" in win.question.banner.text()

    session = room_bundle().session
    assert [proven(p, session).command for p in events(data_dir, "authorised")] == [
        commands.AUTHORISE_START]
    assert [proven(p, session).args for p in events(data_dir, "time_extended")] == [
        {"minutes": 10}]
    assert len(events(data_dir, "paused")) == 1
    open_panel(qtbot, win)
    lines = history(win)
    assert any(line.endswith("Temps ajouté : 10 min (depuis la console)") for line in lines)
    assert any(line.endswith("Pause (depuis la console)") for line in lines)
    assert any(line.endswith("Test commencé") for line in lines)


def test_without_the_console_the_exam_and_panel_go_on_a_forgery_is_refused_and_the_link_returns(
    qtbot: QtBot, room_window: MainWindow, console: ConsoleThread, data_dir: Path
) -> None:
    win = room_window
    session = room_bundle().session
    checked_in(qtbot, win, console)
    enter_password(qtbot, win, win.waiting.password, DEMO_INVIGILATOR_PASSWORD)
    assert win.stack.currentWidget() is win.instructions
    [authorised] = events(data_dir, "authorised")
    assert proven(authorised, session).target == f"device:{DEVICE.device_id}"
    click(qtbot, win.instructions.start)
    settle(qtbot, win)

    port = console.port
    console.stop()
    link = win.controller.room
    assert link is not None
    qtbot.waitUntil(lambda: not link.connected, timeout=WAIT_MS)
    open_panel(qtbot, win)
    panel = win.controller.panel
    assert panel is not None
    assert panel.room_link.text() == "Console de salle : non connectée"
    assert panel.room_link.accessibleName() == panel.room_link.text()
    panel.minutes.setValue(7)
    click(qtbot, panel.extend)
    settle(qtbot, win)
    [extended] = events(data_dir, "time_extended")
    assert extended["minutes"] == 7
    assert proven(extended, session).args == {"minutes": 7}
    assert not any("depuis la console" in line for line in history(win))
    qtbot.keyClick(panel, Qt.Key.Key_Escape)  # type: ignore[no-untyped-call]
    settle(qtbot, win)
    assert win.controller.panel is None and win.controller._panel_secret == ""

    forger = forged_console(port)
    try:
        qtbot.waitUntil(forger.linked, timeout=WAIT_MS)
        assert acked(qtbot, forger.send(commands.ADD_TIME, {"minutes": 30})) == (
            f"{REFUSED} room.bad_signature")
    finally:
        forger.stop()
    assert len(events(data_dir, "time_extended")) == 1
    snapshot = win.controller.snapshot
    assert snapshot is not None and snapshot.extra_minutes == 7

    back = real_console(port)
    try:
        qtbot.waitUntil(back.linked, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: link.connected, timeout=WAIT_MS)
        assert acked(qtbot, back.send(commands.PAUSE)) == APPLIED
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.pause, timeout=WAIT_MS)
    finally:
        back.stop()
    snapshot = win.controller.snapshot
    assert snapshot is not None and snapshot.phase is Phase.PAUSED


def test_a_session_without_a_command_key_keeps_the_panel_as_it_was(
    qtbot: QtBot, data_dir: Path, clock: SteerableClock
) -> None:
    """A session issued before the room existed: no link, no proof, no ledger."""
    demo = demo_bundle()
    bundle = dataclasses.replace(demo, session=dataclasses.replace(demo.session,
                                                                   room_console={}))
    window = MainWindow(bundle, data_dir, kiosk=True, look=Look(), lang="fr", clock=clock)
    qtbot.addWidget(window)
    window.start()
    window.show()
    qtbot.waitUntil(lambda: window.controller.desk.journal is not None)
    controller = window.controller
    controller.attach_room(RoomLink(controller, data_dir, "127.0.0.1:9", DEVICE))
    open_session(qtbot, window)
    check_in(qtbot, window, *LEA)
    open_panel(qtbot, window)
    panel = controller.panel
    assert panel is not None
    assert panel.room_link.text() == "Console de salle : non configurée"
    click(qtbot, panel.authorise)
    settle(qtbot, window)
    [authorised] = events(data_dir, "authorised")
    assert "proof" not in authorised
    assert not (data_dir / "room-commands.db").exists()
    window.allow_close = True
    window.close()


def test_the_history_tags_what_the_console_sent_and_only_that(qtbot: QtBot) -> None:
    typed = HistoryEntry("paused", 0)
    sent = dataclasses.replace(typed, from_console=True)
    assert history_lines((typed, sent)) == [
        f"{clock_at(0)} · Pause (depuis la console)", f"{clock_at(0)} · Pause"]


def test_a_demo_pc_reports_as_the_demo_pc_it_was_told_to_be(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    """The shipped demo session has a room; ``pixdesk demo --room-console … --demo-pc``
    links the window as that public demo PC (here to a port nothing listens on)."""
    attach_room_link(window, data_dir, "127.0.0.1:9", demo_pc="demo-pc-2", allow_file_key=False)
    link = window.controller.room
    assert link is not None and link.device is not None
    assert link.device.device_id == "demo-pc-2"
    assert not link.configured
    open_session(qtbot, window)
    assert link.configured and not link.connected
    assert link.status_text() == "non connectée"
    window.allow_close = True
    window.close()
    assert link._thread is None


def test_a_command_the_exam_cannot_take_in_time_is_refused_and_never_applied(
    qtbot: QtBot, room_window: MainWindow, console: ConsoleThread, data_dir: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer thread is held up (a slow disk): the agent stops waiting, acks
    ``room.pc_busy``, and the withdrawn command does not reach the journal afterwards."""
    monkeypatch.setattr(room_link, "COMMAND_WAIT_S", 0.3)
    win = room_window
    checked_in(qtbot, win, console)
    held = threading.Event()
    win.background.run(lambda: held.wait(GUARD_S))
    try:
        assert acked(qtbot, console.send(commands.AUTHORISE_START)) == (
            f"{REFUSED} room.pc_busy")
    finally:
        held.set()
    settle(qtbot, win)
    assert events(data_dir, "authorised") == []
    assert win.stack.currentWidget() is win.waiting
    assert acked(qtbot, console.send(commands.AUTHORISE_START)) == APPLIED
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.instructions, timeout=WAIT_MS)


def test_a_live_alert_validated_in_the_panel_carries_its_proof(
    qtbot: QtBot, room_window: MainWindow, console: ConsoleThread, data_dir: Path
) -> None:
    """Under a keyed session the server holds a validation to its proof: the panel's own
    Valider signs one, as the console's would be."""
    win = room_window
    checked_in(qtbot, win, console)
    assert acked(qtbot, console.send(commands.AUTHORISE_START)) == APPLIED
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.instructions, timeout=WAIT_MS)
    click(qtbot, win.instructions.start)
    settle(qtbot, win)
    win.controller.report_problem("image")
    settle(qtbot, win)
    [raised] = events(data_dir, "alert_raised")
    open_panel(qtbot, win)
    win.controller.validate_alert(str(raised["alert_id"]))
    settle(qtbot, win)
    [closed] = events(data_dir, "alert_closed")
    command = proven(closed, room_bundle().session)
    assert (command.command, command.args) == (commands.VALIDATE_ALERT,
                                               {"alert_id": raised["alert_id"]})
