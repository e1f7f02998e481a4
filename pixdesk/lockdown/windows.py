"""Windows: a low-level keyboard hook, capture exclusion, remote-session and process checks.

Every call goes through an injected ``user32``-like object (``ctypes.WinDLL("user32")`` on
Windows, a recording fake in the Linux tests), so the hook logic runs in CI. The hook
callback is deliberately trivial — two frozenset look-ups on integers precomputed from the
policy — because Windows silently removes a low-level hook that is slow to answer
(``LowLevelHooksTimeout``), and a Python callback can be delayed by the GIL. Whether the hook
is still alive is checked on every poll with a probe keystroke only the hook recognises.

Cannot be done from a user-mode process and left to IT provisioning: Ctrl+Alt+Del and Win+L
(Keyboard Filter), replacing the shell (Shell Launcher), Task Manager policies.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Iterable
from ctypes import wintypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pixdesk.lockdown.backend import CAPABILITIES, Journal
from pixdesk.lockdown.ledger import ChangeLedger
from pixdesk.lockdown.policy import (
    MODIFIERS,
    EnvironmentFinding,
    Finding,
    KeyChord,
    KioskSettings,
    decide,
    is_screen_reader_command,
)
from pixdesk.lockdown.processes import (
    ProcessInfo,
    ProcessLister,
    ProcessScan,
    ProcessWatchdog,
)

WH_KEYBOARD_LL = 13
HC_ACTION = 0
WM_QUIT = 0x0012
WM_KEYDOWN, WM_KEYUP, WM_SYSKEYDOWN, WM_SYSKEYUP = 0x0100, 0x0101, 0x0104, 0x0105
WM_APP_REINSTALL = 0x8001
LLKHF_LOWER_IL_INJECTED = 0x02
LLKHF_INJECTED = 0x10
KEYEVENTF_KEYUP = 0x0002
WDA_NONE = 0x00
WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11
AFFINITY_NAMES = {WDA_EXCLUDEFROMCAPTURE: "WDA_EXCLUDEFROMCAPTURE", WDA_MONITOR: "WDA_MONITOR"}
SM_REMOTESESSION = 0x1000
SPI_GETSTICKYKEYS, SPI_SETSTICKYKEYS = 0x003A, 0x003B
SPI_GETTOGGLEKEYS, SPI_SETTOGGLEKEYS = 0x0034, 0x0035
SPIF_SENDCHANGE = 0x0002
HOTKEYACTIVE = 0x0004
FEATURE_ON = 0x0001

VK_PROBE = 0x88
"""Unassigned virtual-key code: the liveness probe cannot mean anything to another program."""
PROBE_MARK = 0x50495844  # "PIXD"

LRESULT = ctypes.c_ssize_t
_FUNCTYPE = getattr(ctypes, "WINFUNCTYPE", ctypes.CFUNCTYPE)
HOOKPROC = _FUNCTYPE(LRESULT, ctypes.c_int, wintypes.WPARAM, wintypes.LPARAM)


class KBDLLHOOKSTRUCT(ctypes.Structure):
    _fields_ = (
        ("vkCode", wintypes.DWORD),
        ("scanCode", wintypes.DWORD),
        ("flags", wintypes.DWORD),
        ("time", wintypes.DWORD),
        ("dwExtraInfo", ctypes.c_size_t),
    )


class ACCESSIBILITY_FLAGS(ctypes.Structure):
    """The common head of STICKYKEYS and TOGGLEKEYS: size, then flags."""

    _fields_ = (("cbSize", wintypes.UINT), ("dwFlags", wintypes.DWORD))


def _vk_names() -> dict[int, str]:
    names = {
        0x08: "backspace", 0x09: "tab", 0x0D: "enter", 0x13: "pause", 0x14: "capslock",
        0x1B: "esc", 0x20: "space", 0x21: "pageup", 0x22: "pagedown", 0x23: "end",
        0x24: "home", 0x25: "left", 0x26: "up", 0x27: "right", 0x28: "down",
        0x2C: "printscreen", 0x2D: "insert", 0x2E: "delete", 0x5B: "meta", 0x5C: "meta",
        0x5D: "menu", 0x10: "shift", 0xA0: "shift", 0xA1: "shift", 0x11: "ctrl",
        0xA2: "ctrl", 0xA3: "ctrl", 0x12: "alt", 0xA4: "alt", 0xA5: "alt",
    }
    names.update({0x30 + n: str(n) for n in range(10)})
    names.update({0x41 + n: chr(ord("a") + n) for n in range(26)})
    names.update({0x70 + n: f"f{n + 1}" for n in range(24)})
    return names


VK_NAMES = _vk_names()
_MODIFIER_ORDER = sorted(MODIFIERS)
MODIFIER_BITS = {
    vk: 1 << _MODIFIER_ORDER.index(name) for vk, name in VK_NAMES.items() if name in MODIFIERS
}


@dataclass(frozen=True)
class KeyTable:
    """The policy flattened to ``(held-modifier bits, vk)`` pairs for the hook callback."""

    blocked: frozenset[tuple[int, int]]
    screen_reader_commands: frozenset[tuple[int, int]]

    @classmethod
    def from_policy(cls) -> KeyTable:
        blocked, commands = set(), set()
        for bits in range(1 << len(_MODIFIER_ORDER)):
            held = frozenset(m for i, m in enumerate(_MODIFIER_ORDER) if bits & (1 << i))
            for vk, name in VK_NAMES.items():
                chord = KeyChord(held - {name}, name)
                if decide(chord).blocked:
                    blocked.add((bits, vk))
                if is_screen_reader_command(chord):
                    commands.add((bits, vk))
        return cls(frozenset(blocked), frozenset(commands))


class KeyboardHook:
    """``WH_KEYBOARD_LL`` on its own thread with its own message loop."""

    def __init__(self, user32: Any, table: KeyTable, *, block_injected: bool) -> None:
        self._user32 = user32
        self._table = table
        self._block_injected = block_injected
        self._proc = HOOKPROC(self._on_key)  # kept referenced: Windows holds a raw pointer
        self._handle: int | None = None
        self._thread: threading.Thread | None = None
        self._thread_id = 0
        self._ready = threading.Event()
        self._held = 0
        self._swallowed: set[int] = set()
        self.assistive_running = False
        self.probes_seen = 0
        self.error = ""
        """Why the last installation failed (``SetWindowsHookExW`` returned NULL), else empty."""

    @property
    def installed(self) -> bool:
        return bool(self._handle)

    def start(self, timeout: float = 5.0) -> bool:
        self._thread = threading.Thread(target=self._run, name="pixdesk-keyboard-hook", daemon=True)
        self._thread.start()
        self._ready.wait(timeout)
        return self.installed

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is None:
            return
        self._user32.PostThreadMessageW(self._thread_id, WM_QUIT, 0, 0)
        self._thread.join(timeout)
        self._thread = None

    def reinstall(self) -> None:
        """Asks the hook thread to hook again: a hook belongs to the thread that set it."""
        self._user32.PostThreadMessageW(self._thread_id, WM_APP_REINSTALL, 0, 0)

    def _run(self) -> None:
        self._thread_id = threading.get_native_id()
        self._install()
        self._ready.set()
        msg = wintypes.MSG()
        while self._user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
            if msg.message == WM_APP_REINSTALL:
                self._uninstall()
                self._install()
        self._uninstall()

    def _install(self) -> None:
        self._handle = self._user32.SetWindowsHookExW(WH_KEYBOARD_LL, self._proc, None, 0)
        self.error = "" if self._handle else _failed("SetWindowsHookExW(WH_KEYBOARD_LL)")

    def _uninstall(self) -> None:
        if self._handle:
            self._user32.UnhookWindowsHookEx(self._handle)
        self._handle = None

    def _on_key(self, n_code: int, wparam: int, lparam: int) -> int:
        if n_code == HC_ACTION:
            event = KBDLLHOOKSTRUCT.from_address(lparam)
            if event.vkCode == VK_PROBE and event.dwExtraInfo == PROBE_MARK:
                self.probes_seen += 1
                return 1
            if self._swallow(event.vkCode, event.flags, wparam in (WM_KEYDOWN, WM_SYSKEYDOWN)):
                return 1
        return int(self._user32.CallNextHookEx(None, n_code, wparam, lparam))

    def _swallow(self, vk: int, flags: int, down: bool) -> bool:
        bit = MODIFIER_BITS.get(vk, 0)
        if not down:
            self._held &= ~bit
            if vk in self._swallowed:
                self._swallowed.discard(vk)
                return True
            return False
        combo = (self._held & ~bit, vk)
        self._held |= bit
        injected = bool(flags & (LLKHF_INJECTED | LLKHF_LOWER_IL_INJECTED))
        if self.assistive_running and (injected or combo in self._table.screen_reader_commands):
            return False
        if (injected and self._block_injected) or combo in self._table.blocked:
            self._swallowed.add(vk)
            return True
        return False


_ACCESSIBILITY_HOTKEYS = {
    "stickykeys": (SPI_GETSTICKYKEYS, SPI_SETSTICKYKEYS),
    "togglekeys": (SPI_GETTOGGLEKEYS, SPI_SETTOGGLEKEYS),
}
"""Shift ×5 and NumLock ×5 open system dialogs over the kiosk. Only the *shortcut* is turned
off, and only when the feature itself is off: a candidate who uses sticky keys keeps them."""


class WindowsBackend:
    """Every system call's result is checked: a step Windows refused is journaled as failed
    (``lockdown_change_failed``), is never undone, and its capability reads false."""

    name = "windows"

    def __init__(
        self,
        *,
        journal: Journal,
        state_path: Path,
        settings: KioskSettings | None = None,
        user32: Any = None,
        lister: ProcessLister | None = None,
    ) -> None:
        self._settings = settings or KioskSettings()
        self._user32 = user32 if user32 is not None else _load_user32()
        self._ledger = ChangeLedger(state_path, journal)
        self._watchdog = ProcessWatchdog(self._settings, lister or toolhelp_processes)
        self._table = KeyTable.from_policy()
        self._hook: KeyboardHook | None = None
        self._hwnd: int | None = None
        self._affinity: int | None = None
        self._hotkeys: dict[str, int] = {}
        self._probes_sent = 0
        self._engaged = False
        self._failures: dict[str, str] = {}

    @property
    def capture_affinity(self) -> str | None:
        """The display affinity in force on the exam window: ``"WDA_EXCLUDEFROMCAPTURE"``
        (Windows 10 2004+: the window is absent from captures), ``"WDA_MONITOR"`` (older
        systems: it is captured black), or None."""
        return AFFINITY_NAMES.get(self._affinity) if self._affinity is not None else None

    def engage(self, window_handle: int | None) -> None:
        if not self._engaged or self._hook is None:
            self._engaged = True
            self._start_hook()
            self._disable_accessibility_hotkeys()
        if window_handle is not None and window_handle != self._hwnd:
            self._restore_affinity()
            self._exclude_from_capture(window_handle)

    def release(self) -> None:
        self._restore_affinity()
        for setting, flags in list(self._hotkeys.items()):
            payload = {"setting": setting, "flags": flags}
            error = self._set_accessibility_flags(setting, flags)
            if error is None:
                self._ledger.undone("accessibility_hotkey", payload)
            else:
                self._ledger.undo_failed("accessibility_hotkey", payload, error)
            del self._hotkeys[setting]
        if self._hook is not None:
            self._hook.stop()
            self._hook = None
            self._ledger.undone("keyboard_hook", {})
        self._engaged = False
        self._failures.clear()

    def poll(self) -> list[Finding]:
        findings: list[Finding] = []
        if self._hook is not None:
            if not self._hook.installed:
                self._hook.reinstall()
                findings.append(Finding(EnvironmentFinding.KEYBOARD_HOOK_LOST, "not installed"))
            elif self._hook.probes_seen < self._probes_sent:
                self._hook.probes_seen = self._probes_sent
                self._hook.reinstall()
                findings.append(Finding(EnvironmentFinding.KEYBOARD_HOOK_LOST, "re-installed"))
            self._probes_sent += 1
            self._user32.keybd_event(VK_PROBE, 0, KEYEVENTF_KEYUP, PROBE_MARK)
        elif self._engaged:
            why = self._failures.get("keyboard_filter", "no keyboard hook")
            findings.append(Finding(EnvironmentFinding.KEYBOARD_GRAB_UNAVAILABLE, why))
        if self._user32.GetSystemMetrics(SM_REMOTESESSION):
            findings.append(Finding(EnvironmentFinding.REMOTE_SESSION, "SM_REMOTESESSION"))
        scan = self._scan()
        if self._hook is not None:
            self._hook.assistive_running = scan.assistive_running
        return findings + scan.findings()

    def capabilities(self) -> dict[str, bool]:
        missing = self.missing()
        return {name: name not in missing for name in CAPABILITIES}

    def missing(self) -> dict[str, str]:
        reasons: dict[str, str] = {}
        if not self._engaged:
            for name in ("keyboard_filter", "capture_exclusion", "accessibility_shortcuts_off"):
                reasons[name] = "not engaged"
        elif self._hook is None:
            reasons["keyboard_filter"] = self._failures["keyboard_filter"]
        elif not self._hook.installed:
            reasons["keyboard_filter"] = self._hook.error or "hook removed by Windows"
        if "keyboard_filter" in reasons:
            reasons["injected_input_filter"] = "needs the keyboard filter"
        elif not self._settings.block_injected_input:
            reasons["injected_input_filter"] = "turned off by block_injected_input"
        if self._engaged:
            if self._affinity is None:
                reasons["capture_exclusion"] = self._failures.get(
                    "capture_exclusion", "needs the exam window: checked when the exam starts"
                )
            if "accessibility_shortcuts_off" in self._failures:
                reasons["accessibility_shortcuts_off"] = self._failures[
                    "accessibility_shortcuts_off"
                ]
        if "process_watchdog" in self._failures:
            reasons["process_watchdog"] = self._failures["process_watchdog"]
        return {name: reasons[name] for name in CAPABILITIES if name in reasons}

    def restore_pending(self) -> int:
        """Hooks and capture exclusion ended with the old process and are only crossed off;
        the accessibility shortcuts outlive it and are put back."""
        return self._ledger.restore(self._undo_after_crash)

    def _start_hook(self) -> None:
        self._ledger.record("keyboard_hook", {})
        hook = KeyboardHook(
            self._user32, self._table, block_injected=self._settings.block_injected_input
        )
        hook.assistive_running = self._scan().assistive_running
        if hook.start():
            self._hook = hook
            self._failures.pop("keyboard_filter", None)
            return
        hook.stop()
        error = hook.error or "the keyboard hook thread did not start"
        self._ledger.failed("keyboard_hook", {}, error)
        self._failures["keyboard_filter"] = error

    def _exclude_from_capture(self, hwnd: int) -> None:
        """``WDA_EXCLUDEFROMCAPTURE``, else ``WDA_MONITOR``: before Windows 10 2004 (and under
        Wine) the first is refused, and a window captured black still hides the questions."""
        errors = []
        for affinity in (WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR):
            payload = {"hwnd": hwnd, "affinity": AFFINITY_NAMES[affinity]}
            self._ledger.record("display_affinity", payload)
            if self._user32.SetWindowDisplayAffinity(hwnd, affinity):
                self._hwnd, self._affinity = hwnd, affinity
                self._failures.pop("capture_exclusion", None)
                return
            error = _failed(f"SetWindowDisplayAffinity({AFFINITY_NAMES[affinity]})")
            self._ledger.failed("display_affinity", payload, error)
            errors.append(error)
        self._hwnd = hwnd
        self._failures["capture_exclusion"] = "; ".join(errors)

    def _restore_affinity(self) -> None:
        if self._hwnd is not None and self._affinity is not None:
            payload = {"hwnd": self._hwnd, "affinity": AFFINITY_NAMES[self._affinity]}
            if self._user32.SetWindowDisplayAffinity(self._hwnd, WDA_NONE):
                self._ledger.undone("display_affinity", payload)
            else:
                self._ledger.undo_failed(
                    "display_affinity", payload, _failed("SetWindowDisplayAffinity(WDA_NONE)")
                )
        self._hwnd = self._affinity = None
        self._failures.pop("capture_exclusion", None)

    def _scan(self) -> ProcessScan:
        """The process list; one that cannot be read is reported, not taken as empty."""
        try:
            scan = self._watchdog.scan()
        except OSError as error:
            self._failures["process_watchdog"] = f"process list unavailable: {error}"
            return ProcessScan((), frozenset())
        self._failures.pop("process_watchdog", None)
        return scan

    def _undo_after_crash(self, entry: dict[str, Any]) -> str | None:
        if entry.get("change") == "accessibility_hotkey":
            return self._set_accessibility_flags(str(entry["setting"]), int(entry["flags"]))
        return None

    def _disable_accessibility_hotkeys(self) -> None:
        errors = []
        for setting in _ACCESSIBILITY_HOTKEYS:
            flags = self._accessibility_flags(setting)
            if isinstance(flags, str):
                errors.append(flags)
                continue
            if not flags & HOTKEYACTIVE or flags & FEATURE_ON:
                continue
            payload = {"setting": setting, "flags": flags}
            self._ledger.record("accessibility_hotkey", payload)
            error = self._set_accessibility_flags(setting, flags & ~HOTKEYACTIVE)
            if error is None:
                self._hotkeys[setting] = flags
            else:
                self._ledger.failed("accessibility_hotkey", payload, error)
                errors.append(error)
        if errors:
            self._failures["accessibility_shortcuts_off"] = "; ".join(errors)
        else:
            self._failures.pop("accessibility_shortcuts_off", None)

    def _accessibility_flags(self, setting: str) -> int | str:
        """The feature's flags, or why they could not be read."""
        value = ACCESSIBILITY_FLAGS(ctypes.sizeof(ACCESSIBILITY_FLAGS), 0)
        get, _ = _ACCESSIBILITY_HOTKEYS[setting]
        if not self._user32.SystemParametersInfoW(get, value.cbSize, ctypes.byref(value), 0):
            return _failed(f"SystemParametersInfoW(get {setting})")
        return int(value.dwFlags)

    def _set_accessibility_flags(self, setting: str, flags: int) -> str | None:
        """None once set, else why not."""
        value = ACCESSIBILITY_FLAGS(ctypes.sizeof(ACCESSIBILITY_FLAGS), flags)
        _, put = _ACCESSIBILITY_HOTKEYS[setting]
        if self._user32.SystemParametersInfoW(
            put, value.cbSize, ctypes.byref(value), SPIF_SENDCHANGE
        ):
            return None
        return _failed(f"SystemParametersInfoW(set {setting})")


