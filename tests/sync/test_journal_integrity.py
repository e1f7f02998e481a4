"""Sync and export verify each attempt's journal first: a cut, rolled-back, degraded or
vanished attempt is never sent as normal (issue #20).

Each test tampers with the PC's files as someone with the data folder would, then runs the
real ``pixdesk sync --once`` / ``pixdesk export`` against a real server behind a recording
proxy, and checks what the client sent and how it exited. What the server does with a
flagged copy is the server's own tests' business.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from pixdesk.cli import main
from pixdesk.errors import JournalError
from pixdesk.exam import LiveAttempt
from pixdesk.store import keys
from pixdesk.store.journal import DB_FILE, Journal
from pixdesk.sync import protocol
from tests.sync.conftest import (
    PC,
    FaultProxy,
    LiveServer,
    answer_right,
    begin_exam,
    demo,
    run_exam,
)


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture
def enrolled(server: LiveServer, proxy: FaultProxy, pc: PC) -> PC:
    """A PC enrolled through the proxy, so that every request it sends is recorded."""
    pc.enrol(proxy.url, server.token())
    return pc


def sent(proxy: FaultProxy) -> list[tuple[str, dict[str, Any]]]:
    """(path, JSON body) of every POST the client sent."""
    found = []
    for _fault, request in proxy.seen:
        head, _, body = request.partition(b"\r\n\r\n")
        method, path, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
        if method == b"POST":
            found.append((path.decode(), json.loads(body)))
    return found


def meta_sent(proxy: FaultProxy, attempt_id: str) -> list[dict[str, Any]]:
    path = protocol.events_path(attempt_id)
    return [body["meta"] for where, body in sent(proxy) if where == path]


def results_sent(proxy: FaultProxy) -> list[str]:
    return [where for where, _ in sent(proxy) if where.endswith("/result")]


def sync_once(pc: PC, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--lang", "en", "sync", "--once", "--data-dir", str(pc.data_dir)])
    return code, capsys.readouterr().out


def sql(data_dir: Path, statement: str, *params: Any) -> None:
    connection = sqlite3.connect(data_dir / DB_FILE)
    try:
        with connection:
            connection.execute(statement, params)
    finally:
        connection.close()


def cut_tail(data_dir: Path, attempt_id: str, keep: int) -> None:
    """Delete the events after ``keep`` and make the database's own head agree."""
    connection = sqlite3.connect(data_dir / DB_FILE)
    try:
        with connection:
            connection.execute(
                "DELETE FROM events WHERE attempt_id=? AND seq>?", (attempt_id, keep))
            [last] = connection.execute(
                "SELECT hash FROM events WHERE attempt_id=? AND seq=?", (attempt_id, keep)
            ).fetchone()
            connection.execute(
                "UPDATE attempts SET head_seq=?, head_hash=? WHERE attempt_id=?",
                (keep, last, attempt_id))
    finally:
        connection.close()


def snapshot(pc: PC, target: Path) -> None:
    source, copy = sqlite3.connect(pc.data_dir / DB_FILE), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def restore(pc: PC, copy: Path) -> None:
    """Put an older copy of journal.db back, as someone restoring a backup would."""
    pc.journal.close()
    for suffix in ("-wal", "-shm"):
        (pc.data_dir / f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, pc.data_dir / DB_FILE)
    pc.journal = Journal.open(pc.data_dir)


def head_seq(pc: PC, attempt_id: str) -> int:
    return next(i.head_seq for i in pc.journal.attempts() if i.attempt_id == attempt_id)


def test_a_verified_attempt_is_sent_without_an_integrity_key(
    proxy: FaultProxy, enrolled: PC, capsys: pytest.CaptureFixture[str]
) -> None:
    """Absent means verified, and keeps a verified attempt's batches as they always were."""
    attempt_id = run_exam(enrolled.journal, seed=41)
    code, out = sync_once(enrolled, capsys)
    assert code == 0, out
    metas = meta_sent(proxy, attempt_id)
    assert metas and all("integrity" not in meta for meta in metas)
    assert len(results_sent(proxy)) == 1


