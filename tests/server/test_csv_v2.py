"""A legacy v2 attempt goes through the same ingest and re-scoring, and its CSV line shows
"-" for every competence that was not assessed (issue: certification v2)."""

from __future__ import annotations

import csv
import functools
from datetime import UTC, datetime
from pathlib import Path

from pixdesk import crypto
from pixdesk.content.package import demo_content_key
from pixdesk.demo import load_demo
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer
from pixdesk.exam import LiveAttempt
from pixdesk.server.config import demo_package_path
from pixdesk.server.csv_export import COLUMNS, export_csv
from pixdesk.server.sessions import create_session, generate_password
from pixdesk.session import Session
from pixdesk.store.journal import Journal
from tests.server.conftest import (
    Device,
    Enrolled,
    Recorded,
    RunningServer,
    Serve,
    finalised,
    raw_records,
    result_row,
)


def _v2_session(server: RunningServer) -> Session:
    """A session of the demo centre issued by ``server`` for the demo package's v2 version
    (the shipped demo session is v3), with the demo candidates and their v2 profiles."""
    demo = load_demo()
    document = create_session(
        server.state, package=demo_package_path(), content_key=demo_content_key(),
        centre_id="DEMO", centre_name="Lycée de démonstration",
        date=datetime.now(UTC).date().isoformat(), room="B12",
        candidates=demo.session.candidates, access_code="BKQT47",
        invigilator_password=generate_password(), version_id="v2-demo",
    )
    return Session.from_dict(document["session"])


def _v2_attempt(data_dir: Path, session: Session, sealing_key: bytes) -> tuple[Recorded, int]:
    demo = load_demo()
    candidate = next(c for c in session.candidates if c.v2_profile
                     and sum(level >= 1 for level in c.v2_profile.values()) < 16)
    with Journal.open(data_dir, demo=True) as journal:
        live = LiveAttempt.check_in(journal, demo.content, session, candidate,
                                    attempt_id="att-v2-1", seed=3)
        live.act(live.attempt.authorise)
        live.act(live.attempt.begin)
        while live.phase is Phase.RUNNING and live.attempt.current_item is not None:
            answer = model_answer(live.attempt.current_item)
            if not live.attempt.item_started:
                live.act(live.attempt.start_timed_item)
            live.act(functools.partial(live.attempt.submit, answer))
        result = live.result()
        assert result is not None
        sealed = journal.seal_for_server("att-v2-1", sealing_key)
        meta = journal.attempts()[0].meta
        length = live.attempt.test_length
    recorded = Recorded("att-v2-1", meta, crypto.b64e(sealed),
                        raw_records(data_dir / "journal.db", "att-v2-1"), result)
    return recorded, length


def test_v2_result_is_rescored_equal_and_its_csv_line_marks_unassessed_with_a_dash(
    serve: Serve, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    device = Device(centre_id="DEMO")
    device.enrol(server)
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    attempt, length = _v2_attempt(data_dir, _v2_session(server),
                                  crypto.b64d(server.meta()["sealing_public_key"]))
    Enrolled(server, device, attempt).receipt()
    stored = result_row(server, attempt.attempt_id)
    assert stored["match"] and stored["rescored"] == attempt.result
    assessed = set(attempt.result["competence_levels"])
    assert length == 3 * len(assessed) and 5 <= len(assessed) < 16
    finalised(server, attempt.meta["session_id"])
    out = export_csv(server.state, attempt.meta["session_id"], tmp_path / "out",
                     datetime(2026, 6, 12, 17, 5)).path
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["Statut"] == "Validée"
    assert row["Nombre de Pix"] == f"{attempt.result['score']} Pix"
    for cid in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4",
                "4.1", "4.2", "4.3", "5.1", "5.2"):
        expected = str(attempt.result["competence_levels"][cid]) if cid in assessed else "-"
        assert row[cid] == expected