def _failed(call: str) -> str:
    """``call`` returned FALSE/NULL, with Windows' error code where there is one."""
    get_last_error = getattr(ctypes, "get_last_error", None)
    code = get_last_error() if get_last_error is not None else 0
    return f"{call} failed (error {code})" if code else f"{call} failed"


def _load_user32() -> Any:
    """A private ``user32`` with prototypes declared, so 64-bit handles are not truncated."""
    if sys.platform != "win32":
        raise RuntimeError("the real user32 exists only on Windows")
    user32 = ctypes.WinDLL("user32", use_last_error=True)
    prototypes: dict[str, tuple[Any, tuple[Any, ...]]] = {
        "SetWindowsHookExW": (
            ctypes.c_void_p,
            (ctypes.c_int, HOOKPROC, wintypes.HINSTANCE, wintypes.DWORD),
        ),
        "UnhookWindowsHookEx": (wintypes.BOOL, (ctypes.c_void_p,)),
        "CallNextHookEx": (
            LRESULT,
            (ctypes.c_void_p, ctypes.c_int, wintypes.WPARAM, wintypes.LPARAM),
        ),
        "GetMessageW": (
            wintypes.BOOL,
            (ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT, wintypes.UINT),
        ),
        "PostThreadMessageW": (
            wintypes.BOOL,
            (wintypes.DWORD, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM),
        ),
        "SetWindowDisplayAffinity": (wintypes.BOOL, (wintypes.HWND, wintypes.DWORD)),
        "GetSystemMetrics": (ctypes.c_int, (ctypes.c_int,)),
        "keybd_event": (None, (wintypes.BYTE, wintypes.BYTE, wintypes.DWORD, ctypes.c_size_t)),
        "SystemParametersInfoW": (
            wintypes.BOOL,
            (wintypes.UINT, wintypes.UINT, ctypes.c_void_p, wintypes.UINT),
        ),
    }
    for name, (restype, argtypes) in prototypes.items():
        function = getattr(user32, name)
        function.restype = restype
        function.argtypes = argtypes
    return user32


