"""``pixdesk journal verify``: one line per attempt, the first break in French or English."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from pixdesk.cli import main
from pixdesk.store import keys
from pixdesk.store.journal import DB_FILE, Journal
from tests.store.conftest import damage_newest_slot, event, tamper


def test_a_sound_journal_prints_each_attempt_and_exits_0(
    five_events: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["journal", "verify", "--data-dir", str(five_events), "--lang", "fr"]) == 0
    assert capsys.readouterr().out == "épreuve a1 : 5 événements, OK\n"
    assert main(["--lang", "en", "journal", "verify", "--data-dir", str(five_events)]) == 0
    assert capsys.readouterr().out == "attempt a1: 5 events, OK\n"


def test_the_first_break_is_named_and_exits_1(
    five_events: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(five_events, "DELETE FROM events WHERE seq=2")
    assert main(["journal", "verify", "--data-dir", str(five_events), "--lang", "fr"]) == 1
    assert capsys.readouterr().out == "épreuve a1, n° 2 : événement manquant\n"
    assert main(["journal", "verify", "--data-dir", str(five_events), "--lang", "en"]) == 1
    assert capsys.readouterr().out == "attempt a1, seq 2: event missing\n"


def test_verify_without_keyring_refuses_unless_an_allowed_key_file_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    in_keyring, in_file = tmp_path / "keyring-exam", tmp_path / "file-key-exam"
    in_keyring.mkdir()
    in_file.mkdir()
    with Journal.open(in_keyring) as journal:
        journal.create_attempt("a1", {})
    keyring.set_keyring(fail.Keyring())
    with Journal.open(in_file, allow_file_key=True) as journal:
        journal.create_attempt("a2", {})
    assert main(["journal", "verify", "--data-dir", str(in_keyring), "--lang", "en"]) == 1
    assert "No usable system keyring" in capsys.readouterr().err
    assert main(["journal", "verify", "--data-dir", str(in_file), "--lang", "en"]) == 0
    assert capsys.readouterr().out == "attempt a2: 0 events, OK\n"


def test_a_missing_or_damaged_journal_is_a_failure(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["journal", "verify", "--data-dir", str(data_dir), "--lang", "en"]) == 1
    assert "No journal in" in capsys.readouterr().err
    (data_dir / DB_FILE).write_bytes(b"\x00garbage" * 512)
    assert main(["journal", "verify", "--data-dir", str(data_dir), "--lang", "fr"]) == 1
    assert "endommagé" in capsys.readouterr().err


def test_a_vanished_attempt_is_named_and_exits_1(
    five_events: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(five_events, "DELETE FROM events")
    tamper(five_events, "DELETE FROM attempts")
    assert main(["journal", "verify", "--data-dir", str(five_events), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("attempt a1: attempt missing from the database")


def test_a_degraded_attempt_is_said_so_and_exits_1(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    with Journal.open(data_dir, allow_file_key=True) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        journal.append("a1", [event(2)])
    damage_newest_slot(data_dir / keys.KEY_DIR / keys.head_name("a1"))
    assert main(["journal", "verify", "--data-dir", str(data_dir), "--lang", "fr"]) == 1
    assert capsys.readouterr().out.startswith("épreuve a1 : 2 événements, DÉGRADÉ : ")


def test_the_device_journal_is_verified_too_and_a_break_there_exits_1(
    five_events: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from pixdesk.store.device_journal import DeviceJournal, device_dir

    with DeviceJournal.open(five_events) as device:
        device.record("lockdown_key_blocked", {"chord": "Alt+Tab", "rule": "switch"})
        run = device.run_id
    assert main(["journal", "verify", "--data-dir", str(five_events), "--lang", "en"]) == 0
    assert capsys.readouterr().out == (
        f"attempt a1: 5 events, OK\ndevice journal — attempt {run}: 2 events, OK\n"
    )
    connection = sqlite3.connect(device_dir(five_events) / DB_FILE)
    with connection:
        connection.execute("DELETE FROM events WHERE seq = 1")
    connection.close()
    assert main(["journal", "verify", "--data-dir", str(five_events), "--lang", "fr"]) == 1
    assert capsys.readouterr().out.endswith(
        f"journal de l'appareil — épreuve {run}, n° 1 : événement manquant\n"
    )
