"""Errors that reach a person: a stable code and a one-line message, French first.

The CLI and the UI show ``message(lang)``; nothing user-facing ever shows a traceback.
Codes are stable identifiers (``content.bad_signature``) that tests and logs rely on.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


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


def report(prog: str, error: PixdeskError, lang: str | None = None,
           stream: TextIO | None = None) -> int:
    """Print ``error`` as the one line both command lines use — ``prog: message [code]``,
    the code being what IT searches the docs and logs for — and return its exit code:
    2 for a malformed command or input file, 1 for any other refusal."""
    print(f"{prog}: {error.message(lang)} [{error.code}]", file=stream or sys.stderr)
    return EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILURE
