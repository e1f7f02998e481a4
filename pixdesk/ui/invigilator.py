"""The invigilator panel: every action on the attempt, behind the invigilator password.

The panel only asks; the controller runs each action through the attempt (and so the
journal) and the panel's history is read back from the attempt's own events.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, Signal
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

from pixdesk.engine.attempt import KIOSK_ALERT, Phase
from pixdesk.ui.desk import HistoryEntry, Snapshot
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.views import alert_category_label, clock_text
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
    "timed_item_started": QT_TRANSLATE_NOOP("History", "Question chronométrée commencée"),
    "incident_reported": QT_TRANSLATE_NOOP("History", "Incident signalé"),
    "clock_anomaly": QT_TRANSLATE_NOOP("History", "Anomalie d'horloge"),
    "app_restarted": QT_TRANSLATE_NOOP("History", "Redémarrage de l'application"),
    "ended": QT_TRANSLATE_NOOP("History", "Fin du test"),
    "alert_raised": QT_TRANSLATE_NOOP("History", "Problème signalé"),
    "alert_closed": QT_TRANSLATE_NOOP("History", "Signalement traité"),
}
ALERT_OUTCOMES: dict[str, object] = {
    "validated": QT_TRANSLATE_NOOP("History", "Signalement validé : question neutralisée"),
    "dismissed": QT_TRANSLATE_NOOP("History", "Signalement refusé : question maintenue"),
}
FOCUS_LOST = "focus_lost"
LOCK_REASONS: dict[str, object] = {
    FOCUS_LOST: QT_TRANSLATE_NOOP("LockReasons", "la fenêtre d'examen a perdu le focus"),
    "screen_change": QT_TRANSLATE_NOOP("LockReasons", "un écran a été branché ou débranché"),
    "prohibited_process": QT_TRANSLATE_NOOP("LockReasons", "un logiciel interdit est ouvert"),
    "remote_session": QT_TRANSLATE_NOOP("LockReasons", "une session à distance est active"),
    "invigilator": QT_TRANSLATE_NOOP("LockReasons", "verrouillage par le surveillant"),
    "screen_added": QT_TRANSLATE_NOOP("LockReasons", "un écran a été branché"),
    "screen_removed": QT_TRANSLATE_NOOP("LockReasons", "un écran a été débranché"),
    "heartbeat_missed": QT_TRANSLATE_NOOP(
        "LockReasons", "la surveillance de l'environnement sécurisé s'est interrompue"
    ),
    "window_hidden": QT_TRANSLATE_NOOP("LockReasons", "la fenêtre d'examen a été masquée"),
    "journal_write_failed": QT_TRANSLATE_NOOP(
        "LockReasons", "les réponses ne peuvent plus être enregistrées"
    ),
}
def lock_reason_text(reason: str) -> str:
    known = LOCK_REASONS.get(reason)
    return QCoreApplication.translate("LockReasons", str(known)) if known else reason


SECURITY_EVENTS: dict[str, object] = {
    "lockdown_started": QT_TRANSLATE_NOOP("History", "Mode examen activé"),
    "lockdown_stopped": QT_TRANSLATE_NOOP("History", "Mode examen désactivé"),
    "lockdown_key_blocked": QT_TRANSLATE_NOOP("History", "Raccourci clavier bloqué"),
    "lockdown_warning": QT_TRANSLATE_NOOP("History", "Avertissement de sécurité"),
    "lockdown_screens": QT_TRANSLATE_NOOP("History", "Écrans modifiés"),
    "lockdown_heartbeat_missed": QT_TRANSLATE_NOOP("History", "Surveillance interrompue"),
    "lockdown_capabilities": QT_TRANSLATE_NOOP("History", "Protections du poste modifiées"),
    "invigilator_password_refused": QT_TRANSLATE_NOOP(
        "History", "Mot de passe surveillant refusé"
    ),
    "second_sitting_authorised": QT_TRANSLATE_NOOP(
        "History", "Nouveau passage autorisé par le surveillant"
    ),
}
HISTORY_ROWS = 15


def alert_category_text(category: str) -> str:
    """A candidate's category in words; a kiosk alert as its lock reason."""
    if category.startswith(KIOSK_ALERT):
        return QCoreApplication.translate("Alerts", "Poste sécurisé : {0}").format(
            lock_reason_text(category[len(KIOSK_ALERT):])
        )
    return alert_category_label(category)


