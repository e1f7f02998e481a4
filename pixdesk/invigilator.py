"""The invigilator password: how it is made, how it is typed, and how wrong tries slow down.

The session file, with the password's scrypt hash, is copied to every PC of the room, so the
password must resist an offline search: 11 symbols drawn from Crockford's base-32 alphabet
(digits and capitals without I, L, O, U) carry 55 bits, shown grouped ``XXXX-XXXX-XXX``.
Typing ignores case, spaces and dashes, and reads O as 0 and I or L as 1, so a misread
symbol is not a wrong try. The demo session keeps its short public password: it is shown
on screen and a demo result counts for nothing.

Wrong tries wait 1 s, then 2, 4, 8… up to 60 s. Their count and the time of the last one
are kept in ``<data dir>/invigilator-tries.db`` (SQLite, WAL, ``synchronous=FULL``), with a
line per wrong try, so killing the app does not reset the wait.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from pixdesk.sqlite import durable_transaction

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: 32 symbols, 5 bits each, no I, L, O or U to misread."""
SYMBOLS = 11
"""55 bits: see docs/it-deployment.md for what an offline search costs."""
GROUPS = (4, 4, 3)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")

FIRST_DELAY_S = 1
MAX_DELAY_S = 60
TRIES_FILE = "invigilator-tries.db"


def new_password() -> str:
    """A fresh password, grouped for reading aloud and typing: ``XXXX-XXXX-XXX``."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))
    parts, start = [], 0
    for size in GROUPS:
        parts.append(symbols[start:start + size])
        start += size
    return "-".join(parts)


def normalise(typed: str) -> str:
    """What is hashed and compared: capitals, no separators, O read as 0, I and L as 1."""
    return _SEPARATORS.sub("", typed).upper().translate(_READ_AS)


def is_strong(password: str) -> bool:
    """At least ``SYMBOLS`` symbols of ``ALPHABET`` once normalised (≥ 55 bits if random)."""
    symbols = normalise(password)
    return len(symbols) >= SYMBOLS and all(symbol in ALPHABET for symbol in symbols)


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong tries."""
    if failures <= 0:
        return 0
    return int(min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - 1)))


def seconds_left(failures: int, last_ms: int, now_ms: int) -> int:
    """What remains of the wait after the last wrong try; the whole wait if the clock went
    back (a changed clock must not shorten it)."""
    wait = delay_after(failures)
    if now_ms < last_ms:
        return wait
    elapsed_s = (now_ms - last_ms) // 1000
    return int(max(0, wait - elapsed_s))


@dataclass(frozen=True, slots=True)
class Tries:
    failures: int
    last_ms: int


class WrongTries:
    """The durable count of wrong tries per gate (``invigilator``, ``opening``), and their
    log. A connection per call: calls come from the UI thread and the writer thread, and
    each returns only once its write is on disk."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / TRIES_FILE
        with durable_transaction(self.path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS tries (gate TEXT PRIMARY KEY, "
                       "failures INTEGER NOT NULL, last_ms INTEGER NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS refusals (gate TEXT NOT NULL, "
                       "at_ms INTEGER NOT NULL, failures INTEGER NOT NULL)")

    def load(self, gate: str) -> Tries:
        with durable_transaction(self.path) as db:
            row = db.execute("SELECT failures, last_ms FROM tries WHERE gate = ?",
                             (gate,)).fetchone()
        return Tries(0, 0) if row is None else Tries(int(row[0]), int(row[1]))

    def record_failure(self, gate: str, now_ms: int) -> Tries:
        """One more wrong try at ``now_ms``, counted and logged in one transaction."""
        with durable_transaction(self.path) as db:
            row = db.execute("SELECT failures FROM tries WHERE gate = ?", (gate,)).fetchone()
            failures = (0 if row is None else int(row[0])) + 1
            db.execute("INSERT OR REPLACE INTO tries (gate, failures, last_ms) VALUES (?, ?, ?)",
                       (gate, failures, now_ms))
            db.execute("INSERT INTO refusals (gate, at_ms, failures) VALUES (?, ?, ?)",
                       (gate, now_ms, failures))
        return Tries(failures, now_ms)

    def reset(self, gate: str) -> None:
        """The right password: the wait starts again from nothing (the log stays)."""
        with durable_transaction(self.path) as db:
            db.execute("DELETE FROM tries WHERE gate = ?", (gate,))

    def refusals(self, gate: str) -> list[tuple[int, int]]:
        """``(at_ms, failures)`` of every wrong try at ``gate``, oldest first."""
        with durable_transaction(self.path) as db:
            rows = db.execute("SELECT at_ms, failures FROM refusals WHERE gate = ? "
                              "ORDER BY rowid", (gate,)).fetchall()
        return [(int(at), int(count)) for at, count in rows]
