"""The journal's tables, as typed SQLAlchemy models on one declarative base.

Only what a verifier needs in clear is stored in clear: identifiers, positions, timings and
the chain; answers live in ``ciphertext``. The first migration creates exactly these tables,
and a test checks that the two never drift apart.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class MetaEntry(Base):
    """Journal-wide facts: record format, device id, and the write generation.

    ``generation`` grows by one with every committed append, whatever the attempt; head
    records remember it, which is how a restored older file is told from a cut-off tail.
    """

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class Attempt(Base):
    """One candidate's attempt: its wrapped data key, clear metadata and denormalised head."""

    __tablename__ = "attempts"

    attempt_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created: Mapped[str] = mapped_column(String(32))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    meta_json: Mapped[str] = mapped_column(String(4096))
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    head_seq: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[bytes] = mapped_column(LargeBinary)


class Event(Base):
    """One journal record; ``(attempt_id, seq)`` is its identity everywhere, server included."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("attempt_id", "nonce", name="uq_events_attempt_nonce"),)

    attempt_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("attempts.attempt_id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(64))
    schema: Mapped[int]
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary)
    hash: Mapped[bytes] = mapped_column(LargeBinary)
    mono_elapsed_ms: Mapped[int]
    wall_time_ms: Mapped[int]
