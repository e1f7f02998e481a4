"""A legacy v2 attempt goes through the same ingest and re-scoring, and its CSV line shows
"-" for every competence that was not assessed (issue: certification v2)."""

from __future__ import annotations

import csv
import functools
from datetime import datetime
from pathlib import Path

from pixdesk import crypto
from pixdesk.demo import load_demo
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer
from pixdesk.exam import LiveAttempt
from pixdesk.server.csv_export import COLUMNS, export_csv
from pixdesk.store.journal import Journal
from tests.server.conftest import (
    Device,
    Enrolled,
    Recorded,
    Serve,
    raw_records,
    result_row,
)


def _v2_attempt(data_dir: Path, sealing_key: bytes) -> tuple[Recorded, int]:
    demo = load_demo()
    candidate = next(c for c in demo.session.candidates if c.v2_profile
                     and sum(level >= 1 for level in c.v2_profile.values()) < 16)
    with Journal.open(data_dir, demo=True) as journal:
        live = LiveAttempt.check_in(journal, demo.content, demo.session, candidate,
                                    attempt_id="att-v2-1", seed=3, version_id="v2-demo")
        live.act(live.attempt.authorise)
        live.act(live.attempt.begin)
        while live.phase is Phase.RUNNING and live.attempt.current_item is not None:
            answer = model_answer(live.attempt.current_item)
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
    attempt, length = _v2_attempt(data_dir, crypto.b64d(server.meta()["sealing_public_key"]))
    Enrolled(server, device, attempt).receipt()
    stored = result_row(server, attempt.attempt_id)
    assert stored["match"] and stored["rescored"] == attempt.result
    assessed = set(attempt.result["competence_levels"])
    assert length == 3 * len(assessed) and 5 <= len(assessed) < 16
    out = export_csv(server.state, attempt.meta["session_id"], tmp_path / "out",
                     datetime(2026, 6, 12, 17, 5))
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["Statut"] == "Validée"
    assert row["Nombre de Pix"] == f"{attempt.result['score']} Pix"
    for cid in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4",
                "4.1", "4.2", "4.3", "5.1", "5.2"):
        expected = str(attempt.result["competence_levels"][cid]) if cid in assessed else "-"
        assert row[cid] == expected
