"""The publication rule: which results may leave the server, in the CSV or a certificate.

A result is published only if the server re-scored it, the device's claim matches (or a
reviewer accepted it), it is not a demo result on a real server, nothing about it awaits a
review, it was not annulled, and its session is finalised. Everything else is withheld
with the reason, so the operator sees what is missing and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from pixdesk.errors import UsageError
from pixdesk.server.config import ServerState
from pixdesk.server.review import DEMO, MISMATCH, NOT_RESCORED, Attempt, load_attempts
from pixdesk.server.sessions import load_session_record
from pixdesk.session import Session

ANNULLED = "review.annulled"
PENDING = "result.pending"
"""The attempt has not ended on the server (its last events are still on the PC)."""


@dataclass(frozen=True)
class Withheld:
    attempt_id: str
    candidate_id: str
    reason: str


@dataclass(frozen=True)
class Publication:
    session: Session
    published: list[Attempt]
    withheld: list[Withheld]


def withheld_reason(state: ServerState, attempt: Attempt) -> str | None:
    """Why ``attempt`` may not be published (None: it may)."""
    if attempt.annulled:
        return ANNULLED
    if attempt.rescored is None:
        return PENDING if attempt.rescored_at is None else f"{NOT_RESCORED}:{attempt.error}"
    if attempt.demo and not state.config.accept_demo:
        return DEMO
    if attempt.accepted:
        return None
    if attempt.reasons:
        return ",".join(attempt.reasons)
    return None if attempt.match is True else MISMATCH


def not_finalised(session_id: str) -> UsageError:
    return UsageError(
        "server.session_not_finalised",
        f"Session {session_id} non finalisée : rien n'est publié avant "
        f"« pixdesk-server finalise {session_id} ».",
        f"Session {session_id} not finalised: nothing is published before "
        f"\"pixdesk-server finalise {session_id}\".",
    )


def unknown_session(session_id: str) -> UsageError:
    return UsageError("server.unknown_session", f"Session inconnue : {session_id}.",
                      f"Unknown session: {session_id}.")


def is_finalised(state: ServerState, session_id: str) -> bool:
    with state.engine.connect() as conn:
        return conn.exec_driver_sql(state.sql(
            "SELECT 1 FROM session_reports WHERE session_id = ?"), (session_id,)
        ).scalar_one_or_none() is not None


def publication(state: ServerState, session_id: str) -> Publication:
    """The session's publishable attempts and the withheld ones; refused before the
    session is finalised."""
    issued = load_session_record(state, session_id)
    if issued is None:
        raise unknown_session(session_id)
    if not is_finalised(state, session_id):
        raise not_finalised(session_id)
    listed = {c.id for c in issued.candidates}
    published, withheld = [], []
    for attempt in load_attempts(state, session_id):
        reason = withheld_reason(state, attempt)
        if reason is None and attempt.candidate_id not in listed:
            reason = "session.unknown_candidate"
        if reason is None:
            published.append(attempt)
        else:
            withheld.append(Withheld(attempt.attempt_id, attempt.candidate_id, reason))
    return Publication(issued, published, withheld)
