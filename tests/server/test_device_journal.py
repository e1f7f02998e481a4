"""The device security journal's route (``POST /v1/devices/{d}/journal/{run}/events``):
a run is stored only once its signature, key, chain and tags hold, only by the PC it
belongs to, idempotently, and a contradicting batch is kept aside, never written over."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import text

from pixdesk import crypto
from pixdesk.chain import chain_hash, event_aad, event_header, genesis_hash
from pixdesk.server import cli
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Device,
    Enrolled,
    RunningServer,
    Serve,
    receipt_of,
)

TABLES = ("device_runs", "device_run_events", "device_run_receipts")


@dataclass
class Run:
    """A run written the way the PC's device journal writes one (``pixdesk.chain``)."""

    server: RunningServer
    run_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    key: bytes = field(default_factory=crypto.random_key)
    records: list[protocol.EventRecord] = field(default_factory=list)
    sealed: str = ""
    """The key sealed once, as the PC does, so that a resent batch is byte-identical."""

    def add(self, kind: str, payload: dict[str, Any]) -> None:
        seq = len(self.records) + 1
        prev = bytes.fromhex(self.records[-1]["hash"]) if self.records else genesis_hash(
            self.run_id)
        header = event_header(self.run_id, seq, kind, 1, seq * 10, 1_780_000_000_000 + seq)
        nonce, ciphertext = crypto.encrypt(self.key, json.dumps(payload).encode(),
                                           event_aad(header))
        self.records.append(protocol.event_record(
            seq=seq, kind=kind, schema=1, mono_elapsed_ms=seq * 10,
            wall_time_ms=1_780_000_000_000 + seq, nonce=nonce, ciphertext=ciphertext,
            prev_hash=prev, hash=chain_hash(prev, header, nonce, ciphertext)))

    def body(self, device: Device, first: int = 1, last: int | None = None,
             **meta: Any) -> dict[str, Any]:
        if not self.sealed:
            sealing = crypto.b64d(self.server.meta()["sealing_public_key"])
            self.sealed = crypto.b64e(crypto.seal(sealing, self.key,
                                                  protocol.data_key_aad(self.run_id)))
        return {
            "run_id": self.run_id, "device_id": device.device_id,
            "meta": {"demo": False, **meta},
            "sealed_data_key": self.sealed,
            "events": [r for r in self.records
                       if first <= r["seq"] <= (last or len(self.records))],
        }

    def post(self, device: Device, body: dict[str, Any], sender: Device | None = None) -> Any:
        path = protocol.device_journal_path(device.device_id, self.run_id)
        return (sender or device).post(self.server, path, body)


def _enrolled(serve: Serve) -> tuple[RunningServer, Device, Run]:
    server = serve()
    device = Device()
    assert device.enrol(server).status_code == 201
    run = Run(server)
    run.add("device_run_started", {"mode": "exam"})
    run.add("lockdown_key_blocked", {"chord": "Alt+Tab", "rule": "switch"})
    run.add("secret_refused", {"gate": "invigilator", "failures": 1})
    return server, device, run


def _counts(server: RunningServer) -> list[int]:
    return [server.count(table) for table in TABLES]


@BOTH_DATABASES
def test_a_run_is_stored_and_the_same_batch_gets_the_same_signed_receipt(
    serve: Serve,
) -> None:
    server, device, run = _enrolled(serve)
    first = run.post(device, run.body(device, 1, 2))
    assert first.status_code == 200, first.text
    again = run.post(device, run.body(device, 1, 2))
    assert again.json() == first.json()
    receipt = receipt_of(server, again)
    assert (receipt["attempt_id"], receipt["acked_through_seq"]) == (run.run_id, 2)
    rest = run.post(device, run.body(device, 2, 3, integrity="journal.truncated"))
    assert rest.json()["receipt"]["head_hash"] == run.records[-1]["hash"]
    assert _counts(server) == [1, 3, 2]
    with server.state.engine.connect() as conn:
        assert conn.execute(text("SELECT device_id, head_seq, integrity FROM device_runs")
                            ).one() == (device.device_id, 3, "journal.truncated")


@BOTH_DATABASES
@pytest.mark.parametrize("field_name", ["ciphertext", "hash", "prev_hash"])
def test_a_broken_chain_or_tag_stores_nothing(serve: Serve, field_name: str) -> None:
    server, device, run = _enrolled(serve)
    body = run.body(device)
    record = body["events"][1]
    if field_name == "ciphertext":
        raw = bytearray(crypto.b64d(record["ciphertext"]))
        raw[0] ^= 1
        record["ciphertext"] = crypto.b64e(bytes(raw))
        header = event_header(run.run_id, 2, record["kind"], 1, record["mono_elapsed_ms"],
                              record["wall_time_ms"])
        record["hash"] = chain_hash(bytes.fromhex(record["prev_hash"]), header,
                                    crypto.b64d(record["nonce"]), bytes(raw)).hex()
        body["events"] = body["events"][:2]
    else:
        record[field_name] = "0" * 64
    answer = run.post(device, body)
    assert (answer.status_code, answer.json()["error"]) == (422, "device_journal.bad_chain")
    assert _counts(server) == [0, 0, 0]


