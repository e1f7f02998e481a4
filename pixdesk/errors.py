"""Errors that reach a person: a stable code and a one-line message, French first.

The CLI and the UI show ``message(lang)``; nothing user-facing ever shows a traceback.
Codes are stable identifiers (``content.bad_signature``) that tests and logs rely on.
"""

from __future__ import annotations

import os


def preferred_language() -> str:
    """French unless the environment clearly asks for English."""
    for var in ("PIXDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


class PixdeskError(Exception):
    """A failure with a stable code and a short French/English explanation."""

    def __init__(self, code: str, fr: str, en: str) -> None:
        super().__init__(f"{code}: {en}")
        self.code = code
        self.fr = fr
        self.en = en

    def message(self, lang: str | None = None) -> str:
        lang = lang or preferred_language()
        return self.en if lang == "en" else self.fr


class UsageError(PixdeskError):
    """The command line or an input file is malformed (exit code 2)."""


class ContentError(PixdeskError):
    """A content package or content source is refused; nothing was loaded."""


class AnswerError(PixdeskError):
    """A candidate answer cannot be checked (wrong shape, too long, control characters)."""


class JournalError(PixdeskError):
    """The local journal is unreadable, tampered with or cannot be written."""


class KeyStoreError(PixdeskError):
    """Keys cannot be stored or found (no keyring backend, missing key)."""


class SyncError(PixdeskError):
    """The server refused or could not be reached; nothing local was changed."""


class ConfigError(PixdeskError):
    """The machine configuration is invalid."""


class AttemptError(PixdeskError):
    """An intent that the attempt's current state does not allow; nothing was recorded."""
