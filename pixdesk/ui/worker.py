"""The single writer thread: every journal open and every attempt intent runs here.

The UI thread must never wait on an fsync or a scrypt hash, so it hands each piece of work
to one ``JournalWorker`` living in its own ``QThread`` and gets the result back through a
signal, on its own thread (the shape of Anki's task manager and Spyder's update worker).
One worker, one queue: the journal's writes happen in the order the UI asked for them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from pixdesk.errors import PixdeskError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Job:
    """Work for the writer thread and what to do with its outcome on the UI thread."""

    run: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[PixdeskError], None] | None = None
    result: Any = None
    error: PixdeskError | None = None


class JobBoard:
    """Jobs by number. Only the number crosses threads in a signal: Python objects sent
    through queued ``object`` signals are mis-counted by shiboken (None/True end up freed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[int, Job] = {}
        self._next = 0

    def pin(self, job: Job) -> int:
        with self._lock:
            self._next += 1
            self._jobs[self._next] = job
            return self._next

    def get(self, number: int) -> Job:
        with self._lock:
            return self._jobs[number]

    def take(self, number: int) -> Job:
        with self._lock:
            return self._jobs.pop(number)


class JournalWorker(QObject):
    """Runs jobs one after the other on the writer thread; never touches a widget."""

    finished = Signal(int)

    def __init__(self, board: JobBoard) -> None:
        super().__init__()
        self._board = board

    @Slot(int)
    def execute(self, number: int) -> None:
        job = self._board.get(number)
        try:
            job.result = job.run()
        except PixdeskError as error:
            job.error = error
        except Exception as error:
            log.exception("unexpected failure in the journal worker")
            job.error = PixdeskError(
                "ui.unexpected",
                f"Erreur inattendue ({type(error).__name__}). Appelez le surveillant.",
                f"Unexpected error ({type(error).__name__}). Call the invigilator.",
            )
        self.finished.emit(number)


class Background(QObject):
    """The UI-side handle of the writer thread: ``run`` posts a job, callbacks come back here.

    ``pending`` counts the jobs whose callbacks have not run yet, so tests (and the tick)
    can wait for the journal to have caught up with every intent without sleeping.
    """

    _post = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending = 0
        self._board = JobBoard()
        self._thread = QThread()
        self._thread.setObjectName("pixdesk-journal-writer")
        self._worker = JournalWorker(self._board)
        self._worker.moveToThread(self._thread)
        self._post.connect(self._worker.execute)
        self._worker.finished.connect(self._on_finished)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[PixdeskError], None] | None = None,
    ) -> None:
        self.pending += 1
        self._post.emit(self._board.pin(Job(work, done, failed)))

    def stop(self) -> None:
        """Let the queued jobs finish, then end the thread and wait for it."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    @Slot(int)
    def _on_finished(self, number: int) -> None:
        job = self._board.take(number)
        try:
            if job.error is None:
                if job.done is not None:
                    job.done(job.result)
            elif job.failed is not None:
                job.failed(job.error)
            else:
                log.warning("unhandled refusal: %s", job.error)
        finally:
            self.pending -= 1
