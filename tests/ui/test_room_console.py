"""The room console window, offscreen, on a real ``RoomConsole`` (its own thread and loop)
with real ``RoomAgent``s on 127.0.0.1 in front of stand-in exams; and ``pixdesk room``'s
refusals, which all come before any window."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QSpinBox,
)
from pytestqt.qtbot import QtBot
from websockets.asyncio.client import connect

from pixdesk import crypto
from pixdesk.cli import main
from pixdesk.demo import DEMO_INVIGILATOR_PASSWORD, DEMO_PCS, demo_pc_key, load_demo
from pixdesk.errors import AttemptError, PixdeskError
from pixdesk.paths import resource_path
from pixdesk.room import commands
from pixdesk.room.agent import RoomAgent
from pixdesk.room.commands import Command
from pixdesk.room.console import RoomConsole
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomTrust, unlock_command_key
from pixdesk.room.remote import RemoteRoomConsole
from pixdesk.room.status import PcState, Status, sign_status
from pixdesk.server.room_hub import RoomHub
from pixdesk.session import Candidate, Session, sign_session
from pixdesk.trust import read_key_file
from pixdesk.ui import i18n, theme
from pixdesk.ui.room_console import (
    ConsoleThread,
    RoomConsoleWindow,
    UnlockDialog,
    unlock_dialog,
)
from pixdesk.ui.theme import Look
from pixdesk.ui.widgets import Page
from pixdesk.ui.worker import Background
from tests.room.conftest import PASSWORD, Pc, room_session

PCS = [Pc(f"pc{i}") for i in range(3)]
NAMES = (("Martin", "Léa"), ("Dubois", "Hugo"), ("Nguyen", "Inès"), ("Petit", "Lucas"))
SESSION = replace(room_session(PCS), candidates=tuple(
    Candidate(f"c{i}", last, first, "2009-01-01") for i, (last, first) in enumerate(NAMES)))
TRUST = RoomTrust.from_session(SESSION)
KEY = unlock_command_key(SESSION, PASSWORD)
WAIT_MS = 10_000


@dataclass
class StandIn:
    """The exam behind a PC, as the console sees it: checked in, then what commands do."""

    candidate_id: str
    state: PcState = field(default_factory=PcState)
    applied: list[str] = field(default_factory=list)
    args: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.state = PcState(state="checked_in", candidate_id=self.candidate_id, total=32,
                             remaining_ms=45 * 60_000)

    def current(self) -> PcState:
        return self.state

    def apply(self, command: Command) -> None:
        moves = {commands.AUTHORISE_START: ({"checked_in"}, "authorised"),
                 commands.PAUSE: ({"running", "authorised"}, "paused"),
                 commands.RESUME: ({"paused"}, "running")}
        if command.command in moves:
            before, after = moves[command.command]
            if self.state.state not in before:
                raise AttemptError("attempt.invalid_state", "Pas maintenant.", "Not now.")
            self.state = replace(self.state, state=after)
        elif command.command == commands.ADD_TIME:
            minutes = int(command.args["minutes"])
            self.state = replace(self.state, added_minutes=self.state.added_minutes + minutes,
                                 remaining_ms=(self.state.remaining_ms or 0) + minutes * 60_000)
        self.applied.append(command.command)
        self.args.append(dict(command.args))


class Pcs:
    """Three PCs' agents on one event loop of their own thread."""

    def __init__(self, tmp_path: Path, port: int) -> None:
        self.exams = {pc.device_id: StandIn(f"c{i}") for i, pc in enumerate(PCS)}
        self.agents: dict[str, RoomAgent] = {}
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.tasks: list[asyncio.Task[None]] = []
        for pc in PCS:
            (tmp_path / pc.device_id).mkdir()
            gate = CommandGate(TRUST, pc.device_id, CommandLedger(tmp_path / pc.device_id))
            exam = self.exams[pc.device_id]
            self.agents[pc.device_id] = RoomAgent(
                f"ws://127.0.0.1:{port}", gate, pc.key, exam.current, exam.apply,
                first_retry_s=0.05, max_retry_s=0.5, heartbeat_s=60)
        self.call(self._start)

    def _start(self) -> None:
        self.tasks = [self.loop.create_task(agent.run()) for agent in self.agents.values()]

    def call(self, action: object) -> None:
        self.loop.call_soon_threadsafe(action)  # type: ignore[arg-type]

    def set_state(self, device: str, **changes: object) -> None:
        def change() -> None:
            exam = self.exams[device]
            exam.state = replace(exam.state, **changes)  # type: ignore[arg-type]
            self.agents[device].status_changed()

        self.call(change)

    def run(self, coroutine: object) -> object:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)  # type: ignore[arg-type]

    def close(self) -> None:
        async def cancel() -> None:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        self.run(cancel())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


