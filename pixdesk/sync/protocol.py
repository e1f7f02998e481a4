"""The sync protocol's wire shapes and signatures, shared byte for byte by client and server.

docs/protocol.md is the prose; this module is the one place that turns it into bytes, so the
PC that signs a request and the server that checks it (possibly weeks later, from an emergency
export on a USB stick) can never disagree on what was signed. Bodies travel as
``canonical_json``: an exported request can then be replayed from its parsed JSON and still
match the signature and the ``Idempotency-Key`` it was sent with.
"""

from __future__ import annotations

import hashlib
import operator
import re
from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.errors import PixdeskError, SyncError
from pixdesk.trust import Role, is_demo_key

PROTOCOL_VERSION = 1
EXPORT_FORMAT = "pixdesk-export-v1"
MAX_BATCH_EVENTS = 200
"""Most events a client puts in one batch; the server refuses larger batches."""

HEADER_DEVICE = "X-Pixdesk-Device"
HEADER_TIMESTAMP = "X-Pixdesk-Timestamp"
HEADER_SIGNATURE = "X-Pixdesk-Signature"
HEADER_IDEMPOTENCY = "Idempotency-Key"
HEADER_RETRY_AFTER = "Retry-After"

META_PATH = "/v1/meta"
HEALTH_PATH = "/v1/health"
DEVICES_PATH = "/v1/devices"

_DATA_KEY_AAD = b"pixdesk-dek-v1|"
_HEX = re.compile(r"[0-9a-f]*\Z")
_INTEGRITY = re.compile(r"[a-z][a-z0-9_]{0,31}\.[a-z][a-z0-9_]{0,30}\Z")
"""An integrity code such as ``journal.truncated``: at most 64 characters, as the server
stores it."""
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")


def session_path(session_id: str) -> str:
    return f"/v1/sessions/{session_id}"


def events_path(attempt_id: str) -> str:
    return f"/v1/attempts/{attempt_id}/events"


def result_path(attempt_id: str) -> str:
    return f"/v1/attempts/{attempt_id}/result"


def device_journal_path(device_id: str, run_id: str) -> str:
    """Where a run of the device security journal is sent (``pixdesk.store.device_journal``)."""
    return f"/v1/devices/{device_id}/journal/{run_id}/events"


def data_key_aad(attempt_id: str) -> bytes:
    """Associated data of the attempt key sealed to the server (what ``Journal.seal_for_server``
    uses), so a sealed key cannot be moved onto another attempt."""
    return _DATA_KEY_AAD + attempt_id.encode("utf-8")


# --- Bodies --------------------------------------------------------------------------------


class Meta(TypedDict):
    server_version: str
    protocol: int
    server_key_id: str
    signing_public_key: str
    sealing_public_key: str
    time: int
    accepts_demo: bool


class EnrolRequest(TypedDict):
    token: str
    device_id: str
    signing_public_key: str
    sealing_public_key: str
    centre_id: str
    hostname: str


class EnrolResponse(TypedDict):
    device_id: str
    enrolled_at: str


class AttemptMeta(TypedDict):
    session_id: str
    candidate_id: str
    version_id: str
    package_id: str
    demo: bool
    integrity: NotRequired[str | None]
    """Absent or null: the PC verified this attempt's journal. Otherwise why it did not
    (``journal.truncated``, ``journal.degraded``…): the batch is a flagged copy."""


class EventRecord(TypedDict):
    """One journal row as stored on the PC: clear header fields, encrypted payload, chain."""

    seq: int
    kind: str
    schema: int
    mono_elapsed_ms: int
    wall_time_ms: int
    nonce: str
    ciphertext: str
    prev_hash: str
    hash: str


class EventsBody(TypedDict):
    attempt_id: str
    device_id: str
    meta: AttemptMeta
    sealed_data_key: str
    events: list[EventRecord]


class DeviceJournalMeta(TypedDict):
    demo: bool
    """The run was the bundled demo: a receipt signed by the demo server key is then enough."""
    integrity: NotRequired[str | None]
    """As for an attempt: absent or null when the PC verified the run's chain."""


class DeviceJournalBody(TypedDict):
    """A batch of one device-journal run: the attempt body's records, chained and sealed the
    same way with the run id in place of the attempt id, and no candidate in the meta."""

    run_id: str
    device_id: str
    meta: DeviceJournalMeta
    sealed_data_key: str
    events: list[EventRecord]


