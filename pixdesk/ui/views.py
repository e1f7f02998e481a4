"""The candidate's screens. Views lay widgets out and emit what the person asked for;
``ExamController`` decides what happens. No view reads the attempt or the journal."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pixdesk.engine.bank import Answer, Item
from pixdesk.session import Session
from pixdesk.ui.answers import AnswerForm, looks_like_code
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.widgets import Page, PasswordField, PasswordScreen, set_error, text_label

ALERT_CATEGORY_LABELS: dict[str, object] = {
    "image": QT_TRANSLATE_NOOP("Alerts", "L'image ne s'affiche pas"),
    "embedded": QT_TRANSLATE_NOOP("Alerts", "L'application intégrée ne fonctionne pas"),
    "link": QT_TRANSLATE_NOOP("Alerts", "Le lien ne fonctionne pas"),
    "other": QT_TRANSLATE_NOOP("Alerts", "Autre problème"),
}
"""Pix's "Signaler un problème" categories (engine ``ALERT_CATEGORIES``), in words."""


def alert_category_label(category: str) -> str:
    known = ALERT_CATEGORY_LABELS.get(category)
    return QCoreApplication.translate("Alerts", str(known)) if known else category


def duration_text(minutes: int) -> str:
    """French-style duration used in both languages: "2 h 20 min", "1 h 45 min", "45 min"."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest:02d} min"
    return f"{hours} h" if hours else f"{rest} min"


def clock_text(milliseconds: int) -> str:
    seconds = (milliseconds + 999) // 1000
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def primary_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", "primary")
    button.setAccessibleName(text.replace("&", ""))
    return button


class OpeningView(Page):
    """The invigilator opens the session on this PC: access code and password."""

    open_requested = Signal(str, str)
    high_contrast_toggled = Signal(bool)

    def __init__(self, session: Session, gate: SecretGate) -> None:
        super().__init__()
        self._gate = gate
        title = text_label(self.tr("PixDesk — ouverture de la session"), "title")
        where = text_label(
            self.tr("{0} · {1} · session du {2}").format(
                session.centre_name, session.room, session.date
            )
        )
        self.body.addWidget(title)
        self.body.addWidget(where)
        if session.demo:
            demo = text_label(
                self.tr(
                    "Démonstration : code d'accès {0}, mot de passe surveillant {1}."
                ).format(session.demo_access_code, session.demo_invigilator_password),
                "demo",
            )
            self.body.addWidget(demo)
            self.demo_candidates = text_label(
                self.tr("Candidats de la démonstration (nom, prénom, date de naissance) :")
                + "\n"
                + "\n".join(
                    f"• {c.last_name} {c.first_name}, {format_birth_date(c.birth_date)}"
                    for c in session.candidates
                ),
                "demo",
            )
            self.body.addWidget(self.demo_candidates)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.code = QLineEdit()
        self.code.setMaxLength(6)
        self.code.setAccessibleName(self.tr("Code d'accès de la session"))
        self.code.setAccessibleDescription(self.tr("4 lettres puis 2 chiffres, par exemple BKQT47"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe surveillant"))
        code_label = text_label(self.tr("Code d'accès de la session"))
        code_label.setBuddy(self.code)
        password_label = text_label(self.tr("Mot de passe surveillant"))
        password_label.setBuddy(self.password)
        form.addRow(code_label, self.code)
        form.addRow(password_label, self.password)
        self.body.addLayout(form)
        self.error = text_label(role="error")
        self.error.setVisible(False)
        self.wait = text_label(role="notice")
        self.wait.setVisible(False)
        self.submit = primary_button(self.tr("Ouvrir la session"))
        self.contrast = QCheckBox(self.tr("Contraste élevé"))
        self.contrast.setAccessibleName(self.tr("Contraste élevé"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.wait)
        self.body.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.contrast)
        self.body.addStretch(1)
        self.submit.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.contrast.toggled.connect(self.high_contrast_toggled)
        gate.changed.connect(self._refresh)

    def refuse(self, text: str) -> None:
        self.password.clear()
        set_error(self.error, text)

    def disable(self) -> None:
        """The journal cannot open: nothing on this PC can start."""
        self.submit.setEnabled(False)

    def _submit(self) -> None:
        if self._gate.available:
            self.open_requested.emit(self.code.text(), self.password.text())

    def _refresh(self) -> None:
        self.submit.setEnabled(self._gate.available)
        seconds = self._gate.seconds_left
        self.wait.setVisible(seconds > 0)
        if seconds > 0:
            self.wait.setText(self.tr("Nouvel essai possible dans {0} s.").format(seconds))


def format_birth_date(iso: str) -> str:
    """2009-03-14 as the candidate types it: 14/03/2009."""
    date = QDate.fromString(iso, "yyyy-MM-dd")
    return date.toString("dd/MM/yyyy") if date.isValid() else iso


def refuse_letters_visibly(edit: QLineEdit, hint: QLabel, text: str) -> None:
    """A character the validator drops is said, not silently lost (WCAG 3.3.1)."""

    def rejected() -> None:
        set_error(hint, text)

    edit.inputRejected.connect(rejected)
    edit.textEdited.connect(lambda _text: set_error(hint, "") if hint.isVisible() else None)


class CheckInView(Page):
    """The candidate says who they are; the session's list decides.

    A candidate whose test has already ended is refused; the invigilator may then let them
    sit again with the password (``second_sitting_requested``), which is journaled."""

    check_in_requested = Signal(str, str, str)
    second_sitting_requested = Signal(str)

    def __init__(self, gate: SecretGate) -> None:
        super().__init__()
        self.body.addWidget(text_label(self.tr("Installation du candidat"), "title"))
        self.body.addWidget(
            text_label(self.tr("Saisissez vos nom, prénom et date de naissance."))
        )
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.last_name = QLineEdit()
        self.last_name.setAccessibleName(self.tr("Nom de famille"))
        self.first_name = QLineEdit()
        self.first_name.setAccessibleName(self.tr("Prénom"))
        for caption, edit in (
            (self.tr("Nom de famille"), self.last_name),
            (self.tr("Prénom"), self.first_name),
        ):
            label = text_label(caption)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.day = self._number_field(self.tr("Jour"), 1, 31, 2)
        self.month = self._number_field(self.tr("Mois"), 1, 12, 2)
        self.year = self._number_field(self.tr("Année"), 1900, 2100, 4)
        birth = QWidget()
        row = QHBoxLayout(birth)
        row.setContentsMargins(0, 0, 0, 0)
        for caption, edit in (
            (self.tr("Jour"), self.day),
            (self.tr("Mois"), self.month),
            (self.tr("Année"), self.year),
        ):
            label = QLabel(caption)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit, 1)
        birth_label = text_label(self.tr("Date de naissance (jour, mois, année)"))
        form.addRow(birth_label, birth)
        self.body.addLayout(form)
        self.digits_only = text_label(role="error")
        self.digits_only.setVisible(False)
        self.body.addWidget(self.digits_only)
        for edit in (self.day, self.month, self.year):
            refuse_letters_visibly(
                edit, self.digits_only,
                self.tr("Date de naissance : saisissez uniquement des chiffres."),
            )
        self.error = text_label(role="error")
        self.error.setVisible(False)
        self.submit = primary_button(self.tr("Je confirme mon identité"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignLeft)
        self.second_sitting = PasswordField(
            gate,
            self.tr("Réservé au surveillant : mot de passe pour autoriser un nouveau passage"),
            self.tr("Autoriser un nouveau passage"),
        )
        self.second_sitting.setVisible(False)
        self.body.addWidget(self.second_sitting)
        self.body.addStretch(1)
        self.submit.clicked.connect(self._submit)
        self.year.returnPressed.connect(self._submit)
        self.second_sitting.submitted.connect(self.second_sitting_requested)
        for edit in (self.last_name, self.first_name, self.day, self.month, self.year):
            edit.textEdited.connect(self._edited)

    def _number_field(self, name: str, low: int, high: int, digits: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setValidator(QIntValidator(low, high, edit))
        edit.setMaxLength(digits)
        edit.setAccessibleName(self.tr("Date de naissance : {0}").format(name))
        return edit

    def refuse(self, text: str) -> None:
        set_error(self.error, text)

    def offer_second_sitting(self, text: str) -> None:
        """This candidate's test has ended: only the invigilator can let them sit again."""
        set_error(self.error, text)
        self.second_sitting.reset()
        self.second_sitting.setVisible(True)
        self.second_sitting.edit.setFocus()

    def refuse_second_sitting(self, text: str) -> None:
        self.second_sitting.refuse(text)

    def clear(self) -> None:
        for edit in (self.last_name, self.first_name, self.day, self.month, self.year):
            edit.clear()
        self._edited()

    def focus_first(self) -> None:
        self.last_name.setFocus()

    def _edited(self, _text: str = "") -> None:
        """An old refusal no longer describes what is typed now."""
        set_error(self.error, "")
        if self.second_sitting.isVisibleTo(self):
            self.second_sitting.reset()
            self.second_sitting.setVisible(False)

    def _submit(self) -> None:
        day, month, year = (e.text().strip() for e in (self.day, self.month, self.year))
        date = QDate(int(year or 0), int(month or 0), int(day or 0))
        if not (self.last_name.text().strip() and self.first_name.text().strip()):
            self.refuse(self.tr("Saisissez votre nom et votre prénom."))
            return
        if len(year) != 4 or not date.isValid():
            self.refuse(self.tr("Date de naissance invalide : saisissez jour, mois et année."))
            return
        set_error(self.error, "")
        self.check_in_requested.emit(
            self.last_name.text(), self.first_name.text(), date.toString("yyyy-MM-dd")
        )


