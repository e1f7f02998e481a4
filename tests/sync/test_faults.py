"""Network and server faults between a PC and the real server, through a fault proxy.

Whatever fails on the way, the end state must be the same: every event stored exactly once
on the server, with the chain the PC wrote, and nothing removed from the PC's journal.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pixdesk.errors import SyncError
from pixdesk.server import sessions
from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.sync.outbox import AttemptReport
from tests.sync.conftest import (
    PC,
    FaultProxy,
    LiveServer,
    ServerProcess,
    answer_right,
    begin_exam,
    free_port,
    run_exam,
    start_server,
    stored_events,
)


def _synced_exactly_once(server: LiveServer, pc: PC, attempt_id: str) -> None:
    assert server.stored_events(attempt_id) == pc.raw_hashes(attempt_id)


def _sync_through_faults(
    proxy: FaultProxy, pc: PC, plan: list[str], *, seed: int, **outbox_options: Any
) -> tuple[AttemptReport, str]:
    """A short attempt synced once through ``proxy`` after it is told to inject ``plan``."""
    attempt_id = run_exam(pc.journal, seed=seed, answers=5)
    proxy.plan = plan
    [report] = pc.outbox(proxy.url, **outbox_options).sync_all()
    return report, attempt_id


@pytest.fixture
def enrolled(server: LiveServer, pc: PC) -> PC:
    pc.enrol(server.url, server.token())
    return pc


def test_500_answers_are_retried_after_jittered_waits_until_stored(
    server: LiveServer, proxy: FaultProxy, enrolled: PC
) -> None:
    report, attempt_id = _sync_through_faults(proxy, enrolled, ["500", "500", "500"], seed=11)
    assert report.done and report.error is None
    assert len(enrolled.sleeps) == 3
    assert all(0 <= wait <= bound for wait, bound in zip(enrolled.sleeps, [0.5, 1, 2], strict=True))
    _synced_exactly_once(server, enrolled, attempt_id)


def test_503_with_retry_after_is_waited_exactly(
    server: LiveServer, proxy: FaultProxy, enrolled: PC
) -> None:
    report, attempt_id = _sync_through_faults(proxy, enrolled, ["503:7", "503:3"], seed=12)
    assert report.done
    assert enrolled.sleeps == [7.0, 3.0]
    _synced_exactly_once(server, enrolled, attempt_id)


def test_a_response_slower_than_the_read_timeout_is_retried_and_stored_once(
    server: LiveServer, proxy: FaultProxy, enrolled: PC
) -> None:
    report, attempt_id = _sync_through_faults(proxy, enrolled, ["delay:1.5"], seed=13,
                                              read_timeout=0.5)
    assert report.done and len(enrolled.sleeps) == 1
    assert [fault for fault, _ in proxy.seen][:2] == ["delay:1.5", "ok"]
    _synced_exactly_once(server, enrolled, attempt_id)


def test_a_connection_cut_mid_request_stores_nothing_then_the_resend_is_stored(
    server: LiveServer, proxy: FaultProxy, enrolled: PC
) -> None:
    report, attempt_id = _sync_through_faults(proxy, enrolled, ["cut_request"], seed=14)
    assert report.done and len(enrolled.sleeps) == 1
    _synced_exactly_once(server, enrolled, attempt_id)


def test_a_connection_cut_mid_response_gets_the_same_receipt_on_resend(
    server: LiveServer, proxy: FaultProxy, enrolled: PC
) -> None:
    report, attempt_id = _sync_through_faults(proxy, enrolled, ["cut_response"], seed=15)
    assert report.done and len(enrolled.sleeps) == 1
    first, resent = (request for _, request in proxy.seen[:2])
    assert first.split(b"\r\n\r\n", 1)[1] == resent.split(b"\r\n\r\n", 1)[1]
    _synced_exactly_once(server, enrolled, attempt_id)


def test_batches_delivered_again_and_out_of_order_change_nothing(
    server: LiveServer, proxy: FaultProxy, enrolled: PC
) -> None:
    attempt_id = run_exam(enrolled.journal, seed=16)
    outbox = enrolled.outbox(proxy.url, batch_size=7)
    [report] = outbox.sync_all()
    assert report.done
    batches = [request for _, request in proxy.seen if b"/events " in request]
    assert len(batches) >= 3
    receipts = [receipt for receipt, _ in outbox.state.receipts(attempt_id)]
    for request in reversed(batches):
        answer = proxy.replay(request)
        assert answer is not None and answer.startswith(b"HTTP/1.1 200")
        replayed = json.loads(answer.split(b"\r\n\r\n", 1)[1])["receipt"]
        assert replayed in receipts
    _synced_exactly_once(server, enrolled, attempt_id)
    assert server.attempt_ids() == [attempt_id]


def test_4xx_is_reported_at_once_and_never_retried(
    server: LiveServer, enrolled: PC
) -> None:
    attempt_id = run_exam(enrolled.journal, seed=17, answers=2)
    outbox = enrolled.outbox()
    body = outbox.events_body(enrolled.journal.attempts()[0], outbox.state.events(
        attempt_id, after_seq=0, limit=5))
    body["events"][0]["seq"] = 99
    with pytest.raises(SyncError) as raised:
        outbox.client.post_events(body)
    assert raised.value.code.startswith(("attempt.", "request."))
    assert enrolled.sleeps == []


def test_an_unreachable_server_is_reported_once_for_all_attempts(enrolled: PC) -> None:
    run_exam(enrolled.journal, seed=18, answers=1)
    run_exam(enrolled.journal, seed=19, answers=1)
    reports = enrolled.outbox(f"http://127.0.0.1:{free_port()}", tries=3).sync_all()
    assert [r.error.code if r.error else None for r in reports] == ["sync.unreachable"] * 2
    assert len(enrolled.sleeps) == 2
    assert all(r.remaining > 0 for r in reports)


def test_a_server_killed_mid_sync_and_restarted_ends_with_every_attempt_once(
    tmp_path: Path, pc: PC
) -> None:
    """SIGKILL the server process the moment a batch reaches it, then start it again on the
    same files: after the next pass every attempt is there once, chain intact, re-scored."""
    data_dir = tmp_path / "server-process"
    state = ServerState.open(ServerConfig(data_dir), load_content=False)
    token = sessions.new_enrol_token(state, "DEMO")
    process = ServerProcess(data_dir, free_port())
    process.start()
    proxy = FaultProxy(("127.0.0.1", process.port))
    proxy.actions["kill"] = process.kill
    try:
        pc.enrol(process.url, token)
        ids = [run_exam(pc.journal, seed=20 + n, candidate=f"demo-{n + 1}") for n in range(3)]
        proxy.plan = ["ok", "ok", "kill"]
        interrupted = pc.outbox(proxy.url, batch_size=5, tries=3).sync_all()
        assert interrupted[0].error is not None
        assert interrupted[0].error.code == "sync.unreachable"
        assert not any(report.done for report in interrupted)
        process.start()
        final = pc.outbox(proxy.url, batch_size=5).sync_all()
        assert all(report.done and report.result_match for report in final)
        for attempt_id in ids:
            assert stored_events(state, attempt_id) == pc.raw_hashes(attempt_id)
    finally:
        proxy.close()
        process.kill()
        state.close()


def test_a_server_restored_from_an_older_backup_gets_the_missing_events_again(
    tmp_path: Path, pc: PC
) -> None:
    """409 attempt.gap: the server holds less than our cursor; the outbox resends from the
    server's acknowledged seq, and the cursor follows the new verified receipt."""
    live_dir, backup_dir = tmp_path / "live", tmp_path / "backup"
    live = begin_exam(pc.journal, attempt_id="restored", seed=41)
    first = start_server(live_dir)
    pc.enrol(first.url, first.token())
    answer_right(live, 2)
    assert pc.outbox().sync_all()[0].done
    backed_up = len(first.stored_events("restored"))
    first.stop()
    shutil.copytree(live_dir, backup_dir)
    second = start_server(live_dir)
    answer_right(live, 2)
    assert pc.outbox(second.url).sync_all()[0].done
    second.stop()
    restored = start_server(backup_dir)
    try:
        assert len(restored.stored_events("restored")) == backed_up
        answer_right(live, 1)
        outbox = pc.outbox(restored.url)
        [report] = outbox.sync_all()
        assert report.done and report.error is None
        assert report.sent == report.head_seq - backed_up
        assert restored.stored_events("restored") == pc.raw_hashes("restored")
        assert outbox.state.get("restored").acked_through_seq == report.head_seq
    finally:
        restored.stop()
