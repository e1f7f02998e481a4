"""The invigilator panel: every action on the attempt, behind the invigilator password.

The panel only asks; the controller runs each action through the attempt (and so the
journal) and the panel's history is read back from the attempt's own events.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pixdesk.engine.attempt import Phase
from pixdesk.ui.desk import Snapshot
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.widgets import ConfirmDialog, PasswordField, set_error, text_label

INCIDENT_CATEGORIES: tuple[tuple[str, object], ...] = (
    ("candidate_information", QT_TRANSLATE_NOOP("Incidents", "Changement d'informations du "
                                                 "candidat (nom, date de naissance, temps)")),
    ("signature", QT_TRANSLATE_NOOP("Incidents", "Problème de signature")),
    ("fraud_suspicion", QT_TRANSLATE_NOOP("Incidents", "Suspicion de fraude")),
    ("technical_non_blocking", QT_TRANSLATE_NOOP("Incidents", "Incident technique non "
                                                  "bloquant")),
    ("candidate_non_blocking", QT_TRANSLATE_NOOP("Incidents", "Incident candidat non "
                                                  "bloquant")),
    ("E1", QT_TRANSLATE_NOOP("Incidents", "E1 — Problème sur le contenu de la question")),
    ("E2", QT_TRANSLATE_NOOP("Incidents", "E2 — Problème sur l'illustration")),
    ("E3", QT_TRANSLATE_NOOP("Incidents", "E3 — Problème sur la pièce jointe")),
    ("E4", QT_TRANSLATE_NOOP("Incidents", "E4 — Problème de lien")),
    ("E5", QT_TRANSLATE_NOOP("Incidents", "E5 — Problème de contenu intégré")),
    ("E8", QT_TRANSLATE_NOOP("Incidents", "E8 — Temps supplémentaire dépassé")),
    ("E9", QT_TRANSLATE_NOOP("Incidents", "E9 — Page lente ou figée")),
    ("E10", QT_TRANSLATE_NOOP("Incidents", "E10 — Perte de focus involontaire")),
    ("E11", QT_TRANSLATE_NOOP("Incidents", "E11 — Page d'erreur")),
    ("E12", QT_TRANSLATE_NOOP("Incidents", "E12 — Autre problème")),
)

EVENT_LABELS: dict[str, object] = {
    "attempt_started": QT_TRANSLATE_NOOP("History", "Candidat installé"),
    "authorised": QT_TRANSLATE_NOOP("History", "Début autorisé"),
    "began": QT_TRANSLATE_NOOP("History", "Test commencé"),
    "challenge_assigned": QT_TRANSLATE_NOOP("History", "Question posée"),
    "answer_submitted": QT_TRANSLATE_NOOP("History", "Réponse enregistrée"),
    "paused": QT_TRANSLATE_NOOP("History", "Pause"),
    "resumed": QT_TRANSLATE_NOOP("History", "Reprise"),
    "focus_lost": QT_TRANSLATE_NOOP("History", "Fenêtre quittée"),
    "lock_engaged": QT_TRANSLATE_NOOP("History", "Verrouillage"),
    "unlocked": QT_TRANSLATE_NOOP("History", "Déverrouillage"),
    "item_neutralised": QT_TRANSLATE_NOOP("History", "Question neutralisée"),
    "time_extended": QT_TRANSLATE_NOOP("History", "Temps ajouté"),
    "incident_reported": QT_TRANSLATE_NOOP("History", "Incident signalé"),
    "clock_anomaly": QT_TRANSLATE_NOOP("History", "Anomalie d'horloge"),
    "app_restarted": QT_TRANSLATE_NOOP("History", "Redémarrage de l'application"),
    "ended": QT_TRANSLATE_NOOP("History", "Fin du test"),
}
HISTORY_ROWS = 15


def history_lines(history: tuple[tuple[str, int], ...]) -> list[str]:
    """The latest events, newest first, heartbeats left out, with the exam time used."""
    lines = []
    for kind, used_ms in reversed(history):
        if kind == "heartbeat":
            continue
        minutes, seconds = divmod(used_ms // 1000, 60)
        label = QCoreApplication.translate("History", str(EVENT_LABELS.get(kind, kind)))
        lines.append(f"{minutes:02d}:{seconds:02d} · {label}")
        if len(lines) == HISTORY_ROWS:
            break
    return lines


class InvigilatorPanel(QDialog):
    authorise_requested = Signal()
    pause_requested = Signal()
    unlock_requested = Signal()
    neutralise_requested = Signal()
    extend_requested = Signal(int)
    end_requested = Signal()
    incident_requested = Signal(str, str)
    high_contrast_toggled = Signal(bool)
    quit_requested = Signal()
    password_submitted = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        gate: SecretGate,
        sync_status: Callable[[], str],
        high_contrast: bool,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Espace surveillant"))
        self.setAccessibleName(self.tr("Espace surveillant"))
        self.setModal(True)
        self._sync_status = sync_status
        self.pages = QStackedWidget()
        self.password = PasswordField(
            gate, self.tr("Mot de passe surveillant"), self.tr("Ouvrir l'espace surveillant")
        )
        gate_page = QWidget()
        gate_layout = QVBoxLayout(gate_page)
        gate_layout.addWidget(text_label(self.tr("Espace surveillant"), "title"))
        gate_layout.addWidget(self.password)
        gate_layout.addStretch(1)
        self.pages.addWidget(gate_page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._actions_page(high_contrast))
        self.pages.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.password.submitted.connect(self.password_submitted)
        self.resize(max(760, parent.width() * 9 // 10), max(640, parent.height() * 9 // 10))

    def _actions_page(self, high_contrast: bool) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.status = text_label(role="subtitle")
        self.sync = text_label()
        self.error = text_label(role="error")
        self.error.setVisible(False)
        layout.addWidget(self.status)
        layout.addWidget(self.sync)
        layout.addWidget(self.error)
        grid = QGridLayout()
        self.authorise = self._button(self.tr("Autoriser le début / la reprise"))
        self.pause = self._button(self.tr("Mettre en pause"))
        self.unlock = self._button(self.tr("Déverrouiller (alerte levée)"))
        self.neutralise = self._button(self.tr("Neutraliser la question en cours"))
        self.end = self._button(self.tr("Terminer le test du candidat"))
        self.quit = self._button(self.tr("Quitter l'application"))
        for index, button in enumerate(
            (self.authorise, self.pause, self.unlock, self.neutralise, self.end, self.quit)
        ):
            grid.addWidget(button, index // 2, index % 2)
        layout.addLayout(grid)
        extend_row = QHBoxLayout()
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setValue(5)
        self.minutes.setSuffix(" min")
        self.minutes.setMinimumWidth(self.minutes.fontMetrics().horizontalAdvance("120 min") * 2)
        self.minutes.setAccessibleName(self.tr("Minutes à ajouter"))
        self.extend = self._button(self.tr("Ajouter du temps"))
        extend_row.addWidget(self.minutes)
        extend_row.addWidget(self.extend, 1)
        layout.addLayout(extend_row)
        incident_row = QHBoxLayout()
        self.category = QComboBox()
        self.category.setAccessibleName(self.tr("Catégorie d'incident"))
        for code, label in INCIDENT_CATEGORIES:
            self.category.addItem(QCoreApplication.translate("Incidents", str(label)), code)
        self.incident_text = QLineEdit()
        self.incident_text.setAccessibleName(self.tr("Description de l'incident"))
        self.incident_text.setPlaceholderText(self.tr("Description de l'incident"))
        self.report = self._button(self.tr("Signaler l'incident"))
        incident_row.addWidget(self.incident_text, 1)
        incident_row.addWidget(self.report)
        layout.addWidget(self.category)
        layout.addLayout(incident_row)
        self.contrast = QCheckBox(self.tr("Contraste élevé"))
        self.contrast.setChecked(high_contrast)
        layout.addWidget(self.contrast)
        layout.addWidget(text_label(self.tr("Historique (temps d'épreuve · événement)")))
        self.history = QListWidget()
        self.history.setAccessibleName(self.tr("Historique de l'épreuve"))
        layout.addWidget(self.history, 1)
        close = self._button(self.tr("Fermer"))
        layout.addWidget(close)
        self.authorise.clicked.connect(self.authorise_requested)
        self.pause.clicked.connect(self.pause_requested)
        self.unlock.clicked.connect(self.unlock_requested)
        self.neutralise.clicked.connect(self.neutralise_requested)
        self.extend.clicked.connect(lambda: self.extend_requested.emit(self.minutes.value()))
        self.end.clicked.connect(self._confirm_end)
        self.quit.clicked.connect(self.quit_requested)
        self.report.clicked.connect(self._report)
        self.contrast.toggled.connect(self.high_contrast_toggled)
        close.clicked.connect(self.accept)
        return page

    def _button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        return button

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    def open_actions(self, snapshot: Snapshot | None) -> None:
        self.pages.setCurrentIndex(1)
        self.show_snapshot(snapshot)
        self.authorise.setFocus()

    def show_snapshot(self, snapshot: Snapshot | None) -> None:
        self.sync.setText(self.tr("Synchronisation : {0}").format(self._sync_status()))
        phase = snapshot.phase if snapshot else None
        if snapshot is None:
            self.status.setText(self.tr("Aucun candidat installé sur ce poste."))
        else:
            self.status.setText(
                self.tr("Épreuve {0} — état : {1} — question {2} / {3}").format(
                    snapshot.attempt_id, phase_label(snapshot.phase),
                    snapshot.question_number, snapshot.length,
                )
            )
        self.authorise.setEnabled(phase in (Phase.CHECKED_IN, Phase.PAUSED))
        self.pause.setEnabled(phase in (Phase.RUNNING, Phase.AUTHORISED))
        self.unlock.setEnabled(phase is Phase.LOCKED)
        self.neutralise.setEnabled(
            phase in (Phase.RUNNING, Phase.PAUSED, Phase.LOCKED)
            and snapshot is not None
            and snapshot.item is not None
        )
        active = phase not in (None, Phase.NEW, Phase.ENDED)
        self.end.setEnabled(active)
        self.extend.setEnabled(active)
        self.report.setEnabled(phase not in (None, Phase.NEW))
        self.quit.setEnabled(not active)
        set_error(self.error, "")
        self.history.clear()
        if snapshot is not None:
            self.history.addItems(history_lines(snapshot.history))

    def show_error(self, text: str) -> None:
        set_error(self.error, text)

    def _confirm_end(self) -> None:
        dialog = ConfirmDialog(
            self,
            self.tr("Terminer le test"),
            self.tr("Terminer définitivement le test de ce candidat ? Il ne pourra pas le "
                    "reprendre."),
            self.tr("Terminer le test"),
            self.tr("Annuler"),
        )
        dialog.accepted.connect(self.end_requested)
        dialog.open()
        self.end_dialog = dialog

    def _report(self) -> None:
        self.incident_requested.emit(
            str(self.category.currentData()), self.incident_text.text().strip()
        )
        self.incident_text.clear()


def phase_label(phase: Phase) -> str:
    labels = {
        Phase.NEW: QT_TRANSLATE_NOOP("Phases", "nouvelle"),
        Phase.CHECKED_IN: QT_TRANSLATE_NOOP("Phases", "candidat installé"),
        Phase.AUTHORISED: QT_TRANSLATE_NOOP("Phases", "début autorisé"),
        Phase.RUNNING: QT_TRANSLATE_NOOP("Phases", "en cours"),
        Phase.PAUSED: QT_TRANSLATE_NOOP("Phases", "en pause"),
        Phase.LOCKED: QT_TRANSLATE_NOOP("Phases", "verrouillée"),
        Phase.ENDED: QT_TRANSLATE_NOOP("Phases", "terminée"),
    }
    return QCoreApplication.translate("Phases", str(labels[phase]))
