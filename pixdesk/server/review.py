"""What needs a human before a result is published, and the decisions humans take on it.

Everything here is read after the fact by the operator's commands, never by ingest: the
review reasons come from the stored rows (the match flag, kept conflicts, the integrity
flag), from event kinds (stored in clear) and from the ``ended`` event, decrypted with the
server's key to read why the attempt ended. A decision is one row of ``audit_log``, which
the database keeps append-only; the newest decision on an attempt is the one in force.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from pixdesk import crypto
from pixdesk.chain import event_aad, event_header, receipt_code
from pixdesk.engine.attempt import Kind
from pixdesk.engine.status import EndReason
from pixdesk.errors import UsageError
from pixdesk.server.config import ServerState, now_iso
from pixdesk.server.proofs import PROVEN_KINDS, Journaled, check_commands
from pixdesk.session import Session, SessionError
from pixdesk.sync.protocol import data_key_aad

ALERT_KINDS = (Kind.INCIDENT_REPORTED, Kind.SECURITY_EVENT, Kind.FOCUS_LOST, Kind.LOCK_ENGAGED,
               Kind.CLOCK_ANOMALY, Kind.APP_RESTARTED)
"""Event kinds that mean an incident or a kiosk alert happened during the attempt."""
DECISIONS = ("accept", "annul")
REVIEW_ACTION = "review."
FINALISE_ACTION = "session.finalise"

STATUS_FR = {
    "validated": "Validée", "rejected": "Rejetée", "cancelled": "Annulée", "error": "En erreur",
}
"""Statuses as the CSV and the session report print them."""
MISMATCH = "result.mismatch"
NOT_RESCORED = "result.not_rescored"
CONFLICT = "attempt.conflict"
ALERTS = "attempt.alerts"
BY_INVIGILATOR = "attempt.ended_by_invigilator"
DEMO = "attempt.demo"
LATE = "session.late"


@dataclass(frozen=True)
class Decision:
    decision: str
    reason: str
    by: str
    at: str


@dataclass
class Attempt:
    """One attempt as review and publication read it."""

    number: int
    attempt_id: str
    session_id: str
    candidate_id: str
    demo: bool
    integrity: str | None
    created_at: str
    rescored: dict[str, Any] | None = None
    assessed: list[str] = field(default_factory=list)
    match: bool | None = None
    error: str | None = None
    pix_error: int | None = None
    rescored_at: str | None = None
    verification_code: str | None = None
    reasons: list[str] = field(default_factory=list)
    """Why it needs a human (codes above, or the integrity code); empty: it does not."""
    notes: list[str] = field(default_factory=list)
    """What a reviewer may want to know but that withholds nothing (``proofs.UNCHECKED``)."""
    decision: Decision | None = None

    @property
    def accepted(self) -> bool:
        return self.decision is not None and self.decision.decision == "accept"

    @property
    def annulled(self) -> bool:
        return self.decision is not None and self.decision.decision == "annul"

    def score_text(self) -> str:
        """"612 Pix, ± 38 à 68 %" (the precision when known), or the status."""
        if self.rescored is None:
            return f"non recalculé / not re-scored ({self.error or '?'})"
        text = f"{self.rescored.get('score')} Pix"
        if self.pix_error is not None:
            text += f", ± {self.pix_error} à 68 %"
        status = str(self.rescored.get("status"))
        return f"{text} [{STATUS_FR.get(status, status)}]"


def _alerts(conn: Connection, state: ServerState, where: str, args: tuple[Any, ...]
            ) -> dict[str, Counter[str]]:
    marks = ", ".join("?" * len(ALERT_KINDS))
    rows = conn.exec_driver_sql(state.sql(
        f"SELECT e.attempt_id, e.kind, count(*) FROM events e JOIN attempts a "
        f"ON a.attempt_id = e.attempt_id WHERE e.kind IN ({marks}){where} "
        f"GROUP BY e.attempt_id, e.kind"), (*[str(k) for k in ALERT_KINDS], *args))
    found: dict[str, Counter[str]] = {}
    for attempt_id, kind, count in rows:
        found.setdefault(attempt_id, Counter())[kind] = int(count)
    return found


def _decrypted(conn: Connection, state: ServerState, kinds: tuple[Kind, ...], where: str,
               args: tuple[Any, ...]) -> list[tuple[str, Journaled]]:
    """The events of these kinds, decrypted (each tag checked), by attempt id; a payload
    that does not decrypt is None."""
    marks = ", ".join("?" * len(kinds))
    rows = conn.exec_driver_sql(state.sql(
        "SELECT e.attempt_id, e.seq, e.kind, e.schema, e.mono_elapsed_ms, e.wall_time_ms, "
        "e.nonce, e.ciphertext, a.sealed_data_key FROM events e JOIN attempts a "
        f"ON a.attempt_id = e.attempt_id WHERE e.kind IN ({marks}){where}"),
        (*[str(k) for k in kinds], *args))
    found = []
    for attempt_id, seq, kind, schema, mono_ms, wall_ms, nonce, ciphertext, sealed in rows:
        payload: dict[str, Any] | None
        try:
            key = crypto.open_sealed(state.keys.sealing, bytes(sealed), data_key_aad(attempt_id))
            header = event_header(attempt_id, seq, kind, schema, mono_ms, wall_ms)
            payload = json.loads(crypto.Decryptor(key).decrypt(
                bytes(nonce), bytes(ciphertext), event_aad(header)))
            if not isinstance(payload, dict):
                raise ValueError(kind)
        except (crypto.CryptoError, ValueError):
            payload = None
        found.append((attempt_id, Journaled(int(seq), Kind(kind), payload)))
    return found


def _end_reasons(conn: Connection, state: ServerState, where: str, args: tuple[Any, ...]
                 ) -> dict[str, str]:
    """Why each attempt ended, read from its ``ended`` event (decrypted, tag checked)."""
    return {attempt_id: "?" if event.payload is None else str(event.payload.get("reason", ""))
            for attempt_id, event in _decrypted(conn, state, (Kind.ENDED,), where, args)}


def _commands(conn: Connection, state: ServerState, where: str, args: tuple[Any, ...]
              ) -> dict[str, list[Journaled]]:
    """Each attempt's events that need an invigilator command's proof (``proofs``)."""
    found: dict[str, list[Journaled]] = {}
    for attempt_id, event in _decrypted(conn, state, tuple(PROVEN_KINDS), where, args):
        found.setdefault(attempt_id, []).append(event)
    return found


def _sessions(conn: Connection, state: ServerState, ids: set[str]) -> dict[str, Session]:
    """The session files this server issued or imported, as the PCs received them."""
    found = {}
    for session_id in sorted(ids):
        document = conn.exec_driver_sql(state.sql(
            "SELECT document FROM sessions WHERE session_id = ?"), (session_id,)
        ).scalar_one_or_none()
        if document is None:
            continue
        try:
            found[session_id] = Session.from_dict(json.loads(document)["session"])
        except (SessionError, KeyError, TypeError, ValueError):
            continue
    return found


def decisions(conn: Connection, state: ServerState) -> dict[str, Decision]:
    """The decision in force on each attempt: the newest review entry of the audit log."""
    rows = conn.exec_driver_sql(state.sql(
        "SELECT subject, action, reason, actor, at FROM audit_log WHERE action IN (?, ?) "
        "ORDER BY id"), tuple(REVIEW_ACTION + d for d in DECISIONS))
    return {subject: Decision(action.removeprefix(REVIEW_ACTION), reason, actor, at)
            for subject, action, reason, actor, at in rows}


def finalised_at(conn: Connection, state: ServerState) -> dict[str, str]:
    rows = conn.exec_driver_sql("SELECT session_id, finalised_at FROM session_reports")
    return {session_id: at for session_id, at in rows}


def load_attempts(state: ServerState, session_id: str | None = None,
                  attempt_id: str | None = None) -> list[Attempt]:
    """The attempts (of one session, or one attempt, or all) with their review reasons and
    the decision in force. Demo attempts need a review unless this is a rehearsal server
    (``accept_demo``); an attempt created or re-scored after its session was finalised is
    late and needs one too. An extra time or neutralisation whose command proof fails
    (``proofs``) needs one as well."""
    where, args = "", tuple[str, ...]()
    if session_id is not None:
        where, args = " AND a.session_id = ?", (session_id,)
    elif attempt_id is not None:
        where, args = " AND a.attempt_id = ?", (attempt_id,)
    found: list[Attempt] = []
    with state.engine.connect() as conn:
        rows = conn.exec_driver_sql(state.sql(
            "SELECT a.number, a.attempt_id, a.session_id, a.candidate_id, a.demo, a.integrity, "
            'a.created_at, r.rescored, r.assessed, r."match", r.error, r.pix_error, '
            "r.rescored_at, r.verification_code, a.device_id "
            "FROM attempts a LEFT JOIN results r "
            f"ON r.attempt_id = a.attempt_id WHERE 1 = 1{where} ORDER BY a.number"), args).all()
        conflicts: dict[str, int] = dict((aid, n) for aid, n in conn.exec_driver_sql(state.sql(
            "SELECT c.attempt_id, count(*) FROM conflicts c JOIN attempts a "
            f"ON a.attempt_id = c.attempt_id WHERE 1 = 1{where} GROUP BY c.attempt_id"),
            args))
        alerts = _alerts(conn, state, where, args)
        ended = _end_reasons(conn, state, where, args)
        commands = _commands(conn, state, where, args)
        sessions = _sessions(conn, state, {row[2] for row in rows if row[1] in commands})
        decided = decisions(conn, state)
        closed = finalised_at(conn, state)
    for (number, aid, sid, cid, demo, integrity, created, rescored, assessed, match, error,
         pix_error, rescored_at, code, device_id) in rows:
        attempt = Attempt(
            number, aid, sid, cid, bool(demo), integrity, created,
            None if rescored is None else json.loads(rescored),
            [] if assessed is None else json.loads(assessed),
            None if match is None else bool(match), error, pix_error, rescored_at, code,
            decision=decided.get(aid))
        reasons = attempt.reasons
        if integrity is not None:
            reasons.append(integrity)
        if attempt.match is False:
            reasons.append(MISMATCH)
        if rescored_at is not None and rescored is None:
            reasons.append(f"{NOT_RESCORED}:{error}")
        if aid in conflicts:
            reasons.append(f"{CONFLICT}×{conflicts[aid]}")
        if aid in alerts:
            reasons.append(ALERTS + ":" + ",".join(
                f"{kind}×{n}" for kind, n in sorted(alerts[aid].items())))
        if ended.get(aid) == EndReason.INVIGILATOR:
            reasons.append(BY_INVIGILATOR)
        unproven, attempt.notes = check_commands(commands.get(aid, []), sessions.get(sid),
                                                 device_id, cid)
        reasons.extend(unproven)
        if demo and not state.config.accept_demo:
            reasons.append(DEMO)
        closing = closed.get(sid)
        if closing is not None and (created > closing or (rescored_at or "") > closing):
            reasons.append(LATE)
        found.append(attempt)
    return found


def load_attempt(state: ServerState, attempt_id: str) -> Attempt | None:
    found = load_attempts(state, attempt_id=attempt_id)
    return found[0] if found else None


def to_review(state: ServerState, session_id: str | None = None,
              include_decided: bool = False) -> list[Attempt]:
    """Attempts that need a human and are not decided yet; with ``include_decided``, also
    every attempt that has a decision (even one taken on an attempt with no reason)."""
    return [a for a in load_attempts(state, session_id)
            if (a.reasons and a.decision is None)
            or (include_decided and a.decision is not None)]


def append_audit(conn: Connection, state: ServerState, actor: str, action: str, subject: str,
                 reason: str, detail: dict[str, Any]) -> str:
    at = now_iso()
    conn.exec_driver_sql(state.sql(
        "INSERT INTO audit_log (at, actor, action, subject, reason, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)"),
        (at, actor, action, subject, reason, json.dumps(detail, ensure_ascii=False,
                                                        sort_keys=True)))
    return at


def require_text(value: str, what_fr: str, what_en: str, option: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError(f"server.missing_{option}",
                         f"Indiquez {what_fr} (--{option}).", f"Give {what_en} (--{option}).")
    return text


def decide(state: ServerState, attempt_id: str, decision: str, reason: str, by: str
           ) -> Decision:
    """Record a reviewer's decision on an attempt (an audit entry, with the review reasons
    it was taken on). A later decision on the same attempt supersedes it; both stay."""
    if decision not in DECISIONS:
        raise UsageError("server.bad_decision",
                         f"Décision inconnue : {decision} (accept ou annul).",
                         f"Unknown decision: {decision} (accept or annul).")
    reason = require_text(reason, "la raison de la décision", "the decision's reason", "reason")
    by = require_text(by, "qui décide", "who decides", "by")
    attempt = load_attempt(state, attempt_id)
    if attempt is None:
        raise UsageError("server.unknown_attempt", f"Épreuve inconnue : {attempt_id}.",
                         f"Unknown attempt: {attempt_id}.")
    with state.writing() as session:
        at = append_audit(session.connection(), state, by, REVIEW_ACTION + decision, attempt_id,
                          reason, {"reasons": attempt.reasons,
                                   "session_id": attempt.session_id})
    return Decision(decision, reason, by, at)


@dataclass(frozen=True)
class AuditRow:
    at: str
    actor: str
    action: str
    subject: str
    reason: str
    detail: dict[str, Any]


def audit_log(state: ServerState, subject: str | None = None) -> list[AuditRow]:
    where, args = ("", ()) if subject is None else (" WHERE subject = ?", (subject,))
    with state.engine.connect() as conn:
        rows = conn.exec_driver_sql(state.sql(
            f"SELECT at, actor, action, subject, reason, detail FROM audit_log{where} "
            "ORDER BY id"), args).all()
    return [AuditRow(at, actor, action, subj, reason, json.loads(detail))
            for at, actor, action, subj, reason, detail in rows]


def normalise_receipt(code: str) -> str:
    text = "".join(c for c in code.upper() if c.isalnum())
    return f"{text[:5]}-{text[5:]}"


def find_receipt(state: ServerState, code: str) -> list[str]:
    """The attempts whose receipt code is ``code`` (one, barring a 50-bit collision): each
    ended attempt's code is recomputed from its stored ``ended`` event's hash. A scan of the
    ended events, for an operator's dispute, never run by ingest."""
    wanted = normalise_receipt(code)
    with state.engine.connect() as conn:
        rows = conn.exec_driver_sql(state.sql(
            "SELECT attempt_id, hash FROM events WHERE kind = ?"), (str(Kind.ENDED),))
        return [aid for aid, digest in rows
                if crypto.constant_time_equal(receipt_code(aid, bytes(digest).hex()), wanted)]


