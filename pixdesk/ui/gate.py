"""Throttling of secret checks: each wrong try doubles the wait, up to a minute.

A candidate left alone with the lock screen must not be able to try passwords quickly, so
every place that asks for the invigilator password shares one gate: 1 s after the first
wrong try, then 2, 4, 8… capped at 60 s. The wait is enforced here (the check is not even
run while it lasts) and its countdown is published for the widgets to show.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from pixdesk.ui.worker import Background

FIRST_DELAY_S = 1
MAX_DELAY_S = 60


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong tries."""
    if failures <= 0:
        return 0
    return int(min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - 1)))


class SecretGate(QObject):
    """Runs a secret check on the writer thread unless a wrong-try delay is running.

    ``changed`` fires when the gate becomes busy, blocked or free, and each second of a
    countdown; read ``seconds_left`` and ``available`` then.
    """

    changed = Signal()

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = background
        self.failures = 0
        self.seconds_left = 0
        self.checking = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)

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
            check,
            lambda ok: self._settle(bool(ok), on_ok, on_refused),
            lambda _error: self._settle(False, on_ok, on_refused),
        )
        return True

    def _settle(
        self, ok: bool, on_ok: Callable[[], None], on_refused: Callable[[], None]
    ) -> None:
        self.checking = False
        if ok:
            self.failures = 0
            self.changed.emit()
            on_ok()
            return
        self.failures += 1
        self.seconds_left = delay_after(self.failures)
        self._countdown.start()
        self.changed.emit()
        on_refused()

    def _count_down(self) -> None:
        self.seconds_left = max(0, self.seconds_left - 1)
        if self.seconds_left == 0:
            self._countdown.stop()
        self.changed.emit()
