"""``pixdesk demo`` as a real process under a real X server and window manager.

Xvfb + openbox, driven with xdotool like a candidate at the keyboard: reach the question
screen, try every escape chord, bring another program's window to the front, unlock with
the invigilator password, then plug in a second monitor with xrandr. What the app did is
read from outside: window geometry and focus through xdotool, the exam's own journal (in
a child process, like ``pixdesk journal verify``), and screenshots taken by a separate Qt
process (set ``PIXDESK_SCREENSHOTS=docs/screenshots`` to keep them).
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

import pytest

from tests.conftest import require

pytestmark = pytest.mark.xvfb

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1280, 800
TOOLS = ("openbox", "xdotool", "xrandr")
ESCAPE_CHORDS = ("alt+Tab", "alt+F4", "ctrl+q", "ctrl+w", "super", "alt+Escape", "ctrl+Escape")
PROGRESS = ("challenge_assigned", "answer_submitted", "ended")


class Desktop:
    """The X display, the processes started on it, and the ways to look at it."""

    def __init__(self, display: str, data_dir: Path, shots: Path) -> None:
        self.display = display
        self.data_dir = data_dir
        self.shots = shots
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("QT_", "WAYLAND"))
        } | {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.processes.append(process)
        return process

    def run(self, *command: str) -> str:
        done = subprocess.run(
            command, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=30
        )
        return done.stdout if done.returncode == 0 else ""

    def key(self, *chords: str) -> None:
        for chord in chords:
            self.run("xdotool", "key", "--clearmodifiers", chord)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.run("xdotool", "type", "--delay", "40", text)

    def find(self, title: str) -> list[str]:
        return self.run("xdotool", "search", "--name", title).split()

    def active(self) -> str:
        return self.run("xdotool", "getactivewindow").strip()

    def geometry(self, window: str) -> tuple[int, int, int, int] | None:
        """x, y, width, height as xdotool reports them; None while the window is unmapped
        or being re-created."""
        values = dict(
            line.split("=", 1)
            for line in self.run("xdotool", "getwindowgeometry", "--shell", window).split()
            if "=" in line
        )
        try:
            return (int(values["X"]), int(values["Y"]), int(values["WIDTH"]),
                    int(values["HEIGHT"]))
        except (KeyError, ValueError):
            return None

    def journal(self, folder: str = "") -> list[tuple[str, dict[str, object]]]:
        """The demo attempt's events (or, with ``folder="device"``, the device security
        journal's), read in a child process as ``journal verify`` does."""
        script = (
            "import json, sys\n"
            "from pathlib import Path\n"
            "from pixdesk.store.journal import Journal\n"
            "j = Journal.open(Path(sys.argv[1]), allow_file_key=True, create=False)\n"
            "out = [[e.kind, e.payload] for a in j.attempts() for e in j.events(a.attempt_id)]\n"
            "j.close()\n"
            "print(json.dumps(out, default=str))\n"
        )
        text = self.run(sys.executable, "-c", script, str(self.data_dir / folder))
        return [(kind, payload) for kind, payload in json.loads(text)] if text else []

    def screenshot(self, name: str) -> Path:
        """The whole X screen, grabbed by a separate Qt client (no ImageMagick needed)."""
        target = self.shots / f"{name}.png"
        script = (
            "import sys\n"
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication([])\n"
            "screen = app.primaryScreen()\n"
            "area = screen.virtualGeometry()\n"
            "image = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())\n"
            "sys.exit(0 if image.save(sys.argv[1]) else 1)\n"
        )
        self.run(sys.executable, "-c", script, str(target))
        assert target.exists(), f"no screenshot {target}"
        return target

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


