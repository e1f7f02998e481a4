"""The head record in a key file: a torn write still resumes, a damaged one never passes.

A crash between a commit and the head record's write leaves the newest slot torn and the
database *ahead* of the slot before it: the attempt resumes, flagged degraded for good. The
same damage with the database cut back exactly to that older slot cannot come from a crash,
so it is a truncation. These scripts do what someone with the data folder would do.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from pixdesk.errors import JournalError
from pixdesk.store import keys
from pixdesk.store.journal import Break, Journal
from tests.store.conftest import damage_newest_slot, event, row, tamper

SLOT = 512


@pytest.fixture
def file_keys(data_dir: Path) -> Path:
    """Attempt a1 in file-key mode; its last append wrote events 4 and 5 in one batch."""
    keyring.set_keyring(fail.Keyring())
    with Journal.open(data_dir, allow_file_key=True) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1), event(2)])
        journal.append("a1", [event(3)])
        journal.append("a1", [event(4), event(5)])
    return data_dir


def head_file(data_dir: Path) -> Path:
    return data_dir / keys.KEY_DIR / keys.head_name("a1")


def newest_slot(path: Path) -> int:
    data = path.read_bytes()
    return max((0, SLOT), key=lambda start: int.from_bytes(data[start : start + 8], "big"))


def flip_newest_slot(data_dir: Path) -> None:
    damage_newest_slot(head_file(data_dir))


def cut_tail(data_dir: Path, keep: int) -> None:
    """Delete the events after ``keep`` and make the database's own head agree."""
    tamper(data_dir, "DELETE FROM events WHERE seq > ?", keep)
    tamper(data_dir, "UPDATE attempts SET head_seq=?, head_hash=?", keep,
           row(data_dir, "a1", keep)["hash"])


def verify(data_dir: Path) -> tuple[Break | None, bool, str | None]:
    with Journal.open(data_dir, allow_file_key=True, create=False) as journal:
        [check] = journal.verify().attempts
    return check.broken, check.degraded, check.integrity


def test_a_cut_tail_behind_a_damaged_newest_slot_is_a_truncation(file_keys: Path) -> None:
    """Issue #20: delete the last two events, fix the DB head, flip one byte of the newest
    slot. The slot before it matches the cut database exactly, which no crash can leave."""
    cut_tail(file_keys, keep=3)
    flip_newest_slot(file_keys)
    assert verify(file_keys) == (Break("a1", 4, "truncated"), False, "journal.truncated")
    with Journal.open(file_keys, allow_file_key=True) as journal:
        with pytest.raises(JournalError) as raised:
            journal.events("a1")
        assert raised.value.code == "journal.truncated"
        with pytest.raises(JournalError) as refused:
            journal.append("a1", [event(4)])
        assert refused.value.code == "journal.rollback"


def test_a_zeroed_newest_slot_is_no_blank_slot(file_keys: Path) -> None:
    """Zeros look like a slot never written; after two writes there is no such slot."""
    cut_tail(file_keys, keep=3)
    path = head_file(file_keys)
    data = bytearray(path.read_bytes())
    start = newest_slot(path)
    data[start : start + SLOT] = bytes(SLOT)
    path.write_bytes(bytes(data))
    assert verify(file_keys)[0] == Break("a1", 4, "truncated")


def test_a_torn_head_write_after_a_crash_resumes_flagged_degraded(file_keys: Path) -> None:
    """The database holds the batch whose head record tore: the attempt goes on, and it is
    flagged until a human has looked, even once a whole record has been written again."""
    flip_newest_slot(file_keys)
    assert verify(file_keys) == (None, True, "journal.degraded")
    with Journal.open(file_keys, allow_file_key=True) as journal:
        assert [e.seq for e in journal.events("a1")] == [1, 2, 3, 4, 5]
        journal.append("a1", [event(6)])
        assert not journal.verify().ok
    assert not keys.FileKeyStore(file_keys / keys.KEY_DIR).torn(keys.head_name("a1"))
    assert verify(file_keys) == (None, True, "journal.degraded")
    with Journal.open(file_keys, allow_file_key=True) as journal:
        journal.append("a1", [event(7)])
    assert verify(file_keys) == (None, True, "journal.degraded")


def test_one_event_cut_behind_a_damaged_slot_does_not_pass_silently(file_keys: Path) -> None:
    """Cutting event 5 of the batch 4–5 looks like a crash from the files alone (docs say
    so): it cannot be told from one, so the attempt is flagged degraded, never OK."""
    cut_tail(file_keys, keep=4)
    flip_newest_slot(file_keys)
    assert verify(file_keys) == (None, True, "journal.degraded")


def test_an_untouched_file_key_journal_is_not_degraded(file_keys: Path) -> None:
    assert verify(file_keys) == (None, False, None)
    assert not keys.FileKeyStore(file_keys / keys.KEY_DIR).torn(keys.head_name("a1"))
