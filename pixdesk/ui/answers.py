"""Answer widgets for every item type, built from the item and read back as an ``Answer``.

Choices are real radio buttons and check boxes (screen readers know them): Tab enters the
radio group and the arrows move inside it, while every check box is its own Tab stop. The
proposal text sits in a wrapping label beside a short lettered button, so long proposals
reflow at 200 % instead of being cut, and clicking the text works like clicking the button.
"""

from __future__ import annotations

import re
import string

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pixdesk.engine.bank import Answer, Blank, BlankFormat, BlankSolution, Item, ItemType
from pixdesk.ui.widgets import set_error, text_label

NUMBER_PATTERN = "[+-]?[0-9 \u00a0]*([.,][0-9]*)?"
CODE_LINE = re.compile(
    r"^\s*(for|if|elif|else|while|print|def|return)\b|\w\s*=\s*\S|^=|\w\(.*\)"
)
ARROWS_BACK = (Qt.Key.Key_Up, Qt.Key.Key_Left)
ARROWS_FORWARD = (Qt.Key.Key_Down, Qt.Key.Key_Right)


def looks_like_code(text: str) -> bool:
    """A block of program or formula text (no sentence ends, some code shape): it is set
    in a monospace font so indentation and symbols read as written."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or any(line.rstrip().endswith((".", "?", "!", "»")) for line in lines):
        return False
    return any(CODE_LINE.search(line) for line in lines)


class ProposalText(QLabel):
    """The wrapping text of a choice; a click on it toggles its button."""

    def __init__(self, text: str, button: QAbstractButton) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setBuddy(button)
        if looks_like_code(text):
            self.setProperty("role", "code")
        self._button = button

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._button.click()
            self._button.setFocus()
        super().mousePressEvent(event)


class AnswerForm(QWidget):
    """The answer area of one item; ``answer()`` gives what the candidate entered so far."""

    changed = Signal()
    submit_requested = Signal()

    def __init__(self, item: Item) -> None:
        super().__init__()
        self.item = item
        self.choices: list[QAbstractButton] = []
        self.fields: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if item.type in (ItemType.QCU, ItemType.QCM):
            layout.addLayout(self._build_choices(item))
        else:
            layout.addLayout(self._build_blanks(item))

    def _build_choices(self, item: Item) -> QGridLayout:
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        single = item.type is ItemType.QCU
        group = QButtonGroup(self) if single else None
        total = len(item.proposals)
        for index, proposal in enumerate(item.proposals):
            letter = string.ascii_uppercase[index]
            button: QAbstractButton = QRadioButton(letter) if single else QCheckBox(letter)
            button.setAccessibleName(f"{letter}. {proposal}")
            button.setAccessibleDescription(
                self.tr("Choix {0} sur {1}").format(index + 1, total)
            )
            button.toggled.connect(self._changed)
            if group is not None:
                group.addButton(button, index + 1)
                button.installEventFilter(self)
            self.choices.append(button)
            grid.addWidget(button, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(ProposalText(proposal, button), index, 1)
        return grid

    def _build_blanks(self, item: Item) -> QGridLayout:
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, blank in enumerate(blanks_of(item)):
            caption = blank.label or self.tr("Votre réponse")
            label = text_label(caption)
            edit = QLineEdit()
            edit.setAccessibleName(caption)
            label.setBuddy(edit)
            edit.returnPressed.connect(self.submit_requested)
            if blank.format is BlankFormat.NUMBER:
                edit.setPlaceholderText(self.tr("Nombre, par exemple 12,5"))
                edit.setAccessibleDescription(
                    self.tr("Réponse numérique : chiffres, virgule pour les décimales")
                )
                edit.setValidator(QRegularExpressionValidator(NUMBER_PATTERN, edit))
                edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
                hint = text_label(role="error")
                hint.setVisible(False)
                self._bind_number_hint(edit, hint)
                grid.addWidget(hint, 2 * row + 1, 1)
            else:
                edit.setAccessibleDescription(self.tr("Réponse libre"))
            edit.textChanged.connect(self._changed)
            self.fields[blank.key] = edit
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(edit, 2 * row, 1)
        return grid

    def _bind_number_hint(self, edit: QLineEdit, hint: QLabel) -> None:
        """A letter typed in a number field is refused in words, not silently dropped."""
        text = self.tr(
            "Ce champ n'accepte qu'un nombre : chiffres, virgule pour les décimales, "
            "signe moins. Le caractère tapé n'a pas été ajouté."
        )
        edit.inputRejected.connect(lambda: set_error(hint, text))
        edit.textEdited.connect(lambda _text: set_error(hint, ""))

    def _changed(self, *_args: object) -> None:
        self.changed.emit()

    def pick_by_key(self, event: QKeyEvent) -> bool:
        """A, B, C… pick the option of that letter (QCU: select; QCM: toggle). Never in a
        text field, which has none of these options."""
        if not self.choices or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        text = event.text().upper()
        if len(text) != 1 or text not in string.ascii_uppercase:
            return False
        index = string.ascii_uppercase.index(text)
        if index >= len(self.choices):
            return False
        button = self.choices[index]
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(button, QCheckBox):
            button.click()
        else:
            button.setChecked(True)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In a radio group the arrows move the selection, not just the focus (as in a
        browser's radio group), wrapping at the ends."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched in self.choices
            and event.key() in (*ARROWS_BACK, *ARROWS_FORWARD)
        ):
            step = -1 if event.key() in ARROWS_BACK else 1
            index = (self.choices.index(watched) + step) % len(self.choices)
            target = self.choices[index]
            target.setChecked(True)
            target.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)

    def focus_widgets(self) -> list[QWidget]:
        return [*self.choices, *self.fields.values()]

    def answer(self) -> Answer:
        """The raw answer in the engine's shape; empty choices stay empty for it to refuse."""
        if self.item.type is ItemType.QCU:
            picked = [i for i, b in enumerate(self.choices, 1) if b.isChecked()]
            return picked[0] if picked else ""
        if self.item.type is ItemType.QCM:
            return [i for i, b in enumerate(self.choices, 1) if b.isChecked()]
        return {key: edit.text() for key, edit in self.fields.items()}


def blanks_of(item: Item) -> tuple[Blank, ...]:
    """The blanks to show: the item's own, or one per solution key for a bare QROC."""
    if item.blanks:
        return item.blanks
    if isinstance(item.solution, BlankSolution):
        return tuple(Blank(key, "") for key in item.solution.accepted)
    return ()
