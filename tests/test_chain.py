"""The chain encoding is exactly what the journal and the server must both compute."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from pixdesk.chain import (
    HASH_BYTES,
    chain_hash,
    event_aad,
    event_header,
    event_header_prefixes,
    event_headers,
    genesis_hash,
)
from pixdesk.crypto import canonical_json
from pixdesk.engine.attempt import Kind

RECORDED_AWKWARD_HEADER = (
    "000000655b227069786465736b2d6576656e742d7631222c22c3a96cc3a87665205c22315c225c5c5c6ee2"
    "80a8f09f9880222c393030373139393235343734303939312c22616e737765725f7375626d6974746564222c"
    "312c302c313738303030303030303030305d"
)


def test_genesis_is_the_documented_hash_of_the_attempt_id() -> None:
    assert genesis_hash("a1") == hashlib.sha256(b"pixdesk-journal-v1|a1").digest()
    assert genesis_hash("a1") != genesis_hash("a2")
    assert len(genesis_hash("a1")) == HASH_BYTES


def test_the_header_is_length_prefixed_canonical_json() -> None:
    header = event_header("a1", 3, "paused", 1, 4200, 1_700_000_000_000)
    body = b'["pixdesk-event-v1","a1",3,"paused",1,4200,1700000000000]'
    assert header == len(body).to_bytes(4, "big") + body


def test_unicode_attempt_ids_are_encoded_once_and_for_all() -> None:
    header = event_header("élève-1", 1, "heartbeat", 1, 0, 0)
    assert "élève-1".encode() in header


def test_the_chain_hash_is_sha256_of_the_concatenation() -> None:
    prev, nonce, ciphertext = b"\x11" * 32, b"\x22" * 12, b"\x33" * 40
    header = event_header("a1", 1, "heartbeat", 1, 0, 0)
    expected = hashlib.sha256(prev + header + nonce + ciphertext).digest()
    assert chain_hash(prev, header, nonce, ciphertext) == expected


def test_the_aad_is_the_header_under_its_own_label() -> None:
    header = event_header("a1", 1, "heartbeat", 1, 0, 0)
    assert event_aad(header).endswith(header) and event_aad(header) != header


def test_header_bytes_of_an_awkward_attempt_id_are_pinned() -> None:
    """Recorded from the canonical_json encoding before the header got its own encoder:
    quotes, backslashes, control and non-ASCII characters must keep these exact bytes."""
    header = event_header('élève "1"\\\n\u2028\U0001F600', 2**53 - 1, "answer_submitted", 1, 0,
                          1_780_000_000_000)
    assert header.hex() == RECORDED_AWKWARD_HEADER


@settings(max_examples=300, deadline=None)
@given(
    attempt_id=st.text(),
    kind=st.text(),
    numbers=st.lists(st.integers(min_value=-(2**63), max_value=2**63), min_size=4, max_size=4),
)
def test_the_header_is_always_the_canonical_json_of_its_fields(
    attempt_id: str, kind: str, numbers: list[int]
) -> None:
    seq, schema, mono, wall = numbers
    body = canonical_json(["pixdesk-event-v1", attempt_id, seq, kind, schema, mono, wall])
    assert event_header(attempt_id, seq, kind, schema, mono, wall) == (
        len(body).to_bytes(4, "big") + body)


def test_enum_kinds_and_bools_keep_their_canonical_json_spelling() -> None:
    for args in (("a1", 2, Kind.PAUSED, 1, 5, 6), ("a1", True, "paused", 1, 5, 6)):
        body = canonical_json(["pixdesk-event-v1", *args])
        assert event_header(*args) == len(body).to_bytes(4, "big") + body


@settings(max_examples=300, deadline=None)
@given(
    attempt_id=st.text(),
    kinds=st.lists(st.text(), min_size=1, max_size=3),
    numbers=st.lists(st.integers(min_value=-(2**63), max_value=2**63), min_size=4, max_size=4),
)
def test_the_per_attempt_header_maker_writes_the_same_bytes(
    attempt_id: str, kinds: list[str], numbers: list[int]
) -> None:
    seq, schema, mono, wall = numbers
    header_of = event_headers(attempt_id)
    for kind in kinds + kinds:
        assert header_of(seq, kind, schema, mono, wall) == event_header(
            attempt_id, seq, kind, schema, mono, wall)


def test_the_per_attempt_header_maker_keeps_the_canonical_spelling_of_odd_fields() -> None:
    header_of = event_headers("a1")
    assert header_of(True, Kind.PAUSED, 1, 5, 6) == event_header("a1", True, Kind.PAUSED, 1, 5, 6)


@given(bodies=st.lists(st.binary(max_size=70_000), max_size=5))
def test_the_length_prefixes_are_those_event_header_writes(bodies: list[bytes]) -> None:
    assert list(event_header_prefixes(bodies)) == [len(b).to_bytes(4, "big") for b in bodies]
    header = event_header("a1", 3, "paused", 1, 4200, 1_700_000_000_000)
    assert [*event_header_prefixes([header[4:]])] == [header[:4]]
