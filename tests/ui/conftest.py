"""UI fixtures: the real exam window on a temp data dir, and a guard against leaked threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from pixdesk.bundle import ExamBundle
from pixdesk.demo import load_demo
from pixdesk.engine.timer import Instant
from pixdesk.exam import SystemClock
from pixdesk.ui.main_window import MainWindow
from pixdesk.ui.theme import Look


@cache
def demo_bundle() -> ExamBundle:
    return load_demo()


class SteerableClock:
    """The system clocks plus an offset a test can push forward (time up, announcements)."""

    def __init__(self) -> None:
        self._system = SystemClock()
        self._offset_ms = 0
        self._lock = threading.Lock()

    def advance(self, ms: int) -> None:
        with self._lock:
            self._offset_ms += ms

    def now(self) -> Instant:
        real = self._system.now()
        with self._lock:
            return Instant(real.mono_ms + self._offset_ms, real.wall_ms + self._offset_ms)


@pytest.fixture(autouse=True)
def no_thread_left_running(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that leaves a QThread running (napari's guard, for our writer)."""
    started: list[QThread] = []
    original = QThread.start

    def start(self: QThread, *args: object) -> None:
        started.append(self)
        original(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    leaked = [t.objectName() or repr(t) for t in started if t.isRunning()]
    for thread in started:
        if thread.isRunning():
            thread.quit()
            thread.wait()
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture
def clock() -> SteerableClock:
    return SteerableClock()


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, clock: SteerableClock) -> Iterator[MainWindow]:
    win = MainWindow(
        demo_bundle(), data_dir, kiosk=True, look=Look(), lang="fr", clock=clock
    )
    qtbot.addWidget(win)
    win.resize(1100, 800)
    win.start()
    win.show()
    qtbot.waitUntil(lambda: win.controller.desk.journal is not None)
    yield win
    win.allow_close = True
    win.close()
    assert not win.background.running
