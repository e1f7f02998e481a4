"""The HTTP layer in front of ingest: body limits, unexpected failures, the other routes."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from pixdesk.sync import protocol
from tests.server.conftest import Enrolled, Record, Serve, enrol_and_record, stored_attempt


def test_body_over_the_limit_is_refused_413_whether_declared_or_streamed(
    serve: Serve, record: Record
) -> None:
    pc = enrol_and_record(serve(accept_demo=True, max_body_bytes=4096), record)
    declared = pc.send()
    assert (declared.status_code, declared.json()["error"]) == (413, "request.too_large")

    raw = protocol.encode_body(pc.attempt.body(pc.device))

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(raw), 1000):
            yield raw[start:start + 1000]

    streamed = requests.post(pc.server.url + pc.events_path, data=chunks(),
                             headers=pc.device.headers("POST", pc.events_path, raw), timeout=10)
    assert (streamed.status_code, streamed.json()["error"]) == (413, "request.too_large")
    assert stored_attempt(pc.server, pc.attempt.attempt_id) is None
    assert pc.receipt(last=2)["acked_through_seq"] == 2


def test_unexpected_failure_answers_500_with_the_error_body_and_is_logged(
    enrolled: Enrolled, caplog: pytest.LogCaptureFixture
) -> None:
    with enrolled.server.state.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE receipts")
    with caplog.at_level(logging.ERROR, logger="pixdesk.server.app"):
        answer = enrolled.send()
    assert (answer.status_code, answer.json()["error"]) == (500, "server.internal")
    assert answer.json()["message_en"].startswith("Internal server error")
    assert stored_attempt(enrolled.server, enrolled.attempt.attempt_id) is None
    assert any("ingest of /v1/attempts/" in r.getMessage() for r in caplog.records)


def test_other_methods_on_ingest_paths_are_not_ingest(serve: Serve) -> None:
    server = serve()
    answer = requests.get(server.url + protocol.events_path("a1"), timeout=5)
    assert answer.status_code == 404
    assert "error" not in answer.json()
    assert requests.get(server.url + protocol.HEALTH_PATH, timeout=5).json() == {"status": "ok"}


def test_request_cut_mid_body_is_dropped_without_a_refusal(
    enrolled: Enrolled, caplog: pytest.LogCaptureFixture
) -> None:
    raw = protocol.encode_body(enrolled.attempt.body(enrolled.device))
    headers = enrolled.device.headers("POST", enrolled.events_path, raw)
    host, port = enrolled.server.url.removeprefix("http://").split(":")
    with caplog.at_level(logging.WARNING), socket.create_connection((host, int(port))) as cut:
        head = f"POST {enrolled.events_path} HTTP/1.1\r\nHost: {host}\r\n"
        head += f"Content-Length: {len(raw)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        cut.sendall(head.encode() + raw[: len(raw) // 2])
        time.sleep(0.2)
    time.sleep(0.3)
    assert not [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert stored_attempt(enrolled.server, enrolled.attempt.attempt_id) is None
    assert enrolled.receipt()["acked_through_seq"] == len(enrolled.attempt.records)