class PROCESSENTRY32W(ctypes.Structure):
    _fields_ = (
        ("dwSize", wintypes.DWORD),
        ("cntUsage", wintypes.DWORD),
        ("th32ProcessID", wintypes.DWORD),
        ("th32DefaultHeapID", ctypes.c_size_t),
        ("th32ModuleID", wintypes.DWORD),
        ("cntThreads", wintypes.DWORD),
        ("th32ParentProcessID", wintypes.DWORD),
        ("pcPriClassBase", ctypes.c_long),
        ("dwFlags", wintypes.DWORD),
        ("szExeFile", ctypes.c_wchar * 260),
    )


def toolhelp_processes() -> Iterable[ProcessInfo]:
    """The process list from a Toolhelp snapshot (no psutil dependency for one call)."""
    if sys.platform != "win32":
        raise RuntimeError("Toolhelp snapshots exist only on Windows")
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateToolhelp32Snapshot.restype = ctypes.c_void_p
    kernel32.CreateToolhelp32Snapshot.argtypes = (wintypes.DWORD, wintypes.DWORD)
    kernel32.Process32FirstW.argtypes = (ctypes.c_void_p, ctypes.POINTER(PROCESSENTRY32W))
    kernel32.Process32NextW.argtypes = (ctypes.c_void_p, ctypes.POINTER(PROCESSENTRY32W))
    kernel32.CloseHandle.argtypes = (ctypes.c_void_p,)
    snapshot = kernel32.CreateToolhelp32Snapshot(0x2, 0)  # TH32CS_SNAPPROCESS
    if snapshot in (None, ctypes.c_void_p(-1).value):
        raise OSError(ctypes.get_last_error(), "CreateToolhelp32Snapshot failed")
    entry = PROCESSENTRY32W()
    entry.dwSize = ctypes.sizeof(entry)
    processes = []
    try:
        more = kernel32.Process32FirstW(snapshot, ctypes.byref(entry))
        while more:
            processes.append(ProcessInfo(int(entry.th32ProcessID), entry.szExeFile))
            more = kernel32.Process32NextW(snapshot, ctypes.byref(entry))
    finally:
        kernel32.CloseHandle(snapshot)
    return processes
