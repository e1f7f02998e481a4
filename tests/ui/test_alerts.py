"""Live alerts on the real window: the candidate reports, the PC's own panel decides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton
from pytestqt.qtbot import QtBot

from pixdesk.ui.main_window import MainWindow
from pixdesk.ui.views import ReportProblemDialog
from tests.ui.driver import click, settle, start_timed_question
from tests.ui.test_exam_flow import LEA, open_panel, start_exam


def on_question(qtbot: QtBot, win: MainWindow) -> None:
    start_exam(qtbot, win, LEA)
    start_timed_question(qtbot, win)
    assert win.stack.currentWidget() is win.question


def report_by_keyboard(qtbot: QtBot, win: MainWindow, downs: int) -> ReportProblemDialog:
    """Tab to "Signaler un problème", Space, arrows to the category, Tab to send, Space."""
    view = win.question
    view.validate.setFocus()
    qtbot.keyClick(view.validate, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.report
    qtbot.keyClick(view.report, Qt.Key.Key_Space)
    dialog = view.report_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QRadioButton))
    assert not dialog.send.isEnabled()
    radio = QApplication.focusWidget()
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    for _ in range(downs):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.send.isEnabled()
    dialog.send.setFocus()
    qtbot.keyClick(dialog.send, Qt.Key.Key_Space)
    settle(qtbot, win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return dialog


def test_the_candidate_reports_by_keyboard_and_is_told_the_invigilator_knows(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_question(qtbot, window)
    view = window.question
    assert view.report.accessibleName() == "Signaler un problème"
    item = window.controller.snapshot.item  # type: ignore[union-attr]
    dialog = report_by_keyboard(qtbot, window, downs=2)
    assert not dialog.isVisible()
    assert [r.text() for r in dialog.choices.buttons()] == [
        "L'image ne s'affiche pas", "L'application intégrée ne fonctionne pas",
        "Le lien ne fonctionne pas", "Autre problème"]
    snapshot = window.controller.snapshot
    assert snapshot is not None and item is not None
    (alert,) = snapshot.open_alerts
    assert (alert.category, alert.item_id) == ("link", item.id)
    assert view.report_status.isVisible()
    assert "surveillant" in view.report_status.text()
    assert not view.report.isEnabled()
    form = view.form
    assert form is not None and QApplication.focusWidget() in form.focus_widgets()
    assert window.stack.currentWidget() is view and view.validate.isEnabled()


def test_escape_cancels_the_report_and_nothing_is_journaled(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_question(qtbot, window)
    events = len(window.controller.snapshot.events)  # type: ignore[union-attr]
    click(qtbot, window.question.report)
    dialog = window.question.report_dialog
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    settle(qtbot, window)
    assert not dialog.isVisible()
    snapshot = window.controller.snapshot
    assert snapshot is not None and snapshot.alerts == ()
    assert len(snapshot.events) == events


def test_validated_in_the_panel_the_question_is_replaced_and_time_given_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_question(qtbot, window)
    before = window.controller.snapshot
    assert before is not None and before.item is not None
    report_by_keyboard(qtbot, window, downs=0)
    open_panel(qtbot, window)
    panel = window.controller.panel
    assert panel is not None
    (alert_id,) = panel.alert_rows
    validate, dismiss = panel.alert_rows[alert_id]
    assert validate.isVisible() and dismiss.text() == "Refuser"
    assert "L'image ne s'affiche pas" in validate.accessibleName()
    click(qtbot, validate)
    settle(qtbot, window)
    assert window.controller.snapshot.open_alerts  # type: ignore[union-attr]
    click(qtbot, panel.alert_dialog.yes)
    settle(qtbot, window)
    after = window.controller.snapshot
    assert after is not None and after.item is not None
    assert after.item.id != before.item.id and after.open_alerts == ()
    assert after.limit_ms > before.limit_ms
    assert panel.alert_rows == {} and not panel.alerts_title.isVisible()
    lines = [panel.history.item(n).text() for n in range(4)]
    assert any("Signalement validé" in line for line in lines), lines
    click(qtbot, panel.close_button)
    start_timed_question(qtbot, window)
    banner = (window.question.banner if window.stack.currentWidget() is window.question
              else window.timed_notice.banner)
    assert "Votre signalement a été validé : la question a été remplacée." in banner.text()
    assert window.question.report.isEnabled() and not window.question.report_status.isVisible()


def test_dismissed_the_question_stays_and_the_candidate_is_told(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_question(qtbot, window)
    before = window.controller.snapshot
    assert before is not None
    report_by_keyboard(qtbot, window, downs=3)
    open_panel(qtbot, window)
    panel = window.controller.panel
    assert panel is not None
    (_validate, dismiss) = next(iter(panel.alert_rows.values()))
    click(qtbot, dismiss)
    settle(qtbot, window)
    after = window.controller.snapshot
    assert after is not None and after.item == before.item
    assert after.limit_ms == before.limit_ms and after.open_alerts == ()
    click(qtbot, panel.close_button)
    window.controller.tick()
    settle(qtbot, window)
    assert window.question.banner.isVisible()
    assert ("Le surveillant a examiné votre signalement : la question est maintenue."
            in window.question.banner.text())
    assert window.question.report.isEnabled()


def test_a_kiosk_lock_raises_one_alert_the_invigilator_only_acknowledges(
    qtbot: QtBot, window: MainWindow
) -> None:
    on_question(qtbot, window)
    window.controller.lock("screen_added")
    settle(qtbot, window)
    snapshot = window.controller.snapshot
    assert snapshot is not None
    (alert,) = snapshot.open_alerts
    assert alert.category == "kiosk:screen_added" and alert.kiosk
    window.controller.lock("screen_added")
    settle(qtbot, window)
    assert len(window.controller.snapshot.alerts) == 1  # type: ignore[union-attr]
    open_panel(qtbot, window)
    panel = window.controller.panel
    assert panel is not None
    validate, seen = panel.alert_rows[alert.alert_id]
    assert not validate.isVisible() and seen.text() == "Vu"
    assert "écran" in seen.accessibleName()
    window.controller.validate_alert(alert.alert_id)
    settle(qtbot, window)
    assert panel.error.isVisible()
    assert "seulement" in panel.error.text()
    click(qtbot, seen)
    settle(qtbot, window)
    assert window.controller.snapshot.open_alerts == ()  # type: ignore[union-attr]
