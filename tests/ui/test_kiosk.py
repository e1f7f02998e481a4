"""The kiosk window guard on the real exam window (offscreen platform).

Keys go through ``QApplication.notify`` exactly like keyboard input, so the guard's
application-wide filter sees them first; what reaches the focused field is recorded by a
filter on that field. The real X11 behaviour (window manager, grab, xrandr) is in
tests/e2e/test_kiosk_xvfb.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pixdesk.lockdown.factory import backend_for
from pixdesk.lockdown.linux import LinuxBackend
from pixdesk.lockdown.null import NullBackend
from pixdesk.lockdown.policy import KioskSettings
from pixdesk.lockdown.windows import WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR
from pixdesk.ui import i18n
from pixdesk.ui.kiosk import KIOSK_FLAGS, KioskGuard, chord_of, key_name
from pixdesk.ui.main_window import MainWindow
from tests.conftest import require
from tests.lockdown.fake_user32 import FakeUser32

Mod = Qt.KeyboardModifier
Key = Qt.Key


class Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        self.entries.append((kind, payload))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.entries]


MODIFIER_KEYS = {Key.Key_Alt.value, Key.Key_Control.value, Key.Key_Shift.value,
                 Key.Key_Meta.value}


class KeysSeen(QObject):
    """Installed on the target widget: which non-modifier keys got past the guard (QTest
    presses the modifiers themselves too; those always pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[tuple[int, Mod]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() not in MODIFIER_KEYS:  # type: ignore[attr-defined]
            self.pressed.append((event.key(), event.modifiers()))  # type: ignore[attr-defined]
        return False


def app() -> QApplication:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    return instance


@pytest.fixture
def journal() -> Recorder:
    return Recorder()


@pytest.fixture
def guard(window: MainWindow, journal: Recorder) -> Iterator[KioskGuard]:
    kiosk = KioskGuard(
        app(), window, journal, KioskSettings(), NullBackend(),
        heartbeat_ms=100, missed_after_ms=400, poll_ms=100,
    )
    kiosk.start()
    yield kiosk
    kiosk.stop()


def focused(window: QWidget) -> bool:
    return QGuiApplication.focusWindow() is window.windowHandle()


def is_locked(window: MainWindow) -> bool:
    return window.stack.currentWidget() is window.lock_screen


BLOCKED = [
    (Key.Key_Tab, Mod.AltModifier),
    (Key.Key_F4, Mod.AltModifier),
    (Key.Key_Q, Mod.ControlModifier),
    (Key.Key_W, Mod.ControlModifier),
    (Key.Key_Super_L, Mod.NoModifier),
    (Key.Key_Escape, Mod.AltModifier),
    (Key.Key_Escape, Mod.ControlModifier),
    (Key.Key_C, Mod.ControlModifier),
    (Key.Key_V, Mod.ControlModifier),
    (Key.Key_F11, Mod.NoModifier),
    (Key.Key_Print, Mod.NoModifier),
    (Key.Key_Menu, Mod.NoModifier),
]
ALLOWED = [
    (Key.Key_Z, Mod.ControlModifier),
    (Key.Key_Left, Mod.NoModifier),
    (Key.Key_Escape, Mod.NoModifier),
    (Key.Key_F1, Mod.NoModifier),
    (Key.Key_A, Mod.ControlModifier),
    (Key.Key_X, Mod.NoModifier),
]


def test_qt_keys_are_named_as_the_policy_names_them() -> None:
    assert key_name(Key.Key_F4.value) == "f4"
    assert key_name(Key.Key_Q.value) == "q"
    assert key_name(Key.Key_Backtab.value) == "tab"
    assert key_name(Key.Key_Super_R.value) == "meta"
    assert key_name(Key.Key_Print.value) == "printscreen"
    assert key_name(Key.Key_Eacute.value, "é") == "é"


def test_blocked_chords_are_swallowed_and_allowed_ones_reach_the_answer_field(
    qtbot: QtBot, window: MainWindow, guard: KioskGuard, journal: Recorder
) -> None:
    field = window.opening.code
    field.setFocus()
    seen = KeysSeen()
    field.installEventFilter(seen)
    for key, modifiers in BLOCKED + ALLOWED:
        qtbot.keyClick(field, key, modifiers)
    assert seen.pressed == [(key.value, mods) for key, mods in ALLOWED]
    assert field.text().lower() == "x"
    rules = [payload["rule"] for kind, payload in journal.entries
             if kind == "lockdown_key_blocked"]
    assert rules == [
        "task_switch", "close_window", "application_shortcut", "application_shortcut",
        "super_key", "task_switch", "task_switch", "clipboard", "clipboard",
        "leave_full_screen", "screen_capture", "context_menu_key",
    ]


def test_a_blocked_chord_never_fires_an_application_shortcut(
    qtbot: QtBot, window: MainWindow, guard: KioskGuard
) -> None:
    fired: list[str] = []
    shortcut = QShortcut(QKeySequence("Ctrl+W"), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(lambda: fired.append("ctrl+w"))
    window.opening.code.setFocus()
    qtbot.keyClick(window.opening.code, Key.Key_W, Mod.ControlModifier)
    guard.stop()
    qtbot.keyClick(window.opening.code, Key.Key_W, Mod.ControlModifier)
    assert fired == ["ctrl+w"]


def test_screen_reader_command_keys_pass_while_assistive_technology_is_active() -> None:
    event = QKeyEvent(QEvent.Type.KeyPress, Key.Key_Tab.value, Mod.NoModifier)
    chord = chord_of(event, frozenset({"insert"}))
    assert str(chord) == "Insert+Tab"


def test_the_window_is_frameless_full_screen_on_top_and_refuses_to_close(
    qtbot: QtBot, window: MainWindow, guard: KioskGuard
) -> None:
    assert window.windowFlags() & KIOSK_FLAGS == KIOSK_FLAGS
    qtbot.waitUntil(window.isFullScreen)
    assert window.screen() is app().primaryScreen()
    window.close()
    qtbot.wait(50)
    assert window.isVisible()
    window.allow_close = True
    guard.stop()
    window.close()
    assert not window.isVisible()


def test_the_clipboard_is_cleared_at_start_and_on_every_change(
    qtbot: QtBot, window: MainWindow, journal: Recorder
) -> None:
    clipboard = app().clipboard()
    clipboard.setText("réponse copiée avant l'examen")
    kiosk = KioskGuard(app(), window, journal, KioskSettings(), NullBackend())
    kiosk.start()
    try:
        assert clipboard.text() == ""
        clipboard.setText("copié pendant l'examen")
        qtbot.waitUntil(lambda: clipboard.text() == "")
    finally:
        kiosk.stop()
    clipboard.setText("après l'examen")
    assert clipboard.text() == "après l'examen"
    clipboard.clear()


def test_another_application_window_taking_the_focus_locks_the_test(
    qtbot: QtBot, window: MainWindow, guard: KioskGuard
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: focused(window))
    intruder = QWidget()
    qtbot.addWidget(intruder)
    intruder.setWindowTitle("intruder")
    with qtbot.waitSignal(guard.lock_requested) as raised:
        intruder.show()
        intruder.activateWindow()
    assert raised.args == ["focus_lost"]
    qtbot.waitUntil(lambda: is_locked(window))
    qtbot.waitUntil(lambda: focused(window))


def test_the_invigilator_panel_is_not_a_focus_loss(
    qtbot: QtBot, window: MainWindow, guard: KioskGuard
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: focused(window))
    requested: list[str] = []
    guard.lock_requested.connect(requested.append)
    window.controller.open_panel()
    panel = window.controller.panel
    assert panel is not None
    qtbot.waitUntil(lambda: focused(panel))
    qtbot.wait(100)
    assert requested == [] and not is_locked(window)
    panel.reject()


def test_a_frozen_event_loop_is_a_missed_heartbeat_and_locks(
    qtbot: QtBot, window: MainWindow, guard: KioskGuard, journal: Recorder
) -> None:
    qtbot.wait(300)
    assert "lockdown_heartbeat_missed" not in journal.kinds()
    with qtbot.waitSignal(guard.lock_requested, timeout=3000) as raised:
        time.sleep(0.7)
    assert raised.args == ["heartbeat_missed"]
    qtbot.waitUntil(lambda: is_locked(window))
    qtbot.wait(300)
    assert journal.kinds().count("lockdown_heartbeat_missed") == 1


@pytest.mark.skipif(
    sys.platform != "linux", reason="the Linux backend's /proc scan of a copied POSIX sleep"
)
def test_backend_findings_lock_or_warn_once_each(
    qtbot: QtBot, window: MainWindow, journal: Recorder, tmp_path: Path
) -> None:
    """A real process named like a remote-control tool, found by the real /proc scan."""
    require(Path("/proc/self/stat").exists(), "/proc")
    sleeper = tmp_path / "anydesk"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", sleeper)
    backend = LinuxBackend(journal=journal, state_path=tmp_path / "state.json", env={})
    kiosk = KioskGuard(app(), window, journal, KioskSettings(), backend, poll_ms=100)
    warnings: list[str] = []
    kiosk.warning.connect(warnings.append)
    kiosk.start()
    process = subprocess.Popen([str(sleeper), "30"])
    try:
        with qtbot.waitSignal(kiosk.lock_requested, timeout=3000) as raised:
            pass
        assert raised.args == ["prohibited_process"]
        qtbot.waitUntil(lambda: is_locked(window))
        qtbot.wait(300)
        assert warnings == ["Le clavier ne peut pas être réservé à PixDesk (no DISPLAY)"]
        warned = [p for kind, p in journal.entries if kind == "lockdown_warning"]
        assert warned == [{"event": "keyboard_grab_unavailable", "detail": "no DISPLAY"}]
    finally:
        process.kill()
        process.wait()
        kiosk.stop()


def test_describe_tells_doctor_what_is_enforced(
    window: MainWindow, guard: KioskGuard
) -> None:
    lines = guard.describe("en")
    assert lines[0].startswith("window guard: engaged, Qt platform offscreen")
    assert "lockdown backend: null" in lines
    assert "  keyboard_filter: no (no lockdown backend on this system)" in lines
    assert "heartbeat_missed: locks" in lines
    assert guard.describe("fr")[0].startswith("garde des fenêtres : active")


TWO_SCREENS = """{"synchronousWindowSystemEvents": false, "windowFrameMargins": false,
 "screens": [
  {"name": "A", "x": 0, "y": 0, "width": 1024, "height": 768,
   "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1},
  {"name": "B", "x": 1024, "y": 0, "width": 800, "height": 600,
   "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}"""


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="QT_QPA_PLATFORM separates options with ':', so it cannot name C:\\...\\screens.json",
)
def test_secondary_screens_get_a_blank_locked_window(tmp_path: Path) -> None:
    """The offscreen platform takes its screens from a file at start, so this test runs
    ``two_screen_check`` in a child Python whose platform has screens A and B."""
    config = tmp_path / "screens.json"
    config.write_text(TWO_SCREENS, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    child = subprocess.run(
        [sys.executable, "-c",
         "import sys; from tests.ui.test_kiosk import two_screen_check; "
         "sys.exit(two_screen_check(sys.argv[1]))", str(tmp_path / "data")],
        env=env, cwd=Path(__file__).parents[2], capture_output=True, text=True, timeout=60,
    )
    assert child.returncode == 0, child.stdout + child.stderr
    assert child.stdout.split() == ["blank:B:1024,0,800x600", "close:refused",
                                    "added:locked:screen_added", "blanks:1", "stopped:0"]


def two_screen_check(data_dir: str) -> int:
    """Run in the child: the exam window on A, a blank window over B; a screen plugged in
    while running (Qt's ``screenAdded``) locks the test without a second blank on B."""
    from PySide6.QtCore import QCoreApplication

    from pixdesk.demo import load_demo
    from pixdesk.ui.theme import Look

    qt = QApplication([])
    window = MainWindow(load_demo(), Path(data_dir), kiosk=True, look=Look(), lang="fr")
    window.start()
    guard = KioskGuard(qt, window, Recorder(), KioskSettings(), NullBackend())
    reasons: list[str] = []
    guard.lock_requested.connect(reasons.append)
    guard.start()
    for _ in range(20):
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert window.screen().name() == "A" and window.isFullScreen()
    (blank,) = guard.blanks.values()
    rect = blank.geometry()
    flags_ok = blank.windowFlags() & KIOSK_FLAGS == KIOSK_FLAGS and blank.isFullScreen()
    print(f"blank:{blank.screen().name()}:{rect.x()},{rect.y()},{rect.width()}x{rect.height()}"
          if flags_ok else "blank:wrong-flags")
    blank.close()
    print("close:refused" if blank.isVisible() else "close:accepted")
    qt.screenAdded.emit(qt.screens()[1])
    for _ in range(20):
        QCoreApplication.processEvents()
        time.sleep(0.01)
    print(f"added:{'locked' if is_locked(window) else 'open'}:{','.join(reasons)}")
    print(f"blanks:{len(guard.blanks)}")
    guard.stop()
    print(f"stopped:{len(guard.blanks)}")
    window.allow_close = True
    window.close()
    window.controller.shut_down()
    return 0


# --- what is not in force on this PC, shown to the invigilator -----------------------------


@pytest.fixture
def user32() -> FakeUser32:
    return FakeUser32()


@pytest.fixture
def windows_guard(
    window: MainWindow, journal: Recorder, user32: FakeUser32, tmp_path: Path
) -> Iterator[KioskGuard]:
    """The real Windows backend (through the factory) on the fake user32."""
    backend = backend_for("win32", journal=journal, state_path=tmp_path / "state.json",
                          user32=user32, lister=list)
    kiosk = KioskGuard(app(), window, journal, KioskSettings(), backend, poll_ms=100)
    yield kiosk
    kiosk.stop()


def test_protections_windows_refused_are_listed_for_the_invigilator(
    qtbot: QtBot, window: MainWindow, windows_guard: KioskGuard, user32: FakeUser32,
    journal: Recorder,
) -> None:
    user32.refused_affinities |= {WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR}
    windows_guard.start()
    notice = windows_guard.missing_notice
    assert notice.isVisible() and notice.parentWidget() is window
    assert notice.accessibleName() == "Protections absentes sur ce poste"
    assert notice.text() == "⚠ Non assuré sur ce poste : exclusion des captures d'écran"
    assert "SetWindowDisplayAffinity(WDA_MONITOR) failed" in notice.toolTip()
    assert notice.geometry().bottom() < window.height() and notice.x() >= 0
    window.zoom_in()
    window.zoom_in()
    qtbot.waitUntil(lambda: notice.height() >= notice.heightForWidth(notice.width()))
    assert notice.geometry().bottom() < window.height()
    [started] = [p for kind, p in journal.entries if kind == "lockdown_started"]
    assert list(started["missing"]) == ["capture_exclusion"]
    assert started["capabilities"]["capture_exclusion"] is False


def test_the_notice_is_translated(
    qtbot: QtBot, window: MainWindow, user32: FakeUser32, tmp_path: Path
) -> None:
    user32.refuse_hook = True
    installed = i18n.install(app(), "en")
    backend = backend_for("win32", journal=Recorder(), state_path=tmp_path / "state.json",
                          user32=user32, lister=list)
    kiosk = KioskGuard(app(), window, Recorder(), KioskSettings(), backend, lang="en")
    try:
        kiosk.start()
        notice = kiosk.missing_notice
        assert notice.text() == (
            "⚠ Not ensured on this PC: keyboard shortcut filter, "
            "blocking of synthetic keyboard input"
        )
        assert notice.accessibleName() == "Protections missing on this PC"
    finally:
        kiosk.stop()
        for translator in installed:
            app().removeTranslator(translator)


def test_no_notice_when_every_protection_is_in_force(
    window: MainWindow, windows_guard: KioskGuard
) -> None:
    windows_guard.start()
    assert windows_guard.backend.missing() == {}
    assert not windows_guard.missing_notice.isVisible()


def test_a_protection_lost_during_the_exam_is_journaled_and_shown(
    qtbot: QtBot, window: MainWindow, windows_guard: KioskGuard, user32: FakeUser32,
    journal: Recorder,
) -> None:
    windows_guard.start()
    assert not windows_guard.missing_notice.isVisible()
    user32.refuse_hook = True
    user32.drop_hooks()  # Windows removed the hook and will not let it back
    qtbot.waitUntil(lambda: windows_guard.missing_notice.isVisible(), timeout=5000)
    assert "filtre des raccourcis clavier" in windows_guard.missing_notice.text()
    changes = [p for kind, p in journal.entries if kind == "lockdown_capabilities"]
    assert "keyboard_filter" in changes[0]["missing"]
