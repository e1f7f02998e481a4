"""Every path the client uses, with one override so tests run the real app on a temp dir."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "pixdesk"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The journal and keys live here: ``--data-dir`` > ``PIXDESK_DATA_DIR`` > the OS default."""
    chosen = override or os.environ.get("PIXDESK_DATA_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def site_config_dir() -> Path:
    """Machine-wide configuration written by IT (``/etc/xdg/pixdesk``, ``%ProgramData%``)."""
    override = os.environ.get("PIXDESK_SITE_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    override = os.environ.get("PIXDESK_USER_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def resource_path(*parts: str) -> Path:
    """A file shipped inside the package (demo content, themes, translations)."""
    return Path(str(resources.files("pixdesk").joinpath("resources", *parts)))
