"""The journal's hash chain and event binding, byte for byte.

The client writes these bytes and the server re-checks them from uploaded records, so both
import this one module and nothing here may depend on the store or on a database. An event
is bound twice: the AES-GCM associated data ties a ciphertext to its attempt, position,
kind and timings (so a moved or edited ciphertext fails to decrypt), and the chain hash ties
each record to the one before it (so a removed or reordered record breaks the chain even
for a verifier that has no key).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring

from pixdesk.crypto import canonical_json, sha256

HASH_BYTES = 32
HEADER_DOMAIN = "pixdesk-event-v1"
"""The first element of every header's JSON array."""
_AAD_DOMAIN = b"pixdesk-event-aad-v1\x00"
_GENESIS_DOMAIN = b"pixdesk-journal-v1|"


def event_header(
    attempt_id: str, seq: int, kind: str, schema: int, mono_elapsed_ms: int, wall_time_ms: int
) -> bytes:
    """Canonical bytes of an event's clear fields, prefixed by their length.

    The 4-byte big-endian length makes the header self-delimiting, so the concatenation
    hashed by ``chain_hash`` can never be read two ways. Plain ints and strings, which is
    what every caller passes, are spelled out directly (the server checks a header for each
    record it receives and each one it re-reads); these are the bytes ``canonical_json``
    writes for them, and any other type goes through ``canonical_json`` itself.
    """
    if (type(seq) is int and type(schema) is int and type(mono_elapsed_ms) is int
            and type(wall_time_ms) is int and isinstance(attempt_id, str)
            and isinstance(kind, str)):
        body = (
            f'["{HEADER_DOMAIN}",{encode_basestring(attempt_id)},{seq},'
            f"{encode_basestring(kind)},{schema},{mono_elapsed_ms},{wall_time_ms}]"
        ).encode()
    else:
        body = canonical_json(
            [HEADER_DOMAIN, attempt_id, seq, kind, schema, mono_elapsed_ms, wall_time_ms]
        )
    return len(body).to_bytes(4, "big") + body


def event_headers(attempt_id: str) -> Callable[[int, str, int, int, int], bytes]:
    """``event_header`` for one attempt, ``(seq, kind, schema, mono, wall) -> bytes``, with
    the attempt's part and each kind encoded once: for a verifier walking every event of an
    attempt. Exactly the bytes ``event_header`` makes (a test checks it)."""
    if not isinstance(attempt_id, str):
        return lambda *fields: event_header(attempt_id, *fields)
    prefix = f'["{HEADER_DOMAIN}",{encode_basestring(attempt_id)},'
    kinds: dict[str, str] = {}

    def header(seq: int, kind: str, schema: int, mono_elapsed_ms: int, wall_time_ms: int) -> bytes:
        if not (type(seq) is int and type(schema) is int and type(mono_elapsed_ms) is int
                and type(wall_time_ms) is int and isinstance(kind, str)):
            return event_header(attempt_id, seq, kind, schema, mono_elapsed_ms, wall_time_ms)
        encoded = kinds.get(kind)
        if encoded is None:
            encoded = kinds[kind] = encode_basestring(kind)
        body = f"{prefix}{seq},{encoded},{schema},{mono_elapsed_ms},{wall_time_ms}]".encode()
        return len(body).to_bytes(4, "big") + body

    return header


class _LengthPrefixes(dict[int, bytes]):
    """``length.to_bytes(4, "big")`` for each body length met, kept for the lengths a
    header has (a few hundred bytes at most), so that odd rows cannot grow it."""

    def __missing__(self, length: int) -> bytes:
        prefix = length.to_bytes(4, "big")
        if length < 4096:
            self[length] = prefix
        return prefix


_LENGTH_PREFIXES = _LengthPrefixes()


def event_header_prefixes(bodies: Iterable[bytes]) -> Iterator[bytes]:
    """The 4-byte length ``event_header`` puts before each of ``bodies`` (so that
    ``event_header(...) == prefix + body``), for a verifier handed the canonical JSON
    bodies already spelled: one table lookup per event, no call made per event."""
    return map(_LENGTH_PREFIXES.__getitem__, map(len, bodies))


def event_aad(header: bytes) -> bytes:
    """Associated data for the payload: the header under its own domain label."""
    return _AAD_DOMAIN + header


def genesis_hash(attempt_id: str) -> bytes:
    """The ``prev_hash`` of an attempt's first event."""
    return sha256(_GENESIS_DOMAIN + attempt_id.encode("utf-8"))


def chain_hash(prev_hash: bytes, header: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    """SHA-256(prev_hash ‖ header ‖ nonce ‖ ciphertext): the record's place in the chain."""
    return sha256(prev_hash + header + nonce + ciphertext)


_RECEIPT_DOMAIN = b"pixdesk-receipt-v1|"
RECEIPT_LENGTH = 10
"""Characters of base32 kept: 50 bits, short enough to copy from a screen by hand."""


def receipt_code(attempt_id: str, head_hash_hex: str) -> str:
    """The candidate's receipt for an attempt, ``XXXXX-XXXXX``: the first 10 characters of
    base32 (RFC 4648, uppercase, no padding) of SHA-256(``pixdesk-receipt-v1|`` ‖ attempt id
    ‖ ``|`` ‖ the hex hash of the journal's ``ended`` event). It commits to the journal's
    head, not to the score, so it reveals nothing and the server finds the attempt by it."""
    digest = sha256(_RECEIPT_DOMAIN + attempt_id.encode("utf-8") + b"|"
                    + head_hash_hex.encode("ascii"))
    text = base64.b32encode(digest).decode("ascii").rstrip("=")[:RECEIPT_LENGTH]
    return f"{text[:5]}-{text[5:]}"
