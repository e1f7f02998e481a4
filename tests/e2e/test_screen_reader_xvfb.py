"""What a screen reader gets from the running app: ``pixdesk demo`` under Xvfb with a
D-Bus session and the AT-SPI bus, its accessibility tree read from outside by
``atspi_probe.py`` (Debian's AT-SPI bindings) on every screen of a candidate's way in.

Every interactive control showing must have a role and a name; the question text and the
timer must be in the tree; an announcement (a refused password) must reach AT-SPI. Under
CI (``CI=true``) a missing AT-SPI stack fails the test instead of skipping it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.e2e.test_kiosk_xvfb import desktop  # noqa: F401
from tests.xdesktop import Desktop, wait_for

pytestmark = pytest.mark.xvfb
SYSTEM_PYTHON = "/usr/bin/python3"
PROBE = Path(__file__).with_name("atspi_probe.py")
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APP = "PixDesk"
INTERACTIVE = {
    "push button", "check box", "radio button", "text", "password text", "spin button",
    "combo box", "entry", "toggle button", "list", "list box", "slider", "menu item",
}


class Reader:
    """The AT-SPI side: a D-Bus session, the accessibility bus, and the probe."""

    def __init__(self, screen: Desktop) -> None:
        self.screen = screen

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run([SYSTEM_PYTHON, str(PROBE), *args], env=self.screen.env,
                              capture_output=True, text=True, timeout=timeout)

    def tree(self) -> list[dict[str, Any]]:
        done = self.run("tree", APP)
        assert done.returncode == 0, done.stderr[-400:]
        return json.loads(done.stdout or "[]")  # type: ignore[no-any-return]

    def showing(self) -> list[dict[str, Any]]:
        return [node for node in self.tree() if node["showing"]]


@pytest.fixture
def reader(desktop: Desktop) -> Iterator[Reader]:  # noqa: F811
    for tool in (SYSTEM_PYTHON, BUS_LAUNCHER, shutil.which("dbus-launch") or "dbus-launch"):
        require(Path(tool).exists(), f"{tool} (AT-SPI stack)")
    check = subprocess.run([SYSTEM_PYTHON, str(PROBE), "check"], capture_output=True,
                           timeout=30)
    require(check.returncode != 3, "Debian's AT-SPI Python bindings (gir1.2-atspi-2.0)")
    launched = subprocess.run(["dbus-launch", "--sh-syntax", "--exit-with-x11"], env=desktop.env,
                              capture_output=True, text=True, timeout=30, check=True)
    values = dict(re.findall(r"(\w+)='?([^';\n]*)'?;", launched.stdout))
    desktop.env["DBUS_SESSION_BUS_ADDRESS"] = values["DBUS_SESSION_BUS_ADDRESS"]
    desktop.env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    bus_pid = int(values["DBUS_SESSION_BUS_PID"])
    try:
        desktop.start(BUS_LAUNCHER, "--launch-immediately")
        wait_for("the accessibility bus", lambda: desktop.run(
            "dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus",
            "org.a11y.Bus.GetAddress"))
        yield Reader(desktop)
    finally:
        desktop.stop()
        os.kill(bus_pid, 15)


def unnamed_controls(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for n in nodes if n["role"] in INTERACTIVE and not n["name"].strip()]


def names(nodes: list[dict[str, Any]]) -> str:
    return "\n".join(f"{n['role']}: {n['name']} {n['text']}" for n in nodes)


def check_screen(reader: Reader, what: str, expected: str) -> list[dict[str, Any]]:
    nodes = wait_for(what, lambda: (lambda s: s if expected in names(s) else None)(
        reader.showing()), timeout=20)
    assert isinstance(nodes, list)
    assert all(n["role"] and n["role"] != "unknown" for n in nodes), what
    assert unnamed_controls(nodes) == [], f"{what}: controls without a name"
    return nodes


@pytest.mark.slow
def test_every_screen_names_its_controls_and_reaches_the_question_timer_and_alerts(
    reader: Reader, desktop: Desktop,  # noqa: F811
) -> None:
    desktop.start(sys.executable, "-m", "pixdesk", "demo", "--windowed", "--data-dir",
                  str(desktop.data_dir))
    window = str(wait_for("the exam window", lambda: desktop.find("certification Pix")[:1])[0])  # type: ignore[index]
    desktop.run("xdotool", "windowactivate", "--sync", window)
    check_screen(reader, "opening", "Ouvrir la session")

    heard = subprocess.Popen([SYSTEM_PYTHON, str(PROBE), "listen", APP, "8"],
                             env=desktop.env, stdout=subprocess.PIPE, text=True)
    assert heard.stdout is not None
    assert "listening" in heard.stdout.readline()
    desktop.type("BKQT47")
    desktop.key("Tab")
    desktop.type("WRONG1")
    desktop.key("Return")
    announcements = [json.loads(line) for line in heard.stdout]
    heard.wait(15)
    assert any("surveillant incorrect" in a["text"] for a in announcements), (
        announcements)

    for _ in range(3):
        time.sleep(1.2)
        desktop.key("ctrl+a")
        desktop.type("SURV26")
        desktop.key("Return")
        with contextlib.suppress(AssertionError):
            wait_for("check-in", lambda: "Je confirme mon identité" in names(reader.showing()),
                     timeout=10)
            break
    check_screen(reader, "check-in", "Je confirme mon identité")
    desktop.type("Dubois")
    desktop.key("Tab")
    desktop.type("Hugo")
    for part in ("02", "11", "2008"):
        desktop.key("Tab")
        desktop.type(part)
    desktop.key("Return")
    check_screen(reader, "waiting", "Autoriser")
    desktop.type("SURV26")
    desktop.key("Return")
    check_screen(reader, "instructions", "Commencer le test")
    desktop.key("space")
    question = check_screen(reader, "question", "Je valide")
    text = names(question)
    assert "Question 1 / 32" in text
    assert "Temps restant" in text
    assert any(n["role"] == "progress bar" for n in question)
    prompt = [n for n in question if n["role"] == "label" and len(n["name"]) > 20
              and "Temps restant" not in n["name"]]
    assert prompt, text

    desktop.key("ctrl+alt+shift+s")
    check_screen(reader, "invigilator panel gate", "Ouvrir l'espace surveillant")
