"""The room console window, offscreen, over three headless PC processes on 127.0.0.1.

The console is the real ``RoomConsoleWindow`` on its ``ConsoleThread``, driven through its
widgets as an invigilator drives it (rows selected, buttons clicked, dialogs confirmed);
the PCs are ``python -m pixdesk.room_pc`` processes, each a real exam on its own journal,
reached through a fault proxy, their candidate's and kiosk guard's actions typed on their
stdin (``--stdin-actions``). One exam, in order: authorise all, pause all and resume all,
ten minutes added to one candidate, a live alert validated, one dismissed and a kiosk alert
seen and its lock lifted, a forged and a replayed command refused while the console is
down, the console window closed and its thread stopped mid-exam then a new one opened on
the same port (the room comes back from the PCs, its next command is applied), the link cut
and restored, and one test ended: that PC says "non synchronisé" (a headless PC never
syncs). Each effect is checked in the window and in the PCs' journals. Every wait is
bounded (``WAIT_MS``, ``GUARD_S``); nothing is timed.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import keyring
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backends.fail import Keyring as NoKeyring
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from benchmarks.room_capacity import PASSWORD, RoomFiles, build_room, pc_environment
from pixdesk.room.console import RoomConsole
from pixdesk.room.keys import RoomTrust, unlock_command_key
from pixdesk.room.status import REFUSED
from pixdesk.store.journal import Journal
from pixdesk.ui.room_console import ConsoleThread, RoomConsoleWindow
from pixdesk.ui.theme import Look
from tests.room.faults import FaultProxy, impostor_round

PCS = 3
ANSWER_EVERY_S = 2.0
WAIT_MS = 15_000
GUARD_S = 30
T = TypeVar("T")


class PcProcess:
    """One ``pixdesk.room_pc`` process, the JSON lines it printed, and its stdin."""

    def __init__(self, room: RoomFiles, index: int, console_uri: str) -> None:
        self.device_id, self.candidate_id = room.device(index), room.candidate(index)
        self.row = f"candidate:{self.candidate_id}"
        self.data_dir = room.data_dir(index)
        self.lines: list[dict[str, Any]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pixdesk.room_pc", "--data-dir", str(self.data_dir),
             "--session", str(room.session_file), "--device-key", str(room.key_file(index)),
             "--console", console_uri, "--candidate", self.candidate_id, "--answer-every",
             str(ANSWER_EVERY_S), "--seed", str(index), "--stdin-actions"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=pc_environment())
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(json.loads(line))

    def type(self, action: str) -> None:
        """The candidate or the kiosk guard does something (a line on the PC's stdin)."""
        assert self.process.stdin is not None
        self.process.stdin.write(action + "\n")
        self.process.stdin.flush()

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [line for line in list(self.lines) if line["event"] == kind]

    def applied(self, nonce: str) -> dict[str, Any] | None:
        return next((line for line in self.events("applied") if line["nonce"] == nonce), None)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            _out, err = self.process.communicate(timeout=GUARD_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        self.reader.join(GUARD_S)
        return err


class Loop:
    """An event loop on its own thread for the fault proxy and the impostor."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(GUARD_S)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(GUARD_S)
        self.loop.close()


class Room:
    """The console (window and thread) as the invigilator opens it, and the PCs."""

    def __init__(self, qtbot: QtBot, room: RoomFiles, key: Ed25519PrivateKey) -> None:
        self.qtbot, self.files, self.key = qtbot, room, key
        self.trust = RoomTrust.from_session(room.session)
        self.port = 0
        self.link: ConsoleThread | None = None
        self.window: RoomConsoleWindow | None = None

    def open_console(self) -> RoomConsoleWindow:
        link = ConsoleThread(RoomConsole(self.trust, self.key, host="127.0.0.1",
                                         port=self.port), publish_s=0.05)
        link.start()
        self.port, self.link = link.console.port, link
        window = RoomConsoleWindow(self.files.session, link, look=Look())
        self.qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        self.window = window
        return window

    def close_console(self) -> None:
        """The invigilator closes the window; its thread stops (the port is freed)."""
        if self.window is not None:
            self.window.close()
            self.window = None
        if self.link is not None:
            self.link.stop()
            self.link = None


def cell(window: RoomConsoleWindow, pc: PcProcess, column: int) -> str:
    for index, row in enumerate(window.rows):
        if row.key == pc.row:
            item = window.table.item(index, column)
            return item.text() if item is not None else ""
    raise KeyError(pc.row)


def select(window: RoomConsoleWindow, *pcs: PcProcess) -> None:
    window.table.clearSelection()
    model = window.table.selectionModel()
    keys = {pc.row for pc in pcs}
    for index, row in enumerate(window.rows):
        if row.key in keys:
            model.select(window.table.model().index(index, 0),
                         model.SelectionFlag.Select | model.SelectionFlag.Rows)


def choose_alert(window: RoomConsoleWindow, pc: PcProcess) -> str:
    """Select the open alert of ``pc`` in the alert list; its id."""
    for index in range(window.alerts.count()):
        item = window.alerts.item(index)
        device, _, alert_id = str(item.data(Qt.ItemDataRole.UserRole)).partition("|")
        if device == pc.device_id:
            window.alerts.setCurrentItem(item)
            return alert_id
    raise KeyError(pc.device_id)


def seconds(clock: str) -> int:
    """``0:45:00 (+10 min ajoutées)`` → 2700."""
    hours, minutes, secs = clock.split(" ")[0].split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(secs)


def sent_nonces(qtbot: QtBot, window: RoomConsoleWindow, expected: str) -> list[str]:
    """Wait until the last action's message reads ``expected``; the nonces it sent."""
    qtbot.waitUntil(lambda: window.message.text() == expected, timeout=WAIT_MS)
    action = window.action
    assert action is not None and not action.pending
    return list(action.nonces)


@pytest.fixture
def loop() -> Iterator[Loop]:
    running = Loop()
    yield running
    running.close()


def test_an_invigilator_runs_a_room_of_pc_processes_from_the_console_window(
        qtbot: QtBot, tmp_path: Path, loop: Loop) -> None:
    files = build_room(tmp_path, PCS)
    room = Room(qtbot, files, unlock_command_key(files.session, PASSWORD))
    window = room.open_console()
    proxy = FaultProxy(room.port)
    loop.run(proxy.start())
    pcs = [PcProcess(files, i, f"ws://127.0.0.1:{proxy.port}") for i in range(PCS)]
    first, second, third = pcs
    proofs: dict[str, list[str]] = {pc.device_id: [] for pc in pcs}
    """Per PC, the nonces of the commands it must have journaled, in order."""

    def to_all(nonces: list[str]) -> None:
        assert len(nonces) == 1
        for pc in pcs:
            proofs[pc.device_id] += nonces

    try:
        # The PCs arrive, checked in; everyone is authorised to start.
        qtbot.waitUntil(lambda: len(window.view.connected) == PCS and all(
            cell(window, pc, 2) == "Installé, attend l'autorisation" for pc in pcs),
            timeout=WAIT_MS)
        assert [cell(window, pc, 1) for pc in pcs] == [pc.device_id for pc in pcs]
        assert {cell(window, pc, 5) for pc in pcs} == {"connecté"}
        window.authorise_all.click()
        to_all(sent_nonces(qtbot, window, "Autoriser le début — 3 appliquée(s)"))
        qtbot.waitUntil(lambda: all(cell(window, pc, 2).startswith("En cours ")
                                    for pc in pcs), timeout=WAIT_MS)

        # The fire alarm: pause all, then resume all.
        window.pause_all.click()
        to_all(sent_nonces(qtbot, window, "Pause — 3 appliquée(s)"))
        qtbot.waitUntil(lambda: {cell(window, pc, 2) for pc in pcs} == {"En pause"},
                        timeout=WAIT_MS)
        window.resume_all.click()
        resumed = sent_nonces(qtbot, window, "Reprise — 3 appliquée(s)")
        to_all(resumed)
        qtbot.waitUntil(lambda: all(cell(window, pc, 2).startswith("En cours ")
                                    for pc in pcs), timeout=WAIT_MS)

        # Ten minutes for the second candidate only: their time left grows.
        before = seconds(cell(window, second, 3))
        select(window, second)
        window.minutes.setValue(10)
        window.add_time.click()
        (more,) = sent_nonces(qtbot, window, "Temps ajouté — 1 appliquée(s)")
        proofs[second.device_id].append(more)
        qtbot.waitUntil(lambda: cell(window, second, 3).endswith("(+10 min ajoutées)"),
                        timeout=WAIT_MS)
        assert seconds(cell(window, second, 3)) >= before + 9 * 60
        qtbot.waitUntil(lambda: second.applied(more) is not None, timeout=WAIT_MS)
        line = second.applied(more)
        assert line is not None
        assert 590_000 < line["remaining_ms"] - line["remaining_ms_before"] <= 600_000
        assert first.applied(more) is None and third.applied(more) is None
        assert "+10 min" not in cell(window, first, 3)

        # Live alerts: a question reported on the first PC (validated), one on the second
        # (dismissed), the third PC's kiosk guard seeing its window left (seen, and the
        # lock it caused lifted).
        first.type("alert image")
        second.type("alert other")
        third.type("kiosk focus_lost")
        qtbot.waitUntil(lambda: window.alerts.count() == 3 and all(
            pc.events("alert_raised") for pc in pcs), timeout=WAIT_MS)
        raised = {pc.device_id: pc.events("alert_raised") for pc in pcs}
        assert [len(r) for r in raised.values()] == [1, 1, 1]
        assert {cell(window, pc, 4) for pc in pcs} == {"⚠ 1"}
        texts = [window.alerts.item(i).text() for i in range(window.alerts.count())]
        image_item = raised[first.device_id][0]["item_id"]
        assert f"(pc-000) — problème d'image — question {image_item}" in texts[0]
        assert "(pc-002) — poste : fenêtre d'examen quittée" in texts[2]
        qtbot.waitUntil(lambda: cell(window, third, 2).startswith("Verrouillé"),
                        timeout=WAIT_MS)

        alert_id = choose_alert(window, first)
        assert alert_id == raised[first.device_id][0]["alert_id"]
        window.validate.click()
        proofs[first.device_id] += sent_nonces(qtbot, window, "Alerte validée — 1 appliquée(s)")
        choose_alert(window, second)
        window.dismiss.click()
        proofs[second.device_id] += sent_nonces(qtbot, window,
                                                "Alerte refusée — 1 appliquée(s)")
        choose_alert(window, third)
        window.dismiss.click()
        proofs[third.device_id] += sent_nonces(qtbot, window,
                                               "Alerte refusée — 1 appliquée(s)")
        qtbot.waitUntil(lambda: window.alerts.count() == 0 and {
            cell(window, pc, 4) for pc in pcs} == {"—"}, timeout=WAIT_MS)
        select(window, third)
        window.resume_lock.click()
        proofs[third.device_id] += sent_nonces(qtbot, window,
                                               "Autoriser la reprise — 1 appliquée(s)")
        qtbot.waitUntil(lambda: cell(window, third, 2).startswith("En cours "),
                        timeout=WAIT_MS)

        # The console is closed mid-exam; meanwhile an impostor takes its port and sends a
        # replayed genuine command and a forgery: every PC refuses both, journals neither.
        replayed = window.link.console.sent[resumed[0]].command
        room.close_console()
        acks = loop.run(impostor_round(room.port, replayed.proof, replayed.counter,
                                       files.session.id, PCS, GUARD_S))
        assert sorted((a["device_id"], a["result"], a["code"]) for a in acks) == sorted(
            [(pc.device_id, REFUSED, "room.replay") for pc in pcs]
            + [(pc.device_id, REFUSED, "room.bad_signature") for pc in pcs])
        forged = {a["nonce"] for a in acks if a["code"] == "room.bad_signature"}

        # A new console on the same port: the room comes back from the PCs, as it was.
        window = room.open_console()
        qtbot.waitUntil(lambda: len(window.view.connected) == PCS and all(
            cell(window, pc, 2).startswith("En cours ") for pc in pcs), timeout=WAIT_MS)
        assert cell(window, second, 3).endswith("(+10 min ajoutées)")
        assert window.alerts.count() == 0
        window.table.selectAll()
        window.incident_code.setCurrentIndex(window.incident_code.findData("E12"))
        window.incident_text.setText("Coupure de courant dans la salle")
        window.incident.click()
        incident = sent_nonces(qtbot, window, "Incident — 3 appliquée(s)")
        for pc, nonce in zip(pcs, incident, strict=True):
            proofs[pc.device_id].append(nonce)

        # The link is cut: the console says so, the PCs answer on; restored, they return.
        loop.run(proxy.cut())
        qtbot.waitUntil(lambda: {cell(window, pc, 5) for pc in pcs} == {"⚠ liaison perdue"},
                        timeout=WAIT_MS)
        cut_ms = time.time_ns() // 1_000_000
        answered = {pc.device_id: window.view.statuses[pc.device_id].pc.answered
                    for pc in pcs}
        qtbot.waitUntil(lambda: all(any(a["answered_ms"] > cut_ms
                                        for a in pc.events("answered")) for pc in pcs),
                        timeout=WAIT_MS)
        loop.run(proxy.start())
        qtbot.waitUntil(lambda: {cell(window, pc, 5) for pc in pcs} == {"connecté"} and all(
            window.view.statuses[pc.device_id].pc.answered > answered[pc.device_id]
            for pc in pcs), timeout=WAIT_MS)
        window.pause_all.click()
        to_all(sent_nonces(qtbot, window, "Pause — 3 appliquée(s)"))
        qtbot.waitUntil(lambda: {cell(window, pc, 2) for pc in pcs} == {"En pause"},
                        timeout=WAIT_MS)

        # The first test is ended: that PC's result now waits for a server.
        select(window, first)
        window.end.click()
        window.dialog.yes.click()
        proofs[first.device_id] += sent_nonces(qtbot, window, "Fin du test — 1 appliquée(s)")
        qtbot.waitUntil(lambda: cell(window, first, 2)
                        == "Terminé par le surveillant · non synchronisé", timeout=WAIT_MS)
        assert [cell(window, pc, 2) for pc in (second, third)] == ["En pause", "En pause"]
    finally:
        room.close_console()
        errors = [pc.stop() for pc in pcs]
        loop.run(proxy.cut())
    assert all(pc.events("refused") == [] and pc.events("action_refused") == []
               for pc in pcs), errors

    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    for pc in pcs:
        with Journal.open(pc.data_dir, demo=True, create=False) as journal:
            (attempt,) = journal.attempts()
            events = journal.events(attempt.attempt_id)
            assert journal.unacknowledged_results() == (
                [attempt.attempt_id] if pc is first else [])
        journaled = [e.payload["proof"]["envelope"]["nonce"] for e in events
                     if "proof" in e.payload]
        assert journaled == proofs[pc.device_id], pc.device_id
        assert not set(journaled) & forged
        closed = [(e.payload["outcome"], e.payload["alert_id"]) for e in events
                  if e.kind == "alert_closed"]
        alert = pc.events("alert_raised")[0]
        assert closed == [("validated" if pc is first else "dismissed", alert["alert_id"])]
        neutralised = [e.payload for e in events if e.kind == "item_neutralised"]
        assert neutralised == ([{"item_id": alert["item_id"], "alert_id": alert["alert_id"]}]
                               if pc is first else [])