def wait_for(what: str, check: Callable[[], object], timeout: float = 15.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def kinds(events: list[tuple[str, dict[str, object]]], wanted: tuple[str, ...]) -> list[str]:
    return [kind for kind, _ in events if kind in wanted]


def lock_reasons(desktop: Desktop) -> list[str]:
    return [str(p["reason"]) for k, p in desktop.journal() if k == "lock_engaged"]


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    require(shutil.which("Xvfb") is not None, "Xvfb")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"install {missing} (the CI apt list has them)"
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
         "+extension", "RANDR", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    shots = Path(os.environ.get("PIXDESK_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    screen = Desktop(f":{number}", tmp_path / "data", shots)
    screen.processes.append(server)
    try:
        assert number, "Xvfb did not announce its display"
        screen.start("openbox")
        wait_for("openbox", lambda: screen.run("xdotool", "get_num_desktops").strip(), timeout=10)
        yield screen
    finally:
        screen.stop()


@pytest.mark.slow
def test_the_demo_keeps_the_screen_locks_on_intrusion_and_blanks_a_new_monitor(
    desktop: Desktop,
) -> None:
    started = time.monotonic()
    app = desktop.start(sys.executable, "-m", "pixdesk", "demo",
                        "--data-dir", str(desktop.data_dir))
    main = str(wait_for("the exam window", lambda: desktop.find("certification Pix")[:1])[0])  # type: ignore[index]
    wait_for("full screen", lambda: desktop.geometry(main) == (0, 0, WIDTH, HEIGHT))
    wait_for("focus", lambda: desktop.active() == main)

    # Opening screen: the access code field (it has the focus; the demo's candidate list
    # above it moves it, so no fixed spot to click), then the password.
    desktop.type("BKQT47")
    desktop.key("Tab")
    desktop.type("SURV26")
    desktop.key("Return")
    time.sleep(1.5)
    desktop.type("Dubois")
    desktop.key("Tab")
    desktop.type("Hugo")
    for part in ("02", "11", "2008"):
        desktop.key("Tab")
        desktop.type(part)
    desktop.key("Return")
    wait_for("check-in", lambda: kinds(desktop.journal(), ("attempt_started",)))
    time.sleep(0.5)
    desktop.type("SURV26")
    desktop.key("Return")
    wait_for("authorised", lambda: kinds(desktop.journal(), ("authorised",)))
    time.sleep(0.5)
    desktop.key("space")
    wait_for("first question", lambda: kinds(desktop.journal(), ("challenge_assigned",)))
    before = desktop.journal()

    desktop.key(*ESCAPE_CHORDS)
    time.sleep(1.0)
    assert app.poll() is None, "the exam process ended"
    assert desktop.active() == main
    assert desktop.geometry(main) == (0, 0, WIDTH, HEIGHT)
    after = desktop.journal()
    assert kinds(after, PROGRESS) == kinds(before, PROGRESS) == ["challenge_assigned"]
    assert kinds(after, ("lock_engaged", "focus_lost")) == []

    intruder = desktop.start(
        sys.executable, "-c",
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "w = QLabel('intrus'); w.setWindowTitle('intruder-window'); w.resize(400, 200)\n"
        "w.show(); app.exec()\n",
    )
    other = str(wait_for("the other window", lambda: desktop.find("intruder-window")[:1])[0])  # type: ignore[index]
    desktop.run("xdotool", "windowactivate", other)
    wait_for("lock on focus loss", lambda: lock_reasons(desktop))
    assert set(lock_reasons(desktop)) == {"focus_lost"}
    assert "focus_lost" in kinds(desktop.journal(), ("focus_lost",))
    wait_for("focus taken back", lambda: desktop.active() == main)
    assert desktop.geometry(main) == (0, 0, WIDTH, HEIGHT)
    time.sleep(0.5)
    desktop.screenshot("lock-focus-lost")

    desktop.type("SURV26")
    desktop.key("Return")
    wait_for("unlocked", lambda: kinds(desktop.journal(), ("unlocked",)))
    intruder.terminate()
    intruder.wait(5)

    focus_locks = len(lock_reasons(desktop))
    monitors = desktop.run("xrandr", "--listmonitors")
    output = monitors.split()[-1]
    half = WIDTH // 2
    desktop.run("xrandr", "--setmonitor", "LEFT", f"{half}/169x{HEIGHT}/211+0+0", output)
    desktop.run("xrandr", "--setmonitor", "RIGHT", f"{half}/169x{HEIGHT}/211+{half}+0", "none")
    wait_for("a blank window over the new screen", lambda: any(
        desktop.geometry(blank) == (half, 0, half, HEIGHT) for blank in desktop.find("réservé")
    ))
    wait_for("exam on the primary screen", lambda: desktop.geometry(main) == (0, 0, half, HEIGHT))
    wait_for("lock on the new screen", lambda: len(lock_reasons(desktop)) > focus_locks)
    assert lock_reasons(desktop)[focus_locks] in ("screen_added", "screen_removed")
    wait_for(f"focus kept on the exam ({main})", lambda: desktop.active() == main)
    time.sleep(0.5)
    desktop.screenshot("lock-second-screen")
    assert kinds(desktop.journal(), PROGRESS) == ["challenge_assigned"]

    app.terminate()
    app.wait(10)
    verify = subprocess.run(
        [sys.executable, "-m", "pixdesk", "journal", "verify", "--data-dir",
         str(desktop.data_dir), "--lang", "en"],
        env=desktop.env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK" in verify.stdout
    assert "device journal — attempt device-" in verify.stdout
    device = [kind for kind, _ in desktop.journal("device")]
    assert device[:3] == ["device_run_started", "lockdown_change", "lockdown_started"]
    assert "lockdown_key_blocked" in device and "lockdown_screens" in device
    assert time.monotonic() - started < 90
