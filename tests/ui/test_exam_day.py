"""The exam-day defects of issue 16, each through the real window: a finished candidate,
a timed question at zero, the invigilator panel, the end screen, keys and small wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pixdesk.demo import DEMO_INVIGILATOR_PASSWORD
from pixdesk.engine.attempt import Phase
from pixdesk.engine.bank import ItemType
from pixdesk.engine.review import model_answer
from pixdesk.engine.status import EndReason
from pixdesk.store.journal import Journal
from pixdesk.ui import desk as desk_module
from pixdesk.ui.invigilator import InvigilatorPanel
from pixdesk.ui.main_window import MainWindow
from pixdesk.ui.theme import Look
from pixdesk.ui.views import QuestionView
from tests.ui.conftest import SteerableClock, demo_bundle
from tests.ui.driver import check_in, click, enter_password, fill_answer, open_session, settle
from tests.ui.test_exam_flow import LEA, open_panel, start_exam


def journal_kinds(data_dir: Path) -> list[tuple[str, dict[str, object]]]:
    with Journal.open(data_dir, demo=True) as journal:
        return [(e.kind, e.payload)
                for a in journal.attempts() for e in journal.events(a.attempt_id)]


def end_by_invigilator(qtbot: QtBot, win: MainWindow) -> None:
    win.controller.act(lambda a, now: a.end(EndReason.INVIGILATOR, now))
    settle(qtbot, win)
    assert win.controller.snapshot is not None
    assert win.controller.snapshot.phase is Phase.ENDED


def test_a_finished_candidate_cannot_sit_again_after_a_restart_without_the_invigilator(
    qtbot: QtBot, window: MainWindow, data_dir: Path, clock: SteerableClock
) -> None:
    start_exam(qtbot, window, LEA)
    end_by_invigilator(qtbot, window)
    window.allow_close = True
    window.close()
    again = MainWindow(demo_bundle(), data_dir, kiosk=True, look=Look(), lang="fr", clock=clock)
    qtbot.addWidget(again)
    again.start()
    again.show()
    qtbot.waitUntil(lambda: again.controller.desk.journal is not None)
    try:
        before = journal_kinds(data_dir)
        open_session(qtbot, again)
        check_in(qtbot, again, *LEA)
        view = again.check_in
        assert again.stack.currentWidget() is view
        assert "déjà terminé son test" in view.error.text()
        assert view.second_sitting.isVisible()
        assert journal_kinds(data_dir) == before
        enter_password(qtbot, again, view.second_sitting, "WRONG1")
        assert again.stack.currentWidget() is view
        assert "incorrect" in view.second_sitting.message.text()
        enter_password(qtbot, again, view.second_sitting, DEMO_INVIGILATOR_PASSWORD)
        assert again.stack.currentWidget() is again.waiting
        events = journal_kinds(data_dir)
        overrides = [p for k, p in events if k == "security_event"
                     and p.get("what") == "second_sitting_authorised"]
        assert len(overrides) == 1
        assert overrides[0]["previous_attempt_id"] in {
            p["attempt_id"] for k, p in events if k == "attempt_started"
        }
        assert [k for k, _ in events].count("attempt_started") == 2
    finally:
        again.allow_close = True
        again.close()


def test_editing_a_refused_check_in_clears_the_old_error(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_session(qtbot, window)
    check_in(qtbot, window, "Durand", "Paul", "2009-03-14")
    view = window.check_in
    assert view.error.isVisible()
    qtbot.keyClicks(view.first_name, "e")
    assert not view.error.isVisible()


def test_birth_date_fields_say_when_they_refuse_a_letter(qtbot: QtBot, window: MainWindow) -> None:
    open_session(qtbot, window)
    view = window.check_in
    view.day.setFocus()
    qtbot.keyClicks(view.day, "1x")
    assert view.day.text() == "1"
    assert view.digits_only.isVisible()
    assert "chiffres" in view.digits_only.text()


def test_a_timed_question_is_announced_then_ends_itself_at_zero_as_an_error(
    qtbot: QtBot, window: MainWindow, clock: SteerableClock, monkeypatch: pytest.MonkeyPatch,
    data_dir: Path,
) -> None:
    monkeypatch.setattr(desk_module.secrets, "randbelow", lambda _n: 0)
    start_exam(qtbot, window, LEA)
    view = window.question
    for _ in range(2):
        snapshot = window.controller.snapshot
        assert snapshot is not None and snapshot.item is not None
        assert snapshot.item.timer is None
        fill_answer(qtbot, window, model_answer(snapshot.item))
        click(qtbot, view.validate)
        settle(qtbot, window)
    item = window.controller.snapshot.item  # type: ignore[union-attr]
    assert item is not None and item.timer is not None
    notice = window.timed_notice
    assert window.stack.currentWidget() is notice
    assert "Cette question est chronométrée : vous aurez" in notice.notice.text()
    assert "minute" in notice.notice.text() or "seconde" in notice.notice.text()
    assert notice.start.accessibleName() == "Commencer"
    assert item.prompt.split("\n\n")[0] not in " ".join(
        label.text() for label in notice.findChildren(type(notice.notice))
    )
    clock.advance(item.timer * 1000 + 500)
    window.controller.tick()
    settle(qtbot, window)
    assert window.stack.currentWidget() is notice
    assert "timed_item_started" not in [k for k, _ in journal_kinds(data_dir)]
    notice.start.setFocus()
    qtbot.keyClick(notice, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.stack.currentWidget() is view
    assert [k for k, _ in journal_kinds(data_dir)].count("timed_item_started") == 1
    assert view.item_timer.isVisible()
    assert "Question chronométrée" in view.item_timer.text()
    header = view.item_timer.mapTo(view, view.item_timer.rect().topLeft()).y()
    assert header < view.scroller.mapTo(view, view.scroller.rect().topLeft()).y()
    fill_answer(qtbot, window, model_answer(item))
    clock.advance(item.timer * 1000 + 500)
    qtbot.waitUntil(lambda: window.controller.snapshot.item.id != item.id,  # type: ignore[union-attr]
                    timeout=5_000)
    settle(qtbot, window)
    submitted = [p for k, p in journal_kinds(data_dir) if k == "answer_submitted"]
    assert submitted[-1]["item_id"] == item.id
    assert submitted[-1]["status"] == "timedout"
    shown = window.stack.currentWidget()
    banner = notice.banner if shown is notice else view.banner
    assert banner.isVisible()
    assert "temps de la question précédente est écoulé" in banner.text()


def test_the_end_screen_shows_no_score_and_says_the_answers_are_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    start_exam(qtbot, window, LEA)
    end_by_invigilator(qtbot, window)
    assert window.stack.currentWidget() is window.end
    shown = " ".join(
        label.text() for label in window.end.findChildren(type(window.end.reason))
        if label.isVisible()
    )
    assert "Pix" not in shown and "score" not in shown.lower()
    assert "Vos réponses sont enregistrées." in shown


def test_a_time_warning_during_a_timed_notice_is_said_there_not_left_on_the_question(
    qtbot: QtBot, window: MainWindow, clock: SteerableClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desk_module.secrets, "randbelow", lambda _n: 0)
    start_exam(qtbot, window, LEA)
    for _ in range(2):
        snapshot = window.controller.snapshot
        assert snapshot is not None and snapshot.item is not None
        fill_answer(qtbot, window, model_answer(snapshot.item))
        click(qtbot, window.question.validate)
        settle(qtbot, window)
    notice = window.timed_notice
    assert window.stack.currentWidget() is notice
    remaining = window.controller.snapshot.remaining_ms  # type: ignore[union-attr]
    clock.advance(remaining - 15 * 60_000 + 1_000)
    qtbot.waitUntil(lambda: "Plus que 15 minutes." in notice.banner.text(), timeout=5_000)
    assert notice.banner.isVisible()
    click(qtbot, notice.start)
    settle(qtbot, window)
    assert window.stack.currentWidget() is window.question
    assert "Plus que 15 minutes." not in window.question.banner.text()


def test_the_panel_names_the_candidate_times_each_event_and_offers_the_next_candidate(
    qtbot: QtBot, window: MainWindow, clock: SteerableClock
) -> None:
    start_exam(qtbot, window, LEA)
    open_panel(qtbot, window)
    panel = window.controller.panel
    assert panel is not None
    assert "Léa Martin" in panel.status.text()
    assert "Temps restant" in panel.time.text()
    panel.minutes.setValue(7)
    click(qtbot, panel.extend)
    settle(qtbot, window)
    assert "temps ajouté : 7 min" in panel.time.text()
    window.controller.lock("focus_lost")
    settle(qtbot, window)
    clock.advance(61_000)
    click(qtbot, panel.unlock)
    settle(qtbot, window)
    window.controller.lock("screen_added")
    settle(qtbot, window)
    lines = [panel.history.item(i).text() for i in range(panel.history.count())]
    assert not any("security_event" in line or "_" in line.split("·", 1)[1] for line in lines)
    assert any("Temps ajouté : 7 min" in line for line in lines)
    locks = [line for line in lines if "Verrouillage" in line]
    assert len(locks) == 2
    assert locks[0].split(" · ")[0] != locks[1].split(" · ")[0]
    assert any("un écran a été branché" in line for line in locks)
    now = QDateTime.currentDateTime().toString("HH:")
    assert all(line[2] == ":" for line in lines) and now
    assert not panel.next_candidate.isEnabled()
    click(qtbot, panel.unlock)
    settle(qtbot, window)
    end_by_invigilator(qtbot, window)
    assert panel.next_candidate.isEnabled()
    click(qtbot, panel.next_candidate)
    settle(qtbot, window)
    assert window.stack.currentWidget() is window.check_in
    assert window.check_in.last_name.text() == ""


def paused_from_the_panel(qtbot: QtBot, window: MainWindow) -> InvigilatorPanel:
    """Léa's test started, then paused with the keyboard from the unlocked panel."""
    start_exam(qtbot, window, LEA)
    open_panel(qtbot, window)
    panel = window.controller.panel
    assert panel is not None
    panel.pause.setFocus()
    qtbot.keyClick(panel.pause, Qt.Key.Key_Space)
    settle(qtbot, window)
    return panel


