"""Closing a session: who was absent, what never reached the server, the incidents, the
report; then the session's results may be published.

Finalising writes the session report once (``session_reports``) and an audit entry. An
attempt that arrives afterwards is still stored (refusing it would lose a candidate's work
at the worst moment) but is late: it waits for a review decision before publication.
The API route that does the same is guarded by an admin token (``admin-token``).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from pixdesk import crypto
from pixdesk.errors import UsageError
from pixdesk.server.config import ServerState
from pixdesk.server.keys import private_dir, private_file
from pixdesk.server.publication import unknown_session, withheld_reason
from pixdesk.server.review import (
    FINALISE_ACTION,
    Attempt,
    append_audit,
    load_attempts,
    require_text,
)
from pixdesk.server.sessions import load_session_record
from pixdesk.session import Candidate, Session

INCIDENT_CODES = {
    "E1": "problème de contenu / content problem",
    "E2": "problème d'illustration / illustration problem",
    "E3": "problème de pièce jointe / attachment problem",
    "E4": "problème de lien / link problem",
    "E5": "problème d'intégration / embed problem",
    "E6": "autre problème sur une question / other question problem",
    "E7": "autre problème sur une question / other question problem",
    "E8": "temps majoré dépassé / extra time exceeded",
    "E9": "page lente ou figée / slow or frozen page",
    "E10": "perte de focus involontaire / unintentional focus loss",
    "E11": "page d'erreur / error page",
    "E12": "autre / other",
}
EXPORT_INSTRUCTION = (
    "sur ce poste : « pixdesk export --out FICHIER », puis sur le serveur : "
    "« pixdesk-server import FICHIER » / on that PC: \"pixdesk export --out FILE\", then on "
    "the server: \"pixdesk-server import FILE\"")
ADMIN_TOKEN_FILE = "admin-token.sha256"


@dataclass(frozen=True)
class Incident:
    code: str
    text: str


def parse_incident(spec: str) -> Incident:
    """``E9:page figée salle 2`` → Incident("E9", "page figée salle 2")."""
    code, _, text = spec.partition(":")
    code = code.strip().upper()
    if code not in INCIDENT_CODES or not text.strip():
        raise UsageError(
            "server.bad_incident",
            f"Incident mal écrit : {spec!r} (attendu CODE:TEXTE, CODE de E1 à E12).",
            f"Badly written incident: {spec!r} (expected CODE:TEXT, CODE from E1 to E12).")
    return Incident(code, text.strip())


@dataclass(frozen=True)
class Line:
    """One candidate on the report: their attempt if any, and its status in words."""

    candidate: Candidate
    attempt: Attempt | None
    status: str


@dataclass(frozen=True)
class SessionSummary:
    session: Session
    lines: list[Line]
    incidents: dict[str, list[str]]
    """Incident texts by code, in code order."""
    report: str
    finalised_at: str | None
    finalised_by: str | None

    @property
    def absent(self) -> list[Candidate]:
        return [line.candidate for line in self.lines if line.attempt is None]

    @property
    def unsynced(self) -> list[Attempt]:
        return [line.attempt for line in self.lines
                if line.attempt is not None and line.attempt.rescored_at is None]

    def to_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session.id, "finalised_at": self.finalised_at,
            "finalised_by": self.finalised_by,
            "absent": [c.id for c in self.absent],
            "unsynced": [{"attempt_id": a.attempt_id, "candidate_id": a.candidate_id,
                          "instruction": EXPORT_INSTRUCTION} for a in self.unsynced],
            "incidents": self.incidents, "report": self.report,
            "candidates": [{"candidate_id": line.candidate.id, "status": line.status,
                            "attempt_id": None if line.attempt is None
                            else line.attempt.attempt_id} for line in self.lines],
        }


def _status(state: ServerState, attempt: Attempt | None) -> str:
    if attempt is None:
        return "absent"
    if attempt.rescored_at is None:
        return "non synchronisée / not synced"
    reason = withheld_reason(state, attempt)
    if reason is not None:
        return f"retenue / withheld ({reason})"
    return attempt.score_text()


def _by_code(incidents: list[Incident]) -> dict[str, list[str]]:
    order = list(INCIDENT_CODES)
    grouped: dict[str, list[str]] = {}
    for incident in sorted(incidents, key=lambda i: order.index(i.code)):
        grouped.setdefault(incident.code, []).append(incident.text)
    return grouped


def summary(state: ServerState, session_id: str) -> SessionSummary:
    """The session as its report shows it, finalised or not yet (then no report)."""
    issued = load_session_record(state, session_id)
    if issued is None:
        raise unknown_session(session_id)
    attempts = load_attempts(state, session_id)
    latest = {a.candidate_id: a for a in attempts}
    with state.engine.connect() as conn:
        row = conn.exec_driver_sql(state.sql(
            "SELECT finalised_at, finalised_by, report FROM session_reports "
            "WHERE session_id = ?"), (session_id,)).one_or_none()
    stored = {} if row is None else json.loads(row[2])
    lines = [Line(c, latest.get(c.id), _status(state, latest.get(c.id)))
             for c in issued.candidates]
    return SessionSummary(issued, lines, stored.get("incidents", {}), stored.get("report", ""),
                          None if row is None else row[0], None if row is None else row[1])


def finalise(state: ServerState, session_id: str, by: str, report: str,
             incidents: list[Incident]) -> SessionSummary:
    """Finalise a session once: store its report and incidents, audit it, and return the
    summary (absent candidates, attempts not synced, incidents by code)."""
    by = require_text(by, "qui finalise", "who finalises", "by")
    if load_session_record(state, session_id) is None:
        raise unknown_session(session_id)
    grouped = _by_code(incidents)
    stored = json.dumps({"report": report, "incidents": grouped}, ensure_ascii=False)
    before = summary(state, session_id)
    try:
        with state.writing() as session:
            conn = session.connection()
            at = append_audit(conn, state, by, FINALISE_ACTION, session_id, report, {
                "absent": [c.id for c in before.absent],
                "unsynced": [a.attempt_id for a in before.unsynced], "incidents": grouped})
            conn.exec_driver_sql(state.sql(
                "INSERT INTO session_reports (session_id, finalised_at, finalised_by, report) "
                "VALUES (?, ?, ?, ?)"), (session_id, at, by, stored))
    except IntegrityError:
        raise UsageError(
            "session.finalised",
            f"Session {session_id} déjà finalisée : son procès-verbal ne change plus.",
            f"Session {session_id} already finalised: its report no longer changes.",
        ) from None
    return summary(state, session_id)


def admin_token_path(data_dir: Path) -> Path:
    return data_dir / ADMIN_TOKEN_FILE


def new_admin_token(data_dir: Path) -> str:
    """A new admin token (the previous one stops working); only its SHA-256 is kept. It is
    256 random bits, so a fast hash is enough: there is nothing to brute-force."""
    private_dir(data_dir)
    token = secrets.token_urlsafe(32)
    path = admin_token_path(data_dir)
    private_file(path)
    path.write_text(hashlib.sha256(token.encode()).hexdigest() + "\n", encoding="ascii")
    return token


def admin_token_matches(data_dir: Path, presented: str) -> bool:
    """Whether ``presented`` is the current admin token (compared in constant time); no
    token made yet: nothing matches."""
    try:
        stored = admin_token_path(data_dir).read_text(encoding="ascii").strip()
    except OSError:
        return False
    digest = hashlib.sha256(presented.encode()).hexdigest()
    return bool(re.fullmatch(r"[0-9a-f]{64}", stored)) and crypto.constant_time_equal(
        digest, stored)
