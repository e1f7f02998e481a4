"""A whole exam through the real widgets, and the refusals that must change nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pixdesk.demo import DEMO_ACCESS_CODE, DEMO_INVIGILATOR_PASSWORD
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.lockdown.null import NullBackend
from pixdesk.lockdown.policy import KioskSettings
from pixdesk.store.journal import Journal
from pixdesk.ui.kiosk import KioskGuard
from pixdesk.ui.main_window import MainWindow
from tests.ui.driver import (
    check_in,
    click,
    enter_password,
    fill_answer,
    open_session,
    settle,
    start_timed_question,
    timed_not_started,
)

HUGO = ("Dubois", "hugo", "2008-11-02")
LEA = ("MARTIN", "Lea", "2009-03-14")


def journal_event_count(data_dir: Path) -> int:
    with Journal.open(data_dir, demo=True) as journal:
        return sum(len(journal.events(a.attempt_id)) for a in journal.attempts())


def start_exam(qtbot: QtBot, win: MainWindow, who: tuple[str, str, str]) -> None:
    open_session(qtbot, win)
    assert win.stack.currentWidget() is win.check_in
    check_in(qtbot, win, *who)
    assert win.stack.currentWidget() is win.waiting, win.check_in.error.text()
    enter_password(qtbot, win, win.waiting.password, DEMO_INVIGILATOR_PASSWORD)
    assert win.stack.currentWidget() is win.instructions
    click(qtbot, win.instructions.start)
    settle(qtbot, win)
    assert win.stack.currentWidget() is win.question


def open_panel(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.keyClick(win, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = win.controller.panel
    assert panel is not None
    enter_password(qtbot, win, panel.password, DEMO_INVIGILATOR_PASSWORD)
    assert panel.unlocked


@pytest.fixture
def file_keys() -> None:
    """No usable keyring, as on a demo PC: the journal keeps its keys in a 0600 file, so a
    separate ``pixdesk journal verify`` process can read them."""
    keyring.set_keyring(fail.Keyring())


def test_full_exam_with_pause_lock_and_skip_leaves_a_verified_journal(
    file_keys: None, qtbot: QtBot, window: MainWindow, data_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    win = window
    guard = KioskGuard(QApplication.instance(), win, win.controller.record_security_event,
                       KioskSettings(), NullBackend())
    guard.start()
    request.addfinalizer(guard.stop)
    start_exam(qtbot, win, HUGO)
    snapshot = win.controller.snapshot
    assert snapshot is not None
    assert snapshot.limit_ms == 140 * 60_000
    assert "2 h 20 min" in win.instructions.duration.text()
    seen_types = set()
    answered = 0
    while win.controller.snapshot is not None and win.controller.snapshot.phase is Phase.RUNNING:
        start_timed_question(qtbot, win)
        snapshot = win.controller.snapshot
        item = snapshot.item
        assert item is not None
        assert win.question.progress.text() == f"Question {snapshot.question_number} / 32"
        seen_types.add(item.type)
        if answered == 3:
            click(qtbot, win.question.skip)
            dialog = win.controller.skip_dialog
            click(qtbot, dialog.yes)
        else:
            fill_answer(qtbot, win, model_answer(item) if answered % 3 else wrong_answer(item))
            click(qtbot, win.question.validate)
        settle(qtbot, win)
        answered += 1
        if answered == 5:
            open_panel(qtbot, win)
            panel = win.controller.panel
            assert panel is not None
            click(qtbot, panel.pause)
            settle(qtbot, win)
            assert win.stack.currentWidget() is win.pause
            click(qtbot, panel.authorise)
            settle(qtbot, win)
            assert win.stack.currentWidget() is (
                win.timed_notice if timed_not_started(win) else win.question)
            panel.accept()
        if answered == 8:
            with qtbot.waitSignal(win.locked, timeout=5_000):
                QGuiApplication.instance().applicationStateChanged.emit(  # type: ignore[union-attr]
                    Qt.ApplicationState.ApplicationInactive
                )
                settle(qtbot, win)
            assert win.controller.snapshot.phase is Phase.LOCKED  # type: ignore[union-attr]
            with qtbot.waitSignal(win.unlocked, timeout=5_000):
                enter_password(qtbot, win, win.lock_screen.password, DEMO_INVIGILATOR_PASSWORD)
            assert win.stack.currentWidget() is (
                win.timed_notice if timed_not_started(win) else win.question)
    final = win.controller.snapshot
    assert final is not None and final.phase is Phase.ENDED
    assert answered == 32
    assert len(seen_types) >= 3
    assert win.stack.currentWidget() is win.end
    kinds = [kind for kind, _ in final.history]
    for kind in ("paused", "resumed", "focus_lost", "lock_engaged", "unlocked", "ended"):
        assert kind in kinds
    assert kinds.count("lock_engaged") == 1
    guard.stop()
    win.allow_close = True
    win.close()
    with Journal.open(data_dir, demo=True) as journal:
        assert journal.verify().ok
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    verify = subprocess.run(
        [sys.executable, "-m", "pixdesk", "journal", "verify", "--data-dir", str(data_dir),
         "--allow-file-key"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_wrong_access_code_is_refused_in_french_and_records_nothing(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    open_session(qtbot, window, code="ZZZZ99")
    assert window.stack.currentWidget() is window.opening
    assert "Code d'accès ou mot de passe surveillant incorrect" in window.opening.error.text()
    assert window.opening.error.isVisible()
    assert journal_event_count(data_dir) == 0


def test_a_refused_opening_never_says_which_secret_was_right(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Issue #20: the screen said whether the access code alone was right."""
    shown = []
    for code, password in ((DEMO_ACCESS_CODE, "wrong password"),
                           ("ZZZZ99", DEMO_INVIGILATOR_PASSWORD), ("ZZZZ99", "wrong")):
        qtbot.waitUntil(lambda: window.access_gate.available, timeout=10_000)
        open_session(qtbot, window, code=code, password=password)
        assert window.stack.currentWidget() is window.opening
        shown.append(window.opening.error.text())
        window.opening.code.clear()
    assert shown[0] and shown.count(shown[0]) == 3


