"""The outbox against the real server: cursor, verified receipts, results, nothing deleted."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from pixdesk import crypto
from pixdesk.errors import SyncError
from pixdesk.store.outbox_state import OutboxState
from pixdesk.sync.device import ServerPin, open_device_store, save_pin
from tests.sync.conftest import PC, LiveServer, run_exam


def test_a_finished_attempt_is_stored_once_with_its_chain_and_rescored_equal(
    server: LiveServer, pc: PC
) -> None:
    pc.enrol(server.url, server.token())
    attempt_id = run_exam(pc.journal, seed=1)
    outbox = pc.outbox(batch_size=10)
    [report] = outbox.sync_all()
    assert report.error is None and report.done
    assert report.sent == report.head_seq > 10
    assert report.result_match is True
    assert server.stored_events(attempt_id) == pc.raw_hashes(attempt_id)
    result = server.result(attempt_id)
    assert result is not None and result.match is True
    receipts = outbox.state.receipts(attempt_id)
    assert [r["acked_through_seq"] for r, _ in receipts][-1] == report.head_seq
    assert len(receipts) == -(-report.head_seq // 10)


def test_a_second_pass_sends_nothing_and_new_events_go_from_the_cursor(
    server: LiveServer, pc: PC
) -> None:
    pc.enrol(server.url, server.token())
    attempt_id = run_exam(pc.journal, seed=2, answers=3)
    outbox = pc.outbox()
    first = outbox.sync_all()[0]
    assert first.done and not first.ended
    assert outbox.sync_all()[0].sent == 0
    run_exam(pc.journal, seed=3, answers=1)
    reports = {r.attempt_id: r for r in outbox.sync_all()}
    assert reports[attempt_id].sent == 0
    assert all(r.done for r in reports.values())
    assert len(server.attempt_ids()) == 2


def test_a_receipt_not_signed_by_the_pinned_server_key_is_ignored_and_logged(
    server: LiveServer, pc: PC, caplog: pytest.LogCaptureFixture
) -> None:
    pc.enrol(server.url, server.token())
    store = open_device_store(pc.data_dir)
    outbox = pc.outbox()
    impostor = crypto.public_key_bytes(crypto.new_signing_key())
    save_pin(store, ServerPin(outbox.pin.url, outbox.pin.key_id, impostor,
                              outbox.pin.sealing_public_key, outbox.pin.centre_id))
    attempt_id = run_exam(pc.journal, seed=4, answers=2)
    with caplog.at_level(logging.WARNING):
        [report] = pc.outbox().sync_all()
    assert report.error is not None and report.error.code == "receipt.bad_signature"
    assert report.acked_through_seq == 0 and not report.done
    assert "receipt ignored" in caplog.text
    state = OutboxState(pc.journal.path)
    try:
        assert state.get(attempt_id).acked_through_seq == 0
        assert state.receipts(attempt_id) == []
        assert state.get(attempt_id).last_error == "receipt.bad_signature"
    finally:
        state.close()
    assert len(pc.journal.events(attempt_id)) == report.head_seq


def test_syncing_needs_an_enrolled_pc(pc: PC) -> None:
    with pytest.raises(SyncError) as raised:
        pc.outbox()
    assert raised.value.code == "sync.not_enrolled"


def test_an_attempt_without_events_waits_without_error(
    server: LiveServer, pc: PC, make_pc: Callable[[str], PC]
) -> None:
    pc.enrol(server.url, server.token())
    pc.journal.create_attempt("empty", {"session_id": "DEMO-0001", "candidate_id": "demo-1",
                                        "version_id": "v", "package_id": "p", "demo": True})
    [report] = pc.outbox().sync_all()
    assert report.done and report.sent == 0 and report.error is None