@pytest.fixture
def link() -> Iterator[ConsoleThread]:
    thread = ConsoleThread(RoomConsole(TRUST, KEY, host="127.0.0.1", port=0), publish_s=0.05)
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
def pcs(tmp_path: Path, link: ConsoleThread) -> Iterator[Pcs]:
    room = Pcs(tmp_path, link.console.port)
    yield room
    link.stop()
    room.close()


@pytest.fixture
def console(qtbot: QtBot, link: ConsoleThread) -> RoomConsoleWindow:
    window = RoomConsoleWindow(SESSION, link, look=Look())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def cell(window: RoomConsoleWindow, name: str, column: int) -> str:
    for index, row in enumerate(window.rows):
        if row.name.startswith(name.upper()):
            item = window.table.item(index, column)
            return item.text() if item is not None else ""
    raise KeyError(name)


def statuses(window: RoomConsoleWindow) -> dict[str, str]:
    return {row.name: cell(window, row.name.split()[0], 2) for row in window.rows}


def all_reporting(qtbot: QtBot, window: RoomConsoleWindow) -> None:
    qtbot.waitUntil(lambda: len(window.view.connected) == 3, timeout=WAIT_MS)
    window.refresh()


def select(window: RoomConsoleWindow, *names: str) -> None:
    window.table.clearSelection()
    model = window.table.selectionModel()
    for index, row in enumerate(window.rows):
        if row.name.split()[0] in {n.upper() for n in names}:
            model.select(window.table.model().index(index, 0),
                         model.SelectionFlag.Select | model.SelectionFlag.Rows)


