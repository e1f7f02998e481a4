"""The backend that changes nothing: the windowed demo, development, and unknown systems."""

from __future__ import annotations

from pixdesk.lockdown.backend import CAPABILITIES
from pixdesk.lockdown.policy import Finding


class NullBackend:
    """Claims no capability, so ``pixdesk doctor`` and the guard know nothing is enforced."""

    name = "null"

    def __init__(self, **_platform_deps: object) -> None:
        """Accepts and ignores the seams meant for a real backend, so ``backend_for("null",
        **deps)`` works with the same arguments as the platform's own backend."""

    def engage(self, window_handle: int | None) -> None:
        return None

    def release(self) -> None:
        return None

    def poll(self) -> list[Finding]:
        return []

    def capabilities(self) -> dict[str, bool]:
        return dict.fromkeys(CAPABILITIES, False)

    def missing(self) -> dict[str, str]:
        return dict.fromkeys(CAPABILITIES, "no lockdown backend on this system")

    def restore_pending(self) -> int:
        return 0
