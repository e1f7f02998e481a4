"""The publication rule on ``export-csv`` and ``certificate``: re-scored, matching or
accepted on review, not demo on a real server, in a finalised session; the rest withheld
with its reason."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from pixdesk.errors import UsageError
from pixdesk.server import review
from pixdesk.server.certificate import issue_certificate
from pixdesk.server.config import ServerState
from pixdesk.server.csv_export import COLUMNS, export_csv
from pixdesk.server.publication import ANNULLED, PENDING, Withheld
from tests.server.conftest import (
    BOTH_DATABASES,
    Enrolled,
    Record,
    Serve,
    enrol_and_record,
    finalised,
)

SESSION = "DEMO-0001"


def names(path: Path) -> list[str]:
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    return [row[1] for row in rows[1:]]


def mismatched(pc: Enrolled) -> None:
    pc.receipt()
    claim: dict[str, Any] = pc.attempt.result | {"score": pc.attempt.result["score"] + 1}
    assert pc.claim(claim).status_code == 200


def test_nothing_is_published_before_the_session_is_finalised(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    pc = enrol_and_record(server, record, right=1.0)
    pc.receipt()
    with pytest.raises(UsageError) as csv_refused:
        export_csv(server.state, SESSION, tmp_path / "csv", datetime(2026, 6, 12))
    with pytest.raises(UsageError) as cert_refused:
        issue_certificate(server.state, pc.attempt.attempt_id, tmp_path / "c.pdf",
                          date(2026, 6, 20))
    assert csv_refused.value.code == cert_refused.value.code == "server.session_not_finalised"
    assert not (tmp_path / "csv").exists() and not (tmp_path / "c.pdf").exists()


@BOTH_DATABASES
def test_a_mismatch_is_withheld_until_accepted_and_an_annulled_result_stays_out(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    clean = enrol_and_record(server, record, right=1.0)
    clean.receipt()
    differs = enrol_and_record(server, record, right=1.0, candidate=1, seed=3)
    mismatched(differs)
    cheat = enrol_and_record(server, record, right=1.0, candidate=2, seed=4)
    cheat.receipt()
    unfinished = enrol_and_record(server, record, candidate=3, seed=5)
    unfinished.receipt(1, 4)
    finalised(server)

    first = export_csv(server.state, SESSION, tmp_path / "a", datetime(2026, 6, 12))
    assert names(first.path) == ["Léa", "Inès"]
    assert first.withheld == [
        Withheld(differs.attempt.attempt_id, "demo-2", review.MISMATCH),
        Withheld(unfinished.attempt.attempt_id, "demo-4", PENDING)]
    with pytest.raises(UsageError) as refused:
        issue_certificate(server.state, differs.attempt.attempt_id, tmp_path / "c.pdf",
                          date(2026, 6, 20))
    assert refused.value.code == "server.withheld" and review.MISMATCH in refused.value.en

    review.decide(server.state, differs.attempt.attempt_id, "accept", "arrondi", "M. Leroy")
    review.decide(server.state, cheat.attempt.attempt_id, "annul", "fraude", "M. Leroy")
    second = export_csv(server.state, SESSION, tmp_path / "b", datetime(2026, 6, 12))
    assert names(second.path) == ["Léa", "Hugo"]
    assert Withheld(cheat.attempt.attempt_id, "demo-3", ANNULLED) in second.withheld
    assert review.to_review(server.state) == []
    assert {a.attempt_id for a in review.to_review(server.state, include_decided=True)} == {
        differs.attempt.attempt_id, cheat.attempt.attempt_id}
    issue_certificate(server.state, differs.attempt.attempt_id, tmp_path / "c.pdf",
                      date(2026, 6, 20))
    assert (tmp_path / "c.pdf").exists()


@BOTH_DATABASES
def test_a_demo_result_is_never_published_by_a_real_server_even_accepted(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    pc = enrol_and_record(server, record, right=1.0)
    pc.receipt()
    finalised(server)
    review.decide(server.state, pc.attempt.attempt_id, "accept", "vu", "M. Leroy")
    real = ServerState.open(replace(server.state.config, accept_demo=False),
                            load_content=False)
    try:
        export = export_csv(real, SESSION, tmp_path / "csv", datetime(2026, 6, 12))
        with pytest.raises(UsageError) as refused:
            issue_certificate(real, pc.attempt.attempt_id, tmp_path / "c.pdf",
                              date(2026, 6, 20))
    finally:
        real.close()
    assert names(export.path) == []
    assert export.withheld == [Withheld(pc.attempt.attempt_id, "demo-1", review.DEMO)]
    assert refused.value.code == "server.withheld"
