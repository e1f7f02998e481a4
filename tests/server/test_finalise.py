"""Session finalisation: absent candidates, attempts not synced, incidents, the report, the
admin API route, late attempts sent to review, and the procès-verbal PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import requests

from pixdesk.errors import EXIT_OK, UsageError
from pixdesk.server import cli, finalise, review
from pixdesk.server.publication import Withheld, publication
from tests.server.conftest import (
    BOTH_DATABASES,
    Record,
    RunningServer,
    Serve,
    enrol_and_record,
)

SESSION = "DEMO-0001"


def finalise_route(server: RunningServer, token: str | None, body: object,
                   session: str = SESSION) -> requests.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return requests.post(f"{server.url}/v1/sessions/{session}/finalise", json=body,
                         headers=headers, timeout=10)


@BOTH_DATABASES
def test_finalise_lists_absent_unsynced_and_incidents_and_records_the_report(
    serve: Serve, record: Record
) -> None:
    server = serve(accept_demo=True)
    done = enrol_and_record(server, record, right=1.0)
    done.receipt()
    halfway = enrol_and_record(server, record, candidate=1, seed=3)
    halfway.receipt(1, 5)

    summary = finalise.finalise(
        server.state, SESSION, "Mme Diallo", "RAS hormis la panne réseau.",
        [finalise.parse_incident("E9: page figée sur le poste 3"),
         finalise.parse_incident("e1:illustration absente"),
         finalise.parse_incident("E9:second gel")])

    assert [c.id for c in summary.absent] == ["demo-3", "demo-4", "demo-5", "demo-6"]
    assert [a.attempt_id for a in summary.unsynced] == [halfway.attempt.attempt_id]
    assert summary.incidents == {"E1": ["illustration absente"],
                                 "E9": ["page figée sur le poste 3", "second gel"]}
    assert (summary.finalised_by, summary.report) == ("Mme Diallo",
                                                      "RAS hormis la panne réseau.")
    [entry] = review.audit_log(server.state, SESSION)
    assert entry.action == "session.finalise" and entry.actor == "Mme Diallo"
    assert entry.detail["unsynced"] == [halfway.attempt.attempt_id]
    with pytest.raises(UsageError) as again:
        finalise.finalise(server.state, SESSION, "Mme Diallo", "autre", [])
    assert again.value.code == "session.finalised"
    assert finalise.summary(server.state, SESSION).report == "RAS hormis la panne réseau."


@pytest.mark.parametrize("spec", ["E13:texte", "E9", "E9:  ", "X:y"])
def test_a_badly_written_incident_is_refused(spec: str) -> None:
    with pytest.raises(UsageError) as refused:
        finalise.parse_incident(spec)
    assert refused.value.code == "server.bad_incident"


def test_finalising_an_unknown_session_or_without_a_name_is_refused(serve: Serve) -> None:
    server = serve(accept_demo=True)
    with pytest.raises(UsageError) as unknown:
        finalise.finalise(server.state, "NOPE-1", "Mme Diallo", "", [])
    with pytest.raises(UsageError) as nameless:
        finalise.finalise(server.state, SESSION, " ", "", [])
    assert (unknown.value.code, nameless.value.code) == ("server.unknown_session",
                                                         "server.missing_by")
    assert server.count("session_reports") == 0 and server.count("audit_log") == 0


@BOTH_DATABASES
def test_an_attempt_arriving_after_finalisation_waits_for_review(
    serve: Serve, record: Record
) -> None:
    server = serve(accept_demo=True)
    on_time = enrol_and_record(server, record, right=1.0)
    on_time.receipt()
    late = enrol_and_record(server, record, candidate=1, seed=3)
    finalise.finalise(server.state, SESSION, "Mme Diallo", "", [])
    late.receipt()

    [found] = review.to_review(server.state)
    assert found.attempt_id == late.attempt.attempt_id and found.reasons == [review.LATE]
    assert publication(server.state, SESSION).withheld == [
        Withheld(late.attempt.attempt_id, "demo-2", review.LATE)]
    review.decide(server.state, late.attempt.attempt_id, "accept", "arrivé par export",
                  "M. Leroy")
    assert [a.attempt_id for a in publication(server.state, SESSION).published] == [
        on_time.attempt.attempt_id, late.attempt.attempt_id]


@BOTH_DATABASES
def test_the_finalise_route_wants_the_admin_token(
    serve: Serve, record: Record, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(accept_demo=True)
    data_dir = server.state.config.data_dir
    body = {"by": "Mme Diallo", "report": "RAS", "incidents": ["E12:alarme incendie"]}
    assert finalise_route(server, "anything", body).status_code == 401
    assert cli.main(["admin-token", "--data-dir", str(data_dir)]) == EXIT_OK
    token = capsys.readouterr().out.strip()
    assert (data_dir / finalise.ADMIN_TOKEN_FILE).read_text().strip() != token
    for wrong in (None, token + "x", token[:-1]):
        refused = finalise_route(server, wrong, body)
        assert (refused.status_code, refused.json()["error"]) == (401, "admin.bad_token")
    bad = finalise_route(server, token, body | {"incidents": ["E99:x"]})
    assert (bad.status_code, bad.json()["error"]) == (400, "server.bad_incident")
    unknown = finalise_route(server, token, body, session="NOPE-1")
    assert (unknown.status_code, unknown.json()["error"]) == (404, "server.unknown_session")
    assert server.count("session_reports") == 0

    answer = finalise_route(server, token, body)
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert summary["incidents"] == {"E12": ["alarme incendie"]}
    assert summary["absent"] == [f"demo-{n}" for n in range(1, 7)]
    again = finalise_route(server, token, body)
    assert (again.status_code, again.json()["error"]) == (409, "session.finalised")


def test_the_session_report_pdf_lists_candidates_incidents_and_signatures(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    enrol_and_record(server, record, right=1.0).receipt()
    report = tmp_path / "rapport.txt"
    report.write_text("Session calme.\nUn poste redémarré.", encoding="utf-8")
    config = server.state.config
    pdf = tmp_path / "pv.pdf"
    db = ["--data-dir", str(config.data_dir)] + (["--db", config.db_url] if config.db_url
                                                  else [])
    assert cli.main(["finalise", SESSION, "--by", "Mme Diallo", "--report", str(report),
                     "--incident", "E10:perte de focus", "--pdf", str(pdf),
                     "--accept-demo", *db]) == EXIT_OK
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Procès-verbal" in text and "Mme Diallo" in text
    assert "Salle 101" in text and "salle Salle" not in text
    assert re.search(r"Finalisée le \d\d/\d\d/20\d\d à \d\d h \d\d \(UTC\) par Mme Diallo", text)
    assert re.search(r"MARTIN\s+Léa", text) and "absent" in text
    assert "E10" in text and "perte de focus" in text and "Un poste redémarré" in text
    assert "Surveillant(e)" in text and "Responsable du centre" in text and "Pix" in text