class WaitingView(PasswordScreen):
    """The candidate is checked in and waits; the invigilator authorises here."""

    def __init__(self, gate: SecretGate) -> None:
        super().__init__()
        self.greeting = text_label(role="title")
        self.explanation = text_label()
        self.password = PasswordField(
            gate, self.tr("Mot de passe surveillant"), self.tr("Autoriser")
        )
        self.body.addWidget(self.greeting)
        self.body.addWidget(self.explanation)
        self.body.addWidget(self.password)
        self.body.addStretch(1)

    def show_candidate(self, name: str, resuming: bool) -> None:
        self.greeting.setText(self.tr("Bonjour {0}").format(name))
        if resuming:
            text = self.tr(
                "Votre test a été interrompu. Appelez le surveillant : il doit autoriser "
                "la reprise. Le temps d'interruption n'est pas décompté."
            )
        else:
            text = self.tr(
                "Vous êtes bien inscrit. Appelez le surveillant : il doit autoriser le début "
                "de votre test."
            )
        self.explanation.setText(text)
        self.password.reset()


class InstructionsView(Page):
    """What the candidate must know before the clock starts."""

    start_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.body.addWidget(text_label(self.tr("Consignes"), "title"))
        self.duration = text_label(role="subtitle")
        self.count = text_label()
        self.body.addWidget(self.duration)
        self.body.addWidget(self.count)
        for line in (
            self.tr("Passer une question compte comme une erreur."),
            self.tr("Une réponse validée ne peut plus être modifiée."),
            self.tr(
                "Certaines questions ont leur propre minuteur ; d'autres demandent de rester "
                "sur cette fenêtre."
            ),
            self.tr("En cas de problème, levez la main : le surveillant peut mettre le test en "
                    "pause."),
        ):
            self.body.addWidget(text_label(f"• {line}"))
        self.start = primary_button(self.tr("Commencer le test"))
        self.body.addWidget(self.start, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addStretch(1)
        self.start.clicked.connect(self.start_requested)

    def focus_start(self) -> None:
        self.start.setFocus()

    def show_rules(self, limit_minutes: int, extra_percentage: float, length: int) -> None:
        if extra_percentage > 0:
            text = self.tr("Durée : {0} (temps supplémentaire de {1} % compris)").format(
                duration_text(limit_minutes), f"{extra_percentage:g}"
            )
        else:
            text = self.tr("Durée : {0}").format(duration_text(limit_minutes))
        self.duration.setText(text)
        self.count.setText(self.tr("{0} questions").format(length))


class TimedNoticeView(Page):
    """Before a timed question, as in Pix: its duration and a "Commencer" button. The
    question stays hidden and its own clock waits until the candidate presses it (Enter or
    Space); the test's overall time keeps running."""

    start_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.banner = text_label(role="banner")
        self.banner.setVisible(False)
        self.body.addWidget(self.banner)
        self.body.addWidget(text_label(self.tr("Question chronométrée"), "title"))
        self.notice = text_label(role="subtitle")
        self.body.addWidget(self.notice)
        self.start = primary_button(self.tr("Commencer"))
        self.start.setAccessibleDescription(
            self.tr("Afficher la question chronométrée et lancer son minuteur")
        )
        self.body.addWidget(self.start, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addStretch(1)
        self.start.clicked.connect(self.start_requested)

    def show_duration(self, item_limit_ms: int) -> None:
        text = self.tr(
            "Cette question est chronométrée : vous aurez {0} pour y répondre."
        ).format(self._duration(item_limit_ms))
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.setAccessibleName(text)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _duration(self, milliseconds: int) -> str:
        seconds = (milliseconds + 999) // 1000
        if seconds % 60 == 0:
            minutes = seconds // 60
            return self.tr("1 minute") if minutes == 1 else self.tr("{0} minutes").format(minutes)
        return self.tr("1 seconde") if seconds == 1 else self.tr("{0} secondes").format(seconds)

    def focus_start(self) -> None:
        self.start.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_requested.emit()
            return
        super().keyPressEvent(event)


class QuestionView(Page):
    """One question: a pinned header (progress bar, time, the question's own time), then
    the prompt, illustration, answer widgets and two buttons.

    Keys: Enter validates; in a single- or multiple-choice question the letter of an
    option (A, B, C…) picks it, and the arrows select within the radio group."""

    validate_requested = Signal()
    skip_requested = Signal()
    problem_reported = Signal(str)
    """A category of ``ALERT_CATEGORY_LABELS``, chosen in the report dialog."""

    def __init__(self) -> None:
        super().__init__()
        self.report_dialog: ReportProblemDialog | None = None
        top = QHBoxLayout()
        self.progress = text_label(role="progress")
        self.timer = text_label(role="timer")
        self.timer.setAlignment(Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.progress, 1)
        top.addWidget(self.timer, 1)
        self.header.addLayout(top)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setAccessibleName(self.tr("Avancement du test"))
        self.header.addWidget(self.progress_bar)
        self.item_timer = text_label(role="notice")
        self.header.addWidget(self.item_timer)
        self.banner = text_label(role="banner")
        self.banner.setVisible(False)
        self.focused = text_label(
            "ℹ " + self.tr("Restez sur cette fenêtre : si vous la quittez pendant cette "
                           "question, votre réponse sera comptée comme fausse."),
            "notice",
        )
        self.prompt = QWidget()
        self.prompt_layout = QVBoxLayout(self.prompt)
        self.prompt_layout.setContentsMargins(0, 0, 0, 0)
        self.prompt_text = ""
        self.illustration = QLabel()
        self.illustration.setAccessibleName(self.tr("Illustration"))
        self.illustration.setAlignment(Qt.AlignmentFlag.AlignLeft)
        for widget in (self.banner, self.focused, self.prompt):
            self.body.addWidget(widget)
        self.body.addWidget(self.illustration)
        self.answer_slot = QHBoxLayout()
        self.body.addLayout(self.answer_slot)
        self.error = text_label(role="error")
        self.error.setVisible(False)
        self.body.addWidget(self.error)
        buttons = QHBoxLayout()
        self.skip = QPushButton(self.tr("Je passe"))
        self.skip.setAccessibleName(self.tr("Je passe"))
        self.skip.setAccessibleDescription(
            self.tr("Passer cette question ; elle compte comme une erreur")
        )
        self.validate = primary_button(self.tr("Je valide"))
        self.validate.setAccessibleDescription(self.tr("Valider ma réponse"))
        buttons.addWidget(self.skip)
        buttons.addStretch(1)
        buttons.addWidget(self.validate)
        self.body.addLayout(buttons)
        report_row = QHBoxLayout()
        self.report = QPushButton(self.tr("Signaler un problème"))
        self.report.setAccessibleName(self.tr("Signaler un problème"))
        self.report.setAccessibleDescription(
            self.tr("Prévenir le surveillant d'un problème sur cette question")
        )
        report_row.addWidget(self.report)
        report_row.addStretch(1)
        self.body.addLayout(report_row)
        self.report_status = text_label(role="notice")
        self.report_status.setVisible(False)
        self.body.addWidget(self.report_status)
        self.body.addStretch(1)
        self.form: AnswerForm | None = None
        self.item_id: str | None = None
        self.skip.clicked.connect(self.skip_requested)
        self.validate.clicked.connect(self.validate_requested)
        self.report.clicked.connect(self.open_report)

    def show_item(self, item: Item, illustration: bytes | None, number: int, total: int) -> bool:
        """Rebuild the answer area for a new item (True); the same item keeps the draft."""
        self.progress.setText(self.tr("Question {0} / {1}").format(number, total))
        self.progress.setAccessibleName(self.progress.text())
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(number)
        self.progress_bar.setAccessibleDescription(self.progress.text())
        if item.id == self.item_id:
            return False
        self.item_id = item.id
        self._show_prompt(item.prompt)
        self.focused.setVisible(item.focused)
        self.item_timer.setVisible(item.timer is not None)
        self._show_illustration(item, illustration)
        if self.form is not None:
            self.answer_slot.removeWidget(self.form)
            self.form.hide()
            self.form.deleteLater()
        self.form = AnswerForm(item)
        self.form.submit_requested.connect(self.validate_requested)
        self.answer_slot.addWidget(self.form)
        set_error(self.error, "")
        self.setTabOrder(self.form.focus_widgets()[-1], self.skip)
        self.setTabOrder(self.skip, self.validate)
        self.setTabOrder(self.validate, self.report)
        self.scroll_to_top()
        self.focus_answer()
        return True

    def _show_prompt(self, prompt: str) -> None:
        """Paragraphs of the prompt; those that are code are set in a monospace font."""
        while self.prompt_layout.count():
            taken = self.prompt_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.prompt_text = prompt
        for block in prompt.split("\n\n"):
            label = text_label(block, "code" if looks_like_code(block) else "prompt")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAccessibleName(block)
            self.prompt_layout.addWidget(label)
        self.prompt.setAccessibleName(prompt)

    def draft(self) -> tuple[Item, Answer] | None:
        """The item on screen and what the candidate has entered for it so far."""
        if self.form is None:
            return None
        return self.form.item, self.form.answer()

    def show_error(self, text: str) -> None:
        set_error(self.error, text)

    def focus_answer(self) -> None:
        if self.form is not None:
            self.form.focus_widgets()[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def hide_banner(self) -> None:
        self.banner.setVisible(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(
            self.focusWidget(), QPushButton
        ):
            self.validate_requested.emit()
            return
        if self.form is not None and self.form.pick_by_key(event):
            return
        super().keyPressEvent(event)

    def show_time(
        self, remaining_ms: int, item_remaining_ms: int | None, spoken_minutes: int
    ) -> None:
        self.timer.setText(self.tr("Temps restant : {0}").format(clock_text(remaining_ms)))
        self.timer.setAccessibleName(
            self.tr("Temps restant : environ {0} minutes").format(spoken_minutes)
        )
        if item_remaining_ms is not None:
            self.item_timer.setText(
                "ℹ " + self.tr(
                    "Question chronométrée : il vous reste {0} pour y répondre. À zéro, "
                    "elle se termine et compte comme une erreur."
                ).format(clock_text(item_remaining_ms))
            )

    def show_banner(self, text: str) -> None:
        self.banner.setText(f"⚠ {text}")
        self.banner.setVisible(True)

    def open_report(self) -> None:
        """The categories dialog; the choice goes to the controller, which journals it."""
        dialog = ReportProblemDialog(self)
        dialog.reported.connect(self.problem_reported)
        dialog.open()
        self.report_dialog = dialog

    def show_report_pending(self, pending: bool) -> None:
        """While the invigilator has not decided, the question says so and takes no second
        report (the engine would refuse it anyway)."""
        self.report.setEnabled(not pending)
        self.report_status.setVisible(pending)
        text = self.tr(
            "Signalement transmis au surveillant. Vous pouvez continuer à répondre à la "
            "question ou attendre sa décision."
        ) if pending else ""
        self.report_status.setText(f"ℹ {text}" if text else "")
        self.report_status.setAccessibleName(text)

    def _show_illustration(self, item: Item, data: bytes | None) -> None:
        if not data or not item.illustration:
            self.illustration.clear()
            self.illustration.setVisible(False)
            return
        pixmap = render_illustration(item.illustration, data, 480)
        self.illustration.setPixmap(pixmap)
        self.illustration.setAccessibleDescription(item.illustration_alt)
        self.illustration.setToolTip(item.illustration_alt)
        self.illustration.setVisible(not pixmap.isNull())


class ReportProblemDialog(QDialog):
    """Pix's "Signaler un problème": pick what is wrong with the question, then send.
    Arrow keys move between the categories, Tab reaches the buttons, Escape cancels."""

    reported = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        title = self.tr("Signaler un problème")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        intro = text_label(self.tr(
            "Quel problème rencontrez-vous avec cette question ? Le surveillant sera prévenu ; "
            "vous pourrez continuer à répondre en attendant sa décision."
        ))
        self.setAccessibleDescription(intro.text())
        self.choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(title, "title"))
        layout.addWidget(intro)
        for category in ALERT_CATEGORY_LABELS:
            radio = QRadioButton(alert_category_label(category))
            radio.setAccessibleName(radio.text())
            radio.setProperty("category", category)
            self.choices.addButton(radio)
            layout.addWidget(radio)
        self.send = primary_button(self.tr("Envoyer le signalement"))
        self.send.setEnabled(False)
        self.cancel = QPushButton(self.tr("Annuler"))
        self.cancel.setAccessibleName(self.tr("Annuler"))
        row = QHBoxLayout()
        row.addWidget(self.cancel)
        row.addStretch(1)
        row.addWidget(self.send)
        layout.addLayout(row)
        self.choices.buttonToggled.connect(lambda *_: self.send.setEnabled(True))
        self.send.clicked.connect(self._send)
        self.cancel.clicked.connect(self.reject)
        self.choices.buttons()[0].setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def category(self) -> str | None:
        checked = self.choices.checkedButton()
        return None if checked is None else str(checked.property("category"))

    def _send(self) -> None:
        category = self.category
        if category is not None:
            self.accept()
            self.reported.emit(category)


def render_illustration(path: str, data: bytes, width: int) -> QPixmap:
    """SVG rendered at the wanted width (sharp at any zoom); PNG/JPEG scaled down only."""
    if path.lower().endswith(".svg"):
        renderer = QSvgRenderer(QByteArray(data))
        size = renderer.defaultSize()
        if not renderer.isValid() or size.width() <= 0:
            return QPixmap()
        height = round(size.height() * width / size.width())
        pixmap = QPixmap(width, height)
        pixmap.fill(Qt.GlobalColor.white)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        return pixmap
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    if pixmap.width() > width:
        pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    return pixmap


class PauseView(PasswordScreen):
    """The test is paused by the invigilator; exam time is not counted."""

    def __init__(self, gate: SecretGate) -> None:
        super().__init__()
        self.body.addWidget(text_label("‖ " + self.tr("Test en pause"), "title"))
        self.body.addWidget(
            text_label(
                self.tr(
                    "Le temps est arrêté. Le surveillant autorisera la reprise ; vos réponses "
                    "sont enregistrées."
                )
            )
        )
        self.remaining = text_label(role="subtitle")
        self.body.addWidget(self.remaining)
        self.password = PasswordField(
            gate, self.tr("Mot de passe surveillant"), self.tr("Autoriser la reprise")
        )
        self.body.addWidget(self.password)
        self.body.addStretch(1)

    def show_paused(self, remaining_ms: int) -> None:
        self.remaining.setText(
            self.tr("Temps restant : {0}").format(clock_text(remaining_ms))
        )
        self.password.reset()


class LockScreen(PasswordScreen):
    """Shown when the secure environment raised an alert; only the invigilator lifts it.

    The kiosk guard may show one instance per screen; each takes the shared gate, so the
    wrong-try delay holds whichever screen the password is typed on.
    """

    unlock_requested = Signal(str)

    def __init__(self, gate: SecretGate) -> None:
        super().__init__()
        self.body.addWidget(text_label("⚠ " + self.tr("Écran verrouillé"), "title"))
        self.reason = text_label()
        self.body.addWidget(self.reason)
        self.body.addWidget(
            text_label(
                self.tr(
                    "Levez la main et attendez le surveillant. Le temps est arrêté et vos "
                    "réponses sont enregistrées."
                )
            )
        )
        self.password = PasswordField(
            gate, self.tr("Mot de passe surveillant"), self.tr("Déverrouiller")
        )
        self.body.addWidget(self.password)
        self.body.addStretch(1)
        self.password.submitted.connect(self.unlock_requested)

    def show_reason(self, reason: str, detail: str = "") -> None:
        """The lock's reason, and what the invigilator must do about it when there is more
        to say (a full disk: free space, then unlock)."""
        text = self.tr("Motif : {0}").format(reason) if reason else ""
        self.reason.setText(f"{text}\n{detail}" if detail else text)
        self.reason.setVisible(bool(reason or detail))
        self.password.reset()


class EndView(Page):
    """The test is over: what happens next. As in Pix, no score is shown here; the result
    is checked and sent by the centre."""

    receipt: QLabel | None = None

    def show_receipt(self, code: str | None) -> None:
        """The receipt code (``chain.receipt_code``: it commits to the journal, not to the
        score), for the candidate to note and quote if the result is disputed."""
        if code is None:
            if self.receipt is not None:
                self.receipt.setVisible(False)
            return
        if self.receipt is None:
            self.receipt = text_label(role="subtitle")
            self.body.insertWidget(self.body.count() - 1, self.receipt)
        self.receipt.setText(self.tr("Votre code de reçu : {0}").format(code))
        self.receipt.setAccessibleName(self.receipt.text())
        self.receipt.setVisible(True)

    def __init__(self) -> None:
        super().__init__()
        self.body.addWidget(text_label("✔ " + self.tr("Test terminé"), "title"))
        self.reason = text_label()
        self.saved = text_label(self.tr("Vos réponses sont enregistrées."), "subtitle")
        self.next = text_label(
            self.tr(
                "Le résultat sera vérifié puis communiqué par votre établissement. Vous "
                "pouvez quitter la salle lorsque le surveillant vous y invite."
            )
        )
        for widget in (self.reason, self.saved, self.next):
            self.body.addWidget(widget)
        self.body.addStretch(1)

    def show_end(self, reason_text: str) -> None:
        self.reason.setText(reason_text)
