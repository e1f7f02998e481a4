"""The one-page A4 certificate a candidate keeps, with a code anyone can check.

Only a validated result that the publication rule lets out gets one; its verification
code is drawn once, stored unique, and printed again on every reprint together with the
first date of issue.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from pixdesk.engine.framework import DOMAINS, competences_of
from pixdesk.errors import UsageError
from pixdesk.server.config import DEFAULT_PUBLIC_URL, ServerState
from pixdesk.server.csv_export import french_date
from pixdesk.server.models import Result
from pixdesk.server.publication import is_finalised, not_finalised, withheld_reason
from pixdesk.server.review import load_attempt
from pixdesk.server.sessions import load_session_record
from pixdesk.session import Candidate, Session

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read aloud or typed from paper has one spelling."""
VALIDITY_YEARS = 3
MAX_LEVEL = 7
INK = colors.HexColor("#1f2a44")
ACCENT = colors.HexColor("#3d68ff")
MUTED = colors.HexColor("#5b6477")


CODE_LENGTH = 12
"""31^12 ≈ 7.9·10^17 codes, 59.4 bits (see docs/server.md, "Verification")."""


def new_code() -> str:
    return "P-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/v1/certificates/{code}"


@dataclass(frozen=True)
class CertificateData:
    candidate: Candidate
    session: Session
    result: dict[str, Any]
    code: str
    issued: date
    pix_error: int | None = None


def _refuse(code: str, fr: str, en: str) -> UsageError:
    return UsageError(code, fr, en)


def _assign(state: ServerState, attempt_id: str, today: date) -> CertificateData:
    """The certificate's data, drawing its verification code on first issue; only a
    published result (``publication``) of a validated attempt gets one. The result row is
    locked, so two prints at the same moment agree on one code."""
    attempt = load_attempt(state, attempt_id)
    if attempt is None or attempt.rescored is None:
        raise _refuse("server.no_result", f"Aucun résultat recalculé pour {attempt_id}.",
                      f"No re-scored result for {attempt_id}.")
    if not is_finalised(state, attempt.session_id):
        raise not_finalised(attempt.session_id)
    reason = withheld_reason(state, attempt)
    if reason is not None:
        raise _refuse(
            "server.withheld",
            f"Épreuve {attempt_id} retenue ({reason}) : pas de certificat avant une décision "
            "d'examen (pixdesk-server review).",
            f"Attempt {attempt_id} withheld ({reason}): no certificate before a review "
            "decision (pixdesk-server review).",
        )
    rescored = attempt.rescored
    if rescored.get("status") != "validated":
        raise _refuse("server.not_validated",
                      "Certification non validée : pas de certificat.",
                      "Certification not validated: no certificate.")
    with state.writing() as db:
        row = db.get(Result, attempt_id, with_for_update=True)
        assert row is not None
        if row.verification_code is None:
            taken = set(db.scalars(select(Result.verification_code)))
            code = new_code()
            while code in taken:
                code = new_code()
            row.verification_code = code
            row.certificate_issued_at = today.isoformat()
        code, issued = row.verification_code, date.fromisoformat(
            row.certificate_issued_at or today.isoformat()
        )
    session_id, candidate_id = attempt.session_id, attempt.candidate_id
    session = load_session_record(state, session_id)
    candidate = next((c for c in session.candidates if c.id == candidate_id), None) if (
        session is not None) else None
    if session is None or candidate is None:
        raise _refuse("server.unknown_candidate",
                      f"Candidat {candidate_id} absent de la session {session_id}.",
                      f"Candidate {candidate_id} not in session {session_id}.")
    return CertificateData(candidate, session, rescored, code, issued, attempt.pix_error)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def precision_text(pix_error: int | None) -> str:
    """"± 38 Pix à 68 %", or "" when the result has no precision (a v2 result)."""
    return "" if pix_error is None else f"± {pix_error} Pix (à 68 %)"


