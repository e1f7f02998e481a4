"""A recording stand-in for Windows' ``user32`` — the one fake the lockdown tests allow.

It behaves like the parts of Windows the backend relies on: a low-level hook is called on
the thread that installed it, while that thread waits in ``GetMessageW``; a hook can be
silently dropped (as Windows does to a slow hook); ``keybd_event`` input is marked injected.
Each call the backend must check can be refused the way Windows (or Wine) refuses it:
``SetWindowsHookExW`` returns NULL, ``SetWindowDisplayAffinity`` and ``SystemParametersInfoW``
return FALSE and change nothing.
"""

from __future__ import annotations

import ctypes
import queue
from dataclasses import dataclass, field
from typing import Any

from pixdesk.lockdown.windows import (
    KBDLLHOOKSTRUCT,
    KEYEVENTF_KEYUP,
    LLKHF_INJECTED,
    SM_REMOTESESSION,
    WH_KEYBOARD_LL,
    WM_KEYDOWN,
    WM_KEYUP,
    WM_QUIT,
)

PASSED, SWALLOWED, NO_HOOK = "passed", "swallowed", "no hook"


@dataclass
class _Key:
    vk: int
    flags: int
    extra: int
    up: bool
    outcome: queue.Queue[str] | None = None


class _Marker:
    def __init__(self) -> None:
        self.done: queue.Queue[bool] = queue.Queue()


@dataclass
class FakeUser32:
    remote_session: bool = False
    accessibility: dict[int, int] = field(default_factory=lambda: {0x3A: 0x7E, 0x34: 0x1E})
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    affinity: dict[int, int] = field(default_factory=dict)
    passed_to_next: list[int] = field(default_factory=list)
    refuse_hook: bool = False
    refused_affinities: set[int] = field(default_factory=set)
    """``WDA_*`` values refused, like WDA_EXCLUDEFROMCAPTURE before Windows 10 2004."""
    refused_spi: set[int] = field(default_factory=set)
    """``SPI_*`` actions refused."""

    def __post_init__(self) -> None:
        self._queue: queue.Queue[_Key | int | _Marker] = queue.Queue()
        self._hooks: dict[int, Any] = {}
        self._next_handle = 100

    # --- user32 functions used by the backend -------------------------------------------
    def SetWindowsHookExW(self, kind: int, proc: Any, module: Any, thread: int) -> int:
        self.calls.append(("SetWindowsHookExW", (kind, module, thread)))
        assert kind == WH_KEYBOARD_LL
        if self.refuse_hook:
            return 0
        self._next_handle += 1
        self._hooks[self._next_handle] = proc
        return self._next_handle

    def UnhookWindowsHookEx(self, handle: int) -> int:
        self.calls.append(("UnhookWindowsHookEx", (handle,)))
        return 1 if self._hooks.pop(handle, None) is not None else 0

    def CallNextHookEx(self, handle: Any, code: int, wparam: int, lparam: int) -> int:
        self.passed_to_next.append(KBDLLHOOKSTRUCT.from_address(lparam).vkCode)
        return 0

    def GetMessageW(self, msg: Any, hwnd: Any, low: int, high: int) -> int:
        while True:
            item = self._queue.get()
            if isinstance(item, _Marker):
                item.done.put(True)
            elif isinstance(item, _Key):
                self._deliver(item)
            elif item == WM_QUIT:
                return 0
            else:
                msg._obj.message = item
                return 1

    def PostThreadMessageW(self, thread: int, message: int, wparam: int, lparam: int) -> int:
        self.calls.append(("PostThreadMessageW", (message,)))
        self._queue.put(message)
        return 1

    def keybd_event(self, vk: int, scan: int, flags: int, extra: int) -> None:
        self._queue.put(_Key(vk, LLKHF_INJECTED, extra, bool(flags & KEYEVENTF_KEYUP)))

    def SetWindowDisplayAffinity(self, hwnd: int, value: int) -> int:
        self.calls.append(("SetWindowDisplayAffinity", (hwnd, value)))
        if value in self.refused_affinities:
            return 0
        self.affinity[hwnd] = value
        return 1

    def GetSystemMetrics(self, index: int) -> int:
        return int(self.remote_session) if index == SM_REMOTESESSION else 0

    def SystemParametersInfoW(self, action: int, size: int, param: Any, winini: int) -> int:
        self.calls.append(("SystemParametersInfoW", (action,)))
        if action in self.refused_spi:
            return 0
        if action in self.accessibility:
            param._obj.dwFlags = self.accessibility[action]
        else:
            self.accessibility[action - 1] = param._obj.dwFlags
        return 1

    # --- what the tests do ----------------------------------------------------------------
    @property
    def hook_count(self) -> int:
        return len(self._hooks)

    def press(self, vk: int, *, up: bool = False, injected: bool = False) -> str:
        """A key event as the hook thread sees it; returns what became of it."""
        outcome: queue.Queue[str] = queue.Queue()
        self._queue.put(_Key(vk, LLKHF_INJECTED if injected else 0, 0, up, outcome))
        return outcome.get(timeout=5)

    def chord(self, *vks: int, injected: bool = False) -> str:
        """Press ``vks`` in order, release them in reverse; the last key's fate is returned."""
        fates = [self.press(vk, injected=injected) for vk in vks]
        for vk in reversed(vks):
            self.press(vk, up=True, injected=injected)
        return fates[-1]

    def drop_hooks(self) -> None:
        """What Windows does, without telling anyone, to a hook that answered too slowly."""
        self._hooks.clear()

    def settle(self) -> None:
        """Wait until everything queued so far has been handled by the hook thread."""
        marker = _Marker()
        self._queue.put(marker)
        marker.done.get(timeout=5)

    def _deliver(self, key: _Key) -> None:
        event = KBDLLHOOKSTRUCT(key.vk, 0, key.flags, 0, key.extra)
        fate = NO_HOOK
        for proc in reversed(list(self._hooks.values())):
            result = proc(0, WM_KEYUP if key.up else WM_KEYDOWN, ctypes.addressof(event))
            fate = SWALLOWED if result else PASSED
            break
        if key.outcome is not None:
            key.outcome.put(fate)