def event_wording(entry: HistoryEntry) -> str:
    """The invigilator's words for a journaled event, never its internal code."""
    if entry.kind == "security_event":
        known = SECURITY_EVENTS.get(entry.detail)
        if known:
            return QCoreApplication.translate("History", str(known))
        return QCoreApplication.translate("History", "Événement de sécurité")
    label = QCoreApplication.translate(
        "History", str(EVENT_LABELS.get(entry.kind, "Événement"))
    )
    if entry.kind == "lock_engaged" and entry.detail:
        return f"{label} : {lock_reason_text(entry.detail)}"
    if entry.kind == "alert_raised" and entry.detail:
        return f"{label} : {alert_category_text(entry.detail)}"
    if entry.kind == "alert_closed" and entry.detail in ALERT_OUTCOMES:
        return QCoreApplication.translate("History", str(ALERT_OUTCOMES[entry.detail]))
    if entry.kind == "time_extended" and entry.minutes:
        return QCoreApplication.translate("History", "Temps ajouté : {0} min").format(
            entry.minutes
        )
    return label


def console_tag(entry: HistoryEntry) -> str:
    """An action the room console sent reads as such, beside the same action typed here."""
    if not entry.from_console:
        return ""
    return QCoreApplication.translate("History", " (depuis la console)")


