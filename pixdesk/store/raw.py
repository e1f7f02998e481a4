"""The journal's records exactly as stored: what is uploaded, never decrypted here.

Sync and the emergency export send the server the very bytes the journal committed, so the
server re-checks the same chain and tags the PC wrote. Reading them needs no key, which is
also why a PC whose keyring was wiped can still hand its journal over.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pixdesk.store.models import Event


@dataclass(frozen=True, slots=True)
class RawEvent:
    seq: int
    kind: str
    schema: int
    mono_elapsed_ms: int
    wall_time_ms: int
    nonce: bytes
    ciphertext: bytes
    prev_hash: bytes
    hash: bytes


def raw_events(
    engine: Engine, attempt_id: str, *, after_seq: int = 0, limit: int | None = None
) -> list[RawEvent]:
    """The attempt's records with ``seq > after_seq`` in order, at most ``limit`` of them."""
    query = (
        select(
            Event.seq, Event.kind, Event.schema, Event.mono_elapsed_ms, Event.wall_time_ms,
            Event.nonce, Event.ciphertext, Event.prev_hash, Event.hash,
        )
        .where(Event.attempt_id == attempt_id, Event.seq > after_seq)
        .order_by(Event.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    with Session(engine) as session:
        return [RawEvent(*row) for row in session.execute(query)]
