"""The invigilator's room console window (``pixdesk room``): every candidate, live, and the
commands of Pix's "espace surveillant" sent over the LAN.

``RoomConsole`` (Qt-free, ``pixdesk.room.console``), or ``RemoteRoomConsole`` attached to the
central server's room hub (``pixdesk.room.remote``), runs on its own thread with its own
asyncio loop (``ConsoleThread``). Every 200 ms that thread publishes an immutable
``RoomView``; the window reads the latest one from a ``QTimer`` on the Qt thread, so no Qt
object is touched off its thread and no room state is read while the loop changes it.
Commands go the other way through ``asyncio.run_coroutine_threadsafe``; their signed acks
come back in the next views. Names come from the session file: statuses carry ids only.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pixdesk.errors import PixdeskError
from pixdesk.invigilator import WrongTries
from pixdesk.room import commands
from pixdesk.room.commands import ALL, MAX_ADDED_MINUTES, MAX_TEXT
from pixdesk.room.console import RoomConsole
from pixdesk.room.keys import RoomError, unlock_command_key
from pixdesk.room.remote import RemoteRoomConsole
from pixdesk.room.status import APPLIED, Status
from pixdesk.session import Session
from pixdesk.ui import theme
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.invigilator import INCIDENT_CATEGORIES, lock_reason_text
from pixdesk.ui.theme import Look
from pixdesk.ui.views import clock_text
from pixdesk.ui.widgets import ConfirmDialog, Page, PasswordField, announce, text_label
from pixdesk.ui.worker import Background

PUBLISH_S = 0.2
REFRESH_MS = 250
SILENT_MS = 15_000
"""A connected PC sends a status at least every 5 s: three missed, the line says so before
the link's pings give it up for lost."""
GATE = "room_console"
"""The wrong-try counter of the console's password prompt (``invigilator-tries.db``)."""
VALIDATE_ALERT = "validate_alert"
DISMISS_ALERT = "dismiss_alert"
KIOSK_ROLE = Qt.ItemDataRole.UserRole + 1


def _mono_ms() -> int:
    return time.monotonic_ns() // 1_000_000


# --- The console's thread ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentView:
    """A command as sent, and the acks received for it so far (device → (result, code))."""

    command: str
    target: str
    delivered: tuple[str, ...]
    acks: Mapping[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class RoomView:
    """What the console knew at one moment; ``seen_ms`` is when (monotonic) the console
    first held each PC's current status, from which the window counts time down."""

    statuses: Mapping[str, Status] = field(default_factory=dict)
    seen_ms: Mapping[str, int] = field(default_factory=dict)
    connected: frozenset[str] = frozenset()
    sent: Mapping[str, SentView] = field(default_factory=dict)
    refusals: int = 0
    hub_joined: bool = False
    """Attached to the server's room hub now (a console attached to one only)."""
    hub_refusal: str = ""
    """Why the hub last refused to attach this console (``room.unknown_session``,
    ``room.stale``, ``room.bad_signature``…)."""


class ConsoleThread:
    """The console on a thread of its own: ``start`` returns once it listens (or raises
    ``room.port_busy``), or at once for one attached to a hub (it attaches by itself);
    ``view`` is the latest published state, ``send`` signs and sends."""

    def __init__(self, console: RoomConsole | RemoteRoomConsole, *,
                 publish_s: float = PUBLISH_S) -> None:
        self.console = console
        self._publish_s = publish_s
        self._lock = threading.Lock()
        self._view = RoomView()
        self._seen: dict[str, tuple[int, int]] = {}
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="pixdesk-room-console",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            port = self.console.port
            raise RoomError(
                "room.port_busy",
                f"La console ne peut pas écouter sur le port {port} ({self._error}) : une "
                "autre console est-elle ouverte ? Fermez-la ou choisissez --port.",
                f"The console cannot listen on port {port} ({self._error}): is another "
                "console open? Close it or choose --port.") from self._error

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and self._thread.is_alive():
            loop.call_soon_threadsafe(stop.set)
        self._thread.join()

    def view(self) -> RoomView:
        with self._lock:
            return self._view

    def send(self, command: str, target: str = ALL,
             args: Mapping[str, Any] | None = None) -> concurrent.futures.Future[str]:
        """The nonce of the signed command once sent (its acks arrive in later views)."""
        assert self._loop is not None

        async def signed() -> str:
            sent = await self.console.send(command, target, args)
            self._publish()
            return sent.command.nonce

        return asyncio.run_coroutine_threadsafe(signed(), self._loop)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:
            await self.console.start()
        except OSError as error:
            self._error = error
            return
        finally:
            self._ready.set()
        try:
            while not self._stop.is_set():
                self._publish()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self._publish_s)
        finally:
            await self.console.stop()

    def _publish(self) -> None:
        """Copy the console's state (on its loop, where it changes) into a frozen view."""
        console, now = self.console, _mono_ms()
        statuses = dict(console.room)
        for device, status in statuses.items():
            known = self._seen.get(device)
            if known is None or known[0] != status.seq:
                self._seen[device] = (status.seq, now)
        sent = {
            nonce: SentView(s.command.command, s.command.target, s.delivered,
                            {d: (a.result, a.code) for d, a in s.acks.items()})
            for nonce, s in console.sent.items()
        }
        remote = console if isinstance(console, RemoteRoomConsole) else None
        view = RoomView(statuses, {d: self._seen[d][1] for d in statuses},
                        console.connected, sent, len(console.refusals),
                        hub_joined=remote is not None and remote.joined,
                        hub_refusal=remote.hub_refusal or "" if remote is not None else "")
        with self._lock:
            self._view = view


