"""Issue #14 on the real window, offscreen: the lockdown's facts and refused secrets reach the
device journal before anything else, the end screen shows the receipt of the journal head,
and a whole exam leaves no secret, answer or key in the log file."""

from __future__ import annotations

import base64
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pixdesk import logs
from pixdesk.app import security_journal
from pixdesk.chain import receipt_code
from pixdesk.cli import main
from pixdesk.demo import DEMO_ACCESS_CODE, DEMO_INVIGILATOR_PASSWORD
from pixdesk.engine.attempt import Phase
from pixdesk.engine.bank import Answer
from pixdesk.engine.review import model_answer
from pixdesk.errors import JournalError
from pixdesk.lockdown.ledger import ChangeLedger
from pixdesk.lockdown.null import NullBackend
from pixdesk.lockdown.policy import KioskSettings
from pixdesk.store.device_journal import DeviceJournal, device_dir
from pixdesk.store.journal import DB_FILE, Journal
from pixdesk.ui.kiosk import KioskGuard
from pixdesk.ui.main_window import MainWindow
from tests.conftest import MemoryKeyring
from tests.ui.driver import click, fill_answer, open_session, settle
from tests.ui.test_exam_flow import HUGO, start_exam


@pytest.fixture
def device(data_dir: Path) -> Iterator[DeviceJournal]:
    opened = DeviceJournal.open(data_dir, demo=True, facts={"mode": "demo"})
    yield opened
    opened.close()


def device_kinds(data_dir: Path, run_id: str) -> list[tuple[str, dict[str, object]]]:
    with Journal.open(device_dir(data_dir), demo=True) as journal:
        return [(e.kind, e.payload) for e in journal.events(run_id)]


def sit_whole_exam(qtbot: QtBot, win: MainWindow) -> list[Answer]:
    start_exam(qtbot, win, HUGO)
    given = []
    while win.controller.snapshot is not None and win.controller.snapshot.phase is Phase.RUNNING:
        item = win.controller.snapshot.item
        assert item is not None
        answer = model_answer(item)
        given.append(answer)
        fill_answer(qtbot, win, answer)
        click(qtbot, win.question.validate)
        settle(qtbot, win)
    return given


def test_a_system_change_is_in_the_device_journal_before_the_ledger_file(
    window: MainWindow, device: DeviceJournal, data_dir: Path, tmp_path: Path
) -> None:
    record = security_journal(window, device)
    state = tmp_path / "lockdown-state.json"
    ChangeLedger(state, record).record("keyboard_hook", {"hook": 1})
    assert state.is_file()
    guard = KioskGuard(QApplication.instance(), window, record, KioskSettings(), NullBackend())
    guard.start()
    guard.stop()
    kinds = [kind for kind, _ in device_kinds(data_dir, device.run_id)]
    assert kinds[:2] == ["device_run_started", "lockdown_change"]
    assert kinds[2:] == ["lockdown_started", "lockdown_stopped"]


def test_a_change_the_device_journal_cannot_record_is_not_made(
    window: MainWindow, device: DeviceJournal, data_dir: Path, tmp_path: Path
) -> None:
    record = security_journal(window, device)
    device.record("lockdown_warning", {"event": "probe"})
    connection = sqlite3.connect(device_dir(data_dir) / DB_FILE)
    with connection:
        connection.execute("DELETE FROM events WHERE seq = 2")
        connection.execute("UPDATE attempts SET head_seq = 1, head_hash = "
                           "(SELECT hash FROM events WHERE seq = 1)")
    connection.close()
    state = tmp_path / "lockdown-state.json"
    with pytest.raises(JournalError) as raised:
        ChangeLedger(state, record).record("keyboard_hook", {"hook": 1})
    assert raised.value.code == "journal.rollback"
    assert not state.exists()


