"""The device security journal goes to the server with the attempts: one body per run that a
server can check with ``pixdesk.chain`` and open with its sealing key, stored by the server
(``pixdesk.server.device_journal``) so that ``pixdesk sync`` ends clean, a tampered run
arriving there as a flagged copy; against a server that does not know the route yet (an
older one), the run stays pending on the PC, named, nothing lost."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pixdesk import crypto
from pixdesk.chain import chain_hash, event_aad, event_header, genesis_hash
from pixdesk.cli import main
from pixdesk.server.app import create_app
from pixdesk.server.device_journal import RUN_PATH
from pixdesk.server.ingest import import_export_file
from pixdesk.store.device_journal import DeviceJournal, device_dir
from pixdesk.store.journal import Journal
from pixdesk.store.outbox_state import OutboxState
from pixdesk.sync import protocol
from pixdesk.sync.outbox import DeviceJournalOutbox, Outbox, open_outbox, write_export
from tests.server.conftest import serve_in_thread
from tests.sync.conftest import PC, LiveServer, run_exam


@pytest.fixture
def run_id(pc: PC) -> str:
    with DeviceJournal.open(pc.data_dir, facts={"mode": "exam"}) as device:
        device.record("lockdown_change", {"change": "keyboard_hook"})
        device.record("secret_refused", {"gate": "invigilator", "failures": 1})
        return device.run_id


@contextmanager
def runs_outbox(pc: PC, url: str | None = None) -> Iterator[Outbox]:
    outbox = pc.outbox(url)
    runs = Journal.open(device_dir(pc.data_dir), create=False)
    state = OutboxState(runs.path)
    outbox.runs = DeviceJournalOutbox(runs, state, outbox.client, outbox.device, outbox.pin)
    try:
        yield outbox
    finally:
        state.close()
        runs.close()


@pytest.fixture
def outbox(server: LiveServer, pc: PC, run_id: str) -> Iterator[Outbox]:
    pc.enrol(server.url, server.token())
    with runs_outbox(pc) as outbox:
        yield outbox


@pytest.fixture
def older_url(server: LiveServer) -> Iterator[str]:
    """The same server behind a front that does not know the device-journal route, as a
    server from before it answers: a bare 404 (FastAPI's, without an error code)."""
    app = create_app(server.state.config, server.state)

    async def older(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and RUN_PATH.match(scope["path"]):
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": b'{"detail":"Not Found"}'})
            return
        await app(scope, receive, send)

    served = serve_in_thread(older)
    yield served.url
    served.stop()


def stored_run(server: LiveServer, run_id: str) -> tuple[Any, ...] | None:
    with server.state.engine.connect() as conn:
        found = conn.execute(text(
            "SELECT head_seq, integrity FROM device_runs WHERE run_id = :r"), {"r": run_id}
        ).one_or_none()
    return None if found is None else tuple(found)


def test_a_run_body_verifies_with_the_chain_and_opens_with_the_server_key(
    server: LiveServer, outbox: Outbox, run_id: str
) -> None:
    runs = outbox.runs
    assert runs is not None
    [info] = runs.journal.attempts()
    raw = runs.state.events(run_id, after_seq=0, limit=None)
    body = runs.device_journal_body(info, raw)
    sent = json.loads(protocol.encode_body(body))
    assert protocol.parse_device_journal_body(sent) == body
    assert body["run_id"] == run_id and body["meta"] == {"demo": False}
    data_key = crypto.open_sealed(
        server.state.keys.sealing, crypto.b64d(body["sealed_data_key"]),
        protocol.data_key_aad(run_id),
    )
    previous, kinds = genesis_hash(run_id), []
    for record in body["events"]:
        header = event_header(run_id, record["seq"], record["kind"], record["schema"],
                              record["mono_elapsed_ms"], record["wall_time_ms"])
        nonce, ciphertext = crypto.b64d(record["nonce"]), crypto.b64d(record["ciphertext"])
        assert record["prev_hash"] == previous.hex()
        assert chain_hash(previous, header, nonce, ciphertext).hex() == record["hash"]
        json.loads(crypto.decrypt(data_key, nonce, ciphertext, event_aad(header)))
        previous = bytes.fromhex(record["hash"])
        kinds.append(record["kind"])
    assert kinds == ["device_run_started", "lockdown_change", "secret_refused"]


def test_a_run_is_stored_by_the_server_and_sync_once_ends_clean(
    server: LiveServer, pc: PC, run_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pc.enrol(server.url, server.token())
    attempt_id = run_exam(pc.journal, seed=11)
    capsys.readouterr()
    assert main(["--lang", "en", "sync", "--once", "--data-dir", str(pc.data_dir)]) == 0, (
        capsys.readouterr())
    assert attempt_id in server.attempt_ids()
    assert stored_run(server, run_id) == (3, None)
    with server.state.engine.connect() as conn:
        stored = [bytes(h) for (h,) in conn.execute(text(
            "SELECT hash FROM device_run_events WHERE run_id = :r ORDER BY seq"),
            {"r": run_id})]
    with Journal.open(device_dir(pc.data_dir), create=False) as journal:
        assert stored == [e.hash for e in journal.events(run_id)]
    with runs_outbox(pc) as outbox:
        assert not outbox.pending()


def test_a_server_without_the_route_leaves_the_run_pending_and_named(
    server: LiveServer, older_url: str, pc: PC, run_id: str
) -> None:
    pc.enrol(older_url, server.token())
    attempt_id = run_exam(pc.journal, seed=11)
    with runs_outbox(pc) as outbox:
        attempt, run = outbox.sync_all()
        assert outbox.pending()
    assert attempt.attempt_id == attempt_id and attempt.done
    assert run.attempt_id == run_id and not run.done
    assert run.error is not None and run.error.code == "sync.device_journal_unsupported"
    assert (run.acked_through_seq, run.head_seq) == (0, 3)
    assert run_id not in server.attempt_ids() and stored_run(server, run_id) is None
    with Journal.open(device_dir(pc.data_dir), create=False) as journal:
        assert len(journal.events(run_id)) == 3 and journal.verify().ok


def cut_the_runs_last_event(pc: PC) -> None:
    """Truncate the run behind the journal's back: its last event and head rewound."""
    connection = sqlite3.connect(device_dir(pc.data_dir) / "journal.db")
    with connection:
        connection.execute("DELETE FROM events WHERE seq = 3")
        connection.execute("UPDATE attempts SET head_seq = 2, head_hash = "
                           "(SELECT hash FROM events WHERE seq = 2)")
    connection.close()


def test_a_tampered_run_is_sent_only_as_a_flagged_copy(
    server: LiveServer, outbox: Outbox, pc: PC, run_id: str
) -> None:
    cut_the_runs_last_event(pc)
    [run] = [r for r in outbox.sync_all() if r.attempt_id == run_id]
    assert run.integrity == "journal.truncated"
    runs = outbox.runs
    assert runs is not None
    [info] = runs.journal.attempts()
    body = runs.device_journal_body(info, runs.state.events(run_id, after_seq=0, limit=None),
                                    run.integrity)
    assert body["meta"] == {"demo": False, "integrity": "journal.truncated"}
    assert stored_run(server, run_id) == (2, "journal.truncated")


def test_open_outbox_takes_the_device_journal_along(
    server: LiveServer, pc: PC, run_id: str
) -> None:
    pc.enrol(server.url, server.token())
    with open_outbox(pc.data_dir) as outbox:
        assert outbox.runs is not None
        assert [r.attempt_id for r in outbox.status()] == [run_id]


def test_the_emergency_export_carries_the_runs_and_the_server_imports_them_once(
    server: LiveServer, pc: PC, run_id: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A PC that never reaches the server again still delivers its security journal: the
    USB export holds each run as the request sync would send, and the import stores it."""
    pc.enrol(server.url, server.token())
    attempt_id = run_exam(pc.journal, seed=12)
    out = tmp_path / "PC12.pixexport"
    capsys.readouterr()
    assert main(["--lang", "en", "export", str(out), "--data-dir", str(pc.data_dir)]) == 0
    assert "1 runs of the PC's security journal" in capsys.readouterr().out
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [RUN_PATH.match(r["path"])["run"] for r in document["runs"]] == [run_id]
    first = import_export_file(server.state, out)
    assert first.refused == [] and attempt_id in server.attempt_ids()
    assert stored_run(server, run_id) == (3, None)
    second = import_export_file(server.state, out)
    assert second.refused == [] and stored_run(server, run_id) == (3, None)


def test_a_tampered_run_is_exported_flagged_and_a_forged_one_refused_at_import(
    server: LiveServer, outbox: Outbox, pc: PC, run_id: str, tmp_path: Path
) -> None:
    cut_the_runs_last_event(pc)
    document, flagged = outbox.export()
    assert [(r.attempt_id, r.integrity) for r in flagged] == [(run_id, "journal.truncated")]
    [run] = document["runs"]
    assert run["body"]["meta"] == {"demo": False, "integrity": "journal.truncated"}
    forged = dict(run, body={**run["body"], "meta": {"demo": False}})
    out = tmp_path / "forged.pixexport"
    write_export(out, {**document, "runs": [forged]})
    report = import_export_file(server.state, out)
    assert [code for path, code in report.refused if RUN_PATH.match(path)] == [
        "device.bad_signature"]
    assert stored_run(server, run_id) is None
    write_export(out, document)
    assert import_export_file(server.state, out).refused == []
    assert stored_run(server, run_id) == (2, "journal.truncated")
