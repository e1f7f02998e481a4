"""The HTTP layer in front of ingest: body limits, unexpected failures, the other routes."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

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


def _answer(conn: socket.socket) -> tuple[int, dict[str, Any], bool]:
    """Status and JSON body of the one response on ``conn``, and whether the server then
    closed the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, f"connection closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":")[1]) for line in lines
                  if line.lower().startswith("content-length:"))
    while len(body) < length:
        body += conn.recv(65536)
    rest = body[length:]
    try:
        closed = not rest and conn.recv(1) == b""
    except ConnectionResetError:
        closed = True
    return int(lines[0].split()[1]), json.loads(body[:length]), closed


def _open(url: str) -> tuple[socket.socket, str]:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5), host


@pytest.mark.parametrize("path", [protocol.DEVICES_PATH, "/v1/sessions/S1", "/v1/nowhere"])
def test_declared_body_over_the_cap_is_refused_before_any_of_it_is_read(
    serve: Serve, path: str
) -> None:
    server = serve()
    conn, host = _open(server.url)
    with conn:
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: "
                     f"application/json\r\nContent-Length: {64 * 1024 * 1024}\r\n\r\n".encode())
        status, body, closed = _answer(conn)
    assert (status, body["error"], closed) == (413, "request.too_large", True)
    assert server.count("devices") == 0


def test_streamed_enrolment_over_the_cap_is_cut_off_at_the_cap(serve: Serve) -> None:
    """No Content-Length (chunked): the server answers once the cap is passed, without
    waiting for the rest, which is never sent, and closes the connection."""
    server = serve(max_other_body_bytes=64 * 1024)
    conn, host = _open(server.url)
    chunk = b"x" * 16 * 1024
    with conn:
        conn.sendall(f"POST {protocol.DEVICES_PATH} HTTP/1.1\r\nHost: {host}\r\n"
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                     .encode())
        for _ in range(6):
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        status, body, closed = _answer(conn)
    assert (status, body["error"], closed) == (413, "request.too_large", True)
    assert server.count("devices") == 0
    assert requests.get(server.url + protocol.HEALTH_PATH, timeout=5).status_code == 200