@BOTH_DATABASES
def test_a_key_not_sealed_to_this_server_stores_nothing(serve: Serve) -> None:
    server, device, run = _enrolled(serve)
    body = run.body(device)
    body["sealed_data_key"] = crypto.b64e(crypto.seal(
        crypto.sealing_public_bytes(crypto.new_sealing_key()), run.key,
        protocol.data_key_aad(run.run_id)))
    answer = run.post(device, body)
    assert (answer.status_code, answer.json()["error"]) == (422, "device_journal.bad_key")
    assert _counts(server) == [0, 0, 0]


@BOTH_DATABASES
def test_a_pc_cannot_send_another_pcs_journal(serve: Serve) -> None:
    server, device, run = _enrolled(serve)
    other = Device()
    assert other.enrol(server).status_code == 201
    answer = run.post(device, run.body(device), sender=other)
    assert (answer.status_code, answer.json()["error"]) == (403, "device_journal.wrong_device")
    assert run.post(device, run.body(device)).status_code == 200
    taken = run.post(other, run.body(other))
    assert (taken.status_code, taken.json()["error"]) == (403, "device_journal.wrong_device")
    assert _counts(server) == [1, 3, 1]


@BOTH_DATABASES
def test_a_revoked_pc_is_refused(serve: Serve) -> None:
    server, device, run = _enrolled(serve)
    config = server.state.config
    assert cli.main(["revoke-device", device.device_id, "--data-dir", str(config.data_dir),
                     *(["--db", config.db_url] if config.db_url else [])]) == 0
    answer = run.post(device, run.body(device))
    assert (answer.status_code, answer.json()["error"]) == (403, "device.revoked")
    assert _counts(server) == [0, 0, 0]


@BOTH_DATABASES
def test_a_different_record_at_a_stored_seq_is_kept_aside_once(serve: Serve) -> None:
    server, device, run = _enrolled(serve)
    assert run.post(device, run.body(device)).status_code == 200
    forged = Run(server, run_id=run.run_id, key=run.key)
    forged.add("device_run_started", {"mode": "exam"})
    forged.add("lockdown_key_blocked", {"chord": "Alt+F4", "rule": "close"})
    for _ in range(2):
        answer = run.post(device, forged.body(device))
        assert (answer.status_code, answer.json()["error"]) == (409, "device_journal.conflict")
    assert _counts(server) == [1, 3, 1]
    assert server.count("device_run_conflicts") == 1


@BOTH_DATABASES
def test_a_batch_past_the_stored_head_is_a_gap(serve: Serve) -> None:
    server, device, run = _enrolled(serve)
    answer = run.post(device, run.body(device, 2, 3))
    assert (answer.status_code, answer.json()) == (409, answer.json() | {
        "error": "device_journal.gap", "acked_through_seq": 0})
    assert _counts(server) == [0, 0, 0]


def test_the_route_takes_a_full_batch_under_the_ingest_cap(serve: Serve) -> None:
    _, device, run = _enrolled(serve)
    while len(run.records) < protocol.MAX_BATCH_EVENTS:
        run.add("lockdown_heartbeat_missed", {"detail": "x" * 2000})
    body = run.body(device)
    assert len(protocol.encode_body(body)) > 64 * 1024
    answer = run.post(device, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["receipt"]["acked_through_seq"] == protocol.MAX_BATCH_EVENTS


@BOTH_DATABASES
def test_review_lists_the_sessions_pcs_runs_with_alerts_or_refused_secrets(
    enrolled: Enrolled, capsys: pytest.CaptureFixture[str]
) -> None:
    server, pc = enrolled.server, enrolled.device
    enrolled.receipt(1, 10)
    alerted, quiet = Run(server), Run(server)
    for run in (alerted, quiet):
        run.add("device_run_started", {"mode": "exam"})
        run.add("lockdown_change", {"change": "keyboard_hook"})
    alerted.add("secret_refused", {"gate": "invigilator", "failures": 1})
    alerted.add("secret_refused", {"gate": "invigilator", "failures": 2})
    alerted.add("lockdown_key_blocked", {"chord": "Alt+Tab", "rule": "switch"})
    for run in (alerted, quiet):
        assert run.post(pc, run.body(pc)).status_code == 200
    config = server.state.config
    where = ["--data-dir", str(config.data_dir), *(["--db", config.db_url]
                                                    if config.db_url else [])]
    capsys.readouterr()
    assert cli.main(["review", "--session", "DEMO-0001", *where]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if "device journal" in line]
    assert listed == [f"journal du poste / device journal {alerted.run_id}  poste / PC "
                      f"{pc.device_id}  lockdown_key_blocked ×1, secret_refused ×2"]
    assert cli.main(["review", "--session", "S-OTHER", *where]) == 0
    assert "device journal" not in capsys.readouterr().out
