"""Flagged copies (issue 20): an attempt whose journal did not verify on the PC arrives with
``meta.integrity``; the server stores it with that code and withholds it from the CSV and
the certificate, naming it, until a human review."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pixdesk.errors import EXIT_OK, UsageError
from pixdesk.server import cli
from pixdesk.server.certificate import issue_certificate
from pixdesk.server.csv_export import export_csv
from pixdesk.server.publication import Withheld
from tests.server.conftest import (
    BOTH_DATABASES,
    Enrolled,
    Record,
    RunningServer,
    Serve,
    enrol_and_record,
    finalised,
    receipt_of,
)


def flagged(pc: Enrolled, code: Any, first: int = 1, last: int | None = None
            ) -> dict[str, Any]:
    """The events body the PC's sync builds, with ``meta.integrity`` set."""
    body = pc.attempt.body(pc.device, first, last)
    return body | {"meta": body["meta"] | {"integrity": code}}


def integrity(server: RunningServer, attempt_id: str) -> str | None:
    with server.state.engine.connect() as conn:
        found: str | None = conn.execute(
            text("SELECT integrity FROM attempts WHERE attempt_id = :a"), {"a": attempt_id}
        ).scalar_one()
    return found


@BOTH_DATABASES
def test_flagged_copy_is_stored_with_its_code_and_withheld_from_csv_and_certificate(
    serve: Serve, record: Record, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(accept_demo=True)
    suspect = enrol_and_record(server, record, right=1.0)
    clean = enrol_and_record(server, record, right=1.0, candidate=1)
    sent = suspect.device.post(server, suspect.events_path,
                               flagged(suspect, "journal.truncated"))
    assert receipt_of(server, sent)["acked_through_seq"] == len(suspect.attempt.records)
    clean.receipt()
    assert integrity(server, suspect.attempt.attempt_id) == "journal.truncated"
    assert integrity(server, clean.attempt.attempt_id) is None
    assert server.count("results") == 2

    finalised(server)
    export = export_csv(server.state, "DEMO-0001", tmp_path / "csv", datetime(2026, 6, 12))
    rows = export.path.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [row.split(";")[1] for row in rows] == ["Hugo"]
    assert export.withheld == [Withheld(suspect.attempt.attempt_id, "demo-1",
                                        "journal.truncated")]

    with pytest.raises(UsageError) as refused:
        issue_certificate(server.state, suspect.attempt.attempt_id, tmp_path / "c.pdf",
                          date(2026, 6, 20))
    assert refused.value.code == "server.withheld" and "journal.truncated" in refused.value.fr
    assert not (tmp_path / "c.pdf").exists()

    db = ["--data-dir", str(server.state.config.data_dir)] + (
        ["--db", server.state.config.db_url] if server.state.config.db_url else [])
    assert cli.main(["export-csv", "DEMO-0001", "--out", str(tmp_path / "cli"), "--accept-demo",
                     *db]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"withheld: {suspect.attempt.attempt_id}" in err
    assert "[journal.truncated]" in err


@BOTH_DATABASES
def test_a_flag_sent_with_a_later_batch_sticks_and_is_never_replaced(
    enrolled: Enrolled
) -> None:
    server, attempt_id = enrolled.server, enrolled.attempt.attempt_id
    enrolled.receipt(1, 30)
    assert integrity(server, attempt_id) is None
    later = enrolled.device.post(server, enrolled.events_path,
                                 flagged(enrolled, "journal.rollback", 31))
    assert receipt_of(server, later)["acked_through_seq"] == len(enrolled.attempt.records)
    assert integrity(server, attempt_id) == "journal.rollback"

    again = enrolled.device.post(server, enrolled.events_path,
                                 flagged(enrolled, "journal.degraded", 1, 5))
    assert again.status_code == 200
    assert enrolled.send(1, 7).status_code == 200
    assert integrity(server, attempt_id) == "journal.rollback"


@BOTH_DATABASES
@pytest.mark.parametrize("code", [5, "", "Journal Truncated", "journal", "a." + "b" * 63])
def test_malformed_integrity_code_is_refused_and_stores_nothing(
    enrolled: Enrolled, code: Any
) -> None:
    answer = enrolled.device.post(enrolled.server, enrolled.events_path,
                                  flagged(enrolled, code))
    assert (answer.status_code, answer.json()["error"]) == (400, "request.malformed")
    assert enrolled.server.count("attempts") == enrolled.server.count("events") == 0