class Receipt(TypedDict):
    attempt_id: str
    acked_through_seq: int
    head_hash: str
    received_at: str
    server_key_id: str


class SignedReceipt(TypedDict):
    receipt: Receipt
    signature: str


class ResultBody(TypedDict):
    attempt_id: str
    result: dict[str, Any]


class ResultResponse(TypedDict):
    accepted: bool
    rescored: dict[str, Any]
    match: bool


class ErrorBody(TypedDict):
    error: str
    message_fr: str
    message_en: str
    acked_through_seq: NotRequired[int]


class ExportRequest(TypedDict):
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class ExportFile(TypedDict):
    format: str
    device_id: str
    created: str
    batches: list[ExportRequest]
    results: list[ExportRequest]
    runs: NotRequired[list[ExportRequest]]
    """The device security journal's runs, when the PC has one (a server that predates
    them ignores the key)."""


def event_record(
    *,
    seq: int,
    kind: str,
    schema: int,
    mono_elapsed_ms: int,
    wall_time_ms: int,
    nonce: bytes,
    ciphertext: bytes,
    prev_hash: bytes,
    hash: bytes,
) -> EventRecord:
    """A journal row in wire form (base64 for binary, lowercase hex for hashes)."""
    return EventRecord(
        seq=seq, kind=kind, schema=schema, mono_elapsed_ms=mono_elapsed_ms,
        wall_time_ms=wall_time_ms, nonce=crypto.b64e(nonce),
        ciphertext=crypto.b64e(ciphertext), prev_hash=prev_hash.hex(), hash=hash.hex(),
    )


def encode_body(body: Mapping[str, Any]) -> bytes:
    """The bytes a body is sent, signed and exported as."""
    return crypto.canonical_json(body)


