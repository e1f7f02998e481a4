"""The Qt window guard: the exam window owns every screen, and anything odd locks the test.

The guard is the third lockdown layer (docs/lockdown.md). It does only what Qt can do —
window flags, one window per screen, an application-wide key filter, the clipboard, focus
and screen signals — and asks ``pixdesk.lockdown`` for everything else: which keys to
swallow (``policy.decide``), how to react (``reaction``) and the OS backend (grab, hook,
process checks), polled every second. It never journals a lock itself: it calls the main
window's ``lock(reason)``, which records ``lock_engaged`` in the attempt, so the lock screen
and the journal cannot disagree. Guard-level facts (keys blocked, warnings, screens) go to
the ``journal`` callback the application gives it.

A heartbeat timer beats every second on the GUI thread and a watchdog thread checks the
beat: a beat more than 3 s late (the process was frozen, the loop blocked, or the timer
stopped) locks the attempt with ``heartbeat_missed`` — the contract of Pix Companion's ping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QClipboard,
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QScreen,
    QWindow,
)
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from pixdesk.lockdown import policy
from pixdesk.lockdown.backend import Journal, LockdownBackend
from pixdesk.lockdown.policy import (
    EnvironmentFinding,
    Event,
    Finding,
    KeyChord,
    KioskSettings,
    LockTrigger,
    Reaction,
)
from pixdesk.ui.widgets import announce

HEARTBEAT_MS = 1_000
MISSED_AFTER_MS = 3_000
POLL_MS = 1_000

KIOSK_FLAGS = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint

_NAMED_KEYS: dict[Qt.Key, str] = {
    Qt.Key.Key_Tab: "tab",
    Qt.Key.Key_Backtab: "tab",
    Qt.Key.Key_Escape: "esc",
    Qt.Key.Key_Space: "space",
    Qt.Key.Key_Return: "return",
    Qt.Key.Key_Enter: "enter",
    Qt.Key.Key_Backspace: "backspace",
    Qt.Key.Key_Insert: "insert",
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Print: "printscreen",
    Qt.Key.Key_SysReq: "printscreen",
    Qt.Key.Key_Menu: "menu",
    Qt.Key.Key_Meta: "meta",
    Qt.Key.Key_Super_L: "meta",
    Qt.Key.Key_Super_R: "meta",
    Qt.Key.Key_Control: "ctrl",
    Qt.Key.Key_Alt: "alt",
    Qt.Key.Key_AltGr: "altgr",
    Qt.Key.Key_Shift: "shift",
    Qt.Key.Key_CapsLock: "capslock",
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Home: "home",
    Qt.Key.Key_End: "end",
    Qt.Key.Key_PageUp: "pageup",
    Qt.Key.Key_PageDown: "pagedown",
}
_MODIFIER_NAMES = (
    (Qt.KeyboardModifier.ControlModifier, "ctrl"),
    (Qt.KeyboardModifier.AltModifier, "alt"),
    (Qt.KeyboardModifier.ShiftModifier, "shift"),
    (Qt.KeyboardModifier.MetaModifier, "meta"),
)
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease)


def key_name(key: int, text: str = "") -> str:
    """The policy's name for a Qt key code: ``Key_F4`` → ``f4``, ``Key_Q`` → ``q``."""
    if Qt.Key.Key_A.value <= key <= Qt.Key.Key_Z.value:
        return chr(key).lower()
    if Qt.Key.Key_0.value <= key <= Qt.Key.Key_9.value:
        return chr(key)
    if Qt.Key.Key_F1.value <= key <= Qt.Key.Key_F35.value:
        return f"f{key - Qt.Key.Key_F1.value + 1}"
    try:
        named = _NAMED_KEYS.get(Qt.Key(key))
    except ValueError:
        named = None
    if named is not None:
        return named
    if text.strip():
        return text.strip().lower()
    return f"qt{key:x}"


def chord_of(event: QKeyEvent, held: frozenset[str] = frozenset()) -> KeyChord:
    """The chord a key event stands for; ``held`` adds Insert/CapsLock held as command keys
    by screen readers, which Qt does not report as modifiers."""
    modifiers = {name for flag, name in _MODIFIER_NAMES if event.modifiers() & flag}
    key = key_name(event.key(), event.text())
    return KeyChord(frozenset((modifiers | held) - {key}), key)


def qt_x11_display(app: QGuiApplication) -> int | None:
    """Qt's own ``Display*`` on X11 (for the backend's keyboard grab), else None.

    The grab must be taken on the connection that owns the exam window; on any other
    platform (Wayland, offscreen, Windows) there is no such pointer.
    """
    if app.platformName() != "xcb":
        return None
    from PySide6.QtGui import QNativeInterface

    native = app.nativeInterface()
    if not isinstance(native, QNativeInterface.QX11Application):
        return None
    display = native.display()
    return int(display) if display else None


