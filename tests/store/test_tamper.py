"""Every way of editing the journal file is caught, by ``verify`` and by ``events()``."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from pixdesk.chain import chain_hash, event_aad, event_header
from pixdesk.errors import JournalError
from pixdesk.store import keys
from pixdesk.store.journal import DB_FILE, Break, Journal
from tests.conftest import MemoryKeyring
from tests.store.conftest import event, row, tamper


def assert_caught(data_dir: Path, expected: Break) -> None:
    with Journal.open(data_dir) as journal:
        report = journal.verify()
        assert not report.ok
        assert report.first_break == expected
        with pytest.raises(JournalError) as raised:
            journal.events(expected.attempt_id)
        assert raised.value.code == f"journal.{expected.what}"


def test_an_untouched_journal_verifies(five_events: Path) -> None:
    with Journal.open(five_events) as journal:
        report = journal.verify()
        assert report.ok and report.attempts[0].events == 5
        assert [e.seq for e in journal.events("a1")] == [1, 2, 3, 4, 5]


def test_a_flipped_ciphertext_byte_fails_the_tag(five_events: Path) -> None:
    ciphertext = bytearray(row(five_events, "a1", 3)["ciphertext"])
    ciphertext[5] ^= 0x01
    tamper(five_events, "UPDATE events SET ciphertext=? WHERE seq=3", bytes(ciphertext))
    assert_caught(five_events, Break("a1", 3, "tag"))


def test_swapped_payloads_fail_the_tag_because_the_seq_is_bound(five_events: Path) -> None:
    two, three = row(five_events, "a1", 2), row(five_events, "a1", 3)
    tamper(five_events, "UPDATE events SET nonce=zeroblob(12) WHERE seq=2")
    for target, source in ((3, two), (2, three)):
        tamper(
            five_events,
            "UPDATE events SET nonce=?, ciphertext=? WHERE seq=?",
            source["nonce"], source["ciphertext"], target,
        )
    assert_caught(five_events, Break("a1", 2, "tag"))


def test_swapped_rows_break_the_order(five_events: Path) -> None:
    tamper(five_events, "UPDATE events SET seq=-1 WHERE seq=2")
    tamper(five_events, "UPDATE events SET seq=2 WHERE seq=3")
    tamper(five_events, "UPDATE events SET seq=3 WHERE seq=-1")
    assert_caught(five_events, Break("a1", 2, "order"))


def test_a_deleted_middle_event_is_a_gap(five_events: Path) -> None:
    tamper(five_events, "DELETE FROM events WHERE seq=3")
    assert_caught(five_events, Break("a1", 3, "gap"))


def test_an_edited_elapsed_time_fails_the_tag(five_events: Path) -> None:
    tamper(five_events, "UPDATE events SET mono_elapsed_ms=mono_elapsed_ms-500 WHERE seq=4")
    assert_caught(five_events, Break("a1", 4, "tag"))


def test_an_edited_stored_hash_breaks_the_chain(five_events: Path) -> None:
    tamper(five_events, "UPDATE events SET hash=? WHERE seq=5", b"\x00" * 32)
    assert_caught(five_events, Break("a1", 5, "hash"))


def test_a_recomputed_chain_still_fails_the_keyed_tag(five_events: Path) -> None:
    """The chain hash is public; re-hashing after an edit must not launder it."""
    ciphertext = bytearray(row(five_events, "a1", 2)["ciphertext"])
    ciphertext[0] ^= 0xFF
    tamper(five_events, "UPDATE events SET ciphertext=? WHERE seq=2", bytes(ciphertext))
    prev = row(five_events, "a1", 1)["hash"]
    for seq in range(2, 6):
        r = row(five_events, "a1", seq)
        header = event_header("a1", seq, r["kind"], r["schema"], r["mono_elapsed_ms"],
                              r["wall_time_ms"])
        digest = chain_hash(prev, header, r["nonce"], r["ciphertext"])
        tamper(five_events, "UPDATE events SET prev_hash=?, hash=? WHERE seq=?", prev, digest, seq)
        prev = digest
    tamper(five_events, "UPDATE attempts SET head_hash=?", prev)
    assert_caught(five_events, Break("a1", 2, "tag"))


def test_a_ciphertext_moved_to_another_attempt_fails_the_tag(five_events: Path) -> None:
    with Journal.open(five_events) as journal:
        journal.create_attempt("a2", {})
        journal.append("a2", [event(1)])
    moved = row(five_events, "a1", 1)
    tamper(
        five_events,
        "UPDATE events SET nonce=?, ciphertext=? WHERE attempt_id='a2' AND seq=1",
        moved["nonce"], moved["ciphertext"],
    )
    assert_caught(five_events, Break("a2", 1, "tag"))


def test_a_truncated_tail_is_caught_by_the_head_record(five_events: Path) -> None:
    """Even when the database's own head is rewritten to match, the keyring remembers."""
    last_kept = row(five_events, "a1", 3)["hash"]
    tamper(five_events, "DELETE FROM events WHERE seq > 3")
    tamper(five_events, "UPDATE attempts SET head_seq=3, head_hash=?", last_kept)
    assert_caught(five_events, Break("a1", 4, "truncated"))
    with Journal.open(five_events) as journal, pytest.raises(JournalError) as raised:
        journal.append("a1", [event(4)])
    assert raised.value.code == "journal.rollback"