def test_every_candidate_is_listed_with_name_pc_and_status(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    assert [row.name for row in console.rows] == [
        "DUBOIS Hugo", "MARTIN Léa", "NGUYEN Inès", "PETIT Lucas"]
    assert cell(console, "Martin", 1) == "pc0"
    assert cell(console, "Martin", 2) == "Installé, attend l'autorisation"
    assert cell(console, "Martin", 5) == "connecté"
    assert cell(console, "Petit", 1) == "—" and cell(console, "Petit", 2) == "Non arrivé"
    assert cell(console, "Martin", 3) == "0:45:00"
    assert "4 candidats — 3 postes ont répondu — 3 connectés" in console.summary.text()
    item = console.table.item(0, 2)
    assert item is not None
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Statut : ")


def test_authorise_all_is_applied_on_every_checked_in_pc_and_shown(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    pcs.set_state("pc2", state="running")
    qtbot.waitUntil(lambda: cell(console, "Nguyen", 2) == "En cours 0 / 32", timeout=WAIT_MS)
    console.authorise_all.click()
    qtbot.waitUntil(lambda: "2 appliquée(s)" in console.message.text()
                    and "1 refusée(s) (NGUYEN Inès : pas possible à ce stade du test "
                    "[attempt.invalid_state])" in console.message.text(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: cell(console, "Martin", 2) == "Autorisé à commencer"
                    and cell(console, "Dubois", 2) == "Autorisé à commencer", timeout=WAIT_MS)
    assert pcs.exams["pc0"].applied == [commands.AUTHORISE_START]
    assert pcs.exams["pc2"].applied == []


def test_pause_all_the_fire_alarm_then_resume_all(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    for device in ("pc0", "pc1", "pc2"):
        pcs.set_state(device, state="running", answered=3)
    qtbot.waitUntil(lambda: set(statuses(console).values()) == {"En cours 3 / 32",
                                                                 "Non arrivé"}, timeout=WAIT_MS)
    console.pause_all.click()
    qtbot.waitUntil(lambda: set(statuses(console).values()) == {"En pause", "Non arrivé"},
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.message.text() == "Pause — 3 appliquée(s)",
                    timeout=WAIT_MS)
    console.resume_all.click()
    qtbot.waitUntil(lambda: set(statuses(console).values()) == {"En cours 3 / 32",
                                                                 "Non arrivé"}, timeout=WAIT_MS)


def test_added_time_reaches_the_selected_candidate_only(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    select(console, "Dubois")
    console.minutes.setValue(10)
    console.add_time.click()
    qtbot.waitUntil(lambda: cell(console, "Dubois", 3) == "0:55:00 (+10 min ajoutées)",
                    timeout=WAIT_MS)
    assert pcs.exams["pc1"].applied == [commands.ADD_TIME]
    assert pcs.exams["pc0"].applied == pcs.exams["pc2"].applied == []
    assert cell(console, "Martin", 3) == "0:45:00"


def test_the_console_is_used_by_keyboard_alone_and_names_every_control(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    controls = [w for w in vars(console).values()
                if isinstance(w, QAbstractButton | QLineEdit | QSpinBox | QComboBox
                              | QAbstractItemView)]
    assert len(controls) >= 20
    assert controls and all(w.accessibleName() for w in controls), [
        type(w).__name__ for w in controls if not w.accessibleName()]
    console.activateWindow()
    console.table.setFocus()
    qtbot.waitUntil(console.table.hasFocus)
    qtbot.keyClick(console.table, Qt.Key.Key_Home)
    qtbot.keyClick(console.table, Qt.Key.Key_Down)
    assert [row.name for row in console.selected_rows()] == ["MARTIN Léa"]
    for _ in range(30):
        if QApplication.focusWidget() is console.authorise:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is console.authorise
    qtbot.keyClick(console.authorise, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: cell(console, "Martin", 2) == "Autorisé à commencer",
                    timeout=WAIT_MS)
    assert pcs.exams["pc1"].applied == []


def test_neutralise_end_with_fraud_and_incident_carry_their_arguments(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    pcs.set_state("pc0", state="running", item_id="rec7")
    qtbot.waitUntil(lambda: cell(console, "Martin", 2).startswith("En cours"), timeout=WAIT_MS)
    select(console, "Martin")
    console.neutralise.click()
    console.dialog.yes.click()
    qtbot.waitUntil(lambda: pcs.exams["pc0"].args == [{"item_id": "rec7"}], timeout=WAIT_MS)
    select(console, "Dubois")
    console.neutralise.click()
    console.dialog.yes.click()
    assert "rien envoyé à DUBOIS Hugo" in console.message.text()
    console.incident_code.setCurrentIndex(console.incident_code.findData("E9"))
    console.incident_text.setText("Page figée")
    console.incident.click()
    qtbot.waitUntil(lambda: pcs.exams["pc1"].args == [{"code": "E9", "text": "Page figée"}],
                    timeout=WAIT_MS)
    console.end.click()
    console.fraud.setChecked(True)
    console.dialog.yes.click()
    qtbot.waitUntil(lambda: pcs.exams["pc1"].applied[-1] == commands.END_TEST, timeout=WAIT_MS)
    assert pcs.exams["pc1"].args[-1] == {"fraud": True}


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="under Wine the stand-in for the Windows UI font measures 1.6x Linux's (the "
           "longest action 1220 px at 200 %), so the widths say nothing of Windows; the "
           "reflow is checked on Linux")
def test_at_200_percent_the_console_fits_its_width_and_speaks_english(
        qtbot: QtBot, link: ConsoleThread) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed = i18n.install(app, "en")
    try:
        window = RoomConsoleWindow(SESSION, link, look=Look())
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.set_look(Look(zoom=200))
        page = window.centralWidget()
        assert isinstance(page, Page)
        inner = page.scroller.widget()
        qtbot.waitUntil(lambda: inner.width() <= page.scroller.viewport().width())
        assert inner.minimumSizeHint().width() <= page.scroller.viewport().width()
        header = window.table.horizontalHeaderItem(0)
        assert header is not None and header.text() == "Candidate"
        assert window.authorise_all.text() == "Authorise every checked-in candidate"
        assert cell(window, "Petit", 2) == "Not arrived"
    finally:
        for translator in installed:
            app.removeTranslator(translator)
        theme.apply(app, Look())


def test_time_counts_down_between_statuses_while_the_test_runs(
        qtbot: QtBot, pcs: Pcs, link: ConsoleThread) -> None:
    now = [0]
    window = RoomConsoleWindow(SESSION, link, look=Look(), clock_ms=lambda: now[0])
    qtbot.addWidget(window)
    all_reporting(qtbot, window)
    pcs.set_state("pc0", state="running", extra_time_percentage=33.0)
    qtbot.waitUntil(lambda: cell(window, "Martin", 2).startswith("En cours"), timeout=WAIT_MS)
    seen = window.view.seen_ms["pc0"]
    now[0] = seen + 61_000
    window.refresh()
    assert cell(window, "Martin", 3) == "0:43:59 (tiers-temps 33 %)"
    assert cell(window, "Dubois", 3) == "0:45:00"
    assert cell(window, "Martin", 5) == "⚠ sans nouvelles depuis 61 s"
    now[0] = seen + 14_000
    window.refresh()
    assert cell(window, "Martin", 5) == "connecté"


def test_a_command_to_a_candidate_without_a_connected_pc_is_not_sent_and_said(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    select(console, "Petit")
    console.pause.click()
    assert "rien envoyé à PETIT Lucas" in console.message.text()
    assert console.link.console.sent == {}


def test_an_open_alert_is_listed_and_answered_on_its_pc(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    pcs.set_state("pc1", state="running", alerts=("a1|image|rec42",))
    qtbot.waitUntil(lambda: console.alerts.count() == 1, timeout=WAIT_MS)
    alert = console.alerts.item(0)
    assert alert.text() == "DUBOIS Hugo (pc1) — problème d'image — question rec42"
    assert cell(console, "Dubois", 4) == "⚠ 1"
    console.alerts.setCurrentRow(0)
    assert console.validate.isEnabled() and console.dismiss.text() == "Refuser"
    console.validate.click()
    qtbot.waitUntil(lambda: pcs.exams["pc1"].applied == ["validate_alert"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.message.text() == "Alerte validée — 1 appliquée(s)",
                    timeout=WAIT_MS)


def test_a_kiosk_alert_is_named_and_only_acknowledged(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    pcs.set_state("pc1", state="locked", alerts=("a1|kiosk:prohibited_process|",))
    qtbot.waitUntil(lambda: console.alerts.count() == 1, timeout=WAIT_MS)
    assert console.alerts.item(0).text() == (
        "DUBOIS Hugo (pc1) — poste : logiciel interdit lancé")
    console.alerts.setCurrentRow(0)
    assert not console.validate.isEnabled()
    assert console.dismiss.text() == "Vu" and console.dismiss.accessibleName() == "Vu"
    console.dismiss.click()
    qtbot.waitUntil(lambda: pcs.exams["pc1"].applied == ["dismiss_alert"], timeout=WAIT_MS)


def test_status_from_an_unknown_or_forged_pc_is_ignored(
        qtbot: QtBot, pcs: Pcs, console: RoomConsoleWindow) -> None:
    all_reporting(qtbot, console)
    stranger = crypto.new_signing_key()

    async def speak() -> None:
        async with connect(f"ws://127.0.0.1:{console.link.console.port}", proxy=None) as ws:
            for device, key in (("pc-rogue", stranger), ("pc0", stranger)):
                forged = Status(SESSION.id, device, 10**18, 0, 0,
                                PcState(state="ended_by_invigilator", candidate_id="c0"))
                await ws.send(json.dumps({"type": "status", **sign_status(key, forged)}))
            await asyncio.sleep(0.3)

    pcs.run(speak())
    qtbot.waitUntil(lambda: console.view.refusals >= 2, timeout=WAIT_MS)
    console.refresh()
    assert len(console.rows) == 4
    assert cell(console, "Martin", 2) == "Installé, attend l'autorisation"
    assert {"room.unknown_device", "room.bad_signature"} <= set(console.link.console.refusals)


def test_the_console_refuses_a_port_already_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        thread = ConsoleThread(RoomConsole(TRUST, KEY, host="127.0.0.1", port=port))
        with pytest.raises(PixdeskError) as refused:
            thread.start()
    assert refused.value.code == "room.port_busy"


def test_a_wrong_password_is_refused_then_waits_then_the_right_one_unlocks(
        qtbot: QtBot, tmp_path: Path) -> None:
    background = Background()
    try:
        dialog = unlock_dialog(SESSION, tmp_path, "fr", background)
        qtbot.addWidget(dialog)
        dialog.show()
        at_refusal: list[tuple[int, bool, str]] = []
        dialog.gate.refused.connect(lambda failures: at_refusal.append(
            (failures, dialog.password.edit.isEnabled(), dialog.password.wait.text())))
        dialog.password.edit.setText("WRONG-PASS-123")
        qtbot.keyClick(dialog.password.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "Mot de passe surveillant incorrect"
                        in dialog.password.message.text(), timeout=WAIT_MS)
        assert dialog.key is None
        assert at_refusal == [(1, False, "Nouvel essai possible dans 1 s.")]
        qtbot.waitUntil(dialog.password.edit.isEnabled, timeout=WAIT_MS)
        dialog.password.edit.setText(PASSWORD.lower())
        qtbot.keyClick(dialog.password.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted,
                        timeout=WAIT_MS)
        assert crypto.public_key_bytes(dialog.key) == TRUST.command_public_key  # type: ignore[arg-type]
    finally:
        background.stop()


def test_the_demo_session_opens_its_console_with_the_demo_password() -> None:
    session = load_demo().session
    unlock_command_key(session, DEMO_INVIGILATOR_PASSWORD)
    trust = RoomTrust.from_session(session)
    assert set(trust.device_keys) == set(DEMO_PCS)
    for device in DEMO_PCS:
        assert crypto.public_key_bytes(demo_pc_key(device)) == trust.device_keys[device]


# --- pixdesk room: refusals before any window -----------------------------------------------


def demo_signed(tmp_path: Path, **changes: object) -> Path:
    """A demo session file signed by the (public) demo server key."""
    server_key = crypto.signing_key_from_bytes(
        read_key_file(Path(__file__).parents[2] / "resources" / "keys" / "demo-server.key"))
    session = replace(load_demo().session, **changes)  # type: ignore[arg-type]
    path = tmp_path / "session.pixsession"
    path.write_text(json.dumps(sign_session(session, server_key)), encoding="utf-8")
    return path


def test_room_refuses_a_session_without_a_command_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_signed(tmp_path, room_console={})
    assert main(["--lang", "en", "room", "--demo", "--session", str(path),
                 "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.endswith("[room.no_command_key]\n") and err.count("\n") == 1


def test_room_refuses_the_demo_session_without_demo_mode(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["room", "--session", str(resource_path("demo", "demo-session.pixsession")),
                 "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.endswith("[room.demo_session]\n")


def test_room_refuses_an_altered_session_and_no_session(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_signed(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["session"]["room"] = "Salle 666"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["room", "--demo", "--session", str(path), "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.endswith("[session.bad_signature]\n")
    assert main(["room", "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith("[room.no_session]\n")
    assert main(["room", "--demo", "--port", "70000", "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith("[room.bad_port]\n")


def test_pixdesk_room_demo_asks_the_password_then_shows_the_demo_room(
        qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, UnlockDialog) and modal.password.edit.isEnabled():
            typed = "WRONG1" if not modal.password.message.text() else DEMO_INVIGILATOR_PASSWORD
            modal.password.edit.setText(typed)
            modal.password.button.click()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, RoomConsoleWindow) and widget.isVisible():
                seen.append([row.name for row in widget.rows])
                widget.close()

    timer = QTimer()
    timer.timeout.connect(drive)
    timer.start(50)
    try:
        code = main(["room", "--demo", "--host", "127.0.0.1", "--port", "0",
                     "--data-dir", str(tmp_path)])
    finally:
        timer.stop()
    assert code == 0
    assert seen and seen[0] == ["BERNARD Chloé", "DUBOIS Hugo", "MARTIN Léa", "MOREAU Théo",
                                "NGUYEN Inès", "PETIT Lucas"]
    refusals = sqlite3.connect(tmp_path / "invigilator-tries.db").execute(
        "SELECT gate, failures FROM refusals").fetchall()
    assert refusals == [("room_console", 1)]


# --- a console attached to the central server's room hub ------------------------------------


class HubThread:
    """``pixdesk-server room-hub``'s relay on a loop of its own thread, serving ``session``."""

    def __init__(self, session: Session = SESSION) -> None:
        trust = RoomTrust.from_session(session)
        self._trust_of = lambda session_id: trust if session_id == session.id else None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.hub = RoomHub(self._trust_of, host="127.0.0.1", port=0)
        self._run(self.hub.start())
        self.port = self.hub.port

    def _run(self, coroutine: Any) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def restart(self) -> None:
        self._run(self.hub.stop())
        self.hub = RoomHub(self._trust_of, host="127.0.0.1", port=self.port)
        self._run(self.hub.start())

    def stop(self) -> None:
        self._run(self.hub.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


def test_the_console_attached_to_the_server_hub_runs_the_room_and_rejoins_it(
        qtbot: QtBot, tmp_path: Path) -> None:
    hub = HubThread()
    link = ConsoleThread(RemoteRoomConsole(TRUST, KEY, f"ws://127.0.0.1:{hub.port}",
                                           first_retry_s=0.05, max_retry_s=0.5),
                         publish_s=0.05)
    link.start()
    room = Pcs(tmp_path, hub.port)
    try:
        window = RoomConsoleWindow(SESSION, link, look=Look())
        qtbot.addWidget(window)
        window.show()
        all_reporting(qtbot, window)
        assert window.summary.text().endswith(
            f"relais du serveur 127.0.0.1:{hub.port} : relié")
        window.authorise_all.click()
        qtbot.waitUntil(lambda: "3 appliquée(s)" in window.message.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: cell(window, "Martin", 2) == "Autorisé à commencer",
                        timeout=WAIT_MS)
        assert room.exams["pc0"].applied == [commands.AUTHORISE_START]

        hub.restart()
        console = link.console
        assert isinstance(console, RemoteRoomConsole)
        qtbot.waitUntil(lambda: console.joins == 2 and all(
            agent.joins == 2 for agent in room.agents.values()), timeout=WAIT_MS)
        before = link.view()
        qtbot.waitUntil(lambda: link.view() is not before, timeout=WAIT_MS)

        def rejoined() -> bool:
            window.refresh()
            return all(cell(window, name, 5) == "connecté"
                       for name in ("Martin", "Dubois", "Nguyen"))

        qtbot.waitUntil(rejoined, timeout=WAIT_MS)
        assert window.view.hub_joined
        select(window, "Dubois")
        window.minutes.setValue(5)
        window.add_time.click()
        qtbot.waitUntil(lambda: cell(window, "Dubois", 3) == "0:50:00 (+5 min ajoutées)",
                        timeout=WAIT_MS)
    finally:
        hub.stop()
        link.stop()
        room.close()


def test_a_hub_that_does_not_know_the_session_is_said_so(qtbot: QtBot) -> None:
    hub = HubThread(load_demo().session)
    link = ConsoleThread(RemoteRoomConsole(TRUST, KEY, f"ws://127.0.0.1:{hub.port}"),
                         publish_s=0.05)
    link.start()
    try:
        window = RoomConsoleWindow(SESSION, link, look=Look())
        qtbot.addWidget(window)

        def said() -> bool:
            window.refresh()
            return window.summary.text().endswith(
                f"relais du serveur 127.0.0.1:{hub.port} : ne connaît pas cette session "
                "[room.unknown_session]")

        qtbot.waitUntil(said, timeout=WAIT_MS)
    finally:
        link.stop()
        hub.stop()


@pytest.mark.parametrize(("code", "french", "english"), [
    ("room.stale", "refuse la console, l'horloge de cette machine est trop décalée de celle "
     "du serveur : réglez-la", "refuses the console, this machine's clock is too far off "
     "the server's: set it right"),
    ("room.bad_signature", "refuse la console, la clé de cette session n'est pas celle que "
     "le serveur a émise (fichier de session d'un autre serveur ?)", "refuses the console, "
     "this session's key is not the one the server issued (a session file from another "
     "server?)"),
], ids=["clock_off", "another_key"])
def test_a_hub_that_refuses_the_console_says_why(
        qtbot: QtBot, code: str, french: str, english: str) -> None:
    """A clock ten minutes off, or a session the server issued with another key: the hub
    refuses the console's attach proof, and the summary says what to do about it."""
    stale = code == "room.stale"
    hub = HubThread(SESSION if stale else room_session(PCS))
    offset = -600_000 if stale else 0
    link = ConsoleThread(RemoteRoomConsole(
        TRUST, KEY, f"ws://127.0.0.1:{hub.port}",
        clock=lambda: time.time_ns() // 1_000_000 + offset), publish_s=0.05)
    link.start()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed: list[Any] = []
    try:
        window = RoomConsoleWindow(SESSION, link, look=Look())
        qtbot.addWidget(window)
        where = f"relais du serveur 127.0.0.1:{hub.port} : "

        def said() -> bool:
            window.refresh()
            return window.summary.text().endswith(f"{where}{french} [{code}]")

        qtbot.waitUntil(said, timeout=WAIT_MS)
        installed = i18n.install(app, "en")
        window.refresh()
        assert window.summary.text().endswith(
            f"server hub 127.0.0.1:{hub.port}: {english} [{code}]")
    finally:
        for translator in installed:
            app.removeTranslator(translator)
        link.stop()
        hub.stop()


def test_room_refuses_a_bad_hub_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "room", "--demo", "--hub", "server:port",
                 "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == ("pixdesk: Invalid hub address: server:port (expected: server:port). "
                   "[room.bad_hub_address]\n")


def test_pixdesk_room_demo_through_a_hub_shows_where_it_is_attached(
        qtbot: QtBot, tmp_path: Path) -> None:
    hub = HubThread(load_demo().session)
    seen: list[str] = []

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, UnlockDialog) and modal.password.edit.isEnabled():
            modal.password.edit.setText(DEMO_INVIGILATOR_PASSWORD)
            modal.password.button.click()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, RoomConsoleWindow) and widget.isVisible():
                widget.refresh()
                if widget.view.hub_joined:
                    seen.append(widget.summary.text())
                    widget.close()

    timer = QTimer()
    timer.timeout.connect(drive)
    timer.start(50)
    try:
        code = main(["room", "--demo", "--hub", f"127.0.0.1:{hub.port}",
                     "--data-dir", str(tmp_path)])
    finally:
        timer.stop()
        hub.stop()
    assert code == 0
    assert seen and seen[0].endswith(f"relais du serveur 127.0.0.1:{hub.port} : relié")
