"""Refusals the client must report while keeping every local record: forged signature,
unknown device, replayed token, spliced event, demo attempt sent to a real server."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from pixdesk import crypto
from pixdesk.errors import SyncError
from pixdesk.server.ingest import import_export_file
from pixdesk.store.journal import DB_FILE
from pixdesk.sync.device import (
    DEVICE_ENTRY,
    load_device,
    open_device_store,
    require_enrolled,
)
from pixdesk.sync.outbox import write_export
from tests.sync.conftest import (
    PC,
    LiveServer,
    answer_right,
    begin_exam,
    run_exam,
    start_server,
)


def _journal_rows(pc: PC) -> int:
    with sqlite3.connect(pc.data_dir / DB_FILE) as db:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def _refused(pc: PC, code: str) -> None:
    rows = _journal_rows(pc)
    [report] = pc.outbox().sync_all()
    assert report.error is not None and report.error.code == code
    assert report.acked_through_seq == 0 and not report.done
    assert _journal_rows(pc) == rows
    assert pc.outbox().state.get(report.attempt_id).last_error == code


def test_a_request_signed_with_another_key_is_refused_and_nothing_stored(
    server: LiveServer, pc: PC
) -> None:
    pc.enrol(server.url, server.token())
    store = open_device_store(pc.data_dir)
    device = load_device(store)
    assert device is not None
    forged = crypto.new_signing_key()
    store.put(DEVICE_ENTRY, crypto.canonical_json({
        "device_id": device.device_id,
        "signing": crypto.b64e(crypto.signing_key_to_bytes(forged)),
        "sealing": crypto.b64e(crypto.sealing_key_to_bytes(device.sealing_key)),
    }))
    attempt_id = run_exam(pc.journal, seed=31, answers=2)
    _refused(pc, "device.bad_signature")
    assert server.stored_events(attempt_id) == []


def test_a_device_the_server_never_enrolled_is_refused(
    server: LiveServer, pc: PC, tmp_path: Path
) -> None:
    pc.enrol(server.url, server.token())
    other = start_server(tmp_path / "other-server")
    try:
        attempt_id = run_exam(pc.journal, seed=32, answers=2)
        [report] = pc.outbox(other.url).sync_all()
        assert report.error is not None and report.error.code == "device.unknown"
        assert other.attempt_ids() == [] and server.stored_events(attempt_id) == []
    finally:
        other.stop()


def test_a_replayed_enrolment_token_is_refused_and_pins_nothing(
    server: LiveServer, make_pc: Callable[[str], PC]
) -> None:
    first, second = make_pc("first"), make_pc("second")
    token = server.token()
    first.enrol(server.url, token)
    with pytest.raises(SyncError) as raised:
        second.enrol(server.url, token)
    assert raised.value.code == "enrol.token_used"
    with pytest.raises(SyncError):
        require_enrolled(open_device_store(second.data_dir))


def test_an_event_spliced_from_another_attempt_is_refused_and_kept_locally(
    server: LiveServer, pc: PC
) -> None:
    pc.enrol(server.url, server.token())
    victim = run_exam(pc.journal, seed=33, answers=3)
    donor = run_exam(pc.journal, seed=34, answers=3)
    assert all(r.done for r in pc.outbox().sync_all())
    stored_before = server.stored_events(victim)
    head = len(stored_before)
    with sqlite3.connect(pc.data_dir / DB_FILE) as db:
        db.execute(
            "INSERT INTO events SELECT ?, ?, kind, schema, nonce, ciphertext, prev_hash, hash, "
            "mono_elapsed_ms, wall_time_ms FROM events WHERE attempt_id = ? AND seq = 5",
            (victim, head + 1, donor),
        )
    rows = _journal_rows(pc)
    reports = {r.attempt_id: r for r in pc.outbox().sync_all()}
    refused = reports[victim].error
    assert refused is not None and refused.code == "attempt.bad_chain"
    assert reports[donor].error is None
    assert server.stored_events(victim) == stored_before
    assert _journal_rows(pc) == rows


def test_a_demo_attempt_sent_to_a_real_server_is_refused_and_kept(
    pc: PC, tmp_path: Path
) -> None:
    real = start_server(tmp_path / "real-server", accept_demo=False)
    try:
        pc.enrol(real.url, real.token())
        run_exam(pc.journal, seed=35)
        _refused(pc, "attempt.demo_refused")
        assert real.attempt_ids() == []
    finally:
        real.stop()


def test_the_emergency_export_is_ingested_by_the_server_import_once(
    server: LiveServer, pc: PC, tmp_path: Path
) -> None:
    pc.enrol(server.url, server.token())
    finished = run_exam(pc.journal, seed=36)
    unfinished = begin_exam(pc.journal, attempt_id="unfinished", seed=37, candidate="demo-2")
    answer_right(unfinished, 1)
    out = tmp_path / "usb" / "pixdesk.export"
    out.parent.mkdir()
    document, flagged = pc.outbox(batch_size=10).export()
    assert flagged == []
    assert write_export(out, document) == out.stat().st_size
    assert len(document["results"]) == 1
    first = import_export_file(server.state, out)
    assert first.refused == [] and first.accepted == len(document["batches"]) + 1
    for attempt_id in (finished, "unfinished"):
        assert server.stored_events(attempt_id) == pc.raw_hashes(attempt_id)
    result = server.result(finished)
    assert result is not None and result.match is True
    shutil.copy(out, tmp_path / "again.export")
    second = import_export_file(server.state, tmp_path / "again.export")
    assert second.refused == []
    assert server.stored_events(finished) == pc.raw_hashes(finished)
