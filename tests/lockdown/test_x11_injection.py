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
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.xvfb

ROOT = Path(__file__).resolve().parents[2]

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


def wait_for(what: str, check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Display:
    def __init__(self, number: str) -> None:
        self.env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("QT_", "WAYLAND"))
        } | {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT),
             "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.processes.append(process)
        return process

    def run(self, *command: str, any_exit: bool = False) -> str:
        done = subprocess.run(
            command, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        return done.stdout if done.returncode == 0 or any_exit else ""

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


@pytest.fixture
def display() -> Iterator[Display]:
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb")
    missing = [tool for tool in ("openbox", "xdotool") if shutil.which(tool) is None]
    assert not missing, f"install {missing} (the CI apt list has them)"
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    screen = Display(number)
    screen.processes.append(server)
    try:
        assert number, "Xvfb did not announce its display"
        screen.start("openbox")
        wait_for("openbox", lambda: screen.run("xdotool", "get_num_desktops").strip(), timeout=10)
        yield screen
    finally:
        screen.stop()


def doctor_lockdown(display: Display, data_dir: Path) -> dict[str, Any]:
    """Doctor's lockdown check (it exits 1 here: this Xvfb has no keyring, no server)."""
    out = display.run(sys.executable, "-m", "pixdesk", "doctor", "--json", "--lang", "en",
                      "--data-dir", str(data_dir), "--screens", "1", any_exit=True)
    checks = {check["id"]: check for check in json.loads(out)["checks"]}
    kiosk_lines = " ".join(checks["kiosk"].get("details", []))
    assert "synthetic keyboard input: blocked" not in kiosk_lines
    lockdown: dict[str, Any] = checks["lockdown"]
    return lockdown


def test_synthetic_keys_reach_the_kiosk_window_and_no_one_claims_they_are_blocked(
    display: Display, tmp_path: Path
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
