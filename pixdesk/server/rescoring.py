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

from sqlalchemy import Connection

from pixdesk import crypto
from pixdesk.chain import event_aad, event_header
from pixdesk.engine.attempt import Event, Kind, rescore
from pixdesk.engine.bank import Bank
from pixdesk.engine.scoring import score_theta
from pixdesk.engine.version import ScoringSettings
from pixdesk.errors import AttemptError
from pixdesk.server.config import MAX_TRIES, Refusal, ServerState, now_iso, server_busy
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


def attempt_events(
    state: ServerState, conn: Connection, attempt_id: str, sealed_data_key: bytes
) -> list[Event]:
    """The stored events decrypted (each tag checked again) as the engine reads them."""
    data_key = crypto.open_sealed(state.keys.sealing, sealed_data_key, data_key_aad(attempt_id))
    rows = conn.exec_driver_sql(state.sql(
        "SELECT seq, kind, schema, mono_elapsed_ms, wall_time_ms, nonce, ciphertext "
        "FROM events WHERE attempt_id = ? ORDER BY seq"), (attempt_id,))
    opener = crypto.Decryptor(data_key)
    events = []
    for seq, kind, schema, mono_ms, wall_ms, nonce, ciphertext in rows:
        header = event_header(attempt_id, seq, kind, schema, mono_ms, wall_ms)
        plaintext = opener.decrypt(bytes(nonce), bytes(ciphertext), event_aad(header))
        events.append(Event(Kind(kind), json.loads(plaintext), mono_ms, wall_ms))
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


def pix_error(scoring: ScoringSettings, result: Mapping[str, Any]) -> int | None:
    """Half-width in Pix of the score's 68 % interval: θ̂ − e and θ̂ + e mapped through the
    scoring function (e the result's reported error, ``sd``), half their distance, rounded.
    Mapping the interval's ends rather than using the local slope keeps the clamping at 0
    and at the top score and the jumps between bands. None for a result with no θ (v2)."""
    try:
        theta, error = float(result["theta"]), float(result["sd"])
    except (KeyError, TypeError, ValueError):
        return None
    if error <= 0.0 or not math.isfinite(theta) or not math.isfinite(error):
        return None
    low, _ = score_theta(scoring, theta - error)
    high, _ = score_theta(scoring, theta + error)
    return round((high - low) / 2)


@dataclass(frozen=True)
class Outcome:
    """The server's own result of an attempt, or why it could not compute one."""

    rescored: dict[str, Any] | None
    assessed: list[str]
    refusal: Refusal | None = None
    pix_error: int | None = None


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
        version = package.versions[version_id]
        rescored = rescore(version, package.bank, events,
                           state.estimator(package_id, version_id))
        return Outcome(rescored, assessed_competences(events, package.bank),
                       pix_error=pix_error(version.scoring, rescored))
    except AttemptError as exc:
        return Outcome(None, [], Refusal(409, exc.code, exc.fr, exc.en))
    except (KeyError, ValueError, TypeError):
        return Outcome(None, [], Refusal(
            422, "result.rescore_failed",
            "Les événements de cette épreuve ne se rejouent pas avec le paquet du serveur.",
            "This attempt's events do not replay with the server's package.",
        ))


class StaleOutcome(Exception):
    """A result computed at a later head was stored meanwhile: this one must not replace it."""


def _claim_json(claimed: Mapping[str, Any]) -> str:
    return json.dumps(claimed, ensure_ascii=False, sort_keys=True)


def _outcome_columns(outcome: Outcome) -> tuple[str | None, str, str | None]:
    rescored = None if outcome.rescored is None else json.dumps(outcome.rescored, sort_keys=True)
    error = None if outcome.refusal is None else outcome.refusal.code
    return rescored, json.dumps(outcome.assessed), error


def _match(claim: Mapping[str, Any] | None, outcome: Outcome) -> bool | None:
    rescored = outcome.rescored
    return None if claim is None or rescored is None else results_match(claim, rescored)


def _warn_if_differs(attempt_id: str, match: bool | None) -> None:
    if match is False:
        log.warning("attempt %s: device result differs from the re-scored one", attempt_id)


def insert_first(
    state: ServerState,
    conn: Connection,
    attempt_id: str,
    claimed: Mapping[str, Any] | None,
    outcome: Outcome,
    seq: int,
) -> bool | None:
    """Store the result of an attempt created in ``conn``'s transaction (so no row exists
    yet); returns the match flag."""
    match = _match(claimed, outcome)
    rescored, assessed, error = _outcome_columns(outcome)
    conn.exec_driver_sql(state.sql(
        'INSERT INTO results (attempt_id, claimed, rescored, assessed, rescored_seq, "match", '
        "error, rescored_at, pix_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        (attempt_id, None if claimed is None else _claim_json(claimed), rescored, assessed, seq,
         match, error, now_iso(), outcome.pix_error))
    _warn_if_differs(attempt_id, match)
    return match


