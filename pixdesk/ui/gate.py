"""Throttling of secret checks: each wrong try doubles the wait, up to a minute.

A candidate left alone with the lock screen must not be able to try passwords quickly, so
every place that asks for the invigilator password shares one gate: 1 s after the first
wrong try, then 2, 4, 8… capped at 60 s (``pixdesk.invigilator.delay_after``). The wait is
enforced here (the check is not even run while it lasts) and its countdown is published for
the widgets to show. With a ``WrongTries`` store the count and the time of the last wrong
try are written (on the writer thread, with the check) before the refusal is shown, and read
back when the window opens: killing the app does not cut the wait short.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from pixdesk.invigilator import WrongTries, delay_after, seconds_left
from pixdesk.ui.worker import Background

__all__ = ["SecretGate", "delay_after"]


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class SecretGate(QObject):
    """Runs a secret check on the writer thread unless a wrong-try delay is running.

    ``changed`` fires when the gate becomes busy, blocked or free, and each second of a
    countdown; read ``seconds_left`` and ``available`` then. ``refused`` carries the number
    of consecutive wrong tries after each one.
    """

    changed = Signal()
    refused = Signal(int)

    def __init__(
        self,
        background: Background,
        parent: QObject | None = None,
        *,
        tries: WrongTries | None = None,
        name: str = "invigilator",
        clock_ms: Callable[[], int] = wall_clock_ms,
    ) -> None:
        super().__init__(parent)
        self._background = background
        self._tries = tries
        self._name = name
        self._clock_ms = clock_ms
        self.failures = 0
        self.seconds_left = 0
        self.checking = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)
        if tries is not None:
            known = tries.load(name)
            self.failures = known.failures
            self.seconds_left = seconds_left(known.failures, known.last_ms, clock_ms())
            if self.seconds_left > 0:
                self._countdown.start()

    @property
    def available(self) -> bool:
        return not self.checking and self.seconds_left == 0

    def attempt(
        self,
        check: Callable[[], bool],
        on_ok: Callable[[], None],
        on_refused: Callable[[], None],
    ) -> bool:
        """Start a check; False (and nothing run) while a previous one or a delay is on."""
        if not self.available:
            return False
        self.checking = True
        self.changed.emit()
        self._background.run(
            lambda: self._checked(check),
            lambda outcome: self._settle(outcome, on_ok, on_refused),
            lambda _error: self._settle(None, on_ok, on_refused),
        )
        return True

    def _checked(self, check: Callable[[], bool]) -> int:
        """On the writer thread: 0 when ``check`` passed, else the durable count of wrong
        tries so far (-1 without a store: the count is then kept in memory)."""
        ok = bool(check())
        if self._tries is None:
            return 0 if ok else -1
        if ok:
            self._tries.reset(self._name)
            return 0
        return self._tries.record_failure(self._name, self._clock_ms()).failures

    def _settle(
        self, outcome: int | None, on_ok: Callable[[], None], on_refused: Callable[[], None]
    ) -> None:
        self.checking = False
        if outcome == 0:
            self.failures = 0
            self.changed.emit()
            on_ok()
            return
        self.failures = outcome if outcome is not None and outcome > 0 else self.failures + 1
        self.seconds_left = delay_after(self.failures)
        self._countdown.start()
        self.changed.emit()
        self.refused.emit(self.failures)
        on_refused()

    def _count_down(self) -> None:
        self.seconds_left = max(0, self.seconds_left - 1)
        if self.seconds_left == 0:
            self._countdown.stop()
        self.changed.emit()
