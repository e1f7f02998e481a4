"""The Windows lockdown backend against Wine's real user32, checked from the outside.

Run by ``installer/windows/ci-wine.sh`` with the Windows Python, in a real Qt window (the
``windows`` platform plugin, so the handle is a real HWND). It engages the backend, sends a
probe keystroke through the low-level keyboard hook, releases, and checks that what the
backend *reports* is what Windows (here: Wine) says took effect. Under Wine capture
exclusion does not take effect, so an honest backend reports it as not in force; a backend
that claims it anyway fails this probe. Exit 0 only if every check passes.
"""

from __future__ import annotations

import ctypes
import json
import sys
import tempfile
import time
from collections.abc import Callable
from ctypes import wintypes
from pathlib import Path
from typing import Any

WDA_MONITOR, WDA_EXCLUDEFROMCAPTURE = 0x01, 0x11
AFFINITY_NAMES = {WDA_EXCLUDEFROMCAPTURE: "WDA_EXCLUDEFROMCAPTURE", WDA_MONITOR: "WDA_MONITOR"}
SHORTCUTS = {"sticky keys": 0x003A, "toggle keys": 0x0034}  # SPI_GET…
HOTKEYACTIVE = 0x0004


def factory() -> Callable[..., Any]:
    """``backend_for`` from its new home, or from the module it is leaving."""
    try:
        from pixdesk.lockdown.factory import backend_for
    except ImportError:
        from pixdesk.lockdown.backend import backend_for
    return backend_for


class ACCESSIBILITY_FLAGS(ctypes.Structure):
    _fields_ = (("cbSize", wintypes.UINT), ("dwFlags", wintypes.DWORD))


class Probe:
    """What Wine says is in effect, asked through our own ctypes declarations."""

    def __init__(self) -> None:
        user32 = ctypes.WinDLL("user32", use_last_error=True)
        self._affinity = user32.GetWindowDisplayAffinity
        self._affinity.argtypes = (wintypes.HWND, ctypes.POINTER(wintypes.DWORD))
        self._affinity.restype = wintypes.BOOL
        self._spi = user32.SystemParametersInfoW
        self._spi.argtypes = (wintypes.UINT, wintypes.UINT, ctypes.c_void_p, wintypes.UINT)
        self._spi.restype = wintypes.BOOL

    def affinity(self, hwnd: int) -> int | None:
        value = wintypes.DWORD()
        return int(value.value) if self._affinity(hwnd, ctypes.byref(value)) else None

    def hotkey_active(self, action: int) -> bool | None:
        flags = ACCESSIBILITY_FLAGS(ctypes.sizeof(ACCESSIBILITY_FLAGS), 0)
        if not self._spi(action, flags.cbSize, ctypes.byref(flags), 0):
            return None
        return bool(flags.dwFlags & HOTKEYACTIVE)


def main() -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    from pixdesk.lockdown.policy import EnvironmentFinding

    app = QApplication([sys.argv[0], "-platform", "windows"])
    window = QLabel("PixDesk — probe")
    window.show()
    app.processEvents()
    hwnd = int(window.winId())
    probe = Probe()
    results: list[tuple[bool, str]] = []

    def check(ok: bool, what: str) -> None:
        results.append((ok, what))
        print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)

    def hook_lost(findings: list[Any]) -> bool:
        return any(f.kind is EnvironmentFinding.KEYBOARD_HOOK_LOST for f in findings)

    journal: list[tuple[str, dict[str, Any]]] = []
    state = Path(tempfile.mkdtemp(prefix="pixdesk-probe-")) / "lockdown.json"
    backend = factory()("win32", journal=lambda k, p: journal.append((k, p)), state_path=state)
    print(f"platform {app.platformName()}, hwnd {hwnd:#x}, backend {backend.name}", flush=True)
    check(backend.restore_pending() == 0, "nothing pending before engage")

    shortcuts_before = {name: probe.hotkey_active(spi) for name, spi in SHORTCUTS.items()}
    backend.engage(hwnd)
    reported = backend.capabilities()
    print(f"reported after engage: {json.dumps(reported, sort_keys=True)}", flush=True)

    first = backend.poll()
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    second = backend.poll()
    check(not hook_lost(first), "keyboard hook installed (first poll)")
    check(not hook_lost(second), "probe keystroke went through the hook (second poll)")
    if reported.get("keyboard_filter") is not None:
        check(
            bool(reported["keyboard_filter"]) == (not hook_lost(first) and not hook_lost(second)),
            "keyboard_filter reported as it took effect",
        )

    affinity = probe.affinity(hwnd)
    observed = AFFINITY_NAMES.get(affinity) if affinity is not None else None
    print(f"GetWindowDisplayAffinity: {affinity if affinity is None else hex(affinity)}")
    check(
        bool(reported.get("capture_exclusion")) == (observed is not None),
        f"capture_exclusion reported {reported.get('capture_exclusion')}, "
        f"affinity in force {observed}",
    )
    if hasattr(backend, "capture_affinity"):
        said = backend.capture_affinity
        said = said() if callable(said) else said
        check(said == observed, f"capture_affinity() says {said}, Windows says {observed}")

    shortcuts = {name: probe.hotkey_active(spi) for name, spi in SHORTCUTS.items()}
    print(f"accessibility shortcuts active: before {shortcuts_before}, after engage {shortcuts}")
    if "accessibility_shortcuts_off" in reported:
        check(
            not reported["accessibility_shortcuts_off"] or not any(shortcuts.values()),
            f"accessibility_shortcuts_off reported {reported['accessibility_shortcuts_off']}, "
            f"shortcuts active after engage {shortcuts}",
        )

    backend.release()
    check(probe.affinity(hwnd) in (None, 0), "display affinity back to none after release")
    after = {name: probe.hotkey_active(spi) for name, spi in SHORTCUTS.items()}
    check(after == shortcuts_before, f"accessibility shortcuts as before: {after}")
    check(backend.restore_pending() == 0, "nothing left pending after release")
    print("journal:", json.dumps([kind for kind, _ in journal]))
    window.close()
    failed = [what for ok, what in results if not ok]
    print(f"{len(results) - len(failed)}/{len(results)} lockdown checks passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