def test_refused_secrets_are_in_the_device_journal_before_any_check_in(
    qtbot: QtBot, window: MainWindow, device: DeviceJournal, data_dir: Path
) -> None:
    security_journal(window, device)
    open_session(qtbot, window, code="ZZZZ99")
    qtbot.waitUntil(lambda: window.access_gate.available, timeout=10_000)
    open_session(qtbot, window, code=DEMO_ACCESS_CODE, password="not the password")
    refused = [p for k, p in device_kinds(data_dir, device.run_id) if k == "secret_refused"]
    assert refused == [{"gate": "opening", "failures": 1}, {"gate": "opening", "failures": 2}]
    raw = (device_dir(data_dir) / DB_FILE).read_bytes()
    assert b"ZZZZ99" not in raw and b"not the password" not in raw


def test_the_end_screen_shows_the_receipt_of_the_ended_event(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    sit_whole_exam(qtbot, window)
    final = window.controller.snapshot
    assert final is not None and final.phase is Phase.ENDED
    with Journal.open(data_dir, demo=True) as journal:
        ended = [e for e in journal.events(final.attempt_id) if e.kind == "ended"]
    expected = receipt_code(final.attempt_id, ended[0].hash.hex())
    assert final.receipt == expected
    label = window.end.receipt
    assert label is not None and label.isVisible()
    assert label.text() == f"Votre code de reçu : {expected}"
    assert str(final.result and final.result.get("score")) not in label.text()


def test_a_whole_exam_and_a_rehearsal_leave_no_secret_in_the_log(
    qtbot: QtBot, window: MainWindow, device: DeviceJournal, data_dir: Path, log_dir: Path,
    memory_keyring: MemoryKeyring, tmp_path: Path,
) -> None:
    path = logs.configure()
    assert path == log_dir / "pixdesk.log"
    security_journal(window, device)
    open_session(qtbot, window, password="WRONG-INVIGILATOR-XYZ")
    qtbot.waitUntil(lambda: window.access_gate.available, timeout=10_000)
    window.opening.code.clear()
    answers = sit_whole_exam(qtbot, window)
    assert main(["rehearse", "--answers", "correct", "--data-dir", str(tmp_path / "r")]) == 0
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "pixdesk.commands.rehearse: rehearsal rehearse-" in text, "the log was written"
    secrets = {DEMO_ACCESS_CODE, DEMO_INVIGILATOR_PASSWORD, "WRONG-INVIGILATOR-XYZ"}
    secrets |= {v for a in answers if isinstance(a, dict) for v in a.values() if len(v) >= 4}
    for stored in memory_keyring.secrets.values():
        raw = base64.b64decode(stored)
        secrets |= {stored, raw.hex()}
    found = [s for s in secrets if s in text]
    assert found == []



def test_the_demo_app_journals_its_run_from_start_to_exit(data_dir: Path, log_dir: Path) -> None:
    """In its own process, as a PC starts it (the app owns its QApplication and its loop)."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    demo = subprocess.run(
        [sys.executable, "-m", "pixdesk", "demo", "--windowed", "--quit-after", "0.5",
         "--data-dir", str(data_dir)], capture_output=True, text=True, env=env, timeout=120,
    )
    assert demo.returncode == 0, demo.stderr
    keyring.set_keyring(fail.Keyring())
    with Journal.open(device_dir(data_dir), demo=True, create=False) as journal:
        [run] = journal.attempts()
        events = journal.events(run.attempt_id)
    assert run.meta == {"kind": "device", "mode": "demo", "version": run.meta["version"],
                        "kiosk": False}
    assert [e.kind for e in events] == ["device_run_started", "device_run_ended"]
    assert events[-1].payload == {"exit_code": 0}
    verify = subprocess.run(
        [sys.executable, "-m", "pixdesk", "journal", "verify", "--data-dir", str(data_dir),
         "--lang", "en"], capture_output=True, text=True, env=env, timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"device journal — attempt {run.attempt_id}: 2 events, OK" in verify.stdout
    assert f"device journal run {run.attempt_id}" in (log_dir / "pixdesk.log").read_text()