# --- Words ---------------------------------------------------------------------------------

STATE_LABELS: dict[str, object] = {
    "not_arrived": QT_TRANSLATE_NOOP("RoomConsole", "Non arrivé"),
    "checked_in": QT_TRANSLATE_NOOP("RoomConsole", "Installé, attend l'autorisation"),
    "authorised": QT_TRANSLATE_NOOP("RoomConsole", "Autorisé à commencer"),
    "running": QT_TRANSLATE_NOOP("RoomConsole", "En cours {0} / {1}"),
    "paused": QT_TRANSLATE_NOOP("RoomConsole", "En pause"),
    "locked": QT_TRANSLATE_NOOP("RoomConsole", "Verrouillé : {0}"),
    "finished": QT_TRANSLATE_NOOP("RoomConsole", "Terminé"),
    "ended_by_invigilator": QT_TRANSLATE_NOOP("RoomConsole", "Terminé par le surveillant"),
}
ALERT_LABELS: dict[str, object] = {
    "image": QT_TRANSLATE_NOOP("RoomConsole", "problème d'image"),
    "embedded": QT_TRANSLATE_NOOP("RoomConsole", "problème d'application intégrée"),
    "link": QT_TRANSLATE_NOOP("RoomConsole", "problème de lien"),
    "other": QT_TRANSLATE_NOOP("RoomConsole", "autre problème"),
    "kiosk:focus_lost": QT_TRANSLATE_NOOP("RoomConsole", "poste : fenêtre d'examen quittée"),
    "kiosk:screen_added": QT_TRANSLATE_NOOP("RoomConsole", "poste : écran branché"),
    "kiosk:screen_removed": QT_TRANSLATE_NOOP("RoomConsole", "poste : écran débranché"),
    "kiosk:prohibited_process": QT_TRANSLATE_NOOP("RoomConsole",
                                                  "poste : logiciel interdit lancé"),
    "kiosk:remote_session": QT_TRANSLATE_NOOP("RoomConsole", "poste : session à distance"),
    "kiosk:heartbeat_missed": QT_TRANSLATE_NOOP("RoomConsole",
                                                "poste : surveillance interrompue"),
    "kiosk:window_hidden": QT_TRANSLATE_NOOP("RoomConsole",
                                             "poste : fenêtre d'examen masquée"),
}
COMMAND_LABELS: dict[str, object] = {
    commands.AUTHORISE_START: QT_TRANSLATE_NOOP("RoomConsole", "Autoriser le début"),
    commands.AUTHORISE_RESUME: QT_TRANSLATE_NOOP("RoomConsole", "Autoriser la reprise"),
    commands.PAUSE: QT_TRANSLATE_NOOP("RoomConsole", "Pause"),
    commands.RESUME: QT_TRANSLATE_NOOP("RoomConsole", "Reprise"),
    commands.ADD_TIME: QT_TRANSLATE_NOOP("RoomConsole", "Temps ajouté"),
    commands.NEUTRALISE: QT_TRANSLATE_NOOP("RoomConsole", "Neutralisation"),
    commands.END_TEST: QT_TRANSLATE_NOOP("RoomConsole", "Fin du test"),
    commands.RECORD_INCIDENT: QT_TRANSLATE_NOOP("RoomConsole", "Incident"),
    VALIDATE_ALERT: QT_TRANSLATE_NOOP("RoomConsole", "Alerte validée"),
    DISMISS_ALERT: QT_TRANSLATE_NOOP("RoomConsole", "Alerte refusée"),
}

