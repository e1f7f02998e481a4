"""macOS: the process watchdog only, and capabilities that say so.

Blocking Cmd+Tab needs ``NSApplication`` presentation options (pyobjc, a dependency we do not
ship yet); screen-capture exclusion (``NSWindowSharingNone``) is ignored by ScreenCaptureKit
on macOS 15+; the robust route is Apple's assessment mode, which needs an entitlement. Until
then this backend detects (screen-sharing agents, recorders, messaging) and the Qt guard
locks; it changes nothing on the system, so there is nothing to restore.
"""

from __future__ import annotations

from pathlib import Path

from pixdesk.lockdown.backend import CAPABILITIES, Journal
from pixdesk.lockdown.ledger import ChangeLedger
from pixdesk.lockdown.policy import Finding, KioskSettings
from pixdesk.lockdown.processes import ProcessLister, ProcessWatchdog, ps_processes


class MacBackend:
    name = "macos"

    def __init__(
        self,
        *,
        journal: Journal,
        state_path: Path,
        settings: KioskSettings | None = None,
        lister: ProcessLister | None = None,
    ) -> None:
        self._ledger = ChangeLedger(state_path, journal)
        self._watchdog = ProcessWatchdog(settings or KioskSettings(), lister or ps_processes)

    def engage(self, window_handle: int | None) -> None:
        return None

    def release(self) -> None:
        return None

    def poll(self) -> list[Finding]:
        return self._watchdog.scan().findings()

    def capabilities(self) -> dict[str, bool]:
        missing = self.missing()
        return {name: name not in missing for name in CAPABILITIES}

    def missing(self) -> dict[str, str]:
        return {
            name: "not implemented on macOS (detection only)"
            for name in CAPABILITIES
            if name != "process_watchdog"
        }

    def restore_pending(self) -> int:
        """Crosses off what another backend left in the state file (a disk image moved
        between machines); this backend itself never writes any."""
        return self._ledger.restore()