CAPABILITY_NAMES: dict[str, object] = {
    "keyboard_filter": QT_TRANSLATE_NOOP("Capabilities", "filtre des raccourcis clavier"),
    "injected_input_filter": QT_TRANSLATE_NOOP(
        "Capabilities", "blocage de la saisie clavier simulée"
    ),
    "capture_exclusion": QT_TRANSLATE_NOOP("Capabilities", "exclusion des captures d'écran"),
    "accessibility_shortcuts_off": QT_TRANSLATE_NOOP(
        "Capabilities", "raccourcis d'accessibilité désactivés"
    ),
    "remote_session_check": QT_TRANSLATE_NOOP(
        "Capabilities", "détection des sessions à distance"
    ),
    "process_watchdog": QT_TRANSLATE_NOOP("Capabilities", "surveillance des programmes"),
}


def capability_name(name: str) -> str:
    """A backend capability in the interface's language (an unknown name is shown as is)."""
    source = CAPABILITY_NAMES.get(name)
    return QCoreApplication.translate("Capabilities", str(source)) if source else name


class MissingProtections(QLabel):
    """In a corner of the exam window, for the invigilator: what the lockdown backend could
    not put in force on this PC (hidden when everything is). Reasons are in the tooltip and
    the accessible description; the journal has them too (``lockdown_capabilities``)."""

    MARGIN = 12

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kioskMissingProtections")
        self.setProperty("role", "notice")
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Protections absentes sur ce poste"))
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.missing: dict[str, str] = {}
        self.hide()

    def show_missing(self, missing: dict[str, str]) -> None:
        self.missing = dict(missing)
        if not missing:
            self.hide()
            return
        names = ", ".join(capability_name(name) for name in missing)
        text = self.tr("Non assuré sur ce poste : {0}").format(names)
        self.setText(f"⚠ {text}")
        self.setAccessibleDescription(text)
        self.setToolTip(
            "\n".join(f"{capability_name(name)} — {why}" for name, why in missing.items())
        )
        self.place()
        self.show()
        self.raise_()
        announce(self, text)

    def changeEvent(self, event: QEvent) -> None:
        """A zoom or a contrast change restyles the label: its height follows."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.place()

    def place(self) -> None:
        """Bottom-left corner of the window, at most 640 px wide, tall enough for its text."""
        parent = self.parentWidget()
        if parent is None:
            return
        self.ensurePolished()  # the theme's padding and border count in the height
        width = max(1, min(parent.width() - 2 * self.MARGIN, 640))
        self.setFixedWidth(width)
        height = self.heightForWidth(width)
        self.setFixedHeight(height if height > 0 else self.sizeHint().height())
        self.move(self.MARGIN, parent.height() - self.height() - self.MARGIN)


class BlankScreen(QWidget):
    """A dark window over a secondary screen: nothing can be shown there during the exam."""

    def __init__(self, screen: QScreen) -> None:
        super().__init__(
            None, Qt.WindowType.Window | KIOSK_FLAGS | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setObjectName("kioskBlankScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#kioskBlankScreen { background: #101018; }"
                           "QLabel { color: #c8c8d8; background: transparent; }")
        self.setWindowTitle(self.tr("PixDesk — écran réservé à l'examen"))
        self.note = QLabel(self.tr("Écran réservé à l'examen"))
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName(self.tr("Écran secondaire masqué pendant l'examen"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        self.screen_name = screen.name()
        self.release = False
        self.cover(screen)

    def cover(self, screen: QScreen) -> None:
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def show_locked(self, locked: bool) -> None:
        self.note.setText(
            self.tr("Examen verrouillé — attendez le surveillant")
            if locked
            else self.tr("Écran réservé à l'examen")
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.release:
            event.accept()
        else:
            event.ignore()


class KioskGuard(QObject):
    """Installed by the application in kiosk mode; ``start()`` engages, ``stop()`` releases."""

    warning = Signal(str)
    """A WARN reaction, already worded in the guard's language: for a banner or the panel."""
    lock_requested = Signal(str)
    """Emitted with the reason each time the guard asks the window to lock."""
    _stalled = Signal(float)

    def __init__(
        self,
        app: QApplication,
        window: QWidget,
        journal: Journal,
        settings: KioskSettings,
        backend: LockdownBackend,
        *,
        lang: str = "fr",
        heartbeat_ms: int = HEARTBEAT_MS,
        missed_after_ms: int = MISSED_AFTER_MS,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.window = window
        self.journal = journal
        self.settings = settings
        self.backend = backend
        self.lang = lang
        self.missed_after_ms = missed_after_ms
        self.blanks: dict[str, BlankScreen] = {}
        self.started = False
        self.is_locked = False
        self.missing_notice = MissingProtections(window)
        self._held: set[str] = set()
        self._findings: set[Finding] = set()
        self._clearing = False
        self._last_beat = time.monotonic()
        self._beat_lock = threading.Lock()
        self._stop_watchdog = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(heartbeat_ms)
        self._heartbeat.timeout.connect(self._beat)
        self._poller = QTimer(self)
        self._poller.setInterval(poll_ms)
        self._poller.timeout.connect(self.poll)
        self._stalled.connect(self._watchdog_alarm)
        window.locked.connect(self._on_locked)  # type: ignore[attr-defined]
        window.unlocked.connect(self._on_unlocked)  # type: ignore[attr-defined]

    # --- lifetime ---------------------------------------------------------------------------

    def start(self) -> None:
        """Take every screen, filter keys, clear the clipboard, engage the backend, beat."""
        if self.started:
            return
        self.started = True
        self.window.setWindowFlags(self.window.windowFlags() | KIOSK_FLAGS)
        self._layout()
        self.app.installEventFilter(self)
        self.app.screenAdded.connect(self._screen_added)
        self.app.screenRemoved.connect(self._screen_removed)
        self.app.primaryScreenChanged.connect(self._primary_changed)
        self.app.applicationStateChanged.connect(self._state_changed)
        self.app.focusWindowChanged.connect(self._focus_moved)
        clipboard = self.app.clipboard()
        clipboard.dataChanged.connect(self.clear_clipboard)
        clipboard.selectionChanged.connect(self.clear_clipboard)
        self.clear_clipboard()
        self.backend.engage(int(self.window.winId()))
        missing = self.backend.missing()
        self.journal(
            "lockdown_started",
            {
                "backend": self.backend.name,
                "capabilities": self.backend.capabilities(),
                "missing": missing,
                "screens": len(self.app.screens()),
                "platform": self.app.platformName(),
            },
        )
        self.missing_notice.show_missing(missing)
        self._beat_now()
        self._heartbeat.start()
        self._poller.start()
        self._stop_watchdog.clear()
        self._watchdog = threading.Thread(
            target=self._watch, name="pixdesk-kiosk-watchdog", daemon=True
        )
        self._watchdog.start()
        if len(self.app.screens()) > self.settings.max_screens:
            self._react(
                EnvironmentFinding.EXTERNAL_MONITOR, f"{len(self.app.screens())} screens"
            )

    def stop(self) -> None:
        """Release everything ``start`` took; the invigilator's exit or the end of the app."""
        if not self.started:
            return
        self.started = False
        self._heartbeat.stop()
        self._poller.stop()
        self._stop_watchdog.set()
        if self._watchdog is not None:
            self._watchdog.join()
            self._watchdog = None
        self.app.removeEventFilter(self)
        for signal, slot in (
            (self.app.screenAdded, self._screen_added),
            (self.app.screenRemoved, self._screen_removed),
            (self.app.primaryScreenChanged, self._primary_changed),
            (self.app.applicationStateChanged, self._state_changed),
            (self.app.focusWindowChanged, self._focus_moved),
            (self.app.clipboard().dataChanged, self.clear_clipboard),
            (self.app.clipboard().selectionChanged, self.clear_clipboard),
        ):
            signal.disconnect(slot)
        for name in list(self.blanks):
            self._drop_blank(name)
        self.backend.release()
        self.missing_notice.show_missing({})
        self.journal("lockdown_stopped", {})

    def describe(self, lang: str = "fr") -> list[str]:
        """Lines for ``pixdesk doctor``: what this guard and its backend enforce here."""
        yes, no = ("yes", "no") if lang == "en" else ("oui", "non")
        capabilities = self.backend.capabilities()
        if lang == "en":
            head = [
                f"window guard: {'engaged' if self.started else 'not engaged'}, "
                f"Qt platform {self.app.platformName()}",
                f"screens: {len(self.app.screens())} (secondary screens blanked)",
                f"heartbeat: every {self._heartbeat.interval()} ms, "
                f"lock after {self.missed_after_ms} ms without a beat",
                f"lockdown backend: {self.backend.name}",
            ]
        else:
            head = [
                f"garde des fenêtres : {'active' if self.started else 'inactive'}, "
                f"plateforme Qt {self.app.platformName()}",
                f"écrans : {len(self.app.screens())} (écrans secondaires masqués)",
                f"battement : toutes les {self._heartbeat.interval()} ms, "
                f"verrouillage après {self.missed_after_ms} ms sans battement",
                f"module de verrouillage : {self.backend.name}",
            ]
        missing = self.backend.missing()
        head += [
            f"  {name}: {yes}" if on else f"  {name}: {no} ({missing.get(name, '?')})"
            for name, on in capabilities.items()
        ]
        return head + self.settings.describe(lang)

    # --- reactions --------------------------------------------------------------------------

    def _react(self, event: Event, detail: str = "") -> None:
        decided = policy.reaction(event, self.settings)
        if decided is Reaction.LOCK:
            self.lock(event.value)
        elif decided is Reaction.WARN:
            text = (
                Finding(event, detail).message(self.lang)
                if isinstance(event, EnvironmentFinding)
                else event.value
            )
            self.journal("lockdown_warning", {"event": event.value, "detail": detail})
            self.warning.emit(text)

    def lock(self, reason: str) -> None:
        """Ask the window to lock (it journals ``lock_engaged``) unless already locked, and
        take the screen back from whatever came to the front."""
        if self.is_locked:
            self._reclaim()
            return
        self.is_locked = True
        self.lock_requested.emit(reason)
        self.window.lock(reason)  # type: ignore[attr-defined]
        for blank in self.blanks.values():
            blank.show_locked(True)
        self._reclaim()

    def _on_locked(self) -> None:
        self.is_locked = True
        for blank in self.blanks.values():
            blank.show_locked(True)

    def _on_unlocked(self) -> None:
        self.is_locked = False
        for blank in self.blanks.values():
            blank.show_locked(False)

    def _reclaim(self) -> None:
        """Bring the exam window back in front with the keyboard focus, full screen."""
        if not self.started:
            return
        if not self.window.isFullScreen() or not self.window.isVisible():
            self.window.showFullScreen()
        self.window.raise_()
        self.window.activateWindow()
        self.backend.engage(int(self.window.winId()))
        self._capabilities_changed()

    def poll(self) -> None:
        """Ask the backend what is wrong now; react once to each new finding."""
        findings = set(self.backend.poll())
        for finding in sorted(findings - self._findings, key=lambda f: f.kind.value):
            self._react(finding.kind, finding.detail)
        self._findings = findings
        self._capabilities_changed()

    def _capabilities_changed(self) -> None:
        """A capability lost or regained (a hook dropped, a grab taken at last) is journaled
        as ``lockdown_capabilities`` and shown to the invigilator."""
        missing = self.backend.missing()
        if missing != self.missing_notice.missing:
            self.journal("lockdown_capabilities", {"missing": missing})
            self.missing_notice.show_missing(missing)

    # --- screens ---------------------------------------------------------------------------

    def _layout(self) -> None:
        """The exam window full screen on the primary screen, a blank window on each other."""
        primary = self.app.primaryScreen()
        if primary is None:
            return
        self.window.setScreen(primary)
        self.window.setGeometry(primary.geometry())
        self.window.showFullScreen()
        others = {s.name(): s for s in self.app.screens() if s is not primary}
        for name in list(self.blanks):
            if name not in others:
                self._drop_blank(name)
        for name, screen in others.items():
            if name in self.blanks:
                self.blanks[name].cover(screen)
            else:
                blank = BlankScreen(screen)
                blank.show_locked(self.is_locked)
                self.blanks[name] = blank

    def _relayout(self) -> None:
        """After a screen change the window manager may have moved the focus: take it back."""
        if self.started:
            self._layout()
            self._reclaim()

    def _drop_blank(self, name: str) -> None:
        blank = self.blanks.pop(name)
        blank.release = True
        blank.close()
        blank.deleteLater()

    def _screen_added(self, screen: QScreen) -> None:
        self.journal("lockdown_screens", {"added": screen.name(), "count": len(self.app.screens())})
        self._relayout()
        self._react(LockTrigger.SCREEN_ADDED, screen.name())

    def _screen_removed(self, screen: QScreen) -> None:
        self.journal(
            "lockdown_screens", {"removed": screen.name(), "count": len(self.app.screens())}
        )
        QTimer.singleShot(0, self._relayout)
        self._react(LockTrigger.SCREEN_REMOVED, screen.name())

    def _primary_changed(self, _screen: QScreen) -> None:
        QTimer.singleShot(0, self._relayout)

    # --- focus, keys, close ----------------------------------------------------------------

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self._react(LockTrigger.FOCUS_LOST)

    def _focus_moved(self, focus: QWindow | None) -> None:
        """Another window of this process took the focus (focus leaving the process is
        ``applicationStateChanged``'s case)."""
        if focus is not None and not self._ours(focus):
            self._react(LockTrigger.FOCUS_LOST)

    def _ours(self, focus: QWindow) -> bool:
        """The exam window, its dialogs and popups (transient for it), the blank screens."""
        mine = {w.windowHandle() for w in (self.window, *self.blanks.values())}
        current: QWindow | None = focus
        while current is not None:
            if current in mine:
                return True
            current = current.transientParent()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent):
            return self._filter_key(kind, event)
        if watched is self.window:
            if kind == QEvent.Type.Resize:
                self.missing_notice.place()
            elif kind == QEvent.Type.Close:
                if not getattr(self.window, "allow_close", False):
                    event.ignore()
                    return True
            elif kind == QEvent.Type.WindowStateChange and self._minimized():
                self._react(LockTrigger.WINDOW_HIDDEN)
                QTimer.singleShot(0, self._reclaim)
        return False

    def _minimized(self) -> bool:
        return self.started and bool(self.window.windowState() & Qt.WindowState.WindowMinimized)

    def _filter_key(self, kind: QEvent.Type, event: QKeyEvent) -> bool:
        key = key_name(event.key())
        if key in policy.SCREEN_READER_MODIFIERS:
            if kind == QEvent.Type.KeyPress:
                self._held.add(key)
            elif kind == QEvent.Type.KeyRelease:
                self._held.discard(key)
        if kind == QEvent.Type.KeyRelease:
            return False
        chord = chord_of(event, frozenset(self._held))
        source = policy.key_source(
            chord,
            injected=False,
            assistive_running=QAccessible.isActive(),
            block_injected=self.settings.block_injected_input,
        )
        decision = policy.decide(chord, source=source)
        if not decision.blocked:
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
            self.journal("lockdown_key_blocked", {"chord": str(chord), "rule": decision.rule})
        return True

    # --- clipboard -------------------------------------------------------------------------

    def clear_clipboard(self) -> None:
        """Empty the clipboard and the X11 primary selection (middle-click paste)."""
        if self._clearing:
            return
        clipboard = self.app.clipboard()
        modes = [QClipboard.Mode.Clipboard]
        if clipboard.supportsSelection():
            modes.append(QClipboard.Mode.Selection)
        self._clearing = True
        try:
            for mode in modes:
                data = clipboard.mimeData(mode)
                if data is not None and data.formats():
                    clipboard.clear(mode)
        finally:
            self._clearing = False

    # --- heartbeat -------------------------------------------------------------------------

    def _beat_now(self) -> float:
        now = time.monotonic()
        with self._beat_lock:
            previous, self._last_beat = self._last_beat, now
        return (now - previous) * 1000

    def _beat(self) -> None:
        gap_ms = self._beat_now()
        if gap_ms > self.missed_after_ms:
            self._heartbeat_missed(int(gap_ms))

    def _watch(self) -> None:
        """Watchdog thread: notices a heartbeat that stopped, even while the loop is stuck;
        the lock itself runs on the GUI thread as soon as it turns again."""
        reported = 0.0
        interval = self._heartbeat.interval() / 1000
        while not self._stop_watchdog.wait(interval):
            with self._beat_lock:
                last = self._last_beat
            late_ms = (time.monotonic() - last) * 1000
            if late_ms > self.missed_after_ms and last != reported:
                reported = last
                self._stalled.emit(last)

    def _watchdog_alarm(self, stale_beat: float) -> None:
        """A beat since the alarm means the loop turned again and ``_beat`` judged the gap."""
        with self._beat_lock:
            current = self._last_beat
        if current == stale_beat:
            self._heartbeat_missed(int((time.monotonic() - stale_beat) * 1000))

    def _heartbeat_missed(self, gap_ms: int) -> None:
        if not self.started:
            return
        self._beat_now()
        self.journal("lockdown_heartbeat_missed", {"gap_ms": gap_ms})
        self._react(LockTrigger.HEARTBEAT_MISSED)


def install_guard(
    app: QApplication,
    window: QWidget,
    journal: Journal,
    settings: KioskSettings,
    make_backend: Callable[[int | None], LockdownBackend],
    **options: Any,
) -> KioskGuard:
    """Build the backend on Qt's X connection (``make_backend(x_display)``), undo what a
    crashed previous run left changed, then start."""
    backend = make_backend(qt_x11_display(app))
    backend.restore_pending()
    guard = KioskGuard(app, window, journal, settings, backend, **options)
    guard.start()
    return guard
