"""A disk that fills up under the journal: a clear refusal, nothing lost, writes resume.

The disk is a real 8 MiB tmpfs filled by another writer, not a mocked ``write``.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from pixdesk.errors import JournalError
from pixdesk.store.journal import RESERVE_BYTES, RESERVE_FILE, Journal, NewEvent
from tests.conftest import SmallDisk
from tests.store.conftest import WALL_MS


def big_event(n: int) -> NewEvent:
    """An event large enough that each append needs fresh pages on the disk."""
    return NewEvent("answer_submitted", {"n": n, "answer": "x" * 20_000}, 1000 * n,
                    WALL_MS + 1000 * n)


def test_a_full_disk_refuses_the_append_clearly_and_loses_nothing(small_disk: SmallDisk) -> None:
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    with Journal.open(data_dir) as journal:
        assert (data_dir / RESERVE_FILE).stat().st_size == RESERVE_BYTES
        journal.create_attempt("a1", {})
        journal.append("a1", [big_event(1), big_event(2)])
        small_disk.fill()
        with pytest.raises(JournalError) as raised:
            for n in range(3, 40):
                journal.append("a1", [big_event(n)])
        assert raised.value.code == "journal.disk_full"
        assert "Disque plein" in raised.value.fr and "Disk full" in raised.value.en
        saved = [e.seq for e in journal.events("a1")]
        assert journal.verify().ok
    small_disk.free()
    with Journal.open(data_dir) as journal:
        assert [e.seq for e in journal.events("a1")] == saved
        journal.append("a1", [big_event(len(saved) + 1)])
        assert journal.verify().ok
    assert (data_dir / RESERVE_FILE).stat().st_size == RESERVE_BYTES


def test_the_reserve_is_given_back_and_rebuilt_after_recovery(small_disk: SmallDisk) -> None:
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        small_disk.fill()
        assert journal.release_reserve()
        journal.append("a1", [big_event(1)])
        assert not (data_dir / RESERVE_FILE).exists()
        small_disk.free()
        journal.append("a1", [big_event(2)])
        assert (data_dir / RESERVE_FILE).stat().st_size == RESERVE_BYTES
    assert not list(Path(data_dir).glob("*.tmp"))


def test_a_journal_started_on_a_full_disk_says_disk_full_not_corrupt(
    small_disk: SmallDisk,
) -> None:
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    small_disk.fill()
    with pytest.raises(JournalError) as raised:
        Journal.open(data_dir)
    assert raised.value.code == "journal.disk_full"
    small_disk.free()
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        assert journal.verify().ok


def test_a_check_in_with_file_keys_on_a_full_disk_says_disk_full(
    small_disk: SmallDisk,
) -> None:
    """The head record's key file is the first thing a check-in writes in file-key mode."""
    keyring.set_keyring(fail.Keyring())
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    with Journal.open(data_dir, allow_file_key=True) as journal:
        small_disk.fill()
        journal.release_reserve()
        small_disk.fill()
        with pytest.raises(JournalError) as raised:
            journal.create_attempt("a1", {})
        assert raised.value.code == "journal.disk_full"
        assert journal.attempts() == []
    assert not list((data_dir / "keys").glob(".*.tmp"))
    small_disk.free()
