"""The exam window when the disk fills up mid-exam (issue #20): the lock screen with the
reason and what to do — not "Unexpected error (OperationalError)" —, the lock in the
journal, nothing lost, and the same question back once the invigilator has freed space.

The data dir is on a real 8 MiB tmpfs filled by another writer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pixdesk.demo import DEMO_INVIGILATOR_PASSWORD
from pixdesk.engine.attempt import HEARTBEAT_MS, Phase
from pixdesk.engine.review import model_answer
from pixdesk.exam import WRITE_FAILED
from pixdesk.ui.main_window import MainWindow
from pixdesk.ui.theme import Look
from tests.conftest import SmallDisk
from tests.ui.conftest import SteerableClock, demo_bundle
from tests.ui.driver import (
    check_in,
    click,
    enter_password,
    fill_answer,
    open_session,
    settle,
    timed_not_started,
)


@pytest.fixture
def window_on_small_disk(
    qtbot: QtBot, small_disk: SmallDisk, clock: SteerableClock
) -> Iterator[MainWindow]:
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    win = MainWindow(demo_bundle(), data_dir, kiosk=True, look=Look(), lang="fr", clock=clock)
    qtbot.addWidget(win)
    win.resize(1100, 800)
    win.start()
    win.show()
    qtbot.waitUntil(lambda: win.controller.desk.journal is not None)
    yield win
    win.allow_close = True
    win.close()


def answer(qtbot: QtBot, win: MainWindow) -> None:
    form = win.question.form
    assert form is not None
    fill_answer(qtbot, win, model_answer(form.item))
    click(qtbot, win.question.validate)
    settle(qtbot, win)


def test_a_full_disk_locks_the_exam_window_with_the_reason_and_it_resumes(
    qtbot: QtBot, window_on_small_disk: MainWindow, small_disk: SmallDisk
) -> None:
    win = window_on_small_disk
    open_session(qtbot, win)
    check_in(qtbot, win, "Dubois", "hugo", "2008-11-02")
    enter_password(qtbot, win, win.waiting.password, DEMO_INVIGILATOR_PASSWORD)
    click(qtbot, win.instructions.start)
    settle(qtbot, win)
    for _ in range(2):
        answer(qtbot, win)
    snapshot = win.controller.snapshot
    assert snapshot is not None
    question, attempt_id = snapshot.question_number, snapshot.attempt_id

    small_disk.fill()
    answer(qtbot, win)
    assert win.stack.currentWidget() is win.lock_screen
    shown = win.lock_screen.reason.text()
    assert "les réponses ne peuvent plus être enregistrées" in shown
    assert "Disque plein" in shown and "Erreur inattendue" not in shown
    journal = win.controller.desk.journal
    assert journal is not None
    last = journal.events(attempt_id)[-1]
    assert (last.kind, last.payload["reason"]) == ("lock_engaged", WRITE_FAILED)

    enter_password(qtbot, win, win.lock_screen.password, DEMO_INVIGILATOR_PASSWORD)
    assert win.stack.currentWidget() is win.lock_screen
    assert "Disque plein" in win.lock_screen.password.message.text()

    small_disk.free()
    enter_password(qtbot, win, win.lock_screen.password, DEMO_INVIGILATOR_PASSWORD)
    assert win.stack.currentWidget() is (
        win.timed_notice if timed_not_started(win) else win.question)
    snapshot = win.controller.snapshot
    assert snapshot is not None and snapshot.question_number == question
    answer(qtbot, win)
    assert journal.verify().ok
    kinds = [e.kind for e in journal.events(attempt_id)]
    locked = kinds.index("lock_engaged")
    assert kinds.count("lock_engaged") == 1 and kinds[locked + 1] == "unlocked"
    assert kinds[locked + 2 :].count("answer_submitted") == 1


def test_a_heartbeat_that_cannot_be_written_locks_the_window_too(
    qtbot: QtBot, window_on_small_disk: MainWindow, small_disk: SmallDisk,
    clock: SteerableClock,
) -> None:
    """The candidate is thinking, not answering: the tick's heartbeat is the first write
    to fail, and it must lock just the same (its refusal used to be dropped)."""
    win = window_on_small_disk
    open_session(qtbot, win)
    check_in(qtbot, win, "Dubois", "hugo", "2008-11-02")
    enter_password(qtbot, win, win.waiting.password, DEMO_INVIGILATOR_PASSWORD)
    click(qtbot, win.instructions.start)
    settle(qtbot, win)
    journal = win.controller.desk.journal
    assert journal is not None
    journal.release_reserve()
    small_disk.fill()
    clock.advance(HEARTBEAT_MS + 1_000)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.lock_screen, timeout=10_000)
    assert "Disque plein" in win.lock_screen.reason.text()
    small_disk.free()
    qtbot.waitUntil(lambda: win.controller.snapshot is not None
                    and win.controller.snapshot.phase is Phase.LOCKED, timeout=10_000)
    enter_password(qtbot, win, win.lock_screen.password, DEMO_INVIGILATOR_PASSWORD)
    assert win.stack.currentWidget() is win.question
