"""The server's tables: devices, enrolment tokens, sessions, attempts, raw events, evidence.

Events are kept exactly as the device wrote them (ciphertext, nonce, hashes), never
decrypted into the database: the stored chain stays verifiable by anyone, and a record that
contradicts what is stored lands in ``conflicts`` instead of overwriting anything.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Device(Base):
    __tablename__ = "devices"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    hostname: Mapped[str] = mapped_column(String(255))
    signing_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    sealing_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    enrolled_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32))
    """Set by ``pixdesk-server revoke-device``: every request of the device is refused."""
    revoked_reason: Mapped[str | None] = mapped_column(String(255))


class EnrolToken(Base):
    __tablename__ = "enrol_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str | None] = mapped_column(String(32))
    used_by: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[str | None] = mapped_column(String(32))
    """None for a token made before expiries were stored: ``created_at`` + the default."""


class SessionRecord(Base):
    """A session as last issued: the signed document, re-signed when a device is added."""

    __tablename__ = "sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    package_id: Mapped[str] = mapped_column(String(128))
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class ContentKey(Base):
    """A package's content key sealed to the server's own X25519 key, so that a device
    enrolled after the session was created can still be given it."""

    __tablename__ = "content_keys"

    package_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)


class AttemptRecord(Base):
    __tablename__ = "attempts"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    """The certification number printed in exports."""
    attempt_id: Mapped[str] = mapped_column(String(128), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"))
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    candidate_id: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[str] = mapped_column(String(64))
    package_id: Mapped[str] = mapped_column(String(128))
    demo: Mapped[bool] = mapped_column(Boolean)
    sealed_data_key: Mapped[bytes] = mapped_column(LargeBinary)
    head_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[str] = mapped_column(String(32))
    integrity: Mapped[str | None] = mapped_column(String(64))
    """None: the PC verified this attempt's journal. Otherwise the code of why it did not
    (``journal.truncated``…): a flagged copy, withheld from exports until reviewed."""


class EventRow(Base):
    __tablename__ = "events"

    attempt_id: Mapped[str] = mapped_column(
        ForeignKey("attempts.attempt_id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    schema: Mapped[int] = mapped_column(Integer)
    mono_elapsed_ms: Mapped[int] = mapped_column(BigInteger)
    wall_time_ms: Mapped[int] = mapped_column(BigInteger)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    received_at: Mapped[str] = mapped_column(String(32))


class Conflict(Base):
    """Records that disagreed with the stored ones at the same seqs, kept for review: one row
    per distinct batch (``batch_key``, its Idempotency-Key), ``seq`` the first of them and
    ``record`` their JSON list. Rows from before ``s0003`` hold one record each (a JSON
    object) and no batch key."""

    __tablename__ = "conflicts"
    __table_args__ = (Index("ux_conflicts_batch", "attempt_id", "batch_key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempt_id: Mapped[str] = mapped_column(String(128), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(64))
    record: Mapped[str] = mapped_column(Text)
    received_at: Mapped[str] = mapped_column(String(32))
    batch_key: Mapped[str | None] = mapped_column(String(64))


class ReceiptRecord(Base):
    """The signed receipt given for a batch, replayed when the same batch comes again."""

    __tablename__ = "receipts"

    attempt_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    signed: Mapped[str] = mapped_column(Text)


class Result(Base):
    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("verification_code"),)

    attempt_id: Mapped[str] = mapped_column(
        ForeignKey("attempts.attempt_id"), primary_key=True
    )
    claimed: Mapped[str | None] = mapped_column(Text)
    """The device's result (from its ``ended`` event or its ``/result`` call), as JSON."""
    rescored: Mapped[str | None] = mapped_column(Text)
    """The server's own result from the stored events, as JSON; None if it could not run."""
    assessed: Mapped[str] = mapped_column(Text, default="[]")
    """Competences with at least one counted answer, as a JSON list."""
    rescored_seq: Mapped[int] = mapped_column(Integer, default=0)
    """The attempt's head when it was re-scored: a later claim reuses it if nothing came."""
    match: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(String(64))
    rescored_at: Mapped[str] = mapped_column(String(32))
    verification_code: Mapped[str | None] = mapped_column(String(16))
    certificate_issued_at: Mapped[str | None] = mapped_column(String(32))
    pix_error: Mapped[int | None] = mapped_column(Integer)
    """Half-width in Pix of the score's 68 % interval (see ``rescoring.pix_error``)."""


class AuditEntry(Base):
    """One human decision (a review, a finalisation): append-only, the database itself
    refuses an UPDATE or DELETE of a row (triggers of ``s0004``)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(128), index=True)
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    """JSON: what the decision was taken on (e.g. the review's reasons)."""


class SessionReport(Base):
    """A finalised session: its report and incidents as JSON, written once."""

    __tablename__ = "session_reports"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    finalised_at: Mapped[str] = mapped_column(String(32))
    finalised_by: Mapped[str] = mapped_column(String(128))
    report: Mapped[str] = mapped_column(Text)


class DeviceRun(Base):
    """One run of a PC's device security journal (``s0005``): its head, its sealed key and
    the integrity code the PC sent when it could not verify the run (None: verified)."""

    __tablename__ = "device_runs"

    run_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.device_id"), index=True)
    demo: Mapped[bool] = mapped_column(Boolean)
    sealed_data_key: Mapped[bytes] = mapped_column(LargeBinary)
    head_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[str] = mapped_column(String(32))
    integrity: Mapped[str | None] = mapped_column(String(64))


class DeviceRunEvent(Base):
    """A run's records exactly as the PC wrote them, like ``events`` for attempts."""

    __tablename__ = "device_run_events"

    run_id: Mapped[str] = mapped_column(ForeignKey("device_runs.run_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    schema: Mapped[int] = mapped_column(Integer)
    mono_elapsed_ms: Mapped[int] = mapped_column(BigInteger)
    wall_time_ms: Mapped[int] = mapped_column(BigInteger)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    received_at: Mapped[str] = mapped_column(String(32))


class DeviceRunReceipt(Base):
    """The signed receipt given for a run's batch, replayed when the same batch comes again."""

    __tablename__ = "device_run_receipts"

    run_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    signed: Mapped[str] = mapped_column(Text)


class DeviceRunConflict(Base):
    """A run's batch that contradicted stored records, one row per distinct batch."""

    __tablename__ = "device_run_conflicts"
    __table_args__ = (Index("ux_device_run_conflicts_batch", "run_id", "batch_key",
                            unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(128))
    seq: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(64))
    record: Mapped[str] = mapped_column(Text)
    received_at: Mapped[str] = mapped_column(String(32))
    batch_key: Mapped[str] = mapped_column(String(64))
