"""The client's log file: what went wrong on a PC, for IT, in the platform's log folder.

Diagnostics only, never evidence (that is the journals' job) and never a place for secrets:
code that logs passes ids, codes and counts, not access codes, passwords, answers or keys
(a test runs a whole rehearsal and greps the file for them). The file is size-capped by the
standard library's rotating handler, so a PC left on for a year never fills its disk.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from pixdesk.paths import APP_NAME

LOG_FILE = "pixdesk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3
"""At most ``(BACKUPS + 1) × MAX_BYTES`` (4 MiB) of log on the disk."""
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def log_dir() -> Path:
    """``PIXDESK_LOG_DIR`` (a user setting, like ``PIXDESK_DATA_DIR``) or the OS's user log
    folder: ``~/.local/state/pixdesk/log``, ``%LOCALAPPDATA%\\pixdesk\\Logs``,
    ``~/Library/Logs/pixdesk``."""
    override = os.environ.get("PIXDESK_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_FILE


class LogFileHandler(RotatingFileHandler):
    """Ours, so configuring again (each in-process ``main``) replaces it instead of adding."""


def configure(level: int = logging.INFO) -> Path | None:
    """Send the root logger to the rotating log file; returns its path, or None when the
    folder cannot be written (the program runs on without a log rather than refuse an exam).
    """
    path = log_file()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, LogFileHandler)]:
        root.removeHandler(handler)
        handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = LogFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    return path