def test_neutralise_asks_first_and_pause_never_leaves_the_focus_on_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = paused_from_the_panel(qtbot, window)
    assert window.stack.currentWidget() is window.pause
    assert QApplication.focusWidget() is not panel.neutralise
    item = window.controller.snapshot.item  # type: ignore[union-attr]
    assert item is not None
    click(qtbot, panel.neutralise)
    settle(qtbot, window)
    assert window.controller.snapshot.item.id == item.id  # type: ignore[union-attr]
    dialog = panel.neutralise_dialog
    assert dialog.isVisible() and dialog.no.isDefault()
    click(qtbot, dialog.yes)
    settle(qtbot, window)
    assert window.controller.snapshot.item.id != item.id  # type: ignore[union-attr]
    click(qtbot, panel.authorise)
    settle(qtbot, window)
    assert window.question.banner.isVisible()
    assert "neutralisé" in window.question.banner.text()


def test_a_refused_invigilator_action_leaves_no_notice_for_the_candidate(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = paused_from_the_panel(qtbot, window)
    panel.extend_requested.emit(0)
    settle(qtbot, window)
    assert "positif" in panel.error.text()
    click(qtbot, panel.authorise)
    settle(qtbot, window)
    assert window.stack.currentWidget() is window.question
    assert "accordé" not in window.question.banner.text()
    panel.minutes.setValue(3)
    click(qtbot, panel.extend)
    settle(qtbot, window)
    assert "accordé 3 minutes" in window.question.banner.text()


def test_the_pause_screen_shows_the_time_left(qtbot: QtBot, window: MainWindow) -> None:
    start_exam(qtbot, window, LEA)
    window.controller.act(lambda a, now: a.pause(now))
    settle(qtbot, window)
    assert window.stack.currentWidget() is window.pause
    assert re.fullmatch(r"Temps restant : \d:\d\d:\d\d", window.pause.remaining.text())


def test_unlocking_a_stay_on_window_question_says_the_answer_now_counts_wrong(
    qtbot: QtBot, window: MainWindow
) -> None:
    start_exam(qtbot, window, LEA)
    snapshot = window.controller.snapshot
    assert snapshot is not None
    focused = next(i for i in demo_bundle().package.items if i.focused)
    left = desk_module.replace(snapshot, item=focused, item_focus_lost=True)
    window.controller.render(desk_module.replace(left, phase=Phase.LOCKED))
    assert window.stack.currentWidget() is window.lock_screen
    window.controller.render(left)
    assert window.stack.currentWidget() is window.question
    assert not window.question.banner.isHidden()
    assert "comptée comme fausse" in window.question.banner.text()


def item_of(kind: ItemType, *, code: bool = False) -> object:
    items = demo_bundle().package.items
    if code:
        return next(i for i in items if i.id == "c34-boucle-somme-3")
    return next(i for i in items if i.type is kind)


def test_enter_validates_and_letters_pick_options_but_not_in_a_text_field(
    qtbot: QtBot,
) -> None:
    view = QuestionView()
    qtbot.addWidget(view)
    view.show()
    qcm = item_of(ItemType.QCM)
    view.show_item(qcm, None, 1, 32)  # type: ignore[arg-type]
    form = view.form
    assert form is not None
    qtbot.keyClick(form.choices[0], Qt.Key.Key_B)
    assert form.choices[1].hasFocus() or not view.isActiveWindow()
    qtbot.keyClick(form.choices[1], Qt.Key.Key_C)
    assert form.answer() == [2, 3]
    with qtbot.waitSignal(view.validate_requested, timeout=1_000):
        qtbot.keyClick(form.choices[2], Qt.Key.Key_Return)
    qroc = item_of(ItemType.QROC)
    view.show_item(qroc, None, 2, 32)  # type: ignore[arg-type]
    field = next(iter(view.form.fields.values()))  # type: ignore[union-attr]
    qtbot.keyClicks(field, "ab")
    assert "ab" in field.text()
    with qtbot.waitSignal(view.validate_requested, timeout=1_000):
        qtbot.keyClick(field, Qt.Key.Key_Return)


def test_arrows_select_within_a_radio_group(qtbot: QtBot) -> None:
    view = QuestionView()
    qtbot.addWidget(view)
    view.show()
    view.show_item(item_of(ItemType.QCU), None, 1, 32)  # type: ignore[arg-type]
    form = view.form
    assert form is not None
    qtbot.keyClick(form.choices[0], Qt.Key.Key_Down)
    assert form.answer() == 2
    qtbot.keyClick(form.choices[1], Qt.Key.Key_Up)
    qtbot.keyClick(form.choices[0], Qt.Key.Key_Up)
    assert form.answer() == len(form.choices)


def test_code_is_set_in_a_monospace_role_and_number_fields_refuse_letters_visibly(
    qtbot: QtBot,
) -> None:
    view = QuestionView()
    qtbot.addWidget(view)
    view.show()
    view.show_item(item_of(ItemType.QCU, code=True), None, 1, 32)  # type: ignore[arg-type]
    roles = [label.property("role") for label in view.prompt.findChildren(type(view.timer))]
    assert "code" in roles and "prompt" in roles
    number_item = next(i for i in demo_bundle().package.items if i.id == "c12-taille-cle-4")
    view.show_item(number_item, None, 2, 32)
    field = next(iter(view.form.fields.values()))  # type: ignore[union-attr]
    qtbot.keyClicks(field, "70 ans")
    errors = [label for label in view.form.findChildren(type(view.timer))  # type: ignore[union-attr]
              if label.property("role") == "error" and not label.isHidden()]
    assert errors and "n'accepte qu'un nombre" in errors[0].text()


def test_a_new_question_starts_scrolled_to_the_top_with_the_header_pinned(
    qtbot: QtBot,
) -> None:
    window = QuestionView()
    qtbot.addWidget(window)
    window.resize(700, 300)
    window.show()
    from pixdesk.ui import theme
    theme.apply(QApplication.instance(), Look(zoom=200))  # type: ignore[arg-type]
    try:
        items = [i for i in demo_bundle().package.items if i.type is ItemType.QCM][:2]
        window.show_item(items[0], None, 1, 32)
        bar = window.scroller.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0)
        bar.setValue(bar.maximum())
        window.show_item(items[1], None, 2, 32)
        assert bar.value() == 0
        assert window.progress.isVisible() and window.timer.isVisible()
        assert window.progress.parentWidget() is window
    finally:
        theme.apply(QApplication.instance(), Look())  # type: ignore[arg-type]


def test_the_demo_opening_screen_lists_its_candidates(window: MainWindow) -> None:
    text = window.opening.demo_candidates.text()
    for candidate in demo_bundle().session.candidates:
        assert candidate.last_name in text and candidate.first_name in text
