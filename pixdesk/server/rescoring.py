"""Re-scoring: the server replays an attempt's stored events through the same engine.

The device's result is a claim; the server's is computed from the chain it verified, with
the version and bank of the content package it opened itself. Both are kept, with a
``match`` flag that a reviewer sees before anything is exported as final.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pixdesk import crypto
from pixdesk.chain import event_aad, event_header
from pixdesk.engine.attempt import Event, Kind, rescore
from pixdesk.engine.bank import Bank
from pixdesk.errors import AttemptError
from pixdesk.server.config import Refusal, ServerState, now_iso
from pixdesk.server.models import AttemptRecord, EventRow, Result
from pixdesk.sync.protocol import ResultResponse, data_key_aad

log = logging.getLogger(__name__)

_EXACT = ("status", "score", "level", "level_name", "competence_levels", "answered")
_CLOSE = ("theta", "sd")


def results_match(claimed: Mapping[str, Any], rescored: Mapping[str, Any]) -> bool:
    """Same outcome, score, levels and answer count; θ and its SD equal to rounding."""
    if any(claimed.get(key) != rescored.get(key) for key in _EXACT):
        return False
    try:
        return all(
            math.isclose(float(claimed[key]), float(rescored[key]), abs_tol=1e-6)
            for key in _CLOSE
        )
    except (KeyError, TypeError, ValueError):
        return False


def attempt_events(state: ServerState, session: Session, attempt: AttemptRecord) -> list[Event]:
    """The stored events decrypted (each tag checked again) as the engine reads them."""
    data_key = crypto.open_sealed(
        state.keys.sealing, attempt.sealed_data_key, data_key_aad(attempt.attempt_id)
    )
    rows = session.scalars(
        select(EventRow).where(EventRow.attempt_id == attempt.attempt_id).order_by(EventRow.seq)
    )
    events = []
    for row in rows:
        header = event_header(
            attempt.attempt_id, row.seq, row.kind, row.schema, row.mono_elapsed_ms,
            row.wall_time_ms,
        )
        plaintext = crypto.decrypt(data_key, row.nonce, row.ciphertext, event_aad(header))
        events.append(Event(Kind(row.kind), json.loads(plaintext), row.mono_elapsed_ms,
                            row.wall_time_ms))
    return events


def assessed_competences(events: Sequence[Event], bank: Bank) -> list[str]:
    """Competences with a counted, non-neutralised answer: the others print as "-"."""
    answered: dict[str, str] = {}
    for event in events:
        item_id = str(event.payload.get("item_id", ""))
        if event.kind is Kind.ANSWER_SUBMITTED and event.payload.get("counted", True):
            answered[item_id] = bank.item(item_id).competence
        elif event.kind is Kind.ITEM_NEUTRALISED:
            answered.pop(item_id, None)
    return sorted(set(answered.values()))


@dataclass(frozen=True)
class Outcome:
    """The server's own result of an attempt, or why it could not compute one."""

    rescored: dict[str, Any] | None
    assessed: list[str]
    refusal: Refusal | None = None


def compute(
    state: ServerState, package_id: str, version_id: str, events: Sequence[Event]
) -> Outcome:
    """Replay ``events`` with the package the server opened itself; pure CPU, no database."""
    package = state.packages.get(package_id)
    version_id = str(events[0].payload.get("version_id", version_id)) if events else version_id
    if package is None or version_id not in package.versions:
        return Outcome(None, [], Refusal(
            409, "result.no_package",
            f"Le serveur n'a pas le paquet {package_id} ({version_id}) pour recalculer ce "
            "résultat ; il est conservé en attente.",
            f"The server lacks package {package_id} ({version_id}) to re-score this result; "
            "it is kept pending.",
        ))
    try:
        rescored = rescore(package.versions[version_id], package.bank, events)
        return Outcome(rescored, assessed_competences(events, package.bank))
    except AttemptError as exc:
        return Outcome(None, [], Refusal(409, exc.code, exc.fr, exc.en))
    except (KeyError, ValueError, TypeError):
        return Outcome(None, [], Refusal(
            422, "result.rescore_failed",
            "Les événements de cette épreuve ne se rejouent pas avec le paquet du serveur.",
            "This attempt's events do not replay with the server's package.",
        ))


def record(
    session: Session,
    attempt_id: str,
    claimed: Mapping[str, Any] | None,
    outcome: Outcome,
    seq: int,
) -> bool | None:
    """Store the claim (None keeps the stored one) and the outcome in ``session``'s
    transaction; returns the match flag (None while one side is missing)."""
    row = session.get(Result, attempt_id)
    if row is None:
        row = Result(attempt_id=attempt_id)
        session.add(row)
    if claimed is not None:
        row.claimed = json.dumps(claimed, ensure_ascii=False, sort_keys=True)
    claim = None if row.claimed is None else json.loads(row.claimed)
    rescored = outcome.rescored
    row.rescored = None if rescored is None else json.dumps(rescored, sort_keys=True)
    row.assessed = json.dumps(outcome.assessed)
    row.rescored_seq = seq
    row.match = None if claim is None or rescored is None else results_match(claim, rescored)
    row.error = None if outcome.refusal is None else outcome.refusal.code
    row.rescored_at = now_iso()
    if row.match is False:
        log.warning("attempt %s: device result differs from the re-scored one", attempt_id)
    return row.match


def rescore_and_store(
    state: ServerState, attempt_id: str, claimed: Mapping[str, Any] | None
) -> ResultResponse:
    """Re-score an attempt from its stored events and record it next to the device's claim
    (``claimed`` None keeps the stored claim). A result computed at the current head is
    reused, and a claim identical to the stored one writes nothing."""
    with Session(state.engine) as session:
        attempt = session.scalars(
            select(AttemptRecord).where(AttemptRecord.attempt_id == attempt_id)
        ).one()
        known = session.get(Result, attempt_id)
        if known is not None and known.rescored and known.rescored_seq == attempt.head_seq:
            outcome = Outcome(json.loads(known.rescored), json.loads(known.assessed))
            if claimed is None or (
                known.claimed is not None and json.loads(known.claimed) == claimed
            ):
                assert outcome.rescored is not None
                return ResultResponse(accepted=True, rescored=outcome.rescored,
                                      match=bool(known.match))
        else:
            outcome = compute(state, attempt.package_id, attempt.version_id,
                              attempt_events(state, session, attempt))
    with state.writing() as session:
        match = record(session, attempt_id, claimed, outcome, attempt.head_seq)
    if outcome.refusal is not None:
        raise outcome.refusal
    assert outcome.rescored is not None
    return ResultResponse(accepted=True, rescored=outcome.rescored, match=bool(match))