def idempotency_key(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# --- Device-signed requests ----------------------------------------------------------------


def request_signing_string(method: str, path: str, timestamp: int | str, body: bytes) -> bytes:
    """``METHOD\\npath\\ntimestamp\\nsha256(body)``: what a device signs for every request."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{digest}".encode()


def sign_request(
    key: Ed25519PrivateKey,
    device_id: str,
    method: str,
    path: str,
    body: bytes,
    timestamp_ms: int,
) -> dict[str, str]:
    """The headers of a device-signed request (plus ``Idempotency-Key`` when it has a body)."""
    signature = crypto.sign(key, request_signing_string(method, path, timestamp_ms, body))
    headers = {
        HEADER_DEVICE: device_id,
        HEADER_TIMESTAMP: str(timestamp_ms),
        HEADER_SIGNATURE: crypto.b64e(signature),
    }
    if body:
        headers[HEADER_IDEMPOTENCY] = idempotency_key(body)
    return headers


def verify_request(
    public_key: bytes, method: str, path: str, timestamp: str, body: bytes, signature: str
) -> None:
    """Raise ``ProtocolError`` (``device.bad_signature``) unless the device signed this."""
    try:
        crypto.verify(
            public_key, crypto.b64d(signature),
            request_signing_string(method, path, timestamp, body),
        )
    except crypto.CryptoError as exc:
        raise bad_signature() from exc


# --- Receipts ------------------------------------------------------------------------------


def sign_receipt(key: Ed25519PrivateKey, receipt: Receipt) -> SignedReceipt:
    signature = crypto.sign(key, crypto.canonical_json(receipt))
    return SignedReceipt(receipt=receipt, signature=crypto.b64e(signature))


def verify_receipt(
    server_public_key: bytes, signed: Mapping[str, Any], *, demo_attempt: bool = False
) -> Receipt:
    """The receipt if the server's key signed it; ``ProtocolError`` otherwise. A demo server
    key (its private half is public) proves the delivery of a demo attempt only."""
    if not demo_attempt and is_demo_key(Role.SERVER, crypto.key_id(server_public_key)):
        raise ProtocolError(
            "sync.demo_key_receipt",
            "Accusé de réception signé par la clé de démonstration pour une épreuve réelle : "
            "ignoré.",
            "Receipt signed by the demo key for a real attempt: ignored.",
        )
    try:
        receipt = signed["receipt"]
        crypto.verify(
            server_public_key, crypto.b64d(str(signed["signature"])),
            crypto.canonical_json(receipt),
        )
        checked = Receipt(
            attempt_id=_str(receipt, "attempt_id"),
            acked_through_seq=_int(receipt, "acked_through_seq"),
            head_hash=_str(receipt, "head_hash"),
            received_at=_str(receipt, "received_at"),
            server_key_id=_str(receipt, "server_key_id"),
        )
    except (KeyError, TypeError, ValueError, crypto.CryptoError) as exc:
        raise ProtocolError(
            "receipt.bad_signature",
            "Accusé de réception du serveur invalide (signature ou contenu) : ignoré.",
            "Invalid server receipt (signature or content): ignored.",
        ) from exc
    if set(receipt) != set(checked):
        raise ProtocolError(
            "receipt.bad_signature",
            "Accusé de réception du serveur mal formé : ignoré.",
            "Malformed server receipt: ignored.",
        )
    return checked


# --- Errors --------------------------------------------------------------------------------


class ProtocolError(PixdeskError):
    """A message does not follow the protocol (bad shape, bad signature)."""


def bad_signature() -> ProtocolError:
    return ProtocolError(
        "device.bad_signature",
        "Signature de l'appareil invalide : requête refusée.",
        "Invalid device signature: request refused.",
    )


def malformed(detail: str) -> ProtocolError:
    return ProtocolError(
        "request.malformed",
        f"Requête mal formée : {detail}.",
        f"Malformed request: {detail}.",
    )


def error_body(error: PixdeskError, **extra: int) -> ErrorBody:
    body = ErrorBody(error=error.code, message_fr=error.fr, message_en=error.en)
    if "acked_through_seq" in extra:
        body["acked_through_seq"] = extra["acked_through_seq"]
    return body


def error_from_body(status: int, body: Any) -> SyncError:
    """The server's refusal as a ``SyncError`` with its own code and messages."""
    if isinstance(body, Mapping) and isinstance(body.get("error"), str):
        return SyncError(
            str(body["error"]),
            str(body.get("message_fr", "")) or f"Refus du serveur (HTTP {status}).",
            str(body.get("message_en", "")) or f"Server refusal (HTTP {status}).",
        )
    return SyncError(
        "sync.http_error",
        f"Réponse inattendue du serveur (HTTP {status}).",
        f"Unexpected server answer (HTTP {status}).",
    )


# --- Parsing (both sides validate what they receive) ---------------------------------------


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(key)
    return value


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise ValueError(key)
    return value


def _hex(data: Mapping[str, Any], key: str, size: int) -> str:
    value = _str(data, key)
    if len(value) != 2 * size or not _HEX.match(value):
        raise ValueError(key)
    return value


def _ident(data: Mapping[str, Any], key: str) -> str:
    value = _str(data, key)
    if not _ID.match(value):
        raise ValueError(key)
    return value


def _integrity(meta: Mapping[str, Any]) -> str:
    value = _str(meta, "integrity")
    if not _INTEGRITY.match(value):
        raise ValueError("meta.integrity")
    return value


def attempt_meta(
    *, session_id: str, candidate_id: str, version_id: str, package_id: str, demo: bool,
    integrity: str | None = None,
) -> AttemptMeta:
    """An attempt's meta for the wire; ``integrity`` only when the journal did not verify,
    so that a verified attempt's batches are byte for byte what they always were."""
    meta = AttemptMeta(
        session_id=session_id, candidate_id=candidate_id, version_id=version_id,
        package_id=package_id, demo=demo,
    )
    if integrity is not None:
        if not _INTEGRITY.match(integrity):
            raise ValueError(f"bad integrity code {integrity!r}")
        meta["integrity"] = integrity
    return meta


def _batch(data: Any) -> tuple[Mapping[str, Any], list[EventRecord], str | None]:
    """The parts every batch shares (attempt or device journal): its meta with a boolean
    ``demo``, 1 to ``MAX_BATCH_EVENTS`` well-formed records, and the optional integrity code."""
    if not isinstance(data, Mapping):
        raise ValueError("body")
    meta = data["meta"]
    if not isinstance(meta, Mapping) or not isinstance(meta.get("demo"), bool):
        raise ValueError("meta")
    events = data["events"]
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH_EVENTS:
        raise ValueError("events")
    integrity = _integrity(meta) if meta.get("integrity") is not None else None
    return meta, [_parse_record(e) for e in events], integrity


def parse_events_body(data: Any) -> EventsBody:
    """Check an events body's shape and types; ``ProtocolError`` names the first bad field."""
    try:
        meta, records, integrity = _batch(data)
        parsed_meta = AttemptMeta(
            session_id=_str(meta, "session_id"),
            candidate_id=_str(meta, "candidate_id"),
            version_id=_str(meta, "version_id"),
            package_id=_str(meta, "package_id"),
            demo=bool(meta["demo"]),
        )
        if integrity is not None:
            parsed_meta["integrity"] = integrity
        return EventsBody(
            attempt_id=_ident(data, "attempt_id"),
            device_id=_str(data, "device_id"),
            meta=parsed_meta,
            sealed_data_key=_str(data, "sealed_data_key"),
            events=records,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise malformed(str(exc)) from exc


def device_journal_meta(*, demo: bool, integrity: str | None = None) -> DeviceJournalMeta:
    meta = DeviceJournalMeta(demo=demo)
    if integrity is not None:
        if not _INTEGRITY.match(integrity):
            raise ValueError(f"bad integrity code {integrity!r}")
        meta["integrity"] = integrity
    return meta


def parse_device_journal_body(data: Any) -> DeviceJournalBody:
    """Check a device-journal batch's shape; ``ProtocolError`` names the first bad field."""
    try:
        meta, records, integrity = _batch(data)
        return DeviceJournalBody(
            run_id=_ident(data, "run_id"),
            device_id=_str(data, "device_id"),
            meta=device_journal_meta(demo=bool(meta["demo"]), integrity=integrity),
            sealed_data_key=_str(data, "sealed_data_key"),
            events=records,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise malformed(str(exc)) from exc


_RECORD_FIELDS = operator.itemgetter(
    "seq", "kind", "schema", "mono_elapsed_ms", "wall_time_ms", "nonce", "ciphertext",
    "prev_hash", "hash",
)
_HASH_HEX = re.compile(r"[0-9a-f]{64}\Z")


def _parse_record(data: Any) -> EventRecord:
    """One record checked; a batch holds up to ``MAX_BATCH_EVENTS`` of them, so the usual
    well-formed record is accepted in one pass, and any other goes through the
    field-by-field checks that name the first bad field."""
    if type(data) is dict:
        try:
            seq, kind, schema, mono, wall, nonce, ciphertext, prev, digest = _RECORD_FIELDS(data)
        except KeyError:
            pass
        else:
            if (type(seq) is int and type(schema) is int and type(mono) is int
                    and type(wall) is int and 0 <= seq < 2**53 and 0 <= schema < 2**53
                    and 0 <= mono < 2**53 and 0 <= wall < 2**53 and type(kind) is str
                    and type(nonce) is str and type(ciphertext) is str and type(prev) is str
                    and type(digest) is str and _HASH_HEX.match(prev)
                    and _HASH_HEX.match(digest)):
                return EventRecord(
                    seq=seq, kind=kind, schema=schema, mono_elapsed_ms=mono, wall_time_ms=wall,
                    nonce=nonce, ciphertext=ciphertext, prev_hash=prev, hash=digest,
                )
    if not isinstance(data, Mapping):
        raise ValueError("event")
    return EventRecord(
        seq=_int(data, "seq"),
        kind=_str(data, "kind"),
        schema=_int(data, "schema"),
        mono_elapsed_ms=_int(data, "mono_elapsed_ms"),
        wall_time_ms=_int(data, "wall_time_ms"),
        nonce=_str(data, "nonce"),
        ciphertext=_str(data, "ciphertext"),
        prev_hash=_hex(data, "prev_hash", 32),
        hash=_hex(data, "hash", 32),
    )


def parse_result_body(data: Any) -> ResultBody:
    try:
        if not isinstance(data, Mapping) or not isinstance(data.get("result"), Mapping):
            raise ValueError("result")
        return ResultBody(attempt_id=_ident(data, "attempt_id"), result=dict(data["result"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise malformed(str(exc)) from exc
