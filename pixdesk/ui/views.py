"""The candidate's screens. Views lay widgets out and emit what the person asked for;
``ExamController`` decides what happens. No view reads the attempt or the journal."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QDate, Qt, Signal
from PySide6.QtGui import QIntValidator, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from pixdesk.engine.bank import Item
from pixdesk.session import Session
from pixdesk.ui.answers import AnswerForm
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.widgets import Page, PasswordField, set_error, text_label


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

    def _submit(self) -> None:
        if self._gate.available:
            self.open_requested.emit(self.code.text(), self.password.text())

    def _refresh(self) -> None:
        self.submit.setEnabled(self._gate.available)
        seconds = self._gate.seconds_left
        self.wait.setVisible(seconds > 0)
        if seconds > 0:
            self.wait.setText(self.tr("Nouvel essai possible dans {0} s.").format(seconds))


class CheckInView(Page):
    """The candidate says who they are; the session's list decides."""

    check_in_requested = Signal(str, str, str)

    def __init__(self) -> None:
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
        self.error = text_label(role="error")
        self.error.setVisible(False)
        self.submit = primary_button(self.tr("Je confirme mon identité"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addStretch(1)
        self.submit.clicked.connect(self._submit)
        self.year.returnPressed.connect(self._submit)

    def _number_field(self, name: str, low: int, high: int, digits: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setValidator(QIntValidator(low, high, edit))
        edit.setMaxLength(digits)
        edit.setAccessibleName(self.tr("Date de naissance : {0}").format(name))
        return edit

    def refuse(self, text: str) -> None:
        set_error(self.error, text)

    def clear(self) -> None:
        for edit in (self.last_name, self.first_name, self.day, self.month, self.year):
            edit.clear()
        set_error(self.error, "")

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


class WaitingView(Page):
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

    def show_rules(self, limit_minutes: int, extra_percentage: float, length: int) -> None:
        if extra_percentage > 0:
            text = self.tr("Durée : {0} (temps supplémentaire de {1} % compris)").format(
                duration_text(limit_minutes), f"{extra_percentage:g}"
            )
        else:
            text = self.tr("Durée : {0}").format(duration_text(limit_minutes))
        self.duration.setText(text)
        self.count.setText(self.tr("{0} questions").format(length))


class QuestionView(Page):
    """One question: progress, time, prompt, illustration, answer widgets, two buttons."""

    validate_requested = Signal()
    skip_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        top = QHBoxLayout()
        self.progress = text_label(role="progress")
        self.timer = text_label(role="timer")
        self.timer.setAlignment(Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.progress, 1)
        top.addWidget(self.timer, 1)
        self.body.addLayout(top)
        self.banner = text_label(role="banner")
        self.banner.setVisible(False)
        self.focused = text_label(
            "ℹ " + self.tr("Restez sur cette fenêtre : si vous la quittez pendant cette "
                           "question, votre réponse sera comptée comme fausse."),
            "notice",
        )
        self.item_timer = text_label(role="notice")
        self.prompt = text_label(role="prompt")
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.illustration = QLabel()
        self.illustration.setAccessibleName(self.tr("Illustration"))
        self.illustration.setAlignment(Qt.AlignmentFlag.AlignLeft)
        for widget in (self.banner, self.focused, self.item_timer, self.prompt):
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
        self.body.addStretch(1)
        self.form: AnswerForm | None = None
        self.item_id: str | None = None
        self.skip.clicked.connect(self.skip_requested)
        self.validate.clicked.connect(self.validate_requested)

    def show_item(self, item: Item, illustration: bytes | None, number: int, total: int) -> None:
        """Rebuild the answer area for a new item; the same item again keeps the draft."""
        self.progress.setText(self.tr("Question {0} / {1}").format(number, total))
        self.progress.setAccessibleName(self.progress.text())
        if item.id == self.item_id:
            return
        self.item_id = item.id
        self.prompt.setText(item.prompt)
        self.prompt.setAccessibleName(item.prompt)
        self.focused.setVisible(item.focused)
        self.item_timer.setVisible(item.timer is not None)
        self._show_illustration(item, illustration)
        if self.form is not None:
            self.answer_slot.removeWidget(self.form)
            self.form.hide()
            self.form.deleteLater()
        self.form = AnswerForm(item)
        self.answer_slot.addWidget(self.form)
        set_error(self.error, "")
        self.setTabOrder(self.form.focus_widgets()[-1], self.skip)
        self.setTabOrder(self.skip, self.validate)
        first = self.form.focus_widgets()[0]
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_time(
        self, remaining_ms: int, item_remaining_ms: int | None, spoken_minutes: int
    ) -> None:
        self.timer.setText(self.tr("Temps restant : {0}").format(clock_text(remaining_ms)))
        self.timer.setAccessibleName(
            self.tr("Temps restant : environ {0} minutes").format(spoken_minutes)
        )
        if item_remaining_ms is not None:
            self.item_timer.setText(
                "ℹ " + self.tr("Temps pour cette question : {0}").format(
                    clock_text(item_remaining_ms)
                )
            )

    def show_banner(self, text: str) -> None:
        self.banner.setText(f"⚠ {text}")
        self.banner.setVisible(True)

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


class PauseView(Page):
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
        self.password = PasswordField(
            gate, self.tr("Mot de passe surveillant"), self.tr("Autoriser la reprise")
        )
        self.body.addWidget(self.password)
        self.body.addStretch(1)


class LockScreen(Page):
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
    """The test is over: what happens next, and the score only if the version allows."""

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
        self.next = text_label(
            self.tr(
                "Vos réponses sont enregistrées. Le résultat sera vérifié puis communiqué "
                "par votre établissement. Vous pouvez quitter la salle lorsque le "
                "surveillant vous y invite."
            )
        )
        self.score = text_label(role="subtitle")
        self.score.setVisible(False)
        for widget in (self.reason, self.next, self.score):
            self.body.addWidget(widget)
        self.body.addStretch(1)

    def show_end(self, reason_text: str, score_text: str | None) -> None:
        self.reason.setText(reason_text)
        self.score.setVisible(score_text is not None)
        self.score.setText(score_text or "")
