"""The single writer thread: every journal open and every attempt intent runs here.

The UI thread must never wait on an fsync or a scrypt hash, so it hands each piece of work
to one ``JournalWorker`` living in its own ``QThread`` and gets the result back through a
signal, on its own thread (the shape of Anki's task manager and Spyder's update worker).
One worker, one queue: the journal's writes happen in the order the UI asked for them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from pixdesk.errors import PixdeskError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    """Work for the writer thread and what to do with its outcome on the UI thread."""

    run: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[PixdeskError], None] | None = None


class JournalWorker(QObject):
    """Runs jobs one after the other on the writer thread; never touches a widget."""

    finished = Signal(object, object)
    refused = Signal(object, object)

    @Slot(object)
    def execute(self, job: Job) -> None:
        try:
            result = job.run()
        except PixdeskError as error:
            self.refused.emit(job, error)
        except Exception as error:
            log.exception("unexpected failure in the journal worker")
            self.refused.emit(
                job,
                PixdeskError(
                    "ui.unexpected",
                    f"Erreur inattendue ({type(error).__name__}). Appelez le surveillant.",
                    f"Unexpected error ({type(error).__name__}). Call the invigilator.",
                ),
            )
        else:
            # Boxed: a bare None sent through a queued ``object`` signal is mis-counted by
            # shiboken and crashes the interpreter later.
            self.finished.emit(job, (result,))


class Background(QObject):
    """The UI-side handle of the writer thread: ``run`` posts a job, callbacks come back here.

    ``idle`` is emitted whenever the queue drains, so tests (and the tick) can wait for the
    journal to have caught up with every intent without sleeping.
    """

    _post = Signal(object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending = 0
        self._thread = QThread()
        self._thread.setObjectName("pixdesk-journal-writer")
        self._worker = JournalWorker()
        self._worker.moveToThread(self._thread)
        self._post.connect(self._worker.execute)
        self._worker.finished.connect(self._on_finished)
        self._worker.refused.connect(self._on_refused)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[PixdeskError], None] | None = None,
    ) -> None:
        self.pending += 1
        self._post.emit(Job(work, done, failed))

    def stop(self) -> None:
        """Let the queued jobs finish, then end the thread and wait for it."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    @Slot(object, object)
    def _on_finished(self, job: Job, boxed: tuple[Any]) -> None:
        try:
            if job.done is not None:
                job.done(boxed[0])
        finally:
            self._settle()

    @Slot(object, object)
    def _on_refused(self, job: Job, error: PixdeskError) -> None:
        try:
            if job.failed is not None:
                job.failed(error)
            else:
                log.warning("unhandled refusal: %s", error)
        finally:
            self._settle()

    def _settle(self) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.idle.emit()