REFUSALS: dict[str, object] = {
    "attempt.invalid_state": QT_TRANSLATE_NOOP("RoomConsole", "pas possible à ce stade du test"),
    "room.not_current_item": QT_TRANSLATE_NOOP("RoomConsole", "autre question à l'écran"),
    "room.stale": QT_TRANSLATE_NOOP("RoomConsole", "horloges du poste et de la console "
                                    "décalées"),
    "room.replay": QT_TRANSLATE_NOOP("RoomConsole", "commande déjà reçue"),
    "room.bad_signature": QT_TRANSLATE_NOOP("RoomConsole", "signature refusée"),
    "room.unknown_command": QT_TRANSLATE_NOOP("RoomConsole", "commande inconnue du poste"),
    "room.ledger_unwritable": QT_TRANSLATE_NOOP("RoomConsole", "le poste ne peut pas "
                                                "l'enregistrer"),
}
"""The PC's refusal codes the invigilator meets most, in words (the code follows)."""


def refusal_text(code: str) -> str:
    known = REFUSALS.get(code)
    return f"{_tr(known)} [{code}]" if known is not None else code


def _tr(text: object) -> str:
    return QCoreApplication.translate("RoomConsole", str(text))


def state_text(status: Status | None) -> str:
    """The status tag: what the PC's exam is at, in the invigilator's words."""
    if status is None:
        return _tr(STATE_LABELS["not_arrived"])
    pc = status.pc
    label = _tr(STATE_LABELS[pc.state])
    if pc.state == "running":
        label = label.format(pc.answered, pc.total)
    elif pc.state == "locked":
        label = label.format(lock_reason_text(pc.lock_reason) or "?")
    if getattr(pc, "unsynced", False):
        label += " · " + _tr(QT_TRANSLATE_NOOP("RoomConsole", "non synchronisé"))
    return label


def remaining_ms(status: Status, seen_ms: int, now_ms: int) -> int | None:
    """The time left now: the PC's figure, counted down since it arrived while the test runs
    (paused, locked or not begun, the PC's clock for the test is stopped too)."""
    left = status.pc.remaining_ms
    if left is None:
        return None
    if status.pc.state == "running":
        left -= max(0, now_ms - seen_ms)
    return max(0, left)


def time_text(status: Status | None, seen_ms: int, now_ms: int) -> str:
    if status is None or status.pc.state in ("finished", "ended_by_invigilator"):
        return "—"
    left = remaining_ms(status, seen_ms, now_ms)
    text = "—" if left is None else clock_text(left)
    extras = []
    if status.pc.extra_time_percentage:
        extras.append(_tr(QT_TRANSLATE_NOOP("RoomConsole", "tiers-temps {0} %")).format(
            f"{status.pc.extra_time_percentage:g}"))
    if status.pc.added_minutes:
        extras.append(_tr(QT_TRANSLATE_NOOP("RoomConsole", "+{0} min ajoutées")).format(
            status.pc.added_minutes))
    return f"{text} ({', '.join(extras)})" if extras else text


def alert_text(category: str) -> str:
    known = ALERT_LABELS.get(category)
    if known is not None:
        return _tr(known)
    if category.startswith("kiosk:"):
        return _tr(QT_TRANSLATE_NOOP("RoomConsole", "poste : {0}")).format(category[6:])
    return category


