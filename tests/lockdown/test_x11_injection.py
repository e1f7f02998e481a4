"""Under a real X server: synthetic keys reach the kiosk window, and nothing claims otherwise.

A child process runs the real window guard (``install_guard``) with the real Linux backend on
Qt's own X connection, around one text field, and writes what it holds (the field's text,
``capabilities()``, ``missing()``) to a file. ``xdotool type`` then injects keys through
XTEST, and ``xdotool type --window`` through ``XSendEvent``: both reach the field while the
keyboard grab is held, so the backend must not report ``injected_input_filter`` — and
``pixdesk doctor --json`` on the same display must say it is missing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.xdesktop import Desktop, wait_for, xvfb_desktop

pytestmark = pytest.mark.xvfb


KIOSK = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pixdesk.lockdown.factory import backend_for
from pixdesk.lockdown.policy import KioskSettings
from pixdesk.ui.kiosk import install_guard

class ExamWindow(QWidget):
    locked = Signal()
    unlocked = Signal()

    def __init__(self):
        super().__init__()
        self.setWindowTitle("injection-probe")
        self.field = QLineEdit()
        QVBoxLayout(self).addWidget(self.field)

    def lock(self, reason):
        pass

out = Path(sys.argv[1])
app = QApplication([])
window = ExamWindow()
guard = install_guard(
    app, window, lambda kind, payload: None, KioskSettings(),
    lambda display: backend_for("linux", journal=lambda kind, payload: None,
                                state_path=out.with_name("state.json"), x_display=display),
)
window.field.setFocus()

def report():
    state = {"text": window.field.text(), "capabilities": guard.backend.capabilities(),
             "missing": guard.backend.missing()}
    out.with_suffix(".tmp").write_text(json.dumps(state))
    out.with_suffix(".tmp").replace(out)

timer = QTimer()
timer.timeout.connect(report)
timer.start(100)
app.exec()
"""


@pytest.fixture
def display(tmp_path: Path) -> Iterator[Desktop]:
    with xvfb_desktop(tmp_path / "data", tmp_path / "shots", 800, 600) as screen:
        yield screen


def doctor_lockdown(display: Desktop, data_dir: Path) -> dict[str, Any]:
    """Doctor's lockdown check (it exits 1 here: this Xvfb has no keyring, no server)."""
    out = display.run(sys.executable, "-m", "pixdesk", "doctor", "--json", "--lang", "en",
                      "--data-dir", str(data_dir), "--screens", "1", any_exit=True)
    checks = {check["id"]: check for check in json.loads(out)["checks"]}
    kiosk_lines = " ".join(checks["kiosk"].get("details", []))
    assert "synthetic keyboard input: blocked" not in kiosk_lines
    lockdown: dict[str, Any] = checks["lockdown"]
    return lockdown


def test_synthetic_keys_reach_the_kiosk_window_and_no_one_claims_they_are_blocked(
    display: Desktop, tmp_path: Path
) -> None:
    doctor = doctor_lockdown(display, tmp_path / "doctor-data")
    assert doctor["capabilities"]["keyboard_filter"] is True, doctor["missing"]  # trial grab
    assert doctor["capabilities"]["injected_input_filter"] is False
    assert "XTEST" in doctor["missing"]["injected_input_filter"]
    assert "blocking of synthetic keyboard input" in doctor["message"]

    report = tmp_path / "kiosk.json"
    display.start(sys.executable, "-c", KIOSK, str(report))
    window = wait_for("the kiosk window",
                      lambda: display.run("xdotool", "search", "--name", "injection-probe"))
    window = window.split()[0]
    wait_for("focus", lambda: display.run("xdotool", "getactivewindow").strip() == window)

    def state() -> dict[str, Any]:
        return json.loads(report.read_text()) if report.exists() else {}

    wait_for("the keyboard grab (taken again each second until the window is viewable)",
             lambda: state().get("capabilities", {}).get("keyboard_filter"))
    display.run("xdotool", "type", "--delay", "40", "xtest")
    wait_for("XTEST keys in the field", lambda: state()["text"] == "xtest")
    display.run("xdotool", "type", "--window", window, "--delay", "40", "send")
    wait_for("XSendEvent keys in the field", lambda: state()["text"] == "xtestsend")

    held = state()
    assert held["capabilities"]["keyboard_filter"] is True, held  # the grab is held, and yet
    assert held["capabilities"]["injected_input_filter"] is False
    assert "XTEST" in held["missing"]["injected_input_filter"]
    assert doctor_lockdown(display, tmp_path / "doctor-data")["missing"]["keyboard_filter"] == (
        "AlreadyGrabbed"  # doctor run during the exam sees the kiosk's grab, honestly
    )