def copy_database(data_dir: Path, snapshot: Path) -> None:
    """A consistent copy of the live journal file, as a backup tool would take."""
    source, target = sqlite3.connect(data_dir / DB_FILE), sqlite3.connect(snapshot)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def restore_database(data_dir: Path, snapshot: Path) -> None:
    for suffix in ("-wal", "-shm"):
        (data_dir / f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(snapshot, data_dir / DB_FILE)


def test_a_restored_older_database_is_a_rollback(data_dir: Path) -> None:
    snapshot = data_dir.parent / "old.db"
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1), event(2)])
        copy_database(data_dir, snapshot)
        journal.append("a1", [event(3)])
    restore_database(data_dir, snapshot)
    assert_caught(data_dir, Break("a1", 3, "rollback"))
    with Journal.open(data_dir) as journal, pytest.raises(JournalError) as raised:
        journal.append("a1", [event(3)])
    assert raised.value.code == "journal.rollback"


def test_an_attempt_missing_from_a_restored_database_has_vanished(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
    tamper(data_dir, "DELETE FROM events")
    tamper(data_dir, "DELETE FROM attempts")
    with Journal.open(data_dir) as journal:
        assert journal.verify("a1").first_break == Break("a1", None, "vanished")
        assert journal.verify().first_break == Break("a1", None, "vanished")


def test_a_database_restored_from_before_a_whole_attempt_is_caught(
    data_dir: Path, tmp_path: Path
) -> None:
    """The finished attempt a2 is simply gone from the older copy; the register remembers."""
    snapshot = tmp_path / "before-a2.db"
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        copy_database(data_dir, snapshot)
        journal.create_attempt("a2", {})
        journal.append("a2", [event(1), event(2)])
    restore_database(data_dir, snapshot)
    with Journal.open(data_dir, create=False) as journal:
        report = journal.verify()
        assert journal.vanished() == ["a2"]
    assert [(c.attempt_id, c.broken) for c in report.attempts] == [
        ("a1", None), ("a2", Break("a2", None, "vanished"))
    ]
    assert not report.ok and report.integrity() == {"a1": None, "a2": "journal.vanished"}


def test_a_check_in_cut_before_its_commit_is_not_a_vanished_attempt(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    """The head record (seq 0) and the register entry are written before the database
    commit; a crash in between loses nothing and must not raise an alarm."""
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
    tamper(data_dir, "DELETE FROM attempts")
    with Journal.open(data_dir) as journal:
        assert journal.vanished() == []
        assert journal.verify().ok


def test_attempts_from_before_the_register_are_registered_at_open(
    five_events: Path, memory_keyring: MemoryKeyring
) -> None:
    for service, username in list(memory_keyring.secrets):
        if username.startswith(("attempts:", "attempt.")):
            del memory_keyring.secrets[(service, username)]
    with Journal.open(five_events):
        pass
    tamper(five_events, "DELETE FROM events")
    tamper(five_events, "DELETE FROM attempts")
    with Journal.open(five_events) as journal:
        assert journal.vanished() == ["a1"]


def test_a_lost_head_record_is_reported_as_a_key_problem(
    five_events: Path, memory_keyring: MemoryKeyring
) -> None:
    for service, username in list(memory_keyring.secrets):
        if username.startswith(keys.head_name("a1") + ":"):
            del memory_keyring.secrets[(service, username)]
    assert_caught(five_events, Break("a1", None, "key"))


def test_a_lost_master_key_is_reported_not_replaced(
    five_events: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.secrets.clear()
    with Journal.open(five_events, create=False) as journal:
        assert journal.verify().first_break == Break("a1", None, "key")
    assert not memory_keyring.secrets


def test_verify_reports_every_attempt_and_the_first_break(five_events: Path) -> None:
    with Journal.open(five_events) as journal:
        journal.create_attempt("a2", {})
        journal.append("a2", [event(1), event(2)])
    tamper(five_events, "DELETE FROM events WHERE attempt_id='a2' AND seq=1")
    with Journal.open(five_events) as journal:
        report = journal.verify()
    assert [(c.attempt_id, c.events, c.broken) for c in report.attempts] == [
        ("a1", 5, None),
        ("a2", 0, Break("a2", 1, "gap")),
    ]
    assert report.first_break == Break("a2", 1, "gap")


def test_aad_binds_every_clear_field() -> None:
    base = ("a1", 2, "answer_submitted", 1, 5000, 1_700_000_000_000)
    headers = {event_aad(event_header(*base))}
    for index, changed in enumerate(("a2", 3, "paused", 2, 5001, 1_700_000_000_001)):
        fields = list(base)
        fields[index] = changed
        headers.add(event_aad(event_header(*fields)))  # type: ignore[arg-type]
    assert len(headers) == 7


LONG = 600
"""Events of the long attempt: more than two of the chunks ``verify`` checks together."""


@pytest.fixture
def long_attempt(data_dir: Path) -> Path:
    """A closed journal holding attempt ``a1`` with events 1..600; returns the data dir."""
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        for start in range(1, LONG + 1, 150):
            journal.append("a1", [event(n) for n in range(start, start + 150)])
    return data_dir


def test_a_long_untouched_attempt_verifies_and_reads_back_in_order(long_attempt: Path) -> None:
    with Journal.open(long_attempt) as journal:
        report = journal.verify()
        assert report.ok and report.attempts[0].events == LONG
        events = journal.events("a1")
    assert [e.seq for e in events] == list(range(1, LONG + 1))
    assert [e.payload["n"] for e in events] == list(range(1, LONG + 1))
    assert events[-1].hash == row(long_attempt, "a1", LONG)["hash"]


@pytest.mark.parametrize("seq", [1, 255, 256, 257, 512, 513, LONG])
def test_a_break_is_named_where_it_stands_across_the_checked_chunks(
    long_attempt: Path, seq: int
) -> None:
    ciphertext = bytearray(row(long_attempt, "a1", seq)["ciphertext"])
    ciphertext[-1] ^= 0x01
    tamper(long_attempt, "UPDATE events SET ciphertext=? WHERE seq=?", bytes(ciphertext), seq)
    assert_caught(long_attempt, Break("a1", seq, "tag"))


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE events SET hash=zeroblob(32) WHERE seq=300", Break("a1", 300, "hash")),
        ("UPDATE events SET prev_hash=zeroblob(32) WHERE seq=257", Break("a1", 257, "order")),
        ("DELETE FROM events WHERE seq=513", Break("a1", 513, "gap")),
    ],
)
def test_chain_breaks_past_the_first_chunk(
    long_attempt: Path, statement: str, expected: Break
) -> None:
    tamper(long_attempt, statement)
    assert_caught(long_attempt, expected)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET schema='one' WHERE seq=3",
        "UPDATE events SET mono_elapsed_ms=3000.5 WHERE seq=3",
        "UPDATE events SET wall_time_ms='soon' WHERE seq=3",
        "UPDATE events SET kind=42 WHERE seq=3",
    ],
)
def test_a_clear_field_of_another_type_fails_the_tag(five_events: Path, statement: str) -> None:
    """A field the header cannot spell as it was written (text for a number, a number
    for the kind): the tag no longer matches, whichever way the verifier spells it."""
    tamper(five_events, statement)
    assert_caught(five_events, Break("a1", 3, "tag"))
