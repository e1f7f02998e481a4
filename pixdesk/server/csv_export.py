"""The session results CSV in the format certification centres already import.

UTF-8 with a byte-order mark and ``;`` so that a spreadsheet opened by double click shows the
accents and the columns right; one row per published attempt of the session (see
``publication``), the server's re-scored result (not the device's claim) in it, identity
from the signed session.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.server.config import ServerState
from pixdesk.server.publication import Withheld, publication
from pixdesk.server.review import STATUS_FR, Attempt
from pixdesk.session import Candidate, Session

COLUMNS = (
    "Numéro de certification", "Prénom", "Nom", "Date de naissance", "Lieu de naissance",
    "Identifiant Externe", "Statut", "Nombre de Pix", *COMPETENCE_IDS, "Session",
    "Centre de certification", "Date de passage de la certification",
)


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


def _row(candidate: Candidate, issued: Session, attempt: Attempt) -> list[str]:
    rescored = attempt.rescored
    assert rescored is not None
    status, pix = str(rescored["status"]), pix_cell(rescored)
    assessed = set(attempt.assessed)
    competence_levels = rescored.get("competence_levels", {})
    levels = [
        "-" if cid not in assessed
        else str(competence_levels.get(cid, 0)) if status == "validated" else "0"
        for cid in COMPETENCE_IDS
    ]
    return [
        str(attempt.number), candidate.first_name, candidate.last_name,
        french_date(candidate.birth_date), candidate.birth_place, candidate.external_id,
        STATUS_FR[status], pix, *levels, issued.id, issued.centre_name,
        french_date(issued.date),
    ]


@dataclass(frozen=True)
class CsvExport:
    path: Path
    withheld: list[Withheld]


def export_csv(state: ServerState, session_id: str, out_dir: Path, now: datetime
               ) -> CsvExport:
    """Write the CSV of a finalised session into ``out_dir`` (the file name carries
    ``now``) with the published results only (``publication``); the others are returned
    as withheld, with their reason."""
    published = publication(state, session_id)
    issued = published.session
    by_id = {c.id: c for c in issued.candidates}
    lines = [_row(by_id[a.candidate_id], issued, a) for a in published.published]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{now:%Y%m%d_%H%M}_resultats_session_{session_id}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(lines)
    return CsvExport(path, published.withheld)
