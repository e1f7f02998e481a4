"""Reading an event's decrypted payload: the server's shortcut must agree with json.loads."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from pixdesk.server import ingest


@pytest.mark.parametrize("plaintext", [
    b'{"a":1}', '\ufeff{"a":"é"}'.encode(), '{"a":2}'.encode("utf-16"),
    '{"a":3}'.encode("utf-16-le"), "[1]".encode("utf-32"), b"\xff{}", b'{"a":1} x', b"  {} ",
    b'"\x00"', b"",
])
def test_an_event_payload_is_read_exactly_as_json_loads_reads_it(plaintext: bytes) -> None:
    def outcome(read: Callable[[bytes], object]) -> object:
        try:
            return read(plaintext)
        except ValueError as exc:
            return type(exc)

    assert outcome(ingest._payload) == outcome(json.loads)
