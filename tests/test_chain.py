"""The chain encoding is exactly what the journal and the server must both compute."""

from __future__ import annotations

import hashlib

from pixdesk.chain import HASH_BYTES, chain_hash, event_aad, event_header, genesis_hash


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
