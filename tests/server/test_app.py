"""The HTTP layer in front of ingest: body limits, unexpected failures, the other routes."""

from __future__ import annotations

import logging
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
