"""Drives the exam window the way a person does: keyboard and mouse on the real widgets."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pixdesk.demo import DEMO_ACCESS_CODE, DEMO_INVIGILATOR_PASSWORD
from pixdesk.engine.bank import Answer, ItemType
from pixdesk.ui.main_window import MainWindow


def settle(qtbot: QtBot, win: MainWindow) -> None:
    """Wait until the writer thread has run every posted job and its result is shown."""
    qtbot.waitUntil(lambda: win.background.pending == 0, timeout=10_000)


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a keyboard; QTest only knows ASCII keys, so other characters arrive as the
    key events an input method would send (no key code, the character as text)."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )


def open_session(qtbot: QtBot, win: MainWindow, code: str = DEMO_ACCESS_CODE,
                 password: str = DEMO_INVIGILATOR_PASSWORD) -> None:
    type_into(qtbot, win.opening.code, code)
    type_into(qtbot, win.opening.password, password)
    click(qtbot, win.opening.submit)
    settle(qtbot, win)


def check_in(qtbot: QtBot, win: MainWindow, last: str, first: str, birth: str) -> None:
    year, month, day = birth.split("-")
    view = win.check_in
    for edit, text in ((view.last_name, last), (view.first_name, first), (view.day, day),
                       (view.month, month), (view.year, year)):
        type_into(qtbot, edit, text)
    click(qtbot, view.submit)
    settle(qtbot, win)


def enter_password(qtbot: QtBot, win: MainWindow, field: QWidget, password: str) -> None:
    qtbot.waitUntil(lambda: win.password_gate.available, timeout=5_000)
    edit = field.edit  # type: ignore[attr-defined]
    type_into(qtbot, edit, password)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(qtbot, win)


def timed_not_started(win: MainWindow) -> bool:
    """The current question is timed and the candidate has not pressed "Commencer" (or its
    start was not journaled): the window must show its notice, not the question."""
    snapshot = win.controller.snapshot
    return snapshot is not None and snapshot.item is not None and not snapshot.item_started


def start_timed_question(qtbot: QtBot, win: MainWindow) -> None:
    """Press "Commencer" on a timed question's notice, as the candidate must first."""
    if win.stack.currentWidget() is win.timed_notice:
        click(qtbot, win.timed_notice.start)
        settle(qtbot, win)


def fill_answer(qtbot: QtBot, win: MainWindow, answer: Answer) -> None:
    start_timed_question(qtbot, win)
    form = win.question.form
    assert form is not None
    if form.item.type in (ItemType.QCU, ItemType.QCM):
        chosen = [answer] if isinstance(answer, int) else list(answer)  # type: ignore[arg-type]
        for index in chosen:
            button = form.choices[int(index) - 1]
            button.setFocus()
            qtbot.keyClick(button, Qt.Key.Key_Space)
    else:
        assert isinstance(answer, dict)
        for key, text in answer.items():
            type_into(qtbot, form.fields[key], text)
