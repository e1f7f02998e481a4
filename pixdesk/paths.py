"""Every path the client uses.

The journal's folder follows ``--data-dir`` / ``PIXDESK_DATA_DIR`` and the user file
``PIXDESK_USER_CONFIG_DIR``: both belong to the user anyway. The machine-wide folder (the
machine file with its locked keys, the trusted content authorities) is fixed per operating
system and no environment variable moves it, since any account can set one; tests point
``SITE_CONFIG_DIR`` elsewhere from inside the process.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "pixdesk"
SITE_CONFIG_DIR: Path | None = None
"""Set only by tests (a pytest fixture, ``tests/run_pixdesk.py``); ``None`` in a real run."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The journal and keys live here: ``--data-dir`` > ``PIXDESK_DATA_DIR`` > the OS default."""
    chosen = override or os.environ.get("PIXDESK_DATA_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def site_config_dir() -> Path:
    """Machine-wide configuration written by IT: ``/etc/xdg/pixdesk``,
    ``%ProgramData%\\pixdesk``, ``/Library/Application Support/pixdesk``. Not
    ``platformdirs.site_config_dir``, which follows ``XDG_CONFIG_DIRS`` and
    ``WIN_PD_OVERRIDE_COMMON_APPDATA``."""
    if SITE_CONFIG_DIR is not None:
        return SITE_CONFIG_DIR
    if sys.platform == "win32":
        return _program_data() / APP_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME
    return Path("/etc/xdg") / APP_NAME


def _program_data() -> Path:
    """``%ProgramData%`` as the shell knows it (CSIDL_COMMON_APPDATA), not as the
    environment says."""
    if sys.platform != "win32":
        raise OSError("ProgramData exists on Windows only")
    import ctypes

    buffer = ctypes.create_unicode_buffer(260)
    if ctypes.windll.shell32.SHGetFolderPathW(None, 0x23, None, 0, buffer) != 0:
        raise OSError("SHGetFolderPathW(CSIDL_COMMON_APPDATA) failed")
    return Path(buffer.value)


def user_config_dir() -> Path:
    override = os.environ.get("PIXDESK_USER_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def resource_path(*parts: str) -> Path:
    """A file shipped inside the package (demo content, themes, translations)."""
    return Path(str(resources.files("pixdesk").joinpath("resources", *parts)))