def draw(data: CertificateData, out: Path, public_url: str) -> None:
    width, height = A4
    c = Canvas(str(out), pagesize=A4, pageCompression=1)
    c.setTitle(f"Certificat Pix — {data.candidate.first_name} {data.candidate.last_name}")
    c.setAuthor("PixDesk")
    margin = 20 * mm
    c.setFillColor(ACCENT)
    c.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)

    y = height - 32 * mm
    c.setFillColor(INK)
    c.setFont("Helvetica-Bold", 24)
    c.drawString(margin, y, "Certificat de compétences numériques")
    c.setFont("Helvetica", 11)
    c.setFillColor(MUTED)
    c.drawString(margin, y - 7 * mm, "Certification Pix — cadre de référence CRCN")

    y -= 22 * mm
    cand = data.candidate
    c.setFillColor(INK)
    c.setFont("Helvetica", 11)
    c.drawString(margin, y, "Délivré à")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(margin, y - 8 * mm, f"{cand.first_name} {cand.last_name.upper()}")
    c.setFont("Helvetica", 11)
    born = f"Né(e) le {french_date(cand.birth_date)}"
    if cand.birth_place:
        born += f" à {cand.birth_place}"
    c.drawString(margin, y - 15 * mm, born)

    score_x = width - margin - 62 * mm
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.5)
    c.roundRect(score_x, y - 20 * mm, 62 * mm, 30 * mm, 4 * mm, stroke=1, fill=0)
    c.setFillColor(ACCENT)
    c.setFont("Helvetica-Bold", 26)
    c.drawCentredString(score_x + 31 * mm, y - 3 * mm, f"{data.result['score']} Pix")
    c.setFont("Helvetica", 10)
    c.setFillColor(MUTED)
    precision = precision_text(data.pix_error)
    c.drawCentredString(score_x + 31 * mm, y - 9 * mm,
                        f"sur 895 — {precision}" if precision else "sur 895")
    c.setFillColor(INK)
    c.setFont("Helvetica-Bold", 12)
    c.drawCentredString(score_x + 31 * mm, y - 16 * mm, str(data.result.get("level_name", "")))

    y -= 32 * mm
    facts = (
        ("Centre de certification", data.session.centre_name),
        ("Date de passage", french_date(data.session.date)),
        ("Date de délivrance", data.issued.strftime("%d/%m/%Y")),
        ("Validité", f"valable 3 ans, jusqu'au "
                     f"{_plus_years(data.issued, VALIDITY_YEARS).strftime('%d/%m/%Y')}"),
    )
    for label, value in facts:
        c.setFont("Helvetica", 10)
        c.setFillColor(MUTED)
        c.drawString(margin, y, label)
        c.setFont("Helvetica", 11)
        c.setFillColor(INK)
        c.drawString(margin + 48 * mm, y, value)
        y -= 6.5 * mm

    y -= 6 * mm
    c.setFont("Helvetica-Bold", 13)
    c.drawString(margin, y, "Niveaux par compétence (de 0 à 7)")
    y -= 4 * mm
    levels = data.result.get("competence_levels", {})
    box = 4.2 * mm
    for domain in DOMAINS:
        y -= 7.5 * mm
        c.setFillColor(ACCENT)
        c.setFont("Helvetica-Bold", 11)
        c.drawString(margin, y, f"{domain.id}. {domain.name}")
        for comp in competences_of(domain.id):
            y -= 6.2 * mm
            level = int(levels.get(comp.id, 0))
            c.setFillColor(INK)
            c.setFont("Helvetica", 10)
            c.drawString(margin + 4 * mm, y, f"{comp.id}  {comp.name}")
            bar_x = width - margin - MAX_LEVEL * (box + 1 * mm) - 10 * mm
            for i in range(MAX_LEVEL):
                c.setStrokeColor(ACCENT)
                c.setLineWidth(0.6)
                c.setFillColor(ACCENT if i < level else colors.white)
                c.rect(bar_x + i * (box + 1 * mm), y - 0.8 * mm, box, box * 0.8, stroke=1,
                       fill=1)
            c.setFillColor(INK)
            c.setFont("Helvetica-Bold", 10)
            c.drawRightString(width - margin, y, str(level))

    url = verification_url(public_url, data.code)
    c.setStrokeColor(MUTED)
    c.setLineWidth(0.5)
    c.line(margin, 36 * mm, width - margin, 36 * mm)
    c.setFillColor(INK)
    c.setFont("Helvetica", 10)
    c.drawString(margin, 28 * mm, "Code de vérification")
    c.setFont("Courier-Bold", 15)
    c.drawString(margin + 40 * mm, 28 * mm, data.code)
    c.setFont("Helvetica", 8.5)
    c.setFillColor(MUTED)
    c.drawString(margin, 21 * mm, f"Session {data.session.id} — salle {data.session.room}. "
                 "Vérifiez ce certificat avec son code ou le QR code :")
    c.setFont("Courier", 8)
    c.drawString(margin, 16 * mm, url)
    if data.pix_error is not None:
        c.setFont("Helvetica", 7.5)
        c.drawString(margin, 11 * mm, "Précision : le score ± la précision forme l'intervalle "
                     "à 68 % de la mesure (± une erreur de l'estimation).")
    _qr(c, url, width - margin - 24 * mm, 10 * mm, 24 * mm)
    c.showPage()
    c.save()


def issue_certificate(state: ServerState, attempt_id: str, out: Path, today: date,
                      public_url: str = DEFAULT_PUBLIC_URL) -> str:
    """Write the certificate PDF of a published, validated attempt; returns its
    verification code. The QR code points at ``public_url``'s verification route."""
    data = _assign(state, attempt_id, today)
    out.parent.mkdir(parents=True, exist_ok=True)
    draw(data, out, public_url)
    return data.code