def test_a_cut_tail_is_sent_only_flagged_and_sync_exits_1(
    proxy: FaultProxy, enrolled: PC, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #20: last event deleted and the DB head fixed; sync exited 0 with 27/27."""
    attempt_id = run_exam(enrolled.journal, seed=42)
    cut_tail(enrolled.data_dir, attempt_id, head_seq(enrolled, attempt_id) - 1)
    code, out = sync_once(enrolled, capsys)
    assert code == 1
    [line] = [line for line in out.splitlines() if attempt_id in line]
    sent_count = head_seq(enrolled, attempt_id)
    assert line == (
        f"attempt {attempt_id}: {sent_count} sent, {sent_count}/{sent_count} acknowledged — "
        "journal.truncated: end of the journal removed — flagged copy, held for review by "
        "the server"
    )
    metas = meta_sent(proxy, attempt_id)
    assert metas and all(meta["integrity"] == "journal.truncated" for meta in metas)
    assert results_sent(proxy) == []


def test_a_restored_older_database_is_sent_only_flagged_and_sync_exits_1(
    proxy: FaultProxy, enrolled: PC, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #20: an older journal.db put back; sync sent 28 of 70 events and exited 0."""
    live = begin_exam(enrolled.journal, attempt_id="restored", seed=43)
    answer_right(live, 3)
    snapshot(enrolled, tmp_path / "older.db")
    answer_right(live, 4)
    restore(enrolled, tmp_path / "older.db")
    code, out = sync_once(enrolled, capsys)
    assert code == 1 and "journal.rollback" in out
    metas = meta_sent(proxy, "restored")
    assert metas and all(meta["integrity"] == "journal.rollback" for meta in metas)


def test_a_vanished_attempt_is_named_and_sync_exits_1(
    proxy: FaultProxy, enrolled: PC, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #20: a copy from before a whole attempt; keys/head.<id> outlived it."""
    kept = run_exam(enrolled.journal, seed=44, answers=2)
    snapshot(enrolled, tmp_path / "before.db")
    gone = run_exam(enrolled.journal, seed=45, candidate="demo-2")
    restore(enrolled, tmp_path / "before.db")
    code, out = sync_once(enrolled, capsys)
    assert code == 1
    [line] = [line for line in out.splitlines() if gone in line]
    assert "journal.vanished" in line
    assert meta_sent(proxy, gone) == []
    assert meta_sent(proxy, kept) and "integrity" not in meta_sent(proxy, kept)[0]


def test_the_export_carries_flagged_copies_and_exits_1(
    enrolled: PC, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = run_exam(enrolled.journal, seed=46)
    bad = run_exam(enrolled.journal, seed=47, candidate="demo-2")
    cut_tail(enrolled.data_dir, bad, head_seq(enrolled, bad) - 2)
    out = tmp_path / "usb" / "PC12.pixexport"
    out.parent.mkdir()
    capsys.readouterr()
    code = main(["--lang", "en", "export", str(out), "--data-dir", str(enrolled.data_dir)])
    printed = capsys.readouterr().out
    assert code == 1 and "journal.truncated" in printed and bad in printed
    document = json.loads(out.read_bytes())
    metas = {b["body"]["attempt_id"]: b["body"]["meta"] for b in document["batches"]}
    assert "integrity" not in metas[good]
    assert metas[bad]["integrity"] == "journal.truncated"
    assert [r["body"]["attempt_id"] for r in document["results"]] == [good]


# --- the file-key store --------------------------------------------------------------------


@pytest.fixture
def file_key_pc(server: LiveServer, proxy: FaultProxy, tmp_path: Path) -> Iterator[PC]:
    """A PC without a usable keyring, keys in files, as IT may allow."""
    keyring.set_keyring(fail.Keyring())
    data_dir = tmp_path / "file-key-pc"
    data_dir.mkdir()
    pc = PC(data_dir, Journal.open(data_dir, allow_file_key=True))
    pc.enrol(proxy.url, server.token())
    yield pc
    pc.journal.close()


def older_slot_seq(data_dir: Path, attempt_id: str) -> int:
    """The seq in the head file's older slot: what a reader falls back to."""
    store = keys.FileKeyStore(data_dir / keys.KEY_DIR)
    master = store.get(keys.MASTER_KEY)
    data = (data_dir / keys.KEY_DIR / keys.head_name(attempt_id)).read_bytes()
    slots = [data[start : start + 512] for start in (0, 512)]
    older = min(slots, key=lambda slot: int.from_bytes(slot[:8], "big"))
    value = older[44 : 44 + int.from_bytes(older[8:12], "big")]
    assert master is not None
    head = keys.decode_head(master, attempt_id, value)
    assert head is not None
    return head.seq


def flip_newest_slot(data_dir: Path, attempt_id: str) -> None:
    path = data_dir / keys.KEY_DIR / keys.head_name(attempt_id)
    data = bytearray(path.read_bytes())
    newest = max((0, 512), key=lambda start: int.from_bytes(data[start : start + 8], "big"))
    data[newest + 60] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_cut_tail_behind_a_damaged_head_slot_is_caught_by_sync(
    proxy: FaultProxy, file_key_pc: PC, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #20: last batch deleted, DB head fixed, one byte of the newest slot flipped:
    verify said OK, sync exited 0 and check-in reopened the attempt."""
    attempt_id = run_exam(file_key_pc.journal, seed=48)
    cut_tail(file_key_pc.data_dir, attempt_id, older_slot_seq(file_key_pc.data_dir, attempt_id))
    flip_newest_slot(file_key_pc.data_dir, attempt_id)
    code, out = sync_once(file_key_pc, capsys)
    assert code == 1 and "journal.truncated" in out
    metas = meta_sent(proxy, attempt_id)
    assert metas and all(meta["integrity"] == "journal.truncated" for meta in metas)
    with pytest.raises(JournalError) as refused:
        LiveAttempt.reopen(file_key_pc.journal, demo().content, attempt_id)
    assert refused.value.code == "journal.truncated"


def test_an_attempt_resumed_from_a_torn_head_slot_is_sent_flagged_degraded(
    proxy: FaultProxy, file_key_pc: PC, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a crash mid head-write leaves (or a one-event cut that looks the same): the
    attempt goes on, but the server gets it as a degraded copy to review."""
    attempt_id = run_exam(file_key_pc.journal, seed=49)
    flip_newest_slot(file_key_pc.data_dir, attempt_id)
    code, out = sync_once(file_key_pc, capsys)
    assert code == 1 and "journal.degraded" in out
    metas = meta_sent(proxy, attempt_id)
    assert metas and all(meta["integrity"] == "journal.degraded" for meta in metas)
    assert results_sent(proxy) == []


def test_the_integrity_key_is_parsed_optional_and_checked() -> None:
    body = {
        "attempt_id": "a1", "device_id": "d1", "sealed_data_key": "",
        "meta": {"session_id": "s", "candidate_id": "c", "version_id": "v",
                 "package_id": "p", "demo": True},
        "events": [protocol.event_record(
            seq=1, kind="k", schema=1, mono_elapsed_ms=0, wall_time_ms=0, nonce=b"n",
            ciphertext=b"c", prev_hash=bytes(32), hash=bytes(32))],
    }
    assert "integrity" not in protocol.parse_events_body(body)["meta"]
    body["meta"]["integrity"] = None
    assert "integrity" not in protocol.parse_events_body(body)["meta"]
    body["meta"]["integrity"] = "journal.rollback"
    assert protocol.parse_events_body(body)["meta"]["integrity"] == "journal.rollback"
    for bad in ("rollback", "journal.Rollback!", 7, "x" * 200):
        body["meta"]["integrity"] = bad
        with pytest.raises(protocol.ProtocolError):
            protocol.parse_events_body(body)