DEVICE_ALERT_KINDS = ("secret_refused", "lockdown_warning", "lockdown_key_blocked",
                      "lockdown_heartbeat_missed", "lockdown_change_failed",
                      "lockdown_restore_failed")
"""Device-journal kinds that mean a kiosk alert or a refused secret on the PC."""


@dataclass(frozen=True)
class DeviceRunAlert:
    """A device-journal run a human should look at: its alerts counted by kind (kinds are
    in clear, nothing is decrypted), and the PC's integrity code if the run did not verify."""

    run_id: str
    device_id: str
    alerts: dict[str, int]
    integrity: str | None


def device_runs_to_review(state: ServerState, session_id: str | None = None
                          ) -> list[DeviceRunAlert]:
    """Runs holding kiosk alerts or refused secrets, or flagged by their PC; with
    ``session_id``, only the runs of the PCs that filed an attempt in that session."""
    marks = ", ".join("?" * len(DEVICE_ALERT_KINDS))
    where, args = "", tuple[str, ...]()
    if session_id is not None:
        where, args = (" AND r.device_id IN (SELECT device_id FROM attempts "
                       "WHERE session_id = ?)"), (session_id,)
    with state.engine.connect() as conn:
        runs = conn.exec_driver_sql(state.sql(
            f"SELECT r.run_id, r.device_id, r.integrity FROM device_runs r WHERE "
            f"(r.integrity IS NOT NULL OR EXISTS (SELECT 1 FROM device_run_events e "
            f"WHERE e.run_id = r.run_id AND e.kind IN ({marks}))){where} ORDER BY r.run_id"),
            (*DEVICE_ALERT_KINDS, *args)).all()
        counts = conn.exec_driver_sql(state.sql(
            f"SELECT run_id, kind, count(*) FROM device_run_events WHERE kind IN ({marks}) "
            f"GROUP BY run_id, kind"), DEVICE_ALERT_KINDS).all()
    found: dict[str, dict[str, int]] = {}
    for run_id, kind, count in counts:
        found.setdefault(run_id, {})[kind] = int(count)
    return [DeviceRunAlert(run_id, device_id, found.get(run_id, {}), integrity)
            for run_id, device_id, integrity in runs]
