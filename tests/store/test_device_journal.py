"""The device security journal keeps the attempt journal's guarantees: durable on return,
encrypted, chained, and every edit of its file is caught by ``verify``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pixdesk.errors import JournalError
from pixdesk.store.device_journal import (
    RUN_STARTED,
    DeviceJournal,
    device_dir,
    verify_device_journal,
)
from pixdesk.store.journal import DB_FILE, Break, Journal


def one_run(data_dir: Path) -> str:
    """A closed device journal with one run: start, a change, its undo, a blocked key."""
    with DeviceJournal.open(data_dir, facts={"mode": "demo"}) as device:
        device.record("lockdown_change", {"change": "keyboard_hook"})
        device.record("lockdown_restored", {"change": "keyboard_hook"})
        device.record("lockdown_key_blocked", {"chord": "Alt+Tab", "rule": "switch"})
        return device.run_id


def edit(data_dir: Path, statement: str, *params: object) -> None:
    connection = sqlite3.connect(device_dir(data_dir) / DB_FILE)
    try:
        with connection:
            connection.execute(statement, params)
    finally:
        connection.close()


def test_a_run_is_written_before_record_returns_and_reads_back(data_dir: Path) -> None:
    with DeviceJournal.open(data_dir, facts={"mode": "client"}) as device:
        stored = device.record("invigilator_password_refused", {"failures": 2})
        other = Journal.open(device_dir(data_dir))
        try:
            events = other.events(device.run_id)
        finally:
            other.close()
    assert [e.kind for e in events] == [RUN_STARTED, "invigilator_password_refused"]
    assert events[-1].hash == stored.hash and events[-1].payload == {"failures": 2}
    assert events[0].payload == {"kind": "device", "mode": "client"}


def test_payloads_are_encrypted_on_disk(data_dir: Path) -> None:
    with DeviceJournal.open(data_dir) as device:
        device.record("lockdown_warning", {"detail": "fenêtre-secrète-xyz"})
    raw = (device_dir(data_dir) / DB_FILE).read_bytes()
    assert b"secr" not in raw and "secrète".encode() not in raw


def test_each_start_is_a_separate_run_and_the_attempt_journal_is_untouched(
    data_dir: Path,
) -> None:
    first, second = one_run(data_dir), one_run(data_dir)
    assert first != second
    report = verify_device_journal(data_dir)
    assert report is not None and report.ok
    assert {c.attempt_id for c in report.attempts} == {first, second}
    assert not (data_dir / DB_FILE).exists()


def test_no_device_journal_is_nothing_to_verify(data_dir: Path) -> None:
    assert verify_device_journal(data_dir) is None


def test_a_flipped_byte_is_caught(data_dir: Path) -> None:
    run = one_run(data_dir)
    connection = sqlite3.connect(device_dir(data_dir) / DB_FILE)
    try:
        ciphertext = bytearray(
            connection.execute("SELECT ciphertext FROM events WHERE seq = 2").fetchone()[0]
        )
    finally:
        connection.close()
    ciphertext[3] ^= 0x01
    edit(data_dir, "UPDATE events SET ciphertext = ? WHERE seq = 2", bytes(ciphertext))
    report = verify_device_journal(data_dir)
    assert report is not None and report.first_break == Break(run, 2, "tag")


def test_a_deleted_event_is_caught(data_dir: Path) -> None:
    run = one_run(data_dir)
    edit(data_dir, "DELETE FROM events WHERE seq = 3")
    report = verify_device_journal(data_dir)
    assert report is not None and report.first_break == Break(run, 3, "gap")


def test_a_cut_tail_is_caught(data_dir: Path) -> None:
    run = one_run(data_dir)
    edit(data_dir, "DELETE FROM events WHERE seq = 4")
    edit(data_dir, "UPDATE attempts SET head_seq = 3, head_hash = "
                   "(SELECT hash FROM events WHERE seq = 3)")
    report = verify_device_journal(data_dir)
    assert report is not None and report.first_break == Break(run, 4, "truncated")


def test_a_deleted_run_is_caught(data_dir: Path) -> None:
    run = one_run(data_dir)
    edit(data_dir, "DELETE FROM events")
    edit(data_dir, "DELETE FROM attempts")
    report = verify_device_journal(data_dir)
    assert report is not None and report.first_break == Break(run, None, "vanished")


def test_a_refused_write_raises_so_the_caller_does_not_act(data_dir: Path) -> None:
    with DeviceJournal.open(data_dir) as device, pytest.raises(JournalError) as raised:
        device.record("Not A Kind", {})
    assert raised.value.code == "journal.invalid_event"
