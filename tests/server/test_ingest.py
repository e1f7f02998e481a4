"""The server against devices signing like the client and journals written by the client."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests
from sqlalchemy import text

from pixdesk import crypto
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Device,
    Enrolled,
    Record,
    Serve,
    enrol_and_record,
    receipt_of,
    result_row,
    stored_attempt,
)

pytestmark = BOTH_DATABASES


def test_meta_publishes_keys_and_health_is_ok(serve: Serve) -> None:
    server = serve()
    meta = server.meta()
    assert meta["protocol"] == protocol.PROTOCOL_VERSION
    assert meta["accepts_demo"] is False
    assert crypto.key_id(crypto.b64d(meta["signing_public_key"])) == meta["server_key_id"]
    assert abs(meta["time"] - time.time() * 1000) < 60_000
    health = requests.get(server.url + protocol.HEALTH_PATH, timeout=5)
    assert (health.status_code, health.json()) == (200, {"status": "ok"})


def test_enrolment_token_works_once(serve: Serve) -> None:
    server = serve()
    from pixdesk.server.sessions import new_enrol_token

    token = new_enrol_token(server.state, "C1")
    first = Device().enrol(server, token)
    assert first.status_code == 201 and "enrolled_at" in first.json()
    replay = Device().enrol(server, token)
    assert (replay.status_code, replay.json()["error"]) == (409, "enrol.token_used")
    unknown = Device().enrol(server, "AAAA-BBBB-CCCC-DDDD-EEEE")
    assert (unknown.status_code, unknown.json()["error"]) == (403, "enrol.bad_token")
    other_centre = Device(centre_id="C2").enrol(server, new_enrol_token(server.state, "C1"))
    assert other_centre.status_code == 403
    assert server.count("devices") == 1


def test_forged_signature_and_unknown_device_store_nothing(enrolled: Enrolled) -> None:
    server, device, attempt, path = (enrolled.server, enrolled.device, enrolled.attempt,
                                     enrolled.events_path)
    forger = Device(device_id=device.device_id)
    forged = forger.post(server, path, attempt.body(device))
    assert (forged.status_code, forged.json()["error"]) == (401, "device.bad_signature")

    stranger = Device()
    unknown = stranger.post(server, path, attempt.body(stranger))
    assert (unknown.status_code, unknown.json()["error"]) == (401, "device.unknown")

    raw = protocol.encode_body(attempt.body(device))
    headers = device.headers("POST", path, raw)
    tampered = raw.replace(b'"demo":true', b'"demo":false')
    replayed = requests.post(server.url + path, data=tampered, headers=headers, timeout=10)
    assert replayed.status_code == 401
    assert server.count("attempts") == server.count("events") == 0


def test_round_trip_from_the_real_journal_rescores_equal(enrolled: Enrolled) -> None:
    server, attempt = enrolled.server, enrolled.attempt
    enrolled.receipt(1, 30)
    assert server.count("results") == 0
    receipt = enrolled.receipt(31)
    assert receipt["acked_through_seq"] == len(attempt.records)
    assert receipt["head_hash"] == attempt.records[-1]["hash"]
    assert receipt["server_key_id"] == server.meta()["server_key_id"]
    stored = result_row(server, attempt.attempt_id)
    assert stored["claimed"] == attempt.result and stored["match"]

    answer = enrolled.claim(attempt.result)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"accepted": True, "rescored": attempt.result, "match": True}

    lying = dict(attempt.result, score=int(attempt.result["score"]) + 40)
    answer = enrolled.claim(lying)
    assert answer.json()["match"] is False
    assert result_row(server, attempt.attempt_id)["rescored"] == attempt.result


def test_same_batch_twice_gets_the_same_receipt(enrolled: Enrolled) -> None:
    first = enrolled.send(1, 10)
    time.sleep(0.01)
    again = enrolled.send(1, 10)
    assert first.json() == again.json()
    assert receipt_of(enrolled.server, again)["acked_through_seq"] == 10
    assert enrolled.receipt(5, 20)["acked_through_seq"] == 20
    assert enrolled.server.count("events") == 20


def test_different_record_at_a_stored_seq_is_refused_and_both_kept_once_per_batch(
    enrolled: Enrolled
) -> None:
    server, attempt = enrolled.server, enrolled.attempt
    enrolled.receipt(1, 6)
    altered = [protocol.EventRecord(**r) for r in attempt.records[3:8]]
    altered[1]["mono_elapsed_ms"] += 1
    answer = enrolled.send(records=altered)
    assert (answer.status_code, answer.json()["error"]) == (409, "attempt.conflict")
    assert server.count("conflicts") == 1
    again = enrolled.send(records=altered)
    assert (again.status_code, again.json()["error"]) == (409, "attempt.conflict")
    assert server.count("conflicts") == 1
    with server.state.engine.connect() as conn:
        seq, kept_records = conn.execute(text("SELECT seq, record FROM conflicts")).one()
    assert (seq, json.loads(kept_records)) == (5, [altered[1]])
    other = enrolled.send(records=altered[:3])
    assert (other.status_code, other.json()["error"]) == (409, "attempt.conflict")
    assert server.count("conflicts") == 2
    assert stored_attempt(server, attempt.attempt_id) == {"head_seq": 6}
    with server.state.engine.connect() as conn:
        kept = conn.execute(
            text("SELECT mono_elapsed_ms FROM events WHERE seq = 5 AND attempt_id = :a"),
            {"a": attempt.attempt_id},
        ).scalar_one()
    assert kept == attempt.records[4]["mono_elapsed_ms"]


def test_gap_answers_what_the_server_has(enrolled: Enrolled) -> None:
    enrolled.receipt(1, 5)
    answer = enrolled.send(8, 12)
    assert answer.status_code == 409
    assert answer.json()["error"] == "attempt.gap"
    assert answer.json()["acked_through_seq"] == 5
    assert stored_attempt(enrolled.server, enrolled.attempt.attempt_id) == {"head_seq": 5}


def test_event_spliced_from_another_attempt_is_refused(serve: Serve, record: Record) -> None:
    enrolled = enrol_and_record(serve(accept_demo=True), record, seed=1)
    mine, other = enrolled.attempt, record(enrolled.server, seed=2)
    enrolled.receipt(1, 4)

    foreign = protocol.EventRecord(**other.records[4])
    foreign["prev_hash"] = mine.records[3]["hash"]
    answer = enrolled.send(records=[foreign])
    assert (answer.status_code, answer.json()["error"]) == (422, "attempt.bad_chain")

    swapped = protocol.EventRecord(**mine.records[4])
    swapped["ciphertext"], swapped["nonce"] = other.records[4]["ciphertext"], other.records[4][
        "nonce"]
    answer = enrolled.send(records=[swapped])
    assert answer.status_code == 422
    assert stored_attempt(enrolled.server, mine.attempt_id) == {"head_seq": 4}


def test_demo_attempt_refused_by_a_real_server(
    serve: Serve, record: Record, caplog: pytest.LogCaptureFixture
) -> None:
    enrolled = enrol_and_record(serve(), record)
    answer = enrolled.send()
    assert (answer.status_code, answer.json()["error"]) == (403, "attempt.demo_refused")
    assert enrolled.server.count("attempts") == 0
    assert any("attempt.demo_refused" in r.getMessage()
               and enrolled.device.device_id in r.getMessage() for r in caplog.records)


def test_overload_answers_503_with_retry_after(serve: Serve, record: Record) -> None:
    enrolled = enrol_and_record(serve(accept_demo=True, max_in_flight=1, retry_after_s=3), record)
    server, device, attempt, path = (enrolled.server, enrolled.device, enrolled.attempt,
                                     enrolled.events_path)
    raw = protocol.encode_body(attempt.body(device))
    headers = device.headers("POST", path, raw)
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as slow:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(raw)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        slow.sendall(head.encode() + raw[:100])
        deadline = time.monotonic() + 5
        while requests.get(server.url + protocol.HEALTH_PATH, timeout=5).status_code == 200:
            assert time.monotonic() < deadline, "the slow request never took its slot"
            time.sleep(0.02)
        busy = enrolled.send()
        assert (busy.status_code, busy.json()["error"]) == (503, "server.busy")
        assert busy.headers["Retry-After"] == "3"
        slow.sendall(raw[100:])
        assert b" 200 " in slow.recv(65536).split(b"\r\n")[0] + b" "
    assert stored_attempt(server, attempt.attempt_id) == {"head_seq": len(attempt.records)}


def test_record_whose_hash_does_not_chain_is_refused_though_its_tag_holds(
    enrolled: Enrolled
) -> None:
    attempt = enrolled.attempt
    wrong_hash = protocol.EventRecord(**attempt.records[0])
    wrong_hash["hash"] = attempt.records[1]["hash"]
    answer = enrolled.send(records=[wrong_hash])
    assert (answer.status_code, answer.json()["error"]) == (422, "attempt.bad_chain")
    wrong_link = protocol.EventRecord(**attempt.records[0])
    wrong_link["prev_hash"] = "00" * 32
    answer = enrolled.send(records=[wrong_link])
    assert (answer.status_code, answer.json()["error"]) == (422, "attempt.bad_chain")
    assert stored_attempt(enrolled.server, attempt.attempt_id) is None
