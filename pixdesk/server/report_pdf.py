"""The session report (procès-verbal) as an A4 PDF: candidates and their status, incidents
by code, the centre's report, and lines for the signatures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pixdesk.server.csv_export import french_date
from pixdesk.server.finalise import INCIDENT_CODES, SessionSummary

INK = colors.HexColor("#1f2a44")
RULE = colors.HexColor("#c9cfdb")


def draw_report(data: SessionSummary, out: Path) -> None:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8.5,
                                                                leading=10.5)
    session = data.session
    story: list[object] = [
        Paragraph("Procès-verbal de session de certification", styles["Title"]),
        Paragraph(f"Session <b>{_escape(session.id)}</b> — {_escape(session.centre_name)} — "
                  f"{_escape(_room(session.room))} — {french_date(session.date)}", body),
        Paragraph(("Finalisée le " + _moment(data.finalised_at) + " par "
                   + _escape(data.finalised_by or ""))
                  if data.finalised_at else "<b>Session non finalisée</b>", body),
        Spacer(1, 5 * mm),
        Paragraph("Candidats", styles["Heading2"]),
    ]
    rows: list[list[object]] = [["Candidat", "Né(e) le", "Statut"]]
    for line in data.lines:
        c = line.candidate
        rows.append([Paragraph(_escape(f"{c.last_name.upper()} {c.first_name}"), small),
                     french_date(c.birth_date), Paragraph(line.status, small)])
    table = Table(rows, colWidths=[55 * mm, 25 * mm, 90 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9), ("FONT", (0, 1), (-1, -1),
                                                          "Helvetica", 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [table, Spacer(1, 4 * mm)]
    if data.unsynced:
        story.append(Paragraph(
            "Épreuves non synchronisées : faire un export de secours sur le poste "
            "(pixdesk export --out FICHIER) puis pixdesk-server import FICHIER.", small))
    story.append(Paragraph("Incidents", styles["Heading2"]))
    if not data.incidents:
        story.append(Paragraph("Aucun incident déclaré.", body))
    for code, texts in data.incidents.items():
        for text in texts:
            story.append(Paragraph(f"<b>{code}</b> ({INCIDENT_CODES.get(code, '')}) : "
                                   f"{_escape(text)}", small))
    story += [Paragraph("Rapport du centre", styles["Heading2"]),
              Paragraph(_escape(data.report) or "—", body), Spacer(1, 12 * mm)]
    signatures = Table([["Surveillant(e)", "Responsable du centre"],
                        ["Nom :", "Nom :"], ["Signature :", "Signature :"], ["", ""]],
                       colWidths=[85 * mm, 85 * mm], rowHeights=[7 * mm, 7 * mm, 7 * mm,
                                                                 18 * mm])
    signatures.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 10), ("BOX", (0, 0), (0, -1), 0.6, INK),
        ("BOX", (1, 0), (1, -1), 0.6, INK), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ]))
    story.append(signatures)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=f"Procès-verbal {session.id}", author="PixDesk")
    doc.build(story)


def _room(room: str) -> str:
    """"salle B12", but a room already named "Salle 101" is not "salle Salle 101"."""
    return room if room.casefold().startswith("salle") else f"salle {room}"


def _moment(iso: str) -> str:
    """``2026-12-05T09:12:30.123Z`` → ``05/12/2026 à 09 h 12 (UTC)``; else as given."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return _escape(iso)
    return f"{moment:%d/%m/%Y} à {moment:%H} h {moment:%M} (UTC)"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "\n", "<br/>")
