"""Background delivery of the journal to the server while the exam window runs.

A ``SyncWorker`` lives in its own ``QThread`` (the shape of Spyder's update manager): a
timer on that thread polls the connectivity watcher, and when the server answers and
something is pending it runs one outbox pass. The exam never waits on the network, and the
journal writer thread is never blocked by it: the outbox opens its own connection to the
journal database. Only plain strings cross threads (see ``pixdesk.ui.worker``); the
UI-side ``SyncMonitor`` keeps the last one for the invigilator panel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QThread,
    QTimer,
    Signal,
    Slot,
)

from pixdesk.errors import PixdeskError, SyncError
from pixdesk.sync.client import RetryPolicy, SyncClient
from pixdesk.sync.device import DeviceIdentity
from pixdesk.sync.outbox import AttemptReport, Outbox, open_outbox
from pixdesk.sync.watcher import ConnectivityWatcher

log = logging.getLogger(__name__)

POLL_MS = 1000
UI_RETRY = RetryPolicy(tries=2, base_s=0.5, cap_s=2.0, max_retry_after_s=5.0)
"""Short: the watcher already backs off between passes, and closing the window waits for
the pass under way to end."""
UI_TIMEOUT = (3.0, 10.0)
_TRANSIENT = frozenset({"sync.unreachable", "sync.server_error"})

TEXTS: dict[str, object] = {
    "waiting": QT_TRANSLATE_NOOP("SyncStatus", "En attente du serveur…"),
    "synced": QT_TRANSLATE_NOOP("SyncStatus", "Synchronisé à {0}"),
    "offline": QT_TRANSLATE_NOOP("SyncStatus", "Hors ligne — {0} épreuves en attente"),
    "offline_one": QT_TRANSLATE_NOOP("SyncStatus", "Hors ligne — 1 épreuve en attente"),
    "offline_none": QT_TRANSLATE_NOOP("SyncStatus", "Hors ligne — rien en attente"),
    "error": QT_TRANSLATE_NOOP("SyncStatus", "Erreur : {0}"),
}


def _text(key: str) -> str:
    return QCoreApplication.translate("SyncStatus", str(TEXTS[key]))


def _ui_client(url: str, device: DeviceIdentity) -> SyncClient:
    return SyncClient(url, device, policy=UI_RETRY, timeout=UI_TIMEOUT)


class SyncWorker(QObject):
    """Runs on the sync thread only: opens the outbox there, polls, sends, reports."""

    status = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        server_url: str | None,
        *,
        allow_file_key: bool,
        lang: str,
        poll_ms: int = POLL_MS,
        clock: Callable[[], str] = lambda: time.strftime("%H:%M"),
    ) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._server_url = server_url
        self._allow_file_key = allow_file_key
        self._lang = lang
        self._poll_ms = poll_ms
        self._clock = clock
        self._resources = ExitStack()
        self._outbox: Outbox | None = None
        self._watcher: ConnectivityWatcher | None = None
        self._timer: QTimer | None = None

    @Slot()
    def begin(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(self._poll_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    @Slot()
    def finish(self) -> None:
        """Stop polling and close the outbox on this thread, then end the thread."""
        if self._timer is not None:
            self._timer.stop()
        self._resources.close()
        self._outbox = None
        thread = self.thread()
        thread.quit()

    @Slot()
    def poll(self) -> None:
        try:
            outbox, watcher = self._open()
            seen = watcher.poll()
            if not seen.probed:
                return
            if not seen.online:
                self._emit_offline(outbox)
            elif outbox.pending():
                self._report(outbox.sync_all())
            else:
                self.status.emit(_text("synced").format(self._clock()))
        except PixdeskError as error:
            self.status.emit(_text("error").format(error.message(self._lang)))
        except Exception as error:
            log.exception("unexpected failure in the sync worker")
            self.status.emit(_text("error").format(type(error).__name__))

    def _open(self) -> tuple[Outbox, ConnectivityWatcher]:
        """The outbox and its watcher, opened on first use; a failure is retried next poll
        (the journal may not exist yet while the window opens it)."""
        if self._outbox is None or self._watcher is None:
            self._outbox = self._resources.enter_context(open_outbox(
                self._data_dir, server_url=self._server_url,
                allow_file_key=self._allow_file_key, client=_ui_client,
            ))
            self._watcher = ConnectivityWatcher(self._outbox.client.reachable)
        return self._outbox, self._watcher

    def _emit_offline(self, outbox: Outbox) -> None:
        waiting = sum(1 for report in outbox.status() if not report.done)
        key = "offline_none" if waiting == 0 else "offline_one" if waiting == 1 else "offline"
        self.status.emit(_text(key).format(waiting))

    def _report(self, reports: list[AttemptReport]) -> None:
        errors = [report.error for report in reports if report.error is not None]
        transient = [e for e in errors if isinstance(e, SyncError) and e.code in _TRANSIENT]
        if transient:
            waiting = sum(1 for report in reports if not report.done)
            key = "offline_one" if waiting == 1 else "offline"
            self.status.emit(_text(key).format(waiting))
        elif errors:
            self.status.emit(_text("error").format(errors[0].message(self._lang)))
        else:
            self.status.emit(_text("synced").format(self._clock()))


class SyncMonitor(QObject):
    """The UI-side handle: starts the sync thread, keeps its last status, stops it on close."""

    changed = Signal(str)
    _finish = Signal()

    def __init__(
        self,
        data_dir: Path,
        server_url: str | None,
        *,
        allow_file_key: bool,
        lang: str,
        poll_ms: int = POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.text = _text("waiting")
        self._thread = QThread()
        self._thread.setObjectName("pixdesk-sync")
        self._worker = SyncWorker(
            data_dir, server_url, allow_file_key=allow_file_key, lang=lang, poll_ms=poll_ms
        )
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.begin)
        self._finish.connect(self._worker.finish)
        self._worker.status.connect(self._on_status)
        self._thread.finished.connect(self._worker.deleteLater)

    def start(self) -> None:
        self._thread.start()

    def status(self) -> str:
        return self.text

    def stop(self) -> None:
        """Let the pass under way end, close the outbox on its thread, wait for the thread."""
        if self._thread.isRunning():
            self._finish.emit()
            self._thread.wait()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    @Slot(str)
    def _on_status(self, text: str) -> None:
        self.text = text
        self.changed.emit(text)
