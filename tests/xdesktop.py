"""A real X desktop for tests: Xvfb + openbox, processes started on it, xdotool to drive it.

Shared by the Xvfb tests (kiosk, X11 injection, quit loop, screen reader) so that they start,
look at and tear down the display the same way.
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("openbox", "xdotool", "xrandr")


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
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.processes.append(process)
        return process

    def run(self, *command: str, any_exit: bool = False) -> str:
        """What ``command`` printed; "" when it failed, unless ``any_exit``."""
        done = subprocess.run(
            command, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        return done.stdout if done.returncode == 0 or any_exit else ""

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


def wait_for(what: str, check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@contextmanager
def xvfb_desktop(data_dir: Path, shots: Path, width: int, height: int) -> Iterator[Desktop]:
    """An Xvfb screen of ``width`` × ``height`` (RANDR on) with openbox running on it."""
    require(shutil.which("Xvfb") is not None, "Xvfb")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"install {missing} (the CI apt list has them)"
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
         "+extension", "RANDR", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    shots.mkdir(parents=True, exist_ok=True)
    screen = Desktop(f":{number}", data_dir, shots)
    screen.processes.append(server)
    try:
        assert number, "Xvfb did not announce its display"
        screen.start("openbox")
        wait_for("openbox", lambda: screen.run("xdotool", "get_num_desktops").strip(), timeout=10)
        yield screen
    finally:
        screen.stop()