# --- Rows ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the list: a candidate of the session, or a PC reporting nobody the
    session lists. ``target`` is who a command for this line is addressed to."""

    key: str
    name: str
    target: str
    status: Status | None
    connected: bool


def room_rows(session: Session, view: RoomView) -> list[Row]:
    """Every candidate of the session (by name), then any PC with no candidate of it."""
    by_candidate: dict[str, Status] = {}
    loose: list[Status] = []
    listed = {c.id for c in session.candidates}
    for status in view.statuses.values():
        candidate = status.pc.candidate_id
        if candidate in listed:
            known = by_candidate.get(candidate)
            if known is None or status.sent_ms > known.sent_ms:
                by_candidate[candidate] = status
        else:
            loose.append(status)
    rows = []
    for person in sorted(session.candidates, key=lambda c: (c.last_name, c.first_name)):
        found = by_candidate.get(person.id)
        rows.append(Row(
            f"candidate:{person.id}", f"{person.last_name.upper()} {person.first_name}",
            commands.candidate_target(person.id), found,
            found is not None and found.device_id in view.connected))
    for free in sorted(loose, key=lambda s: s.device_id):
        rows.append(Row(f"device:{free.device_id}", "—", commands.device_target(free.device_id),
                        free, free.device_id in view.connected))
    return rows


# --- The password prompt -------------------------------------------------------------------


class UnlockDialog(QDialog):
    """Asks the invigilator password and unlocks the session's command key with it, on the
    writer thread (scrypt), behind the same wrong-try delays as the PC's panel."""

    def __init__(self, session: Session, gate: SecretGate, lang: str) -> None:
        super().__init__()
        title = self.tr("Console de salle — session {0}").format(session.id)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._session, self.gate, self._lang = session, gate, lang
        self.key: Ed25519PrivateKey | None = None
        self.password = PasswordField(gate, self.tr("Mot de passe surveillant"),
                                      self.tr("Ouvrir la console"))
        self.cancel = QPushButton(self.tr("Annuler"))
        self.cancel.setAccessibleName(self.tr("Annuler"))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(self.tr("Console de salle"), "title"))
        layout.addWidget(text_label(self.tr("{0} — {1} — {2} — {3}").format(
            session.id, session.centre_name, session.room, session.date)))
        layout.addWidget(self.password)
        layout.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignLeft)
        self.password.submitted.connect(self._try)
        self.cancel.clicked.connect(self.reject)
        self.password.focus()

    def _try(self, typed: str) -> None:
        def check() -> bool:
            try:
                self.key = unlock_command_key(self._session, typed)
            except RoomError as error:
                if error.code == "room.bad_password":
                    return False
                raise
            return True

        self.gate.attempt(check, self.accept, self._refused)

    def _refused(self) -> None:
        self.password.refuse(RoomError(
            "room.bad_password",
            "Mot de passe surveillant incorrect : la clé de commande reste verrouillée.",
            "Wrong invigilator password: the command key stays locked.",
        ).message(self._lang))


# --- The window ----------------------------------------------------------------------------

COLUMNS = (
    QT_TRANSLATE_NOOP("RoomConsole", "Candidat"),
    QT_TRANSLATE_NOOP("RoomConsole", "Poste"),
    QT_TRANSLATE_NOOP("RoomConsole", "Statut"),
    QT_TRANSLATE_NOOP("RoomConsole", "Temps restant"),
    QT_TRANSLATE_NOOP("RoomConsole", "Alertes"),
    QT_TRANSLATE_NOOP("RoomConsole", "Liaison"),
)


@dataclass
class Action:
    """The invigilator's last action: the commands it sent and to whom nothing was sent."""

    label: str
    pending: list[concurrent.futures.Future[str]] = field(default_factory=list)
    nonces: list[str] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)


