"""Binds the screens and the invigilator panel to the exam desk on the writer thread.

Every intent goes to the writer thread; the screen changes only when the resulting
``Snapshot`` comes back, i.e. once the journal has made the events durable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from pixdesk.engine.attempt import KIOSK_ALERT, Alert, Attempt, Event, Phase
from pixdesk.engine.bank import Answer, Item
from pixdesk.engine.matching import validate_answer
from pixdesk.engine.status import EndReason
from pixdesk.engine.timer import Instant
from pixdesk.errors import AnswerError, PixdeskError
from pixdesk.exam import WRITE_FAILED
from pixdesk.room import commands as room
from pixdesk.room.commands import Command
from pixdesk.roomlink import apply_command
from pixdesk.store.journal import WRITE_FAILURES
from pixdesk.ui.desk import ExamDesk, Intent, Snapshot
from pixdesk.ui.invigilator import InvigilatorPanel, lock_reason_text
from pixdesk.ui.widgets import ConfirmDialog, announce

if TYPE_CHECKING:
    from pixdesk.ui.main_window import MainWindow
    from pixdesk.ui.room_link import RoomLink

ANNOUNCE_AT_MINUTES = (15, 5, 1)
log = logging.getLogger(__name__)

Proven = Callable[[Attempt, Instant, "dict[str, Any] | None"], list[Event]]
"""An invigilator action given the proof to journal with it (None: no command key)."""

END_REASONS: dict[str, object] = {
    "completed": QT_TRANSLATE_NOOP("EndReasons", "Vous avez répondu à toutes les questions."),
    "time_up": QT_TRANSLATE_NOOP("EndReasons", "Le temps imparti est écoulé."),
    "invigilator": QT_TRANSLATE_NOOP("EndReasons", "Le surveillant a mis fin au test."),
    "candidate": QT_TRANSLATE_NOOP("EndReasons", "Vous avez mis fin au test."),
    "technical": QT_TRANSLATE_NOOP("EndReasons", "Le test s'est arrêté pour une raison "
                                                 "technique."),
}


KIOSK_ALERT_REASONS = frozenset({
    "focus_lost", "screen_added", "screen_removed", "prohibited_process", "remote_session",
    "heartbeat_missed", "window_hidden",
})
"""Lock reasons of the kiosk guard that also raise a ``kiosk:<reason>`` live alert, so the
invigilator sees them in the room console as the candidate's own reports."""


def with_kiosk_alert(what: str, intent: Intent) -> Intent:
    """``intent`` preceded by a ``kiosk:<what>`` alert while the test runs, unless one of
    that kind is already open (a window flickering raises one alert, not a flood)."""

    def decided(attempt: Attempt, now: Instant) -> list[Event]:
        category = f"{KIOSK_ALERT}{what}"
        alert: list[Event] = []
        if attempt.state.phase is Phase.RUNNING and all(
            a.category != category for a in attempt.state.open_alerts
        ):
            alert = attempt.raise_alert(category, now)
        return [*alert, *intent(attempt, now)]

    return decided


