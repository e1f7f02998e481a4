"""``backend_for``: the lockdown backend for a platform, imported only when chosen."""

from __future__ import annotations

import contextlib
import os
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


def probe(platform: str | None = None, **deps: Any) -> dict[str, str]:
    """What the backend puts in force on this machine, tried for real: engage without an exam
    window, read ``missing()``, release. On Linux the trial grab is made on a private X
    connection to ``env["DISPLAY"]``. Used by ``pixdesk doctor``, which has no window."""
    chosen = platform or sys.platform
    with contextlib.ExitStack() as stack:
        if chosen.startswith("linux") and deps.get("x_display") is None:
            from pixdesk.lockdown.linux import private_display

            env = deps.get("env")
            deps["x_display"] = stack.enter_context(
                private_display(os.environ if env is None else env)
            )
        backend = backend_for(chosen, **deps)
        backend.engage(None)
        try:
            return backend.missing()
        finally:
            backend.release()
