"""``backend_for``: the lockdown backend for a platform, imported only when chosen."""

from __future__ import annotations

import sys
from typing import Any

from pixdesk.lockdown.backend import LockdownBackend


def backend_for(platform: str | None = None, **deps: Any) -> LockdownBackend:
    """The backend for ``platform`` (default: this machine); ``deps`` go to its constructor
    (``journal``, ``state_path``, ``settings`` and platform-specific seams such as ``user32``).
    ``"null"`` or an unknown platform gives the backend that changes nothing."""
    chosen = platform or sys.platform
    if chosen == "win32":
        from pixdesk.lockdown.windows import WindowsBackend

        return WindowsBackend(**deps)
    if chosen.startswith("linux"):
        from pixdesk.lockdown.linux import LinuxBackend

        return LinuxBackend(**deps)
    if chosen == "darwin":
        from pixdesk.lockdown.macos import MacBackend

        return MacBackend(**deps)
    from pixdesk.lockdown.null import NullBackend

    return NullBackend(**deps)
