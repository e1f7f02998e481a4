"""The session results CSV in the format certification centres already import.

UTF-8 with a byte-order mark and ``;`` so that a spreadsheet opened by double click shows the
accents and the columns right; one row per attempt of the session, the server's re-scored
result (not the device's claim) in it, identity from the signed session.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.errors import UsageError
from pixdesk.server.config import ServerState
from pixdesk.server.models import AttemptRecord, Result
from pixdesk.server.sessions import load_session_record
from pixdesk.session import Candidate, Session

COLUMNS = (
    "Numéro de certification", "Prénom", "Nom", "Date de naissance", "Lieu de naissance",
    "Identifiant Externe", "Statut", "Nombre de Pix", *COMPETENCE_IDS, "Session",
    "Centre de certification", "Date de passage de la certification",
)
STATUS_FR = {
    "validated": "Validée", "rejected": "Rejetée", "cancelled": "Annulée", "error": "En erreur",
}


def french_date(iso: str) -> str:
    """``YYYY-MM-DD`` → ``DD/MM/YYYY``; anything else is printed as given."""
    try:
        return datetime.strptime(iso, "%Y-%m-%d").strftime("%d/%m/%Y")
    except ValueError:
        return iso


def pix_cell(result: dict[str, object]) -> str:
    """"Indépendant 1 (300 Pix)" for a validated v3 result; "0" when no score was given."""
    if result.get("status") != "validated":
        return "0"
    name, score = str(result.get("level_name") or ""), result.get("score")
    return f"{name} ({score} Pix)" if name else f"{score} Pix"


def _row(number: int, candidate: Candidate, issued: Session, result: Result | None,
         ) -> list[str]:
    rescored = json.loads(result.rescored) if result is not None and result.rescored else None
    if rescored is None:
        status, pix, levels = "error", "", ["-"] * len(COMPETENCE_IDS)
    else:
        status, pix = str(rescored["status"]), pix_cell(rescored)
        assessed = set(json.loads(result.assessed)) if result is not None else set()
        competence_levels = rescored.get("competence_levels", {})
        levels = [
            "-" if cid not in assessed
            else str(competence_levels.get(cid, 0)) if status == "validated" else "0"
            for cid in COMPETENCE_IDS
        ]
    return [
        str(number), candidate.first_name, candidate.last_name,
        french_date(candidate.birth_date), candidate.birth_place, candidate.external_id,
        STATUS_FR[status], pix, *levels, issued.id, issued.centre_name,
        french_date(issued.date),
    ]


@dataclass(frozen=True)
class Withheld:
    """An attempt left out of the CSV: a flagged copy (its journal did not verify on the PC)
    waiting for a human review."""

    attempt_id: str
    candidate_id: str
    integrity: str


@dataclass(frozen=True)
class CsvExport:
    path: Path
    withheld: list[Withheld]


def export_csv(state: ServerState, session_id: str, out_dir: Path, now: datetime
               ) -> CsvExport:
    """Write the session's CSV into ``out_dir`` (the file name carries ``now``), without
    the flagged copies, which are returned as withheld."""
    issued = load_session_record(state, session_id)
    if issued is None:
        raise UsageError("server.unknown_session", f"Session inconnue : {session_id}.",
                         f"Unknown session: {session_id}.")
    by_id = {c.id: c for c in issued.candidates}
    with DbSession(state.engine) as session:
        rows = session.execute(
            select(AttemptRecord, Result)
            .join(Result, Result.attempt_id == AttemptRecord.attempt_id, isouter=True)
            .where(AttemptRecord.session_id == session_id)
            .order_by(AttemptRecord.number)
        ).all()
        lines = [
            _row(attempt.number, by_id[attempt.candidate_id], issued, result)
            for attempt, result in rows
            if attempt.candidate_id in by_id and attempt.integrity is None
        ]
        withheld = [Withheld(attempt.attempt_id, attempt.candidate_id, attempt.integrity)
                    for attempt, _result in rows if attempt.integrity is not None]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{now:%Y%m%d_%H%M}_resultats_session_{session_id}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(lines)
    return CsvExport(path, withheld)
