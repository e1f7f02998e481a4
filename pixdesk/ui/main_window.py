"""The exam window: a bar (zoom, invigilator access) above one stack of screens.

The window lays out; ``ExamController`` drives. The kiosk guard talks to the window only
through ``lock(reason)``, the ``locked``/``unlocked`` signals and ``LockScreen``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pixdesk.bundle import ExamBundle
from pixdesk.exam import Clock
from pixdesk.invigilator import WrongTries
from pixdesk.ui import theme
from pixdesk.ui.controller import ExamController
from pixdesk.ui.desk import ExamDesk
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.theme import Look
from pixdesk.ui.views import (
    CheckInView,
    EndView,
    InstructionsView,
    LockScreen,
    OpeningView,
    PauseView,
    QuestionView,
    TimedNoticeView,
    WaitingView,
)
from pixdesk.ui.widgets import announce, text_label
from pixdesk.ui.worker import Background

log = logging.getLogger(__name__)


def wrong_tries(data_dir: Path) -> WrongTries | None:
    """The durable count of wrong passwords; without it (a data dir SQLite cannot write)
    the gates still wait, in memory, and the journal's own failure is shown on opening."""
    try:
        return WrongTries(data_dir)
    except sqlite3.Error as error:
        log.warning("wrong-password counts kept in memory only: %s", error)
        return None


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()
    first_painted = Signal()
    """Once, when the first frame of the window has been painted: what start-up is
    measured to (benchmarks/startup.py) and what ``--quit-after`` waits for."""

    def __init__(
        self,
        bundle: ExamBundle,
        data_dir: Path,
        *,
        kiosk: bool,
        look: Look,
        lang: str,
        sync_status: Callable[[], str] | None = None,
        clock: Clock | None = None,
        allow_file_key: bool = False,
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("PixDesk — certification Pix"))
        self.kiosk = kiosk
        self.look = look
        self.background = Background(self)
        tries = wrong_tries(data_dir)
        self.password_gate = SecretGate(self.background, self, tries=tries, name="invigilator")
        self.access_gate = SecretGate(self.background, self, tries=tries, name="opening")
        self.opening = OpeningView(bundle.session, self.access_gate)
        self.check_in = CheckInView(self.password_gate)
        self.waiting = WaitingView(self.password_gate)
        self.instructions = InstructionsView()
        self.timed_notice = TimedNoticeView()
        self.question = QuestionView()
        self.pause = PauseView(self.password_gate)
        self.lock_screen = LockScreen(self.password_gate)
        self.end = EndView()
        self.stack = QStackedWidget()
        for view in (
            self.opening, self.check_in, self.waiting, self.instructions,
            self.timed_notice, self.question, self.pause, self.lock_screen, self.end,
        ):
            self.stack.addWidget(view)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._bar())
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        for keys, action in (
            ("Ctrl+=", self.zoom_in),
            ("Ctrl++", self.zoom_in),
            ("Ctrl+-", self.zoom_out),
            ("Ctrl+Alt+Shift+S", lambda: self.controller.open_panel()),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(action)
        self.opening.high_contrast_toggled.connect(self.set_high_contrast)
        self.opening.contrast.setChecked(look.high_contrast)
        desk = ExamDesk(bundle.session, bundle.content, clock, allow_file_key=allow_file_key)
        self.controller: ExamController = ExamController(
            self, desk, data_dir, bundle.package.illustrations, lang=lang,
            sync_status=sync_status or (lambda: self.tr("Non synchronisé — hors ligne")),
        )
        self.allow_close = not kiosk
        self._painted = False

    def _bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 6, 12, 6)
        self.zoom_out_button = QPushButton("A−")
        self.zoom_out_button.setAccessibleName(self.tr("Réduire la taille du texte"))
        self.zoom_out_button.setToolTip(self.tr("Réduire la taille du texte (Ctrl+-)"))
        self.zoom_in_button = QPushButton("A+")
        self.zoom_in_button.setAccessibleName(self.tr("Agrandir le texte"))
        self.zoom_in_button.setToolTip(self.tr("Agrandir le texte (Ctrl+=)"))
        self.invigilator_button = QPushButton(self.tr("Surveillant"))
        self.invigilator_button.setProperty("role", "discreet")
        self.invigilator_button.setAccessibleName(self.tr("Espace surveillant"))
        for button in (self.zoom_out_button, self.zoom_in_button, self.invigilator_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.invigilator_button.clicked.connect(lambda: self.controller.open_panel())
        self.warning = text_label(role="notice")
        self.warning.setAccessibleName(self.tr("Avertissement de sécurité"))
        self.warning.hide()
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addStretch(1)
        bar.addWidget(self.warning)
        bar.addStretch(1)
        bar.addWidget(self.invigilator_button)
        return bar

    def show_warning(self, text: str) -> None:
        """A secure-environment warning that does not lock (e.g. a virtual machine): shown
        in words with a sign, never by colour alone, and announced."""
        self.warning.setText(f"⚠ {text}")
        self.warning.show()
        announce(self.warning, text)

    def show_view(self, view: QWidget) -> None:
        self.stack.setCurrentWidget(view)
        if view is self.opening:
            self.opening.code.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_progress(self, number: int, total: int) -> None:
        """The question number in the title too, where assistive tools and tests read it."""
        self.setWindowTitle(self.tr("PixDesk — Question {0} / {1}").format(number, total))

    def start(self) -> None:
        theme.apply(self._app(), self.look)
        self.controller.start()

    def lock(self, reason: str) -> None:
        """Engage the lock (journaled when an attempt is under way) and show the lock screen."""
        self.controller.lock(reason)

    def zoom_in(self) -> None:
        self.set_look(self.look.zoomed_in())

    def zoom_out(self) -> None:
        self.set_look(self.look.zoomed_out())

    def set_high_contrast(self, on: bool) -> None:
        self.set_look(Look(high_contrast=on, zoom=self.look.zoom))

    def set_look(self, look: Look) -> None:
        self.look = look
        theme.apply(self._app(), look)
        self.zoom_in_button.setEnabled(look.zoom < theme.ZOOM_STEPS[-1])
        self.zoom_out_button.setEnabled(look.zoom > theme.ZOOM_STEPS[0])

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            event.ignore()
            return
        self.controller.shut_down()
        event.accept()

    @staticmethod
    def _app() -> QApplication:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        return app
