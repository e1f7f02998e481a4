"""``pixdesk demo`` as a real process under a real X server and window manager.

Xvfb + openbox, driven with xdotool like a candidate at the keyboard: reach the question
screen, try every escape chord, bring another program's window to the front, unlock with
the invigilator password, then plug in a second monitor with xrandr. What the app did is
read from outside: window geometry and focus through xdotool, the exam's own journal (in
a child process, like ``pixdesk journal verify``), and screenshots taken by a separate Qt
process (set ``PIXDESK_SCREENSHOTS=docs/screenshots`` to keep them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.xdesktop import ROOT, Desktop, wait_for, xvfb_desktop

pytestmark = pytest.mark.xvfb

WIDTH, HEIGHT = 1280, 800
ESCAPE_CHORDS = ("alt+Tab", "alt+F4", "ctrl+q", "ctrl+w", "super", "alt+Escape", "ctrl+Escape")
PROGRESS = ("challenge_assigned", "answer_submitted", "ended")


def kinds(events: list[tuple[str, dict[str, object]]], wanted: tuple[str, ...]) -> list[str]:
    return [kind for kind, _ in events if kind in wanted]


def lock_reasons(desktop: Desktop) -> list[str]:
    return [str(p["reason"]) for k, p in desktop.journal() if k == "lock_engaged"]


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    shots = Path(os.environ.get("PIXDESK_SCREENSHOTS") or tmp_path / "shots")
    with xvfb_desktop(tmp_path / "data", shots, WIDTH, HEIGHT) as screen:
        yield screen


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
