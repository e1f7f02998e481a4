"""``verify``'s bulk proof: SQLite spells each header exactly as ``event_header`` does for
the fields the journal writes, spells any other type differently, and an untouched
journal is proven without the row-by-row walk."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from pixdesk.chain import HEADER_DOMAIN, event_header
from pixdesk.store import journal as journal_module
from pixdesk.store.journal import Journal
from tests.store.conftest import event

EXTREMES = (0, 1, 255, 256, 2**31, 2**53 - 1, 2**63 - 1, -1, -(2**63))


def spelled(
    rows: Sequence[tuple[object, ...]], attempt_id: str = "a1", *, typed: bool = False
) -> list[bytes | None]:
    """The header bodies ``_prove`` reads for ``rows`` of (seq, kind, schema, mono, wall),
    from an in-memory table with the journal's columns and no type affinity; ``typed`` as
    ``_prove`` reads them on SQLite 3.45 and later."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(
            "CREATE TABLE events (attempt_id, seq, kind, schema, nonce, ciphertext, prev_hash, "
            "hash, mono_elapsed_ms, wall_time_ms)"
        )
        connection.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, x'', x'', x'', x'', ?, ?)",
            [(attempt_id, *fields) for fields in rows],
        )
        return [
            found[1] for found in connection.execute(
                journal_module._proof_select(decoded=False, typed=typed),
                (attempt_id, HEADER_DOMAIN),
            )
        ]
    finally:
        connection.close()


@pytest.mark.parametrize("typed", [False, True])
def test_sqlite_spells_every_character_as_event_header_does(typed: bool) -> None:
    """Every code point, in the attempt id and in the kind (quotes, backslashes, control
    and non-ASCII characters included): the same bytes, so no valid record is ever left to
    the slow walk, whatever SQLite's own JSON writer escapes."""
    for start in range(0, 0x110000, 0x1000):
        block = "".join(chr(c) for c in range(start, start + 0x1000) if not 0xD800 <= c < 0xE000)
        attempt_id, fields = "a" + block, (1, f"k{block}", 1, 0, 2**53 - 1)
        assert spelled([fields], attempt_id, typed=typed) == [
            event_header(attempt_id, *fields)[4:]
        ]


@pytest.mark.parametrize("typed", [False, True])
@pytest.mark.parametrize("number", EXTREMES)
def test_sqlite_spells_every_integer_as_event_header_does(number: int, typed: bool) -> None:
    rows = [(1, "answer_submitted", number, number, number)]
    assert spelled(rows, typed=typed) == [event_header("a1", *rows[0])[4:]]


@pytest.mark.parametrize(
    "fields",
    [
        (1, "answer_submitted", 1, "3000", 7),
        (1, "answer_submitted", 1, 3000.0, 7),
        (1, "answer_submitted", "1", 3000, 7),
        (1.0, "answer_submitted", 1, 3000, 7),
        (1, 42, 1, 3000, 7),
        (1, "answer_submitted", 1, 3000, None),
    ],
)
@pytest.mark.parametrize("typed", [False, True])
def test_a_field_of_another_type_is_never_spelled_as_the_written_one(
    fields: tuple[object, ...], typed: bool
) -> None:
    """Text digits, a real, a number for the kind, a null: what a tampered file can hold
    in a column written as an int or a str never spells the header that was written, so
    its tag fails and the walk names the row, as it would have without the proof."""
    written = event_header("a1", 1, "answer_submitted", 1, 3000, 7)[4:]
    assert spelled([fields], typed=typed) != [written]


@pytest.mark.parametrize("column", [1, 2, 3, 4])
def test_a_blob_in_a_clear_field_is_never_spelled(column: int) -> None:
    """Refused by ``json_array`` before SQLite 3.45; from 3.45, where a blob can read as
    JSONB, the typed spelling leaves the body null (and ``_prove`` to the walk)."""
    fields: list[object] = [1, "answer_submitted", 1, 3000, 7]
    fields[column] = str(fields[column]).encode()
    assert spelled([tuple(fields)], typed=True) == [None]
    if not journal_module._JSONB:
        with pytest.raises(sqlite3.OperationalError):
            spelled([tuple(fields)])


@pytest.mark.parametrize("typed", [False, True])
def test_an_untouched_journal_is_proven_without_the_row_walk(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, typed: bool
) -> None:
    for decoded, name in ((False, "_SELECT_PROOF"), (True, "_SELECT_PROOF_DECODED")):
        monkeypatch.setattr(
            journal_module, name, journal_module._proof_select(decoded=decoded, typed=typed)
        )
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(n) for n in range(1, 600)])
        monkeypatch.setattr(journal_module, "Decryptor", None)  # the walk's cipher
        assert journal.verify().ok
        assert [e.seq for e in journal.events("a1")] == list(range(1, 600))
