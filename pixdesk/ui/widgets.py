"""Small building blocks shared by the screens: labels with a role, scrolling pages, the
password field bound to the shared gate, and screen-reader announcements."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pixdesk.ui.gate import SecretGate


def text_label(text: str = "", role: str | None = None) -> QLabel:
    """A word-wrapping label, so a longer translation or a larger zoom reflows, never clips."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if role:
        label.setProperty("role", role)
    return label


def set_error(label: QLabel, text: str) -> None:
    """Show or clear an error; the ⚠ sign carries the meaning as well as the colour."""
    label.setText(f"⚠ {text}" if text else "")
    label.setVisible(bool(text))
    label.setAccessibleName(text)
    if text:
        announce(label, text, assertive=True)


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Tell assistive technology without moving the focus (WCAG 4.1.3 status messages)."""
    event = QAccessibleAnnouncementEvent(widget, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


class Page(QWidget):
    """A screen whose content scrolls when zoomed; ``header`` holds what must stay in sight
    (it sits above the scrolling area and never scrolls away)."""

    def __init__(self) -> None:
        super().__init__()
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setSpacing(14)
        self.body.setContentsMargins(32, 24, 32, 24)
        self.scroller.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = QVBoxLayout()
        self.header.setContentsMargins(32, 8, 32, 0)
        outer.addLayout(self.header)
        outer.addWidget(self.scroller, 1)

    def scroll_to_top(self) -> None:
        self.scroller.verticalScrollBar().setValue(0)


class PasswordField(QWidget):
    """The invigilator password entry: disabled and counting down while the gate waits."""

    submitted = Signal(str)

    def __init__(self, gate: SecretGate, caption: str, button_text: str) -> None:
        super().__init__()
        self._gate = gate
        self.caption = text_label(caption)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(caption)
        self.caption.setBuddy(self.edit)
        self.button = QPushButton(button_text)
        self.button.setProperty("role", "primary")
        self.button.setAccessibleName(button_text)
        self.message = text_label(role="error")
        self.message.setVisible(False)
        self.wait = text_label(role="notice")
        self.wait.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.wait)
        self.button.clicked.connect(self._submit)
        self.edit.returnPressed.connect(self._submit)
        gate.changed.connect(self._refresh)
        self._refresh()

    def refuse(self, text: str) -> None:
        self.edit.clear()
        set_error(self.message, text)

    def reset(self) -> None:
        self.edit.clear()
        set_error(self.message, "")

    def focus(self) -> None:
        self.edit.setFocus()

    def _submit(self) -> None:
        if self._gate.available:
            self.submitted.emit(self.edit.text())

    def _refresh(self) -> None:
        available = self._gate.available
        self.edit.setEnabled(available)
        self.button.setEnabled(available)
        seconds = self._gate.seconds_left
        self.wait.setVisible(seconds > 0)
        if seconds > 0:
            self.wait.setText(self.tr("Nouvel essai possible dans {0} s.").format(seconds))
        elif available and self.isVisible():
            self.edit.setFocus()


class PasswordScreen(Page):
    """A screen ending in the invigilator's password: what the controller may ask of it."""

    password: PasswordField

    def focus_password(self) -> None:
        self.password.focus()

    def reset_password(self) -> None:
        self.password.reset()

    def refuse_password(self, text: str) -> None:
        self.password.refuse(text)


class ConfirmDialog(QDialog):
    """A yes/no question that never blocks the event loop (opened with ``open()``)."""

    def __init__(self, parent: QWidget, title: str, text: str, yes: str, no: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        message = text_label(text)
        self.yes = QPushButton(yes)
        self.yes.setProperty("role", "primary")
        self.yes.setAccessibleName(yes)
        self.no = QPushButton(no)
        self.no.setAccessibleName(no)
        self.no.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.no)
        buttons.addStretch(1)
        buttons.addWidget(self.yes)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addLayout(buttons)
        self.yes.clicked.connect(self.accept)
        self.no.clicked.connect(self.reject)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
