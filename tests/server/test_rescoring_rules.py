"""The server re-scores an attempt under the rules it was sat under: two demo attempts
journalled before rules 2 (engine of commit 26fa4c2) keep their results when a PC running
today's PixDesk sends them, even though rules 2 would score the same answers differently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pixdesk import crypto
from pixdesk.engine.attempt import Event, Kind
from pixdesk.exam import to_new_event
from pixdesk.store.journal import Journal
from pixdesk.sync import protocol
from tests.server.conftest import Device, Recorded, Serve, raw_records, result_row

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "rules1_demo_attempts.json").read_text(encoding="utf-8")
)
"""v3-demo (demo-1) and v2-demo (demo-4: 16 competences at level 6, two right answers of
three everywhere, 67 %): under rules 1 the v2 levels were capped at 5 then lowered to 4
(16 × 32 = 512 Pix); rules 2 lowers 6 to 5 then caps (16 × 40 = 640)."""


def _journalled(tmp_path: Path, server_sealing: bytes, record: dict[str, Any]) -> Recorded:
    """The recorded events written by today's client journal, as a PC would send them."""
    events = [Event(Kind(e["kind"]), e["payload"], e["used_ms"], e["wall_ms"])
              for e in record["events"]]
    started = events[0].payload
    attempt_id = str(started["attempt_id"])
    data_dir = tmp_path / attempt_id
    data_dir.mkdir()
    with Journal.open(data_dir, demo=True) as journal:
        journal.create_attempt(attempt_id, {
            "session_id": started["session_id"], "candidate_id": started["candidate_id"],
            "version_id": started["version_id"], "package_id": started["package_id"],
            "demo": True,
        })
        journal.append(attempt_id, [to_new_event(e) for e in events])
        sealed = journal.seal_for_server(attempt_id, server_sealing)
        meta = journal.attempts()[0].meta
    return Recorded(attempt_id, meta, crypto.b64e(sealed),
                    raw_records(data_dir / "journal.db", attempt_id), record["result"])


@pytest.mark.parametrize("record", RECORDED, ids=[r["version_id"] for r in RECORDED])
def test_an_attempt_sat_under_rules_1_is_rescored_to_its_old_result(
    serve: Serve, tmp_path: Path, record: dict[str, Any]
) -> None:
    assert "rules" not in record["events"][0]["payload"]
    server = serve(accept_demo=True)
    device = Device(centre_id="DEMO")
    device.enrol(server)
    attempt = _journalled(tmp_path, crypto.b64d(server.meta()["sealing_public_key"]), record)
    sent = device.post(server, protocol.events_path(attempt.attempt_id), attempt.body(device))
    assert sent.status_code == 200, sent.text
    claimed = device.post(server, protocol.result_path(attempt.attempt_id),
                          {"attempt_id": attempt.attempt_id, "result": record["result"]})
    assert claimed.json() == {"accepted": True, "rescored": record["result"], "match": True}
    assert result_row(server, attempt.attempt_id)["rescored"] == record["result"]