class ExamController(QObject):
    def __init__(
        self,
        window: MainWindow,
        desk: ExamDesk,
        data_dir: Path,
        illustrations: dict[str, bytes],
        *,
        lang: str,
        sync_status: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.desk = desk
        self.data_dir = data_dir
        self.illustrations = illustrations
        self.lang = lang
        self.sync_status = sync_status
        self.background = window.background
        self.snapshot: Snapshot | None = None
        self.panel: InvigilatorPanel | None = None
        self.bare_lock_return: Any = None
        self._candidate_name = ""
        self._identity = ("", "", "")
        self._pending_notice = ""
        self._lock_reason = ""
        self._write_blocked = False
        """The journal refused a write: the lock screen stays until the invigilator unlocks
        and the journal takes writes again (then the lock and unlock are both journaled)."""
        self._announced: set[int] = set()
        self.room: RoomLink | None = None
        self._panel_secret = ""
        """The password the panel was opened with, to sign its actions; kept only while
        the panel is open."""
        self._ticking = False
        self._answering = False
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        w = window
        w.opening.open_requested.connect(self.open_session)
        w.check_in.check_in_requested.connect(self.check_in)
        w.check_in.second_sitting_requested.connect(self.authorise_second_sitting)
        w.waiting.password.submitted.connect(self.authorise_with_password)
        w.pause.password.submitted.connect(self.authorise_with_password)
        w.lock_screen.unlock_requested.connect(self.unlock_with_password)
        w.password_gate.refused.connect(self.wrong_password)
        w.instructions.start_requested.connect(lambda: self.act(lambda a, now: a.begin(now)))
        w.timed_notice.start_requested.connect(self.start_timed_item)
        w.question.validate_requested.connect(self.validate)
        w.question.skip_requested.connect(self.confirm_skip)
        w.question.problem_reported.connect(self.report_problem)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self.application_state_changed)

    # --- start and stop ---------------------------------------------------------------------

    def start(self) -> None:
        self.window.show_view(self.window.opening)
        self.background.run(
            lambda: self.desk.open(self.data_dir, demo=self.desk.session.demo),
            failed=self._journal_failed,
        )
        self.ticker.start()

    def attach_room(self, link: RoomLink) -> None:
        """The room link (``pixdesk.ui.room_link``): it starts once the session is open."""
        self.room = link

    def shut_down(self) -> None:
        """Stop ticking and the room link, close the journal on its own thread, then end
        that thread."""
        self.ticker.stop()
        if self.room is not None:
            self.room.stop()
        if self.background.running:
            self.background.run(self.desk.close)
            self.background.stop()

    def _journal_failed(self, error: PixdeskError) -> None:
        self.window.opening.refuse(error.message(self.lang))
        self.window.opening.disable()

    # --- opening, check-in, authorisation ------------------------------------------------

    def open_session(self, code: str, password: str) -> None:
        """Both secrets are always checked and a refusal never says which one was wrong,
        so the screen cannot be used to find the access code alone."""

        def check() -> bool:
            code_ok = self.desk.check_access_code(code)
            password_ok = self.desk.check_password(password)
            return code_ok and password_ok

        def refused() -> None:
            self.window.opening.refuse(
                self.tr("Code d'accès ou mot de passe surveillant incorrect. Vérifiez les deux.")
            )

        def opened() -> None:
            if self.room is not None:
                self.room.open()
            self._show_check_in()

        self.window.access_gate.attempt(check, opened, refused)

    def _show_check_in(self) -> None:
        self.window.check_in.clear()
        self.window.show_view(self.window.check_in)
        self.window.check_in.focus_first()

    def check_in(self, last_name: str, first_name: str, birth_date: str) -> None:
        self._candidate_name = f"{first_name.strip()} {last_name.strip()}"
        self._identity = (last_name, first_name, birth_date)

        def refused(error: PixdeskError) -> None:
            if error.code == "ui.attempt_already_ended":
                self.window.check_in.offer_second_sitting(error.message(self.lang))
            else:
                self.window.check_in.refuse(error.message(self.lang))

        self.background.run(
            lambda: self.desk.check_in(last_name, first_name, birth_date), self.render, refused
        )

    def authorise_second_sitting(self, password: str) -> None:
        """The invigilator lets a candidate whose test ended sit again (journaled)."""
        last_name, first_name, birth_date = self._identity

        def authorised() -> None:
            self.background.run(
                lambda: self.desk.check_in(
                    last_name, first_name, birth_date, second_sitting=True
                ),
                self.render,
                lambda error: self.window.check_in.refuse(error.message(self.lang)),
            )

        self.window.password_gate.attempt(
            lambda: self.desk.check_password(password),
            authorised,
            lambda: self.window.check_in.refuse_second_sitting(
                self.tr("Mot de passe surveillant incorrect.")
            ),
        )

    def authorise_with_password(self, password: str) -> None:
        """The invigilator's password on the waiting or pause screen: start or resume."""
        screen = (
            self.window.pause
            if self.window.stack.currentWidget() is self.window.pause
            else self.window.waiting
        )

        def authorised() -> None:
            screen.reset_password()
            self._authorise_or_resume(password)

        self.window.password_gate.attempt(
            lambda: self.desk.check_password(password),
            authorised,
            lambda: screen.refuse_password(self.tr("Mot de passe surveillant incorrect.")),
        )

    # --- intents -----------------------------------------------------------------------------

    def act(self, intent: Intent, after: Callable[[], None] | None = None) -> None:
        def done(snapshot: Snapshot) -> None:
            self.render(snapshot)
            if after is not None:
                after()

        self.background.run(lambda: self.desk.act(intent), done, self._refused)

    def _invigilator(self, password: str, command: str, args: Mapping[str, Any],
                     decide: Proven, notice: str = "") -> None:
        """An invigilator action typed on this PC: with a session command key, journaled
        with the proof of the same command signed under the password just typed (on the
        writer thread: unsealing the key costs a scrypt). ``notice`` is what the candidate
        is told once the action is journaled; a refused action tells them nothing."""
        link, desk = self.room, self.desk

        def intent(attempt: Attempt, now: Instant) -> list[Event]:
            live = desk.live
            proof = (link.proof(live, password, command, args, now.wall_ms)
                     if link is not None and live is not None and password else None)
            return decide(attempt, now, proof)

        def done(snapshot: Snapshot) -> None:
            if notice:
                self._pending_notice = notice
            self.render(snapshot)

        self.background.run(lambda: self.desk.act(intent), done, self._refused)

    def apply_room_command(self, command: Command, claim: Callable[[], bool],
                           applied: Callable[[], None],
                           refused: Callable[[PixdeskError], None]) -> None:
        """A verified console command, through the writer thread like a panel action,
        unless ``claim`` says the link withdrew it meanwhile; the candidate sees the same
        notice as for the panel's."""

        def run() -> Snapshot | None:
            if not claim():
                return None
            return self.desk.apply(lambda live: apply_command(live, command),
                                   from_console=True)

        def done(snapshot: Snapshot | None) -> None:
            if snapshot is None:
                return
            if command.command == room.NEUTRALISE:
                self._pending_notice = self._neutralised_notice()
            elif command.command == room.ADD_TIME:
                self._pending_notice = self._extended_notice(int(command.args["minutes"]))
            self.render(snapshot)
            applied()

        def failed(error: PixdeskError) -> None:
            refused(error)
            if error.code in WRITE_FAILURES and self.snapshot is not None:
                self._write_failed(error.message(self.lang))

        self.background.run(run, done, failed)

    def _refused(self, error: PixdeskError) -> None:
        text = error.message(self.lang)
        if error.code in WRITE_FAILURES and self.snapshot is not None:
            self._write_failed(text)
            return
        if self.panel is not None and self.panel.isVisible():
            self.panel.show_error(text)
        elif self.window.stack.currentWidget() is self.window.question:
            self.window.question.show_error(text)
        else:
            announce(self.window, text, assertive=True)

    def start_timed_item(self) -> None:
        """The candidate passed a timed question's notice: its own clock starts once the
        journal holds ``timed_item_started``; a second press changes nothing."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.item_started:
            return
        self.act(lambda a, now: a.start_timed_item(now) if not a.item_started else [])

    def validate(self) -> None:
        view = self.window.question
        draft = view.draft()
        if draft is None or self._answering:
            return
        item, answer = draft
        try:
            validate_answer(item, answer)
        except AnswerError as error:
            view.show_error(error.message(self.lang))
            return
        self._submit(answer)

    def _submit(self, answer: Answer) -> None:
        self._answering = True
        self.window.question.setEnabled(False)

        def settled(snapshot: Snapshot | None = None) -> None:
            self._answering = False
            self.window.question.setEnabled(True)
            if snapshot is not None:
                self.render(snapshot)

        def refused(error: PixdeskError) -> None:
            settled()
            self._refused(error)

        self.background.run(lambda: self.desk.submit(answer), settled, refused)

    def confirm_skip(self) -> None:
        dialog = ConfirmDialog(
            self.window,
            self.tr("Passer la question"),
            self.tr("Passer une question compte comme une erreur. Voulez-vous vraiment passer "
                    "cette question ?"),
            self.tr("Oui, passer la question"),
            self.tr("Non, revenir à la question"),
        )
        dialog.accepted.connect(lambda: self.act(lambda a, now: a.skip(now)))
        dialog.open()
        self.skip_dialog = dialog

    def tick(self) -> None:
        """Posted every second: heartbeats and time up happen on the writer thread."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.phase is Phase.ENDED or self._ticking:
            return
        self._ticking = True
        draft = self._draft()

        def ticked(result: Snapshot | None) -> None:
            self._ticking = False
            if result is not None:
                self.render(result)

        def refused(error: PixdeskError) -> None:
            self._ticking = False
            if error.code in WRITE_FAILURES:
                self._write_failed(error.message(self.lang))

        self.background.run(lambda: self.desk.tick(draft), ticked, refused)

    def _draft(self) -> Answer | None:
        draft = self.window.question.draft()
        if draft is None or self.snapshot is None or self.snapshot.item is None:
            return None
        item, answer = draft
        if item.id != self.snapshot.item.id:
            return None
        try:
            validate_answer(item, answer)
        except AnswerError:
            return None
        return answer

    # --- lock and focus ------------------------------------------------------------------------

    def lock(self, reason: str) -> None:
        phase = self.snapshot.phase if self.snapshot else None
        self._lock_reason = reason
        if phase in (Phase.AUTHORISED, Phase.RUNNING, Phase.PAUSED, Phase.LOCKED):
            def locked(attempt: Attempt, now: Instant) -> list[Event]:
                return attempt.lock(reason, now)

            kiosk = reason in KIOSK_ALERT_REASONS
            self.act(with_kiosk_alert(reason, locked) if kiosk else locked)
            return
        if self.window.stack.currentWidget() is not self.window.lock_screen:
            self.bare_lock_return = self.window.stack.currentWidget()
        self._show_lock(reason)

    def _show_lock(self, reason: str, detail: str = "") -> None:
        screen = self.window.lock_screen
        if self.window.stack.currentWidget() is not screen or detail:
            screen.show_reason(lock_reason_text(reason), detail)
        if self.window.stack.currentWidget() is not screen:
            self.window.show_view(screen)
            self.window.locked.emit()
        screen.focus_password()

    def _write_failed(self, text: str) -> None:
        """The journal could not save the last action (disk full): lock for the invigilator
        with the reason and what to do; the live attempt journals the lock as soon as the
        disk lets it (``LiveAttempt.act``)."""
        if self.snapshot is None or self.snapshot.phase in (Phase.NEW, Phase.ENDED):
            announce(self.window, text, assertive=True)
            return
        if self._write_blocked:
            return
        self._write_blocked = True
        self._lock_reason = WRITE_FAILED
        self._show_lock(WRITE_FAILED, text)
        if self.panel is not None and self.panel.isVisible():
            self.panel.show_error(text)

    def unlock_with_password(self, password: str) -> None:
        def unlocked() -> None:
            if self._write_blocked:
                self._unlock_after_write_failure()
            elif self.snapshot is not None and self.snapshot.phase is Phase.LOCKED:
                self._invigilator(password, room.AUTHORISE_RESUME, {},
                                  lambda a, now, proof: a.unlock(now, proof=proof))
            else:
                self.window.show_view(self.bare_lock_return or self.window.opening)
                self.bare_lock_return = None
                self.window.unlocked.emit()

        self.window.password_gate.attempt(
            lambda: self.desk.check_password(password),
            unlocked,
            lambda: self.window.lock_screen.refuse_password(
                self.tr("Mot de passe surveillant incorrect.")
            ),
        )

    def _unlock_after_write_failure(self) -> None:
        """Once the disk has room again, journal the lock if it is still pending, then the
        unlock; a disk still full keeps the lock screen, with the message."""

        def unlocked(snapshot: Snapshot) -> None:
            self._write_blocked = False
            self.render(snapshot)

        self.background.run(
            self.desk.unlock_after_write_failure, unlocked,
            lambda error: self.window.lock_screen.password.refuse(error.message(self.lang)),
        )

    def application_state_changed(self, state: Qt.ApplicationState) -> None:
        """Leaving the exam window is journaled; in kiosk mode the guard decides the lock."""
        if state == Qt.ApplicationState.ApplicationActive or self.snapshot is None:
            return
        if self.snapshot.phase is not Phase.RUNNING:
            return

        def lost(attempt: Attempt, now: Instant) -> list[Any]:
            return attempt.focus_lost(now)

        self.act(lost)

    def record_security_event(self, what: str, detail: dict[str, Any]) -> None:
        """Keep a kiosk guard fact with the attempt under way; before or after one, log it."""
        if self.snapshot is None or self.snapshot.phase in (Phase.NEW, Phase.ENDED):
            log.info("security event outside an attempt: %s %s", what, detail)
            return

        def record(attempt: Attempt, now: Instant) -> list[Any]:
            return attempt.security_event(what, detail, now)

        self.act(record)

    def wrong_password(self, failures: int) -> None:
        """A wrong invigilator password goes into the attempt under way as evidence (the
        gate's own store has already counted and logged it, attempt or not)."""
        self.record_security_event("invigilator_password_refused", {"failures": failures})

    # --- invigilator panel -------------------------------------------------------------------

    def open_panel(self) -> None:
        if self.panel is not None and self.panel.isVisible():
            self.panel.raise_()
            return
        panel = InvigilatorPanel(
            self.window, self.window.password_gate, self.sync_status,
            self.window.look.high_contrast, self._room_status,
        )
        panel.password_submitted.connect(lambda pw: self._panel_password(panel, pw))
        panel.authorise_requested.connect(self._panel_authorise)
        panel.pause_requested.connect(lambda: self._invigilator(
            self._panel_secret, room.PAUSE, {},
            lambda a, now, proof: a.pause(now, proof=proof)))
        panel.unlock_requested.connect(lambda: self._invigilator(
            self._panel_secret, room.AUTHORISE_RESUME, {},
            lambda a, now, proof: a.unlock(now, proof=proof)))
        panel.neutralise_requested.connect(self._neutralise)
        panel.extend_requested.connect(self._extend)
        panel.next_candidate_requested.connect(self.next_candidate)
        panel.end_requested.connect(lambda: self._invigilator(
            self._panel_secret, room.END_TEST, {},
            lambda a, now, proof: a.end(EndReason.INVIGILATOR, now, proof=proof)))
        panel.incident_requested.connect(self._incident)
        panel.alert_validate_requested.connect(self.validate_alert)
        panel.alert_dismiss_requested.connect(self.dismiss_alert)
        panel.high_contrast_toggled.connect(self.window.set_high_contrast)
        panel.quit_requested.connect(self.quit_application)
        panel.finished.connect(lambda _result: self._panel_closed(panel))
        self.panel = panel
        panel.open()
        panel.focus_password()

    def _room_status(self) -> str:
        if self.room is None:
            return QCoreApplication.translate("RoomLink", "non configurée")
        return self.room.status_text()

    def _panel_closed(self, panel: InvigilatorPanel) -> None:
        if self.panel is panel:
            self.panel = None
            self._panel_secret = ""
        panel.deleteLater()

    def _panel_password(self, panel: InvigilatorPanel, password: str) -> None:
        def opened() -> None:
            self._panel_secret = password
            panel.open_actions(self.snapshot)

        self.window.password_gate.attempt(
            lambda: self.desk.check_password(password),
            opened,
            lambda: panel.refuse_password(self.tr("Mot de passe surveillant incorrect.")),
        )

    def _panel_authorise(self) -> None:
        self._authorise_or_resume(self._panel_secret)

    def _authorise_or_resume(self, password: str) -> None:
        phase = self.snapshot.phase if self.snapshot else None
        if phase is Phase.CHECKED_IN:
            self._invigilator(password, room.AUTHORISE_START, {},
                              lambda a, now, proof: a.authorise(now, proof=proof))
        elif phase is Phase.PAUSED:
            self._invigilator(password, room.RESUME, {},
                              lambda a, now, proof: a.resume(now, proof=proof))

    def _neutralised_notice(self) -> str:
        return self.tr(
            "Le surveillant a neutralisé la question précédente : elle ne compte pas. "
            "Voici une autre question."
        )

    def _extended_notice(self, minutes: int) -> str:
        return self.tr(
            "Le surveillant vous a accordé {0} minutes supplémentaires."
        ).format(minutes)

    def _neutralise(self) -> None:
        item = self.snapshot.item if self.snapshot else None
        if item is not None:
            item_id = item.id
            self._invigilator(self._panel_secret, room.NEUTRALISE, {"item_id": item_id},
                              lambda a, now, proof: a.neutralise(item_id, now, proof=proof),
                              notice=self._neutralised_notice())

    def _extend(self, minutes: int) -> None:
        self._invigilator(self._panel_secret, room.ADD_TIME, {"minutes": minutes},
                          lambda a, now, proof: a.extend_time(minutes, now, proof=proof),
                          notice=self._extended_notice(minutes))

    def _incident(self, category: str, text: str) -> None:
        """Only the E-codes are room commands: another category is journaled without proof."""
        signed = room.INCIDENT_CODE.match(category) is not None and len(text) <= room.MAX_TEXT
        self._invigilator(self._panel_secret if signed else "", room.RECORD_INCIDENT,
                          {"code": category, "text": text},
                          lambda a, now, proof: a.report_incident(category, text, now,
                                                                  proof=proof))

    # --- live alerts -----------------------------------------------------------------------

    def report_problem(self, category: str) -> None:
        """The candidate's "Signaler un problème": journaled, then the question says the
        invigilator was told (the test goes on meanwhile)."""
        self.act(lambda a, now: a.raise_alert(category, now), self.window.question.focus_answer)

    def validate_alert(self, alert_id: str) -> None:
        self._invigilator(self._panel_secret, room.VALIDATE_ALERT, {"alert_id": alert_id},
                          lambda a, now, proof: a.validate_alert(alert_id, now, proof=proof))

    def dismiss_alert(self, alert_id: str) -> None:
        self._invigilator(self._panel_secret, room.DISMISS_ALERT, {"alert_id": alert_id},
                          lambda a, now, proof: a.dismiss_alert(alert_id, now, proof=proof))

    def _alert_notice(self, previous: Snapshot | None, snapshot: Snapshot) -> None:
        """Tell the candidate what became of their report once the invigilator decided;
        the words wait in the banner until the question screen shows again."""
        if previous is None:
            return
        was_open = {a.alert_id: a for a in previous.open_alerts if not a.kiosk}
        for alert in snapshot.alerts:
            if alert.alert_id in was_open and alert.outcome is not None:
                on_screen = previous.item is not None and previous.item.id == alert.item_id
                self._pending_notice = self._alert_outcome_text(alert, on_screen)

    def _alert_outcome_text(self, alert: Alert, on_screen: bool) -> str:
        if alert.outcome != "validated":
            return self.tr(
                "Le surveillant a examiné votre signalement : la question est maintenue."
            )
        if on_screen:
            return self.tr("Votre signalement a été validé : la question a été remplacée.")
        return self.tr(
            "Votre signalement a été validé : la question signalée ne compte pas."
        )

    def next_candidate(self) -> None:
        """After an end, the PC takes the next candidate: back to check-in."""

        def cleared(_result: object) -> None:
            self.snapshot = None
            self._announced.clear()
            self._candidate_name = ""
            self._pending_notice = ""
            if self.panel is not None:
                self.panel.accept()
            self._show_check_in()
            if self.room is not None:
                self.room.refresh()

        self.background.run(self.desk.next_candidate, cleared, self._refused)

    def quit_application(self) -> None:
        phase = self.snapshot.phase if self.snapshot else None
        if phase not in (None, Phase.NEW, Phase.ENDED):
            return
        self.window.allow_close = True
        if self.panel is not None:
            self.panel.accept()
        self.window.close()

    # --- rendering ---------------------------------------------------------------------------

    def render(self, snapshot: Snapshot) -> None:
        """Show the screen of the attempt's phase; the question screen keeps its draft."""
        previous = self.snapshot
        self.snapshot = snapshot
        self._alert_notice(previous, snapshot)
        w = self.window
        was_locked = previous is not None and previous.phase is Phase.LOCKED
        if snapshot.phase is Phase.LOCKED or self._write_blocked:
            self._show_lock(self._lock_reason)
        else:
            if was_locked:
                w.unlocked.emit()
                if snapshot.item is not None and snapshot.item.focused and (
                    snapshot.item_focus_lost
                ):
                    self._pending_notice = self.tr(
                        "Vous avez quitté la fenêtre pendant cette question : votre réponse "
                        "sera comptée comme fausse. Vous pouvez tout de même répondre."
                    )
            if snapshot.item_timed_out:
                self._pending_notice = self.tr(
                    "Le temps de la question précédente est écoulé : elle compte comme une "
                    "erreur. Voici la question suivante."
                )
            self._render_phase(snapshot, previous)
        if self.panel is not None and self.panel.unlocked:
            self.panel.show_snapshot(snapshot)
        if self.room is not None:
            self.room.refresh()

    def _render_phase(self, snapshot: Snapshot, previous: Snapshot | None) -> None:
        w = self.window
        phase = snapshot.phase
        if phase is Phase.CHECKED_IN:
            if w.stack.currentWidget() is not w.waiting:
                w.waiting.show_candidate(self._candidate_name, resuming=False)
                w.show_view(w.waiting)
                w.waiting.focus_password()
        elif phase is Phase.AUTHORISED:
            w.instructions.show_rules(
                snapshot.started_limit_minutes, snapshot.extra_time_percentage, snapshot.length
            )
            if w.stack.currentWidget() is not w.instructions:
                w.show_view(w.instructions)
                w.instructions.focus_start()
        elif phase is Phase.PAUSED:
            resuming = bool(snapshot.history) and self._restarted(snapshot)
            target = w.waiting if resuming else w.pause
            if w.stack.currentWidget() is not target:
                if resuming:
                    w.waiting.show_candidate(self._candidate_name, resuming=True)
                else:
                    w.pause.show_paused(snapshot.remaining_ms)
                w.show_view(target)
                target.focus_password()
        elif phase is Phase.RUNNING and snapshot.item is not None:
            if snapshot.item_started:
                self._render_question(snapshot, snapshot.item)
            else:
                self._render_timed_notice(snapshot)
        elif phase is Phase.ENDED:
            self._pending_notice = ""
            self._render_end(snapshot)
            self.window.end.show_receipt(snapshot.receipt)

    @staticmethod
    def _restarted(snapshot: Snapshot) -> bool:
        kinds = [kind for kind, _ in snapshot.history
                 if kind not in ("heartbeat", "security_event")]
        return bool(kinds) and kinds[-1] == "app_restarted"

    def _render_timed_notice(self, snapshot: Snapshot) -> None:
        """The timed question's notice, with any pending banner (e.g. the previous question
        timed out), which is said once here rather than over the question."""
        w = self.window
        view = w.timed_notice
        w.show_progress(snapshot.question_number, snapshot.length)
        view.show_duration(snapshot.item_remaining_ms or 0)
        if w.stack.currentWidget() is not view:
            view.show_banner(self._pending_notice)
            w.show_view(view)
            view.focus_start()
            spoken = " ".join(t for t in (self._pending_notice, view.notice.text()) if t)
            announce(view.notice, spoken, assertive=True)
            self._pending_notice = ""
        self._announce_time(snapshot)

    def _render_question(self, snapshot: Snapshot, item: Item) -> None:
        w = self.window
        view = w.question
        data = self.illustrations.get(item.illustration or "")
        new_item = view.show_item(item, data, snapshot.question_number, snapshot.length)
        view.show_report_pending(
            any(not a.kiosk and a.item_id == item.id for a in snapshot.open_alerts)
        )
        w.show_progress(snapshot.question_number, snapshot.length)
        spoken = (snapshot.remaining_ms + 59_999) // 60_000
        view.show_time(snapshot.remaining_ms, snapshot.item_remaining_ms, spoken)
        if w.stack.currentWidget() is not view:
            w.show_view(view)
            view.focus_answer()
        if self._pending_notice:
            view.show_banner(self._pending_notice)
            announce(view.banner, self._pending_notice, assertive=True)
            self._pending_notice = ""
        elif new_item:
            view.hide_banner()
        if new_item and item.timer is not None and snapshot.item_remaining_ms is not None:
            announce(view.item_timer, view.item_timer.text(), assertive=True)
        self._announce_time(snapshot)

    def _announce_time(self, snapshot: Snapshot) -> None:
        """Say "Plus que N minutes" once per threshold, on the screen the candidate is on: a
        timed question's notice says it itself rather than leave it on the hidden question."""
        crossed = [m for m in ANNOUNCE_AT_MINUTES if snapshot.remaining_ms <= m * 60_000]
        fresh = [m for m in crossed if m not in self._announced]
        if not fresh:
            return
        self._announced.update(crossed)
        minutes = min(fresh)
        if minutes == 1:
            text = self.tr("Plus qu'une minute.")
        else:
            text = self.tr("Plus que {0} minutes.").format(minutes)
        w = self.window
        if w.stack.currentWidget() is w.timed_notice:
            w.timed_notice.show_banner(text)
            announce(w.timed_notice.banner, text, assertive=True)
            return
        view = w.question
        view.show_banner(text)
        view.timer.setAccessibleName(text)
        announce(view.timer, text, assertive=True)

    def _render_end(self, snapshot: Snapshot) -> None:
        w = self.window
        reason = str(snapshot.end_reason) if snapshot.end_reason else "completed"
        reason_text = QCoreApplication.translate("EndReasons", str(END_REASONS.get(reason, reason)))
        w.end.show_end(reason_text)
        if w.stack.currentWidget() is not w.end:
            w.show_view(w.end)
            announce(w.end, reason_text)

