"""Helpers for the store tests: a journal on a real file, events, and raw SQL tampering."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pixdesk.store.journal import DB_FILE, Journal, NewEvent

WALL_MS = 1_746_522_902_125


def event(n: int, kind: str = "answer_submitted") -> NewEvent:
    return NewEvent(kind, {"n": n, "answer": f"réponse {n}"}, 1000 * n, WALL_MS + 1000 * n)


def tamper(data_dir: Path, statement: str, *params: Any) -> None:
    """Edit the database file behind the journal's back, as someone with file access would."""
    connection = sqlite3.connect(data_dir / DB_FILE)
    try:
        with connection:
            connection.execute(statement, params)
    finally:
        connection.close()


def row(data_dir: Path, attempt_id: str, seq: int) -> sqlite3.Row:
    connection = sqlite3.connect(data_dir / DB_FILE)
    connection.row_factory = sqlite3.Row
    try:
        found = connection.execute(
            "SELECT * FROM events WHERE attempt_id = ? AND seq = ?", (attempt_id, seq)
        ).fetchone()
    finally:
        connection.close()
    assert found is not None
    return found


@pytest.fixture
def journal(data_dir: Path) -> Iterator[Journal]:
    opened = Journal.open(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def five_events(data_dir: Path) -> Path:
    """A closed journal holding attempt ``a1`` with events 1..5; returns the data dir."""
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {"session_id": "s1", "candidate_id": "c1"})
        journal.append("a1", [event(1), event(2)])
        journal.append("a1", [event(3)])
        journal.append("a1", [event(4), event(5)])
    return data_dir



def damage_newest_slot(path: Path, offset: int = 60) -> None:
    """Flip one byte of a key file's newest slot (the one with the higher counter), as a
    torn write — or someone with the file — would leave it."""
    data = bytearray(path.read_bytes())
    newest = max((0, 512), key=lambda start: int.from_bytes(data[start : start + 8], "big"))
    data[newest + offset] ^= 0x01
    path.write_bytes(bytes(data))
