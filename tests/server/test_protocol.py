"""The shared wire rules: what is signed, and what a receiver refuses."""

from __future__ import annotations

import hashlib
from types import MappingProxyType

import pytest

from pixdesk import crypto
from pixdesk.sync import protocol


def test_signing_string_is_the_documented_four_lines() -> None:
    body = b'{"a":1}'
    expected = f"POST\n/v1/x\n1700000000000\n{hashlib.sha256(body).hexdigest()}".encode()
    assert protocol.request_signing_string("post", "/v1/x", 1700000000000, body) == expected
    assert protocol.idempotency_key(body) == hashlib.sha256(body).hexdigest()


def test_a_signed_request_verifies_only_unchanged() -> None:
    key = crypto.new_signing_key()
    public = crypto.public_key_bytes(key)
    body = protocol.encode_body({"b": [1, 2], "a": "é"})
    headers = protocol.sign_request(key, "dev-1", "POST", "/v1/p", body, 42)
    assert headers[protocol.HEADER_IDEMPOTENCY] == protocol.idempotency_key(body)
    signature, stamp = headers[protocol.HEADER_SIGNATURE], headers[protocol.HEADER_TIMESTAMP]
    protocol.verify_request(public, "POST", "/v1/p", stamp, body, signature)
    for method, path, when, data in (("POST", "/v1/q", stamp, body), ("GET", "/v1/p", stamp,
                                     body), ("POST", "/v1/p", "43", body),
                                     ("POST", "/v1/p", stamp, body + b" ")):
        with pytest.raises(protocol.ProtocolError) as refused:
            protocol.verify_request(public, method, path, when, data, signature)
        assert refused.value.code == "device.bad_signature"


def test_a_receipt_verifies_with_the_server_key_only_untouched() -> None:
    key = crypto.new_signing_key()
    receipt = protocol.Receipt(attempt_id="a1", acked_through_seq=3, head_hash="ab" * 32,
                               received_at="2026-06-12T10:00:00.000Z", server_key_id="k")
    signed = protocol.sign_receipt(key, receipt)
    assert protocol.verify_receipt(crypto.public_key_bytes(key), signed) == receipt
    forged = {"receipt": dict(receipt, acked_through_seq=4), "signature": signed["signature"]}
    with pytest.raises(protocol.ProtocolError):
        protocol.verify_receipt(crypto.public_key_bytes(key), forged)
    with pytest.raises(protocol.ProtocolError):
        protocol.verify_receipt(crypto.public_key_bytes(crypto.new_signing_key()), signed)


def _record(**changes: object) -> dict[str, object]:
    record = {"seq": 1, "kind": "attempt_started", "schema": 1, "mono_elapsed_ms": 0,
              "wall_time_ms": 1, "nonce": "AA==", "ciphertext": "AA==",
              "prev_hash": "00" * 32, "hash": "11" * 32}
    return record | changes


_BODY = {"attempt_id": "a1", "device_id": "d", "sealed_data_key": "AA==",
         "meta": {"session_id": "s", "candidate_id": "c", "version_id": "v",
                  "package_id": "p", "demo": False}}


@pytest.mark.parametrize("bad", [
    {"seq": -1}, {"seq": True}, {"prev_hash": "zz" * 32}, {"hash": "11"}, {"kind": 3},
    {"wall_time_ms": 2**53}, {"schema": 1.0}, {"hash": "AB" * 32}, {"hash": "11" * 32 + "\n"},
    {"nonce": None}, {"mono_elapsed_ms": False},
])
def test_malformed_event_records_are_refused(bad: dict[str, object]) -> None:
    body = _BODY
    assert protocol.parse_events_body(body | {"events": [_record()]})["events"][0]["seq"] == 1
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.parse_events_body(body | {"events": [_record(**bad)]})
    assert refused.value.code == "request.malformed"
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_events_body(body | {"events": [_record()] * 201})


def test_error_bodies_round_trip_to_sync_errors() -> None:
    error = protocol.bad_signature()
    body = protocol.error_body(error, acked_through_seq=4)
    assert body["acked_through_seq"] == 4
    back = protocol.error_from_body(401, body)
    assert (back.code, back.fr, back.en) == (error.code, error.fr, error.en)
    assert protocol.error_from_body(502, "<html>").code == "sync.http_error"


def test_a_refused_record_names_its_first_bad_field_and_a_good_one_keeps_only_wire_fields(
) -> None:
    for bad, field in (({"schema": -1, "hash": "x"}, "schema"), ({"prev_hash": "0"}, "prev_hash"),
                       ({"mono_elapsed_ms": "0"}, "mono_elapsed_ms")):
        with pytest.raises(protocol.ProtocolError) as refused:
            protocol.parse_events_body(_BODY | {"events": [_record(**bad)]})
        assert refused.value.en == f"Malformed request: {field}."
    missing = _record()
    del missing["ciphertext"]
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.parse_events_body(_BODY | {"events": [missing]})
    assert refused.value.en == "Malformed request: 'ciphertext'."
    extra = _record(note="ignored")
    parsed = protocol.parse_events_body(_BODY | {"events": [extra, MappingProxyType(_record())]})
    assert parsed["events"] == [_record(), _record()]