def test_unknown_candidate_is_refused_in_french_and_records_nothing(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    open_session(qtbot, window)
    check_in(qtbot, window, "Durand", "Paul", "2009-03-14")
    assert window.stack.currentWidget() is window.check_in
    assert "Aucun candidat" in window.check_in.error.text()
    assert journal_event_count(data_dir) == 0


def test_wrong_invigilator_password_is_refused_delayed_and_journaled(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    open_session(qtbot, window)
    check_in(qtbot, window, *LEA)
    before = journal_event_count(data_dir)
    enter_password(qtbot, window, window.waiting.password, "WRONG1")
    field = window.waiting.password
    assert "Mot de passe surveillant incorrect" in field.message.text()
    assert not field.button.isEnabled()
    assert "Nouvel essai possible dans 1 s" in field.wait.text()
    assert window.stack.currentWidget() is window.waiting
    qtbot.waitUntil(lambda: journal_event_count(data_dir) == before + 1, timeout=5_000)
    history = window.controller.snapshot.history  # type: ignore[union-attr]
    assert history[-1][0] == "security_event"
    enter_password(qtbot, window, field, "WRONG2")
    assert window.password_gate.seconds_left == 2
    enter_password(qtbot, window, field, DEMO_INVIGILATOR_PASSWORD)
    assert window.stack.currentWidget() is window.instructions


def test_time_running_out_while_typing_submits_the_draft(
    qtbot: QtBot, window: MainWindow, clock: object
) -> None:
    start_exam(qtbot, window, LEA)
    item = window.controller.snapshot.item  # type: ignore[union-attr]
    assert item is not None
    fill_answer(qtbot, window, model_answer(item))
    clock.advance(105 * 60_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.controller.snapshot.phase is Phase.ENDED,  # type: ignore[union-attr]
                    timeout=5_000)
    kinds = [k for k, _ in window.controller.snapshot.history]  # type: ignore[union-attr]
    assert kinds[-2:] == ["answer_submitted", "ended"]
    assert window.controller.snapshot.end_reason == "time_up"  # type: ignore[union-attr]
    assert window.stack.currentWidget() is window.end
