"""The Linux, macOS and null backends, the factory and the change ledger."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pixdesk.lockdown.backend import CAPABILITIES, LockdownBackend
from pixdesk.lockdown.factory import backend_for
from pixdesk.lockdown.ledger import ChangeLedger
from pixdesk.lockdown.linux import GRAB_SUCCESS, LinuxBackend, load_libx11
from pixdesk.lockdown.macos import MacBackend
from pixdesk.lockdown.null import NullBackend
from pixdesk.lockdown.policy import EnvironmentFinding
from pixdesk.lockdown.processes import ProcessInfo
from tests.conftest import require


class Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        self.entries.append((kind, payload))


@pytest.mark.parametrize(
    ("platform", "expected"),
    [("linux", LinuxBackend), ("darwin", MacBackend), ("null", NullBackend),
     ("sunos5", NullBackend)],
)
def test_factory_picks_the_backend_for_the_platform(
    platform: str, expected: type, tmp_path: Path
) -> None:
    backend = backend_for(platform, journal=Recorder(), state_path=tmp_path / "s.json")
    assert isinstance(backend, expected)
    assert isinstance(backend, LockdownBackend)
    assert set(backend.capabilities()) == set(CAPABILITIES)


def test_the_null_backend_claims_nothing_and_finds_nothing() -> None:
    backend = NullBackend()
    backend.engage(123)
    assert backend.poll() == [] and not any(backend.capabilities().values())
    backend.release()


def linux(tmp_path: Path, env: dict[str, str], **deps: Any) -> LinuxBackend:
    return LinuxBackend(
        journal=deps.pop("journal", Recorder()),
        state_path=tmp_path / "state.json",
        env=env,
        lister=deps.pop("lister", list),
        **deps,
    )


@pytest.mark.parametrize(
    ("env", "why"),
    [
        ({}, "no DISPLAY"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wayland"),
        ({"DISPLAY": ":0"}, "no shared X connection"),
    ],
    ids=["headless", "wayland", "private-connection"],
)
def test_linux_without_a_usable_grab_says_so_instead_of_pretending(
    tmp_path: Path, env: dict[str, str], why: str
) -> None:
    backend = linux(tmp_path, env)
    assert backend.capabilities()["keyboard_filter"] is False
    backend.engage(None)
    [finding] = backend.poll()
    assert finding.kind is EnvironmentFinding.KEYBOARD_GRAB_UNAVAILABLE
    assert finding.detail == why
    backend.release()
    assert not (tmp_path / "state.json").exists()


def test_linux_poll_reports_remote_session_and_prohibited_programs(tmp_path: Path) -> None:
    processes = [ProcessInfo(77, "x11vnc", ("x11vnc", "-display", ":0"))]
    backend = linux(tmp_path, {"SSH_CONNECTION": "a b c d"}, lister=lambda: processes)
    kinds = [f.kind for f in backend.poll()]
    assert kinds == [EnvironmentFinding.REMOTE_SESSION, EnvironmentFinding.PROHIBITED_PROCESS]


def test_mac_backend_watches_processes_only(tmp_path: Path) -> None:
    backend = MacBackend(
        journal=Recorder(),
        state_path=tmp_path / "s.json",
        lister=lambda: [ProcessInfo(90, "/System/Library/CoreServices/ScreensharingAgent")],
    )
    assert [k for k, v in backend.capabilities().items() if v] == ["process_watchdog"]
    [finding] = backend.poll()
    assert finding.detail == "screensharingagent (pid 90)"


def test_ledger_survives_a_restart_and_restore_crosses_everything_off(tmp_path: Path) -> None:
    path, first = tmp_path / "state.json", Recorder()
    ChangeLedger(path, first).record("x11_keyboard_grab", {"window": 5})
    assert first.entries == [("lockdown_change", {"change": "x11_keyboard_grab", "window": 5})]
    second = Recorder()
    backend = LinuxBackend(journal=second, state_path=path, env={}, lister=list)
    assert backend.restore_pending() == 1
    assert second.entries == [("lockdown_restored", {"change": "x11_keyboard_grab", "window": 5})]
    assert not path.exists()


def test_a_failing_journal_stops_the_change_before_it_is_recorded(tmp_path: Path) -> None:
    def broken(kind: str, payload: dict[str, Any]) -> None:
        raise OSError("disk full")

    path = tmp_path / "state.json"
    with pytest.raises(OSError):
        ChangeLedger(path, broken).record("keyboard_hook", {})
    assert not path.exists()


@pytest.fixture
def xvfb() -> Iterator[str]:
    require(shutil.which("Xvfb") is not None and load_libx11() is not None,
            "Xvfb and libX11")
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "640x480x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                require(False, "an Xvfb that starts")
            time.sleep(0.05)
        yield display
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.xvfb
def test_x11_grab_is_held_on_the_given_connection_and_released(
    xvfb: str, tmp_path: Path
) -> None:
    lib = load_libx11()
    assert lib is not None
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    lib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
    lib.XCreateSimpleWindow.restype = ctypes.c_ulong
    lib.XCreateSimpleWindow.argtypes = (
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
        ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_ulong,
    )
    lib.XMapWindow.argtypes = (ctypes.c_void_p, ctypes.c_ulong)
    lib.XSync.argtypes = (ctypes.c_void_p, ctypes.c_int)
    app = lib.XOpenDisplay(xvfb.encode())
    other = lib.XOpenDisplay(xvfb.encode())
    assert app and other
    try:
        window = lib.XCreateSimpleWindow(app, lib.XDefaultRootWindow(app), 0, 0, 100, 100, 0, 0, 0)
        lib.XMapWindow(app, window)
        lib.XSync(app, 0)
        journal = Recorder()
        backend = linux(tmp_path, {"DISPLAY": xvfb}, x_display=app, libx11=lib, journal=journal)
        assert backend.missing()["keyboard_filter"] == "not engaged"
        backend.engage(window)
        assert backend.poll() == []
        assert backend.capabilities()["keyboard_filter"]
        root = lib.XDefaultRootWindow(other)
        assert lib.XGrabKeyboard(other, root, 1, 1, 1, 0) != GRAB_SUCCESS  # AlreadyGrabbed
        backend.release()
        assert lib.XGrabKeyboard(other, root, 1, 1, 1, 0) == GRAB_SUCCESS
        assert [kind for kind, _ in journal.entries] == ["lockdown_change", "lockdown_restored"]
    finally:
        lib.XCloseDisplay(other)
        lib.XCloseDisplay(app)
