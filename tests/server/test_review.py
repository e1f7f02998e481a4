"""``pixdesk-server review``: what needs a human, and the decisions, kept append-only."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pixdesk.chain import receipt_code
from pixdesk.engine.status import EndReason
from pixdesk.errors import EXIT_OK, EXIT_USAGE, UsageError
from pixdesk.exam import LiveAttempt
from pixdesk.server import cli, review
from pixdesk.server.config import ServerState
from tests.server.conftest import (
    BOTH_DATABASES,
    Enrolled,
    Record,
    RunningServer,
    Serve,
    enrol_and_record,
)


def kiosk_alert(live: LiveAttempt) -> object:
    return live.act(functools.partial(live.attempt.security_event, "key_blocked",
                                      {"key": "alt+tab"}))


def real_view(server: RunningServer) -> ServerState:
    """The same data as a real (non-rehearsal) server's commands see it."""
    return ServerState.open(replace(server.state.config, accept_demo=False),
                            load_content=False)


def cli_db(server: RunningServer) -> list[str]:
    config = server.state.config
    return ["--data-dir", str(config.data_dir)] + (
        ["--db", config.db_url] if config.db_url else [])


def reasons(state: ServerState) -> dict[str, list[str]]:
    return {a.attempt_id: a.reasons for a in review.to_review(state)}


def mismatched(pc: Enrolled) -> None:
    pc.receipt()
    claim: dict[str, Any] = pc.attempt.result | {"score": pc.attempt.result["score"] + 1}
    assert pc.claim(claim).status_code == 200


@BOTH_DATABASES
def test_review_lists_each_kind_of_attempt_that_needs_a_human(
    serve: Serve, record: Record
) -> None:
    server = serve(accept_demo=True)
    clean = enrol_and_record(server, record, right=1.0)
    mismatch = enrol_and_record(server, record, candidate=1, seed=3)
    conflict = enrol_and_record(server, record, candidate=2, seed=4)
    alerted = enrol_and_record(server, record, candidate=3, seed=5, during=kiosk_alert)
    ended = enrol_and_record(server, record, candidate=4, seed=6, end=EndReason.INVIGILATOR)
    clean.receipt()
    mismatch_id = mismatch.attempt.attempt_id
    mismatched(mismatch)
    conflict.receipt()
    other = conflict.attempt.records[1] | {"wall_time_ms": 1}
    assert conflict.send(records=[other]).status_code == 409
    alerted.receipt()
    ended.receipt()

    found = reasons(server.state)

    assert clean.attempt.attempt_id not in found
    assert found[mismatch_id] == [review.MISMATCH]
    assert found[conflict.attempt.attempt_id] == [f"{review.CONFLICT}×1"]
    assert found[alerted.attempt.attempt_id] == [f"{review.ALERTS}:security_event×1"]
    assert found[ended.attempt.attempt_id] == [review.BY_INVIGILATOR]
    real = real_view(server)
    try:
        on_real = reasons(real)
    finally:
        real.close()
    assert on_real[clean.attempt.attempt_id] == [review.DEMO]
    assert on_real[mismatch_id] == [review.MISMATCH, review.DEMO]


@BOTH_DATABASES
def test_a_decision_records_who_and_when_and_the_audit_log_refuses_changes(
    serve: Serve, record: Record, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(accept_demo=True)
    pc = enrol_and_record(server, record)
    mismatched(pc)
    attempt_id = pc.attempt.attempt_id
    assert cli.main(["review", "decide", attempt_id, "accept", "--reason",
                     "écart d'arrondi vérifié", "--by", "M. Leroy", "--accept-demo",
                     *cli_db(server)]) == EXIT_OK

    [entry] = review.audit_log(server.state, attempt_id)
    assert (entry.actor, entry.action, entry.reason) == (
        "M. Leroy", "review.accept", "écart d'arrondi vérifié")
    assert entry.at.endswith("Z") and entry.detail["reasons"] == [review.MISMATCH]
    assert review.to_review(server.state) == []
    [decided] = review.to_review(server.state, include_decided=True)
    assert decided.accepted and decided.decision is not None
    assert decided.decision.by == "M. Leroy"

    review.decide(server.state, attempt_id, "annul", "fraude constatée", "Mme Diallo")
    [later] = review.to_review(server.state, include_decided=True)
    assert later.annulled and len(review.audit_log(server.state, attempt_id)) == 2
    for change in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), server.state.engine.begin() as conn:
            conn.execute(text(change))
    assert len(review.audit_log(server.state, attempt_id)) == 2

    capsys.readouterr()
    assert cli.main(["review", "--all", "--accept-demo", *cli_db(server)]) == EXIT_OK
    out = capsys.readouterr().out
    assert attempt_id in out and "annul (Mme Diallo" in out and review.MISMATCH in out


@BOTH_DATABASES
@pytest.mark.parametrize(("decision", "reason", "by", "code"), [
    ("keep", "r", "me", "server.bad_decision"),
    ("accept", "  ", "me", "server.missing_reason"),
    ("accept", "r", "", "server.missing_by"),
])
def test_a_bad_decision_is_refused_and_writes_nothing(
    serve: Serve, record: Record, decision: str, reason: str, by: str, code: str
) -> None:
    server = serve(accept_demo=True)
    pc = enrol_and_record(server, record)
    pc.receipt()
    with pytest.raises(UsageError) as refused:
        review.decide(server.state, pc.attempt.attempt_id, decision, reason, by)
    assert refused.value.code == code
    assert review.audit_log(server.state) == []


def test_a_decision_on_an_unknown_attempt_is_refused(serve: Serve) -> None:
    server = serve(accept_demo=True)
    with pytest.raises(UsageError) as refused:
        review.decide(server.state, "att-nope", "accept", "r", "me")
    assert refused.value.code == "server.unknown_attempt"


def test_review_shows_the_score_with_its_precision(
    serve: Serve, record: Record, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(accept_demo=True)
    pc = enrol_and_record(server, record, right=0.8)
    mismatched(pc)
    capsys.readouterr()
    assert cli.main(["review", "--accept-demo", *cli_db(server)]) == EXIT_OK
    [attempt] = review.to_review(server.state)
    assert attempt.pix_error is not None and attempt.pix_error > 0
    assert (f"{pc.attempt.result['score']} Pix, ± {attempt.pix_error} à 68 % ["
            in capsys.readouterr().out)


@BOTH_DATABASES
def test_a_receipt_code_finds_its_attempt_and_an_unknown_one_is_refused(
    serve: Serve, record: Record, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(accept_demo=True)
    pc = enrol_and_record(server, record)
    enrol_and_record(server, record, candidate=1, seed=9).receipt()
    pc.receipt()
    ended = pc.attempt.records[-1]
    assert ended["kind"] == "ended"
    code = receipt_code(pc.attempt.attempt_id, ended["hash"])
    assert review.find_receipt(server.state, code.lower().replace("-", " ")) == [
        pc.attempt.attempt_id]
    capsys.readouterr()
    assert cli.main(["find-receipt", code, *cli_db(server)]) == EXIT_OK
    assert capsys.readouterr().out.strip() == pc.attempt.attempt_id
    assert cli.main(["--lang", "en", "find-receipt", "AAAAA-AAAAA", *cli_db(server)]) == (
        EXIT_USAGE)
    assert "server.unknown_receipt" in capsys.readouterr().err
