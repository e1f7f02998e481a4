"""The process watchdog: which prohibited programs run, and whether assistive technology does.

Listing is separate from judging: ``list_proc`` reads a ``/proc`` tree (a fixture in tests),
``ps_processes`` asks ``ps`` (macOS), the Windows backend brings its own lister, and
``ProcessWatchdog`` only applies the policy to whatever list it is given.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pixdesk.lockdown.policy import (
    SCREEN_READERS,
    EnvironmentFinding,
    Finding,
    KioskSettings,
    process_key,
)


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    name: str
    cmdline: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        """Both the kernel's name and argv[0]: Linux truncates ``comm`` to 15 characters
        (``simplescreenrec``) and Electron apps rename theirs."""
        names = {process_key(self.name)}
        if self.cmdline and self.cmdline[0]:
            names.add(process_key(self.cmdline[0].split(" ")[0]))
        return frozenset(names)


ProcessLister = Callable[[], Iterable[ProcessInfo]]

_CAPTURE_TOOLS = frozenset({"ffmpeg", "avconv", "gst-launch-1.0", "vlc", "cvlc"})
_CAPTURE_SOURCES = ("x11grab", "gdigrab", "ddagrab", "kmsgrab", "ximagesrc", "screen://")


def is_screen_capture_command(process: ProcessInfo) -> bool:
    """A general-purpose media tool pointed at the screen (``ffmpeg -f x11grab``)."""
    if not process.keys & _CAPTURE_TOOLS:
        return False
    return any(source in arg for arg in process.cmdline for source in _CAPTURE_SOURCES)


def list_proc(root: Path = Path("/proc")) -> list[ProcessInfo]:
    """Every process visible in ``root``; processes that exit while being read are skipped."""
    processes = []
    for entry in root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
            raw = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        cmdline = tuple(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
        processes.append(ProcessInfo(int(entry.name), name, cmdline))
    return processes


def ps_processes() -> list[ProcessInfo]:
    """Through ``ps`` where there is no ``/proc`` (macOS); ``comm`` is the full path there."""
    out = subprocess.run(
        ["ps", "-axo", "pid=,comm="], check=True, capture_output=True, text=True, timeout=10
    ).stdout
    processes = []
    for line in out.splitlines():
        pid, _, command = line.strip().partition(" ")
        if pid.isdigit() and command.strip():
            processes.append(ProcessInfo(int(pid), command.strip(), (command.strip(),)))
    return processes


@dataclass(frozen=True)
class ProcessScan:
    prohibited: tuple[ProcessInfo, ...]
    assistive: frozenset[str]

    @property
    def assistive_running(self) -> bool:
        return bool(self.assistive)

    @property
    def screen_reader_running(self) -> bool:
        return bool(self.assistive & SCREEN_READERS)

    def findings(self) -> list[Finding]:
        """One finding per prohibited program, naming every pid so the invigilator can act."""
        by_name: dict[str, list[int]] = {}
        for process in self.prohibited:
            by_name.setdefault(process_key(process.name), []).append(process.pid)
        kind = EnvironmentFinding.PROHIBITED_PROCESS
        return [
            Finding(kind, f"{name} (pid {', '.join(map(str, pids))})")
            for name, pids in sorted(by_name.items())
        ]


class ProcessWatchdog:
    """Applies the kiosk settings to a process list; assistive programs are never reported."""

    def __init__(
        self,
        settings: KioskSettings,
        lister: ProcessLister = list_proc,
        *,
        own_pid: int | None = None,
    ) -> None:
        self._settings = settings
        self._lister = lister
        self._own_pid = os.getpid() if own_pid is None else own_pid

    def scan(self) -> ProcessScan:
        prohibited = []
        assistive: set[str] = set()
        for process in self._lister():
            if process.pid == self._own_pid:
                continue
            at_names = process.keys & self._settings.assistive_processes
            if at_names:
                assistive |= at_names
                continue
            if process.keys & self._settings.prohibited_processes or is_screen_capture_command(
                process
            ):
                prohibited.append(process)
        return ProcessScan(tuple(sorted(prohibited, key=lambda p: p.pid)), frozenset(assistive))