def history_lines(events: tuple[HistoryEntry, ...]) -> list[str]:
    """The latest events, newest first, heartbeats left out, each at its own local time."""
    lines = []
    for entry in reversed(events):
        if entry.kind == "heartbeat":
            continue
        at = QDateTime.fromMSecsSinceEpoch(entry.wall_ms).toString("HH:mm:ss")
        lines.append(f"{at} · {event_wording(entry)}{console_tag(entry)}")
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
    alert_validate_requested = Signal(str)
    alert_dismiss_requested = Signal(str)
    high_contrast_toggled = Signal(bool)
    quit_requested = Signal()
    next_candidate_requested = Signal()
    password_submitted = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        gate: SecretGate,
        sync_status: Callable[[], str],
        high_contrast: bool,
        room_status: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Espace surveillant"))
        self.setAccessibleName(self.tr("Espace surveillant"))
        self.setModal(True)
        self._sync_status = sync_status
        self._room_status = room_status
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
        self.time = text_label(role="subtitle")
        self.sync = text_label()
        self.room_link = text_label()
        if self._room_status is None:
            self.room_link.hide()
        self.error = text_label(role="error")
        self.error.setVisible(False)
        layout.addWidget(self.status)
        layout.addWidget(self.time)
        layout.addWidget(self.sync)
        layout.addWidget(self.room_link)
        layout.addWidget(self.error)
        grid = QGridLayout()
        self.authorise = self._button(self.tr("Autoriser le début / la reprise"))
        self.pause = self._button(self.tr("Mettre en pause"))
        self.unlock = self._button(self.tr("Déverrouiller (alerte levée)"))
        self.neutralise = self._button(self.tr("Neutraliser la question en cours"))
        self.end = self._button(self.tr("Terminer le test du candidat"))
        self.quit = self._button(self.tr("Quitter l'application"))
        self.next_candidate = self._button(self.tr("Candidat suivant"))
        self.next_candidate.setAccessibleDescription(
            self.tr("Ce test est terminé : installer le candidat suivant sur ce poste")
        )
        for index, button in enumerate(
            (self.authorise, self.pause, self.unlock, self.end, self.next_candidate,
             self.quit, self.neutralise)
        ):
            grid.addWidget(button, index // 2, index % 2)
        layout.addLayout(grid)
        self.alerts_title = text_label(self.tr("Signalements en attente"), "subtitle")
        self.alerts_box = QVBoxLayout()
        self.alert_rows: dict[str, tuple[QPushButton, QPushButton]] = {}
        layout.addWidget(self.alerts_title)
        layout.addLayout(self.alerts_box)
        self.alerts_title.setVisible(False)
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
        layout.addWidget(text_label(self.tr("Historique (heure · événement)")))
        self.history = QListWidget()
        self.history.setAccessibleName(self.tr("Historique de l'épreuve"))
        layout.addWidget(self.history, 1)
        self.close_button = self._button(self.tr("Fermer"))
        layout.addWidget(self.close_button)
        self.authorise.clicked.connect(self.authorise_requested)
        self.pause.clicked.connect(self.pause_requested)
        self.unlock.clicked.connect(self.unlock_requested)
        self.neutralise.clicked.connect(self._confirm_neutralise)
        self.next_candidate.clicked.connect(self.next_candidate_requested)
        self.extend.clicked.connect(lambda: self.extend_requested.emit(self.minutes.value()))
        self.end.clicked.connect(self._confirm_end)
        self.quit.clicked.connect(self.quit_requested)
        self.report.clicked.connect(self._report)
        self.contrast.toggled.connect(self.high_contrast_toggled)
        self.close_button.clicked.connect(self.accept)
        return page

    def _button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        return button

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    def focus_password(self) -> None:
        self.password.focus()

    def refuse_password(self, text: str) -> None:
        self.password.refuse(text)

    def open_actions(self, snapshot: Snapshot | None) -> None:
        self.pages.setCurrentIndex(1)
        self.show_snapshot(snapshot)
        self._focus_safe()

    def _focus_safe(self) -> None:
        """Focus goes to a harmless action, never to neutralise or end by accident."""
        for button in (self.authorise, self.pause, self.next_candidate, self.close_button):
            if button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def show_snapshot(self, snapshot: Snapshot | None) -> None:
        self.sync.setText(self.tr("Synchronisation : {0}").format(self._sync_status()))
        if self._room_status is not None:
            link = self.tr("Console de salle : {0}").format(self._room_status())
            self.room_link.setText(link)
            self.room_link.setAccessibleName(link)
        phase = snapshot.phase if snapshot else None
        focused = self.focusWidget()
        if snapshot is None:
            self.status.setText(self.tr("Aucun candidat installé sur ce poste."))
        else:
            self.status.setText(
                self.tr("{0} — {1} — question {2} / {3}").format(
                    snapshot.candidate_name or snapshot.attempt_id,
                    phase_label(snapshot.phase), snapshot.question_number, snapshot.length,
                )
            )
            extra = (
                self.tr(" — temps ajouté : {0} min").format(snapshot.extra_minutes)
                if snapshot.extra_minutes else ""
            )
            self.time.setText(
                self.tr("Temps restant : {0}").format(clock_text(snapshot.remaining_ms))
                + extra
            )
        self.time.setVisible(snapshot is not None and phase is not Phase.ENDED)
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
        self.next_candidate.setEnabled(phase is Phase.ENDED)
        self._show_alerts(snapshot)
        set_error(self.error, "")
        self.history.clear()
        if snapshot is not None:
            self.history.addItems(history_lines(snapshot.events))
        if isinstance(focused, QPushButton) and not focused.isEnabled():
            self._focus_safe()

    def show_error(self, text: str) -> None:
        set_error(self.error, text)

    def _show_alerts(self, snapshot: Snapshot | None) -> None:
        """One row per open alert, rebuilt only when the alerts change so a tick never
        takes the focus from a button."""
        alerts = snapshot.open_alerts if snapshot is not None else ()
        if [a.alert_id for a in alerts] == list(self.alert_rows):
            return
        while self.alerts_box.count():
            taken = self.alerts_box.takeAt(0)
            row = taken.widget() if taken is not None else None
            if row is not None:
                row.hide()
                row.deleteLater()
        self.alert_rows = {}
        current = snapshot.item.id if snapshot is not None and snapshot.item else None
        for alert in alerts:
            if alert.kiosk:
                where = ""
            elif alert.item_id == current:
                where = self.tr(" (question en cours)")
            else:
                where = self.tr(" (question déjà répondue)")
            text = alert_category_text(alert.category) + where
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = text_label(text)
            validate = self._button(self.tr("Valider"))
            validate.setAccessibleName(self.tr("Valider le signalement : {0}").format(text))
            validate.setAccessibleDescription(
                self.tr("La question est neutralisée et remplacée, le temps passé est rendu")
            )
            validate.setVisible(not alert.kiosk)
            dismiss = self._button(self.tr("Refuser") if not alert.kiosk else self.tr("Vu"))
            dismiss.setAccessibleName(
                self.tr("Refuser le signalement : {0}").format(text) if not alert.kiosk
                else self.tr("Alerte vue : {0}").format(text)
            )
            line.addWidget(label, 1)
            line.addWidget(validate)
            line.addWidget(dismiss)
            alert_id = alert.alert_id
            validate.clicked.connect(
                lambda _=False, a=alert_id, t=text: self._confirm_alert(a, t)
            )
            dismiss.clicked.connect(
                lambda _=False, a=alert_id: self.alert_dismiss_requested.emit(a)
            )
            self.alerts_box.addWidget(row)
            self.alert_rows[alert_id] = (validate, dismiss)
        self.alerts_title.setVisible(bool(alerts))

    def _confirm_alert(self, alert_id: str, text: str) -> None:
        dialog = ConfirmDialog(
            self,
            self.tr("Valider le signalement"),
            self.tr("Valider le signalement « {0} » ? La question sera neutralisée et "
                    "remplacée, et le temps passé dessus rendu au candidat.").format(text),
            self.tr("Valider le signalement"),
            self.tr("Annuler"),
        )
        dialog.accepted.connect(lambda: self.alert_validate_requested.emit(alert_id))
        dialog.open()
        self.alert_dialog = dialog

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

    def _confirm_neutralise(self) -> None:
        dialog = ConfirmDialog(
            self,
            self.tr("Neutraliser la question"),
            self.tr("Neutraliser la question en cours ? Elle ne comptera pas et sera "
                    "remplacée par une autre. À faire seulement si la question pose un "
                    "problème constaté."),
            self.tr("Neutraliser la question"),
            self.tr("Annuler"),
        )
        dialog.accepted.connect(self.neutralise_requested)
        dialog.open()
        self.neutralise_dialog = dialog

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
