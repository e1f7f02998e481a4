"""The opening screen shown until the candidate screens land."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class DemoPlaceholder(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("PixDesk — démonstration"))
        title = QLabel(self.tr("PixDesk — session de démonstration"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setAccessibleName(self.tr("Titre"))
        note = QLabel(self.tr("Les écrans du candidat arrivent bientôt."))
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(note)