class RoomConsoleWindow(QMainWindow):
    """The room, live: a line per candidate, the open alerts, and the actions."""

    def __init__(self, session: Session, link: ConsoleThread, *, look: Look,
                 clock_ms: Callable[[], int] = _mono_ms) -> None:
        super().__init__()
        self.session, self.link, self.look, self._clock_ms = session, link, look, clock_ms
        self.rows: list[Row] = []
        self.view = RoomView()
        self.action: Action | None = None
        title = self.tr("PixDesk — console de salle — session {0}").format(session.id)
        self.setWindowTitle(title)
        page = Page()
        page.header.addLayout(self._bar())
        layout = page.body
        layout.addWidget(text_label(self.tr("{0} — {1} — {2}").format(
            session.centre_name, session.room, session.date), "subtitle"))
        self.summary = text_label()
        self.summary.setAccessibleName(self.tr("État de la salle"))
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName(self.tr("Candidats de la session"))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        layout.addWidget(self.table)
        self.message = text_label(role="notice")
        self.message.setAccessibleName(self.tr("Résultat de la dernière commande"))
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        self._actions()
        layout.addWidget(text_label(self.tr("Alertes ouvertes"), "subtitle"))
        self.alerts = QListWidget()
        self.alerts.setAccessibleName(self.tr("Alertes ouvertes"))
        alert_row = QHBoxLayout()
        alert_row.addWidget(self.alerts, 1)
        buttons = QVBoxLayout()
        self.validate = self._button(self.tr("Valider"), self.tr("Valider l'alerte "
                                     "sélectionnée : la question est neutralisée et remplacée"))
        self.dismiss = self._button(self.tr("Refuser"))
        buttons.addWidget(self.validate)
        buttons.addWidget(self.dismiss)
        buttons.addStretch(1)
        alert_row.addLayout(buttons)
        layout.addLayout(alert_row)
        self.setCentralWidget(page)
        self._fit()
        self.alerts.currentItemChanged.connect(self._alert_chosen)
        self._alert_chosen(None)
        self.validate.clicked.connect(lambda: self._alert(VALIDATE_ALERT))
        self.dismiss.clicked.connect(lambda: self._alert(DISMISS_ALERT))
        for keys, handler in (("Ctrl+=", self.zoom_in), ("Ctrl++", self.zoom_in),
                              ("Ctrl+-", self.zoom_out)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(handler)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()
        self.table.setFocus()

    def _button(self, text: str, description: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        if description:
            button.setAccessibleDescription(description)
            button.setToolTip(description)
        return button

    def _bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(text_label(self.tr("Console de salle"), "title"), 1)
        self.zoom_out_button = self._button("A−")
        self.zoom_out_button.setAccessibleName(self.tr("Réduire la taille du texte"))
        self.zoom_in_button = self._button("A+")
        self.zoom_in_button.setAccessibleName(self.tr("Agrandir le texte"))
        self.contrast = QCheckBox(self.tr("Contraste élevé"))
        self.contrast.setAccessibleName(self.tr("Contraste élevé"))
        self.contrast.setChecked(self.look.high_contrast)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.contrast.toggled.connect(
            lambda on: self.set_look(Look(high_contrast=on, zoom=self.look.zoom)))
        for widget in (self.zoom_out_button, self.zoom_in_button, self.contrast):
            bar.addWidget(widget)
        return bar

    def _actions(self) -> None:
        self.authorise = self._button(self.tr("Autoriser le début"))
        self.authorise_all = self._button(self.tr("Autoriser tous les candidats installés"))
        self.resume_lock = self._button(self.tr("Autoriser la reprise (verrouillage)"))
        self.pause = self._button(self.tr("Mettre en pause"))
        self.resume = self._button(self.tr("Reprendre"))
        self.pause_all = self._button(self.tr("Tout mettre en pause (alarme)"))
        self.resume_all = self._button(self.tr("Tout reprendre"))
        self.neutralise = self._button(self.tr("Neutraliser la question en cours"))
        self.end = self._button(self.tr("Terminer le test…"))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_ADDED_MINUTES)
        self.minutes.setValue(5)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName(self.tr("Minutes à ajouter"))
        self.add_time = self._button(self.tr("Ajouter du temps"))
        self.incident_code = QComboBox()
        self.incident_code.setAccessibleName(self.tr("Code de l'incident"))
        self.incident_code.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.incident_code.setMinimumContentsLength(16)
        for code, label in INCIDENT_CATEGORIES:
            if code.startswith("E"):
                self.incident_code.addItem(
                    QCoreApplication.translate("Incidents", str(label)), code)
        self.incident_text = QLineEdit()
        self.incident_text.setMaxLength(MAX_TEXT)
        self.incident_text.setAccessibleName(self.tr("Description de l'incident"))
        self.incident_text.setPlaceholderText(self.tr("Description de l'incident"))
        self.incident = self._button(self.tr("Consigner l'incident"))
        self.authorise.clicked.connect(lambda: self._each(commands.AUTHORISE_START))
        self.authorise_all.clicked.connect(lambda: self._all(commands.AUTHORISE_START))
        self.resume_lock.clicked.connect(lambda: self._each(commands.AUTHORISE_RESUME))
        self.pause.clicked.connect(lambda: self._each(commands.PAUSE))
        self.resume.clicked.connect(lambda: self._each(commands.RESUME))
        self.pause_all.clicked.connect(lambda: self._all(commands.PAUSE))
        self.resume_all.clicked.connect(lambda: self._all(commands.RESUME))
        self.add_time.clicked.connect(
            lambda: self._each(commands.ADD_TIME, {"minutes": self.minutes.value()}))
        self.neutralise.clicked.connect(self._confirm_neutralise)
        self.end.clicked.connect(self._confirm_end)
        self.incident.clicked.connect(self._incident)

    def _fit(self) -> None:
        """Lay the actions out in three columns, fewer when zoomed (the page scrolls down,
        never sideways), and keep about eight lines of the list in sight."""
        columns = 3 if self.look.zoom <= 125 else 2 if self.look.zoom <= 150 else 1
        actions: tuple[QWidget, ...] = (
            self.authorise, self.authorise_all, self.resume_lock, self.pause, self.resume,
            self.pause_all, self.resume_all, self.minutes, self.add_time, self.neutralise,
            self.end)
        incident: tuple[QWidget, ...] = (self.incident_code, self.incident_text, self.incident)
        for widget in actions + incident:
            self.grid.removeWidget(widget)
        for index, widget in enumerate(actions):
            self.grid.addWidget(widget, index // columns, index % columns)
        row = (len(actions) + columns - 1) // columns
        places = {3: ((row, 0, 1), (row, 1, 1), (row, 2, 1)),
                  2: ((row, 0, 1), (row, 1, 1), (row + 1, 1, 1)),
                  1: ((row, 0, 1), (row + 1, 0, 1), (row + 2, 0, 1))}[columns]
        for widget, (at_row, at_column, span) in zip(incident, places, strict=True):
            self.grid.addWidget(widget, at_row, at_column, 1, span)
        line = QFontMetrics(QApplication.font()).height() + round(8 * self.look.zoom / 100)
        self.table.verticalHeader().setDefaultSectionSize(line)
        self.table.setMinimumHeight(line * 9)
        self.alerts.setMinimumHeight(line * 4)
        self.table.resizeColumnsToContents()

    # --- look ---

    def zoom_in(self) -> None:
        self.set_look(self.look.zoomed_in())

    def zoom_out(self) -> None:
        self.set_look(self.look.zoomed_out())

    def set_look(self, look: Look) -> None:
        self.look = look
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, look)
        self.zoom_in_button.setEnabled(look.zoom < theme.ZOOM_STEPS[-1])
        self.zoom_out_button.setEnabled(look.zoom > theme.ZOOM_STEPS[0])
        self._fit()

    # --- live state ---

    def refresh(self) -> None:
        """Read the latest view and redraw; keeps the selection and the focus."""
        self.view = self.link.view()
        selected = set(self.selected_keys())
        current = self.table.currentRow()
        self.rows = room_rows(self.session, self.view)
        now = self._clock_ms()
        fit = self.table.rowCount() != len(self.rows)
        if fit:
            self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            status = row.status
            alerts = len(status.pc.alerts) if status is not None else 0
            seen = self.view.seen_ms.get(status.device_id, now) if status is not None else now
            link = ("—" if status is None else self.tr("⚠ liaison perdue")
                    if not row.connected else self.tr("⚠ sans nouvelles depuis {0} s").format(
                        (now - seen) // 1000) if now - seen > SILENT_MS else self.tr("connecté"))
            cells = (row.name, status.device_id if status is not None else "—",
                     state_text(status), time_text(status, seen, now),
                     f"⚠ {alerts}" if alerts else "—", link)
            for column, text in enumerate(cells):
                item = self.table.item(index, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(index, column, item)
                if item.text() != text:
                    fit = fit or len(text) > len(item.text())
                    item.setText(text)
                    item.setData(Qt.ItemDataRole.AccessibleTextRole,
                                 f"{_tr(COLUMNS[column])} : {text}")
        if fit:
            self.table.resizeColumnsToContents()
        self._reselect(selected, current)
        self._refresh_alerts()
        arrived = sum(1 for r in self.rows if r.status is not None)
        console = self.link.console
        if isinstance(console, RemoteRoomConsole):
            where = self._hub_text().format(console.address, self.view.hub_refusal)
        else:
            where = self.tr("écoute sur le port {0}").format(console.port)
        self.summary.setText(self.tr(
            "{0} candidats — {1} postes ont répondu — {2} connectés — {3} alertes ouvertes — "
            "{4}").format(
                len(self.session.candidates), arrived, len(self.view.connected),
                self.alerts.count(), where))
        self._refresh_message()

    def _hub_text(self) -> str:
        """Where a console attached to the server's hub stands: ``{0}`` the hub's address,
        ``{1}`` the code of its last refusal."""
        refusal = self.view.hub_refusal
        if self.view.hub_joined:
            return self.tr("relais du serveur {0} : relié")
        if not refusal:
            return self.tr("relais du serveur {0} : injoignable, nouvel essai automatique")
        if refusal == "room.unknown_session":
            return self.tr("relais du serveur {0} : ne connaît pas cette session [{1}]")
        if refusal == "room.stale":
            return self.tr("relais du serveur {0} : refuse la console, l'horloge de cette "
                           "machine est trop décalée de celle du serveur : réglez-la [{1}]")
        if refusal == "room.bad_signature":
            return self.tr("relais du serveur {0} : refuse la console, la clé de cette "
                           "session n'est pas celle que le serveur a émise (fichier de "
                           "session d'un autre serveur ?) [{1}]")
        return self.tr("relais du serveur {0} : refuse la console [{1}]")

    def _reselect(self, keys: set[str], current: int) -> None:
        if keys == set(self.selected_keys()):
            return
        model = self.table.selectionModel()
        self.table.clearSelection()
        for index, row in enumerate(self.rows):
            if row.key in keys:
                model.select(self.table.model().index(index, 0),
                             model.SelectionFlag.Select | model.SelectionFlag.Rows)
        if 0 <= current < len(self.rows):
            model.setCurrentIndex(self.table.model().index(current, 0),
                                  model.SelectionFlag.NoUpdate)

    def _refresh_alerts(self) -> None:
        wanted: list[tuple[str, str, str]] = []
        for row in self.rows:
            if row.status is None:
                continue
            for entry in row.status.pc.alerts:
                try:
                    alert_id, category, item_id = commands.parse_alert(entry)
                except RoomError:
                    continue
                text = self.tr("{0} ({1}) — {2}").format(
                    row.name, row.status.device_id, alert_text(category))
                if item_id:
                    text += " — " + self.tr("question {0}").format(item_id)
                wanted.append((f"{row.status.device_id}|{alert_id}", text, category))
        shown = [self.alerts.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(self.alerts.count())]
        if shown == [key for key, _, _ in wanted]:
            return
        chosen = self.alerts.currentItem()
        keep = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.alerts.clear()
        for key, text, category in wanted:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setData(KIOSK_ROLE, category.startswith("kiosk:"))
            self.alerts.addItem(item)
            if key == keep:
                self.alerts.setCurrentItem(item)
        if len(wanted) > len(shown):
            announce(self.alerts, self.tr("Nouvelle alerte : {0}").format(wanted[-1][1]))

    # --- commands ---

    def selected_keys(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r].key for r in rows if r < len(self.rows)]

    def selected_rows(self) -> list[Row]:
        keys = set(self.selected_keys())
        return [row for row in self.rows if row.key in keys]

    def _start(self, command: str) -> Action:
        self.action = Action(_tr(COMMAND_LABELS[command]))
        return self.action

    def _send(self, action: Action, command: str, target: str,
              args: Mapping[str, Any] | None = None) -> None:
        action.pending.append(self.link.send(command, target, args))

    def _all(self, command: str) -> None:
        action = self._start(command)
        if not self.view.connected:
            action.not_sent.append(self.tr("tous les postes"))
        else:
            self._send(action, command, ALL)
        self._refresh_message()

    def _each(self, command: str, args: Mapping[str, Any] | None = None,
              args_of: Callable[[Row], Mapping[str, Any] | None] | None = None) -> None:
        rows = self.selected_rows()
        if not rows:
            self._say(self.tr("Sélectionnez d'abord un ou plusieurs candidats dans la liste."))
            return
        action = self._start(command)
        for row in rows:
            row_args = args_of(row) if args_of is not None else args or {}
            if not row.connected or row_args is None:
                action.not_sent.append(row.name)
                continue
            self._send(action, command, row.target, row_args)
        self._refresh_message()

    def _confirm_neutralise(self) -> None:
        dialog = ConfirmDialog(
            self, self.tr("Neutraliser la question"),
            self.tr("Neutraliser la question en cours des candidats sélectionnés ? Elle ne "
                    "comptera pas et sera remplacée."),
            self.tr("Neutraliser la question"), self.tr("Annuler"))

        def item_of(row: Row) -> Mapping[str, Any] | None:
            item = row.status.pc.item_id if row.status is not None else ""
            return {"item_id": item} if item else None

        dialog.accepted.connect(lambda: self._each(commands.NEUTRALISE, args_of=item_of))
        dialog.open()
        self.dialog = dialog

    def _confirm_end(self) -> None:
        dialog = ConfirmDialog(
            self, self.tr("Terminer le test"),
            self.tr("Terminer définitivement le test des candidats sélectionnés ? Ils ne "
                    "pourront pas le reprendre."),
            self.tr("Terminer le test"), self.tr("Annuler"))
        fraud = QCheckBox(self.tr("Fraude constatée"))
        fraud.setAccessibleName(self.tr("Fraude constatée"))
        box = dialog.layout()
        assert isinstance(box, QVBoxLayout)
        box.insertWidget(1, fraud)
        self.fraud = fraud
        dialog.accepted.connect(lambda: self._each(
            commands.END_TEST, {"fraud": True} if fraud.isChecked() else {}))
        dialog.open()
        self.dialog = dialog

    def _incident(self) -> None:
        args = {"code": str(self.incident_code.currentData()),
                "text": self.incident_text.text().strip()[:MAX_TEXT]}
        self._each(commands.RECORD_INCIDENT, args)
        if self.action is not None and self.action.pending:
            self.incident_text.clear()

    def _alert_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        """A kiosk alert is only acknowledged (as in the PC's panel: "Vu"); a candidate's
        report is validated or refused."""
        kiosk = bool(item is not None and item.data(KIOSK_ROLE))
        self.validate.setEnabled(not kiosk)
        text = self.tr("Vu") if kiosk else self.tr("Refuser")
        description = (self.tr("Alerte du poste vue : elle est fermée") if kiosk else
                       self.tr("Refuser l'alerte sélectionnée : le candidat en est informé"))
        self.dismiss.setText(text)
        self.dismiss.setAccessibleName(text)
        self.dismiss.setAccessibleDescription(description)
        self.dismiss.setToolTip(description)

    def _alert(self, command: str) -> None:
        chosen = self.alerts.currentItem()
        if chosen is None:
            self._say(self.tr("Sélectionnez d'abord une alerte."))
            return
        device, _, alert_id = str(chosen.data(Qt.ItemDataRole.UserRole)).partition("|")
        action = self._start(command)
        if device not in self.view.connected:
            action.not_sent.append(device)
        else:
            self._send(action, command, commands.device_target(device), {"alert_id": alert_id})
        self._refresh_message()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            announce(self.message, text)

    def _refresh_message(self) -> None:
        action = self.action
        if action is None:
            return
        for future in [f for f in action.pending if f.done()]:
            action.pending.remove(future)
            try:
                action.nonces.append(future.result())
            except PixdeskError as error:
                action.not_sent.append(error.code)
        names = {row.status.device_id: row.name for row in self.rows
                 if row.status is not None and row.name != "—"}
        applied, refused, waiting, delivered = 0, [], 0, 0
        for nonce in action.nonces:
            sent = self.view.sent.get(nonce)
            if sent is None:
                continue
            delivered += len(sent.delivered)
            for device in sent.delivered:
                ack = sent.acks.get(device)
                if ack is None:
                    waiting += 1
                elif ack[0] == APPLIED:
                    applied += 1
                else:
                    refused.append(f"{names.get(device, device)} : {refusal_text(ack[1])}")
        parts = [action.label]
        if action.nonces or action.pending:
            parts.append(self.tr("{0} appliquée(s)").format(applied))
            if refused:
                parts.append(self.tr("{0} refusée(s) ({1})").format(
                    len(refused), ", ".join(refused)))
            if waiting or action.pending:
                parts.append(self.tr("{0} en attente").format(waiting + len(action.pending)))
            if action.nonces and not action.pending and delivered == 0:
                parts.append(self.tr("aucun poste concerné n'est connecté : rien n'a été "
                                     "envoyé"))
        if action.not_sent:
            parts.append(self.tr("rien envoyé à {0} (poste non connecté ou sans question "
                                 "en cours) : utilisez le panneau du poste").format(
                                     ", ".join(action.not_sent)))
        text = " — ".join(parts)
        if text != self.message.text():
            self._say(text)

    def closeEvent(self, event: Any) -> None:
        self.timer.stop()
        super().closeEvent(event)


def unlock_dialog(session: Session, data_dir: Path, lang: str,
                  background: Background) -> UnlockDialog:
    """The password prompt, its wrong tries counted in ``data_dir`` as the PC panel's are."""
    gate = SecretGate(background, tries=WrongTries(data_dir), name=GATE)
    return UnlockDialog(session, gate, lang)