def record(
    state: ServerState,
    conn: Connection,
    attempt_id: str,
    claimed: Mapping[str, Any] | None,
    outcome: Outcome,
    seq: int,
) -> bool | None:
    """Store the claim (None keeps the stored one) and the outcome computed at head ``seq``
    in ``conn``'s write transaction; returns the match flag (None while one side is
    missing). The row is made if missing and locked, so concurrent writers of one attempt
    take turns; ``StaleOutcome`` if the stored outcome was computed at a later head."""
    sql = state.sql
    conn.exec_driver_sql(sql(
        "INSERT INTO results (attempt_id, assessed, rescored_seq, rescored_at) "
        "VALUES (?, '[]', -1, ?) ON CONFLICT (attempt_id) DO NOTHING"), (attempt_id, now_iso()))
    stored_claim, stored_seq = conn.exec_driver_sql(sql(
        "SELECT claimed, rescored_seq FROM results WHERE attempt_id = ?" + sql.for_update),
        (attempt_id,)).one()
    if stored_seq > seq:
        raise StaleOutcome(attempt_id)
    claim_text = stored_claim if claimed is None else _claim_json(claimed)
    claim = claimed if claimed is not None else (
        None if stored_claim is None else json.loads(stored_claim))
    match = _match(claim, outcome)
    rescored, assessed, error = _outcome_columns(outcome)
    conn.exec_driver_sql(sql(
        "UPDATE results SET claimed = ?, rescored = ?, assessed = ?, rescored_seq = ?, "
        '"match" = ?, error = ?, rescored_at = ?, pix_error = ? WHERE attempt_id = ?'),
        (claim_text, rescored, assessed, seq, match, error, now_iso(), outcome.pix_error,
         attempt_id))
    _warn_if_differs(attempt_id, match)
    return match


@dataclass(frozen=True)
class Stored:
    """An attempt's row with its result's, as one read gives them."""

    device_id: str
    demo: bool
    package_id: str
    version_id: str
    head_seq: int
    sealed_data_key: bytes
    claimed: str | None
    rescored: str | None
    assessed: str | None
    rescored_seq: int | None
    match: bool | None
    pix_error: int | None = None


def load(state: ServerState, conn: Connection, attempt_id: str) -> Stored | None:
    row = conn.exec_driver_sql(state.sql(
        "SELECT a.device_id, a.demo, a.package_id, a.version_id, a.head_seq, "
        'a.sealed_data_key, r.claimed, r.rescored, r.assessed, r.rescored_seq, r."match", '
        "r.pix_error "
        "FROM attempts a LEFT JOIN results r ON r.attempt_id = a.attempt_id "
        "WHERE a.attempt_id = ?"), (attempt_id,)).one_or_none()
    if row is None:
        return None
    (device_id, demo, package_id, version_id, head_seq, sealed, claimed, rescored, assessed,
     rescored_seq, match, error) = row
    return Stored(device_id, bool(demo), package_id, version_id, head_seq, bytes(sealed),
                  claimed, rescored, assessed, rescored_seq,
                  None if match is None else bool(match), error)


def rescore_and_store(
    state: ServerState,
    attempt_id: str,
    claimed: Mapping[str, Any] | None,
    stored: Stored | None = None,
) -> ResultResponse:
    """Re-score an attempt from its stored events and record it next to the device's claim
    (``claimed`` None keeps the stored claim; ``stored``, the attempt as just read, spares
    reading it again). A result computed at the current head is reused, and a claim
    identical to the stored one writes nothing. An outcome that a concurrent request
    overtook (a later head) is dropped and the stored one read again."""
    for _ in range(MAX_TRIES):
        with state.engine.connect() as conn:
            found = stored or load(state, conn, attempt_id)
            stored = None
            assert found is not None
            if found.rescored and found.assessed and found.rescored_seq == found.head_seq:
                outcome = Outcome(json.loads(found.rescored), json.loads(found.assessed),
                                  pix_error=found.pix_error)
                if claimed is None or (
                    found.claimed is not None and json.loads(found.claimed) == claimed
                ):
                    assert outcome.rescored is not None
                    return ResultResponse(accepted=True, rescored=outcome.rescored,
                                          match=bool(found.match))
            else:
                outcome = compute(state, found.package_id, found.version_id,
                                  attempt_events(state, conn, attempt_id, found.sealed_data_key))
        try:
            with state.writing() as session:
                match = record(state, session.connection(), attempt_id, claimed, outcome,
                               found.head_seq)
        except StaleOutcome:
            continue
        if outcome.refusal is not None:
            raise outcome.refusal
        assert outcome.rescored is not None
        return ResultResponse(accepted=True, rescored=outcome.rescored, match=bool(match))
    raise server_busy(state)
