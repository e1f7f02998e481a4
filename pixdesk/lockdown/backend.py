"""The small interface every OS backend implements and the capability names they answer.

This module imports no backend: the factory (``pixdesk.lockdown.factory``) imports the
backends, and the backends import this interface and the change ledger
(``pixdesk.lockdown.ledger``), so the dependencies run one way only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pixdesk.lockdown.policy import Finding

Journal = Callable[[str, dict[str, Any]], None]
"""``journal(kind, payload)``: the app passes a function appending to the device security
journal (on disk when it returns; it raises when it cannot write) and then to the attempt
under way (``pixdesk.app.security_journal``)."""

CAPABILITIES = (
    "keyboard_filter",
    "injected_input_filter",
    "capture_exclusion",
    "accessibility_shortcuts_off",
    "remote_session_check",
    "process_watchdog",
)
"""Every backend answers each of these, so ``pixdesk doctor`` prints one honest table."""

CAPABILITY_LABELS = {
    "keyboard_filter": ("filtre clavier (raccourcis système bloqués)",
                        "keyboard filter (system shortcuts blocked)"),
    "injected_input_filter": ("blocage de la saisie clavier simulée",
                              "blocking of synthetic keyboard input"),
    "capture_exclusion": ("exclusion des captures d'écran", "exclusion from screen capture"),
    "accessibility_shortcuts_off": ("raccourcis d'accessibilité (Maj ×5) désactivés",
                                    "accessibility shortcuts (Shift ×5) turned off"),
    "remote_session_check": ("détection des sessions à distance", "remote session detection"),
    "process_watchdog": ("surveillance des programmes", "program watchdog"),
}
"""French and English names of each capability, for ``pixdesk doctor`` (the GUI has its own,
through Qt's translation)."""


@runtime_checkable
class LockdownBackend(Protocol):
    name: str

    def engage(self, window_handle: int | None) -> None: ...

    def release(self) -> None: ...

    def poll(self) -> list[Finding]:
        """Level-triggered: what is wrong *now* (the guard de-duplicates)."""
        ...

    def capabilities(self) -> dict[str, bool]:
        """Each of ``CAPABILITIES``: true only if it is in force *now* (after ``engage``, a
        system call the OS refused is false, never assumed)."""
        ...

    def missing(self) -> dict[str, str]:
        """Each capability not in force, with why (a short English technical detail)."""
        ...

    def restore_pending(self) -> int:
        """Undo changes left by a previous run; returns how many were undone."""
        ...
