"""Accessibility: every item type by keyboard, visible focus, no clipping at 200 % with
longer strings, timer announcements, the English catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from pixdesk.engine.bank import Item, ItemType
from pixdesk.engine.matching import check
from pixdesk.engine.review import model_answer
from pixdesk.engine.status import AnswerStatus
from pixdesk.ui import i18n
from pixdesk.ui.gate import delay_after
from pixdesk.ui.main_window import MainWindow
from pixdesk.ui.theme import Look
from pixdesk.ui.views import QuestionView
from tests.ui.conftest import SteerableClock, demo_bundle
from tests.ui.driver import settle
from tests.ui.test_exam_flow import LEA, start_exam


def first_item(kind: ItemType) -> Item:
    return next(i for i in demo_bundle().package.items if i.type is kind)


def tab_chain(qtbot: QtBot, start: QWidget, stop: QWidget, limit: int = 40) -> list[QWidget]:
    """Widgets the Tab key visits from ``start`` until ``stop``."""
    start.window().activateWindow()
    qtbot.waitUntil(start.window().isActiveWindow)
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    visited = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        visited.append(widget)
        if widget is stop:
            break
    return visited


@pytest.mark.parametrize("kind", list(ItemType))
def test_every_item_type_is_answered_by_keyboard_alone(qtbot: QtBot, kind: ItemType) -> None:
    item = first_item(kind)
    view = QuestionView()
    qtbot.addWidget(view)
    view.show()
    view.show_item(item, None, 1, 32)
    form = view.form
    assert form is not None
    answer = model_answer(item)
    chain = tab_chain(qtbot, form.focus_widgets()[0], view.validate)
    assert chain[-1] is view.validate and view.skip in chain
    if kind is ItemType.QCU:
        target = form.choices[int(answer) - 1]  # type: ignore[arg-type]
        form.choices[0].setFocus()
        for _ in range(int(answer) - 1):  # type: ignore[arg-type]
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
        assert target.isChecked()
    elif kind is ItemType.QCM:
        assert all(b in chain for b in form.choices)
        for index in answer:  # type: ignore[union-attr]
            form.choices[int(index) - 1].setFocus()
            qtbot.keyClick(form.choices[int(index) - 1], Qt.Key.Key_Space)
    else:
        assert all(e in chain for e in form.fields.values())
        for key, text in answer.items():  # type: ignore[union-attr]
            form.fields[key].setFocus()
            qtbot.keyClicks(form.fields[key], text.encode("ascii", "ignore").decode() or "0")
        answer = form.answer()
    assert check(item, form.answer()) is AnswerStatus.OK or kind not in (
        ItemType.QCU, ItemType.QCM
    )
    for widget in form.focus_widgets():
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface.text(QAccessible.Text.Name)


def test_focus_is_visible_on_answers_and_buttons(qtbot: QtBot, window: MainWindow) -> None:
    item = first_item(ItemType.QCM)
    view = window.question
    window.show_view(view)
    view.show_item(item, None, 1, 32)
    assert view.form is not None
    for widget in (view.form.choices[0], view.validate):
        QApplication.focusWidget() and QApplication.focusWidget().clearFocus()  # type: ignore[union-attr]
        view.skip.setFocus()
        qtbot.waitUntil(lambda: view.skip.hasFocus())
        unfocused = widget.grab().toImage()
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        assert widget.grab().toImage() != unfocused


def clipped(root: QWidget) -> list[str]:
    """Labels and buttons whose text needs more room than the layout gave them."""
    problems = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text() or label.pixmap().width() > 0:
            continue
        width, height = label.width(), label.height()
        if label.wordWrap():
            needed = label.heightForWidth(width)
            if needed > height or label.minimumSizeHint().width() > width:
                problems.append(f"{label.text()[:40]!r}: {width}x{height}, needs h={needed}")
        elif label.sizeHint().width() > width or label.sizeHint().height() > height:
            problems.append(f"{label.text()[:40]!r}: {width}x{height} < {label.sizeHint()}")
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root) and button.text():
            hint = button.minimumSizeHint()
            if hint.width() > button.width() or hint.height() > button.height():
                problems.append(f"button {button.text()[:40]!r}: {button.size()} < {hint}")
    return problems


@pytest.fixture
def pseudo_translation() -> Iterator[None]:
    app = QCoreApplication.instance()
    assert app is not None
    translator = i18n.PseudoTranslator()
    app.installTranslator(translator)
    yield
    app.removeTranslator(translator)


def test_no_text_is_clipped_at_200_percent_with_longer_strings(
    qtbot: QtBot, data_dir: Path, clock: SteerableClock, pseudo_translation: None
) -> None:
    win = MainWindow(demo_bundle(), data_dir, kiosk=True, look=Look(zoom=200), lang="fr",
                     clock=clock)
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.start()
    win.show()
    qtbot.waitUntil(lambda: win.controller.desk.journal is not None)
    try:
        start_exam(qtbot, win, LEA)
        win.question.show_banner(win.tr("Plus que 5 minutes."))
        for view in (win.question, win.opening, win.check_in, win.waiting, win.instructions,
                     win.pause, win.lock_screen, win.end):
            win.show_view(view)
            QApplication.processEvents()
            assert not clipped(win), (type(view).__name__, clipped(win))
            assert "ÀÉÎ" in view.findChildren(QLabel)[0].text()
    finally:
        win.allow_close = True
        win.close()


def test_remaining_time_is_announced_at_15_5_and_1_minutes(
    qtbot: QtBot, window: MainWindow, clock: SteerableClock
) -> None:
    start_exam(qtbot, window, LEA)
    timer = window.question.timer
    for left, text in ((15, "Plus que 15 minutes."), (5, "Plus que 5 minutes."),
                       (1, "Plus qu'une minute.")):
        remaining = window.controller.snapshot.remaining_ms  # type: ignore[union-attr]
        clock.advance(remaining - left * 60_000 + 1_000)
        qtbot.waitUntil(lambda t=text: t in window.question.banner.text(), timeout=5_000)
        assert window.question.banner.isVisible()
        assert timer.accessibleName() == text
    settle(qtbot, window)


def test_wrong_tries_wait_longer_each_time_up_to_a_minute() -> None:
    assert [delay_after(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_english_catalogue_translates_the_screens(qtbot: QtBot, window: MainWindow) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    installed = i18n.install(app, "en")
    try:
        assert QCoreApplication.translate("OpeningView", "Ouvrir la session") == (
            "Open the session"
        )
        assert QCoreApplication.translate("QuestionView", "Je passe") == "Skip"
    finally:
        for translator in installed:
            app.removeTranslator(translator)


def test_every_focusable_widget_of_the_opening_screen_has_an_accessible_name(
    window: MainWindow,
) -> None:
    for widget in window.opening.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QAbstractButton) and widget.isVisibleTo(window):
            name = QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
            assert name, widget
