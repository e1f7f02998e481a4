"""Linux: an X11 keyboard grab, the /proc process watchdog, remote-session hints.

The grab must be made on **Qt's own X connection** (pass ``QX11Application.display()`` as
``x_display``): an active grab sends every key to the grabbing *connection*, so a grab taken
on a private connection would silently divert the candidate's typing away from the exam
window. Without that pointer, or on Wayland, the backend says so through ``capabilities()``
and ``poll()`` instead of pretending; on Wayland the answer is to run inside ``cage``.
Ctrl+Alt+F1…F12 and Ctrl+Alt+Backspace are handled by the X server before any grab; IT
turns them off with Xorg's ``DontVTSwitch`` / ``DontZap`` (docs/lockdown.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pixdesk.lockdown.backend import CAPABILITIES, Journal
from pixdesk.lockdown.environment import is_wayland, remote_session_hints
from pixdesk.lockdown.ledger import ChangeLedger
from pixdesk.lockdown.policy import EnvironmentFinding, Finding, KioskSettings
from pixdesk.lockdown.processes import ProcessLister, ProcessWatchdog, list_proc

GRAB_SUCCESS = 0
GRAB_MODE_ASYNC = 1
CURRENT_TIME = 0
GRAB_STATUS = {0: "GrabSuccess", 1: "AlreadyGrabbed", 2: "GrabInvalidTime",
               3: "GrabNotViewable", 4: "GrabFrozen"}


def load_libx11() -> Any | None:
    """libX11 with the prototypes used here, or None when it is not installed."""
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.XGrabKeyboard.argtypes = (
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong
    )
    lib.XGrabKeyboard.restype = ctypes.c_int
    lib.XUngrabKeyboard.argtypes = (ctypes.c_void_p, ctypes.c_ulong)
    lib.XFlush.argtypes = (ctypes.c_void_p,)
    lib.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
    return lib


@contextlib.contextmanager
def private_display(env: Mapping[str, str], libx11: Any = None) -> Iterator[int | None]:
    """A connection of our own to ``$DISPLAY`` (None without X), for ``pixdesk doctor``'s
    trial grab: there is no exam window then, so no typing can be diverted from it."""
    lib = libx11 if libx11 is not None else load_libx11()
    name = env.get("DISPLAY")
    if lib is None or not name or is_wayland(env):
        yield None
        return
    display = lib.XOpenDisplay(name.encode())
    if not display:
        yield None
        return
    try:
        yield int(display)
    finally:
        lib.XCloseDisplay(display)


class X11KeyboardGrab:
    """``XGrabKeyboard`` on a window of the connection that owns the exam window."""

    def __init__(self, lib: Any, display: int) -> None:
        self._lib = lib
        self._display = ctypes.c_void_p(display)

    def grab(self, window: int | None) -> int:
        """Grabs (or re-asserts the grab: X lets a client grab again) and returns the status.

        ``owner_events`` is true so keys still reach the exam window's own widgets.
        """
        target = window if window is not None else self._lib.XDefaultRootWindow(self._display)
        return int(
            self._lib.XGrabKeyboard(
                self._display, target, 1, GRAB_MODE_ASYNC, GRAB_MODE_ASYNC, CURRENT_TIME
            )
        )

    def ungrab(self) -> None:
        self._lib.XUngrabKeyboard(self._display, CURRENT_TIME)
        self._lib.XFlush(self._display)


class LinuxBackend:
    name = "linux"

    def __init__(
        self,
        *,
        journal: Journal,
        state_path: Path,
        settings: KioskSettings | None = None,
        env: Mapping[str, str] | None = None,
        x_display: int | None = None,
        libx11: Any = None,
        lister: ProcessLister | None = None,
    ) -> None:
        self._settings = settings or KioskSettings()
        self._env = os.environ if env is None else env
        self._ledger = ChangeLedger(state_path, journal)
        self._watchdog = ProcessWatchdog(self._settings, lister or list_proc)
        self._grabber: X11KeyboardGrab | None = None
        self._why_no_grab = ""
        if is_wayland(self._env):
            self._why_no_grab = "wayland"
        elif not self._env.get("DISPLAY"):
            self._why_no_grab = "no DISPLAY"
        elif x_display is None:
            self._why_no_grab = "no shared X connection"
        else:
            lib = libx11 if libx11 is not None else load_libx11()
            if lib is None:
                self._why_no_grab = "libX11 not found"
            else:
                self._grabber = X11KeyboardGrab(lib, x_display)
        self._engaged = False
        self._window: int | None = None
        self._grab_status: int | None = None

    def engage(self, window_handle: int | None) -> None:
        self._engaged = True
        if self._grabber is None:
            return
        if self._grab_status is None:
            self._ledger.record("x11_keyboard_grab", {})
        self._window = window_handle
        self._grab_status = self._grabber.grab(window_handle)

    def release(self) -> None:
        self._engaged = False
        if self._grabber is not None and self._grab_status is not None:
            self._grabber.ungrab()
            self._ledger.undone("x11_keyboard_grab", {})
        self._grab_status = None

    def poll(self) -> list[Finding]:
        """Re-asserts the grab (a window unmapped and mapped again loses it) and checks."""
        findings = []
        if self._engaged:
            if self._grabber is None:
                findings.append(
                    Finding(EnvironmentFinding.KEYBOARD_GRAB_UNAVAILABLE, self._why_no_grab)
                )
            else:
                self._grab_status = self._grabber.grab(self._window)
                if self._grab_status != GRAB_SUCCESS:
                    status = GRAB_STATUS.get(self._grab_status, str(self._grab_status))
                    findings.append(Finding(EnvironmentFinding.KEYBOARD_GRAB_UNAVAILABLE, status))
        remote = remote_session_hints(self._env)
        if remote:
            findings.append(Finding(EnvironmentFinding.REMOTE_SESSION, ", ".join(remote)))
        return findings + self._watchdog.scan().findings()

    def capabilities(self) -> dict[str, bool]:
        missing = self.missing()
        return {name: name not in missing for name in CAPABILITIES}

    def missing(self) -> dict[str, str]:
        """The grab counts only once the X server said ``GrabSuccess``. Synthetic input is
        never claimed as filtered: the X server delivers XTEST keys (``xdotool type``) through
        the grab like real ones and ``XSendEvent`` keys straight to the window, and no client
        can refuse either (disabling or detaching the XTEST device is refused too)."""
        reasons = {
            "injected_input_filter": "X11 delivers XTEST and XSendEvent keys to the window",
            "capture_exclusion": "X11 has no capture exclusion (recorders are detected)",
            "accessibility_shortcuts_off": "not handled on Linux",
        }
        if self._grabber is None:
            reasons["keyboard_filter"] = self._why_no_grab
        elif self._grab_status is None:
            reasons["keyboard_filter"] = "not engaged"
        elif self._grab_status != GRAB_SUCCESS:
            reasons["keyboard_filter"] = GRAB_STATUS.get(self._grab_status, str(self._grab_status))
        return {name: reasons[name] for name in CAPABILITIES if name in reasons}

    def restore_pending(self) -> int:
        """An X grab ends with the connection that held it: entries are only crossed off."""
        return self._ledger.restore()
