"""What the server has acknowledged, per attempt, kept in the journal database.

The outbox is a cursor, not a copy: the journal is never trimmed, and the only sync state is
how far each attempt is acknowledged plus the server-signed receipts that prove it. The
cursor moves only when a receipt verified, so a lying or broken server can never make the PC
believe that unsent answers are safe. Receipts are kept, one per acknowledgement, as the
PC's evidence of delivery should an attempt later go missing on the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine, ForeignKey, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pixdesk.crypto import canonical_json
from pixdesk.store import db
from pixdesk.store.models import Base
from pixdesk.store.raw import RawEvent, raw_events


class OutboxAttempt(Base):
    """One attempt's delivery state; absent means nothing was ever acknowledged."""

    __tablename__ = "outbox_attempts"

    attempt_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("attempts.attempt_id"), primary_key=True
    )
    acked_through_seq: Mapped[int] = mapped_column(default=0)
    acked_hash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sealed_for: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """Key id of the server key the attempt's data key was last sealed to."""
    result_match: Mapped[bool | None] = mapped_column(nullable=True)
    """Set once the server accepted the result: whether its re-score matched."""
    last_error: Mapped[str | None] = mapped_column(String(128), nullable=True)
    updated: Mapped[str] = mapped_column(String(32))


class OutboxReceipt(Base):
    """A verified server receipt, exactly as signed (canonical JSON and signature)."""

    __tablename__ = "outbox_receipts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    attempt_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("attempts.attempt_id"), index=True
    )
    acked_through_seq: Mapped[int]
    receipt_json: Mapped[str] = mapped_column(String(4096))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    stored: Mapped[str] = mapped_column(String(32))


@dataclass(frozen=True, slots=True)
class DeliveryState:
    attempt_id: str
    acked_through_seq: int
    acked_hash: bytes | None
    sealed_for: str | None
    result_match: bool | None
    last_error: str | None

    @property
    def result_sent(self) -> bool:
        return self.result_match is not None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class OutboxState:
    """Delivery state in ``journal.db``; open it after ``Journal.open`` has migrated the file."""

    def __init__(self, journal_path: Path) -> None:
        self._engine: Engine = db.open_engine(journal_path)
        self._writer = self._engine.execution_options(**{db.IMMEDIATE: True})

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    def get(self, attempt_id: str) -> DeliveryState:
        with Session(self._engine) as session:
            row = session.get(OutboxAttempt, attempt_id)
            if row is None:
                return DeliveryState(attempt_id, 0, None, None, None, None)
            return DeliveryState(
                attempt_id, row.acked_through_seq, row.acked_hash, row.sealed_for,
                row.result_match, row.last_error,
            )

    def events(self, attempt_id: str, *, after_seq: int, limit: int | None) -> list[RawEvent]:
        """The journal's raw records after ``after_seq`` (the outbox's next batch)."""
        return raw_events(self._engine, attempt_id, after_seq=after_seq, limit=limit)

    def record_receipt(
        self, attempt_id: str, receipt: dict[str, Any], signature: bytes, acked_hash: bytes
    ) -> None:
        """Store a receipt the caller has verified and move the cursor to what it acks.

        The cursor follows the latest verified receipt even downwards: a server restored from
        an older backup acknowledges less, and the outbox must then resend what it lost.
        """
        seq = int(receipt["acked_through_seq"])
        with Session(self._writer) as session, session.begin():
            row = self._row(session, attempt_id)
            row.acked_through_seq, row.acked_hash = seq, acked_hash
            row.last_error, row.updated = None, _now_iso()
            session.add(
                OutboxReceipt(
                    attempt_id=attempt_id, acked_through_seq=seq,
                    receipt_json=canonical_json(receipt).decode("utf-8"),
                    signature=signature, stored=_now_iso(),
                )
            )

    def receipts(self, attempt_id: str) -> list[tuple[dict[str, Any], bytes]]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(OutboxReceipt)
                .where(OutboxReceipt.attempt_id == attempt_id)
                .order_by(OutboxReceipt.id)
            )
            return [(json.loads(r.receipt_json), r.signature) for r in rows]

    def set_sealed_for(self, attempt_id: str, key_id: str) -> None:
        with Session(self._writer) as session, session.begin():
            row = self._row(session, attempt_id)
            row.sealed_for, row.updated = key_id, _now_iso()

    def record_result(self, attempt_id: str, match: bool) -> None:
        with Session(self._writer) as session, session.begin():
            row = self._row(session, attempt_id)
            row.result_match, row.last_error, row.updated = match, None, _now_iso()

    def record_error(self, attempt_id: str, code: str) -> None:
        """Remember why the last try stopped (shown by ``pixdesk sync``); nothing else moves."""
        with Session(self._writer) as session, session.begin():
            row = self._row(session, attempt_id)
            row.last_error, row.updated = code[:128], _now_iso()

    @staticmethod
    def _row(session: Session, attempt_id: str) -> OutboxAttempt:
        row = session.get(OutboxAttempt, attempt_id)
        if row is None:
            row = OutboxAttempt(attempt_id=attempt_id, acked_through_seq=0, updated=_now_iso())
            session.add(row)
        return row
