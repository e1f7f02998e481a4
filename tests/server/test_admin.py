"""Operator side: session files, CSV export, certificates, emergency import, the CLI."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from pixdesk import crypto
from pixdesk.content.package import demo_content_key, write_key_file
from pixdesk.errors import UsageError
from pixdesk.server import cli
from pixdesk.server.certificate import CODE_ALPHABET, issue_certificate
from pixdesk.server.config import demo_package_path
from pixdesk.server.csv_export import COLUMNS, export_csv
from pixdesk.server.ingest import import_export_file
from pixdesk.server.models import SessionRecord
from pixdesk.server.sessions import create_session, read_candidates
from pixdesk.session import ACCESS_CODE_RE, Session, load_session
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Device,
    Record,
    Recorded,
    RunningServer,
    Serve,
    enrol_and_record,
    finalised,
)

CANDIDATES = (
    "id;last_name;first_name;birth_date;birth_place;external_id;extra_time_percentage\n"
    "c1;Durand;Zoé;2009-02-11;Brest;INE-1;0\n"
    "c2;Lefèvre;Noé;2008-07-30;Pau;INE-2;33\n"
)


def _session(server: RunningServer, tmp_path: Path) -> dict[str, object]:
    candidates = tmp_path / "candidats.csv"
    candidates.write_text(CANDIDATES, encoding="utf-8")
    return create_session(
        server.state, package=demo_package_path(), content_key=demo_content_key(),
        centre_id="C1", centre_name="Lycée Jean Moulin", date="2026-06-12", room="B12",
        candidates=read_candidates(candidates), access_code="BKQT47",
        invigilator_password="K7M2-PQ4X-9TR",
    )


def test_a_weak_invigilator_password_is_refused_and_nothing_issued(
    serve: Serve, tmp_path: Path
) -> None:
    server = serve()
    candidates = tmp_path / "candidats.csv"
    candidates.write_text(CANDIDATES, encoding="utf-8")
    for weak in ("K7M2PQ", "SURV26", "K7M2-PQ4X-9T", "K7M2-PQ4X-9T!"):
        with pytest.raises(UsageError) as caught:
            create_session(
                server.state, package=demo_package_path(), content_key=demo_content_key(),
                centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
                candidates=read_candidates(candidates), access_code="BKQT47",
                invigilator_password=weak,
            )
        assert caught.value.code == "server.bad_password" and "11" in caught.value.en
    with DbSession(server.state.engine) as db:
        assert list(db.scalars(select(SessionRecord))) == []


def test_session_file_seals_the_content_key_to_each_enrolled_pc(
    serve: Serve, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    early, late, elsewhere = Device(), Device(), Device(centre_id="C9")
    early.enrol(server)
    elsewhere.enrol(server)
    document = _session(server, tmp_path)
    path = tmp_path / "s.pixsession"
    path.write_text(json.dumps(document), encoding="utf-8")
    public = crypto.b64d(server.meta()["signing_public_key"])
    issued = load_session(path, {crypto.key_id(public): public})
    assert issued.check_access_code("BKQT47")
    assert issued.check_invigilator_password("K7M2-PQ4X-9TR")
    assert issued.check_invigilator_password("k7m2 pq4x 9tr")
    assert [c.last_name for c in issued.candidates] == ["Durand", "Lefèvre"]
    assert set(issued.sealed_content_keys) == {early.device_id}
    aad = issued.package_id.encode()
    sealed = crypto.b64d(issued.sealed_content_keys[early.device_id])
    assert crypto.open_sealed(early.sealing, sealed, aad) == demo_content_key()

    late.enrol(server)
    served = late.get(server, protocol.session_path(issued.id))
    assert served.status_code == 200, served.text
    body = served.json()
    crypto.verify(public, crypto.b64d(body["signature"]), crypto.canonical_json(body["session"]))
    keys = Session.from_dict(body["session"]).sealed_content_keys
    assert crypto.open_sealed(late.sealing, crypto.b64d(keys[late.device_id]), aad) == (
        demo_content_key())
    refused = elsewhere.get(server, protocol.session_path(issued.id))
    assert (refused.status_code, refused.json()["error"]) == (403, "session.wrong_centre")


def _ingested(server: RunningServer, record: Record, *, right: float) -> Recorded:
    """An attempt of the demo centre's session, stored and re-scored by ``server``."""
    enrolled = enrol_and_record(server, record, centre_id="DEMO", right=right)
    enrolled.receipt()
    return enrolled.attempt


@BOTH_DATABASES
def test_csv_has_the_certification_format(serve: Serve, record: Record, tmp_path: Path) -> None:
    server = serve(accept_demo=True)
    attempt = _ingested(server, record, right=0.8)
    finalised(server, attempt.meta["session_id"])
    out = export_csv(server.state, attempt.meta["session_id"], tmp_path / "out",
                     datetime(2026, 6, 12, 17, 5)).path
    assert out.name == f"20260612_1705_resultats_session_{attempt.meta['session_id']}.csv"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0][8:24] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2",
                             "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2"]
    row = dict(zip(COLUMNS, rows[1], strict=True))
    result = attempt.result
    assert (row["Prénom"], row["Nom"], row["Date de naissance"]) == ("Léa", "Martin", "14/03/2009")
    expected_status = {"validated": "Validée", "rejected": "Rejetée"}[result["status"]]
    assert row["Statut"] == expected_status
    if result["status"] == "validated":
        assert row["Nombre de Pix"] == f"{result['level_name']} ({result['score']} Pix)"
        assert row["1.1"] in {"-", str(result["competence_levels"]["1.1"])}
    assert row["Session"] == attempt.meta["session_id"]
    assert row["Centre de certification"] == "Lycée de démonstration"
    assert len(rows) == 2


@BOTH_DATABASES
def test_certificate_is_one_page_with_a_stable_code(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    attempt = _ingested(server, record, right=1.0)
    assert attempt.result["status"] == "validated"
    finalised(server)
    pdf = tmp_path / "certificat.pdf"
    code = issue_certificate(server.state, attempt.attempt_id, pdf, date(2026, 6, 20))
    assert re.fullmatch(f"P-[{CODE_ALPHABET}]{{12}}", code)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    again = issue_certificate(server.state, attempt.attempt_id, tmp_path / "bis.pdf",
                              date(2027, 1, 1))
    assert again == code


@BOTH_DATABASES
def test_emergency_export_imports_once(serve: Serve, record: Record, tmp_path: Path) -> None:
    server = serve(accept_demo=True)
    enrolled = enrol_and_record(server, record, centre_id="DEMO")
    device, attempt = enrolled.device, enrolled.attempt

    def request(path: str, body: dict[str, object]) -> dict[str, object]:
        return {"path": path, "headers": device.headers("POST", path,
                                                        protocol.encode_body(body)),
                "body": body}

    events = protocol.events_path(attempt.attempt_id)
    export = {
        "format": protocol.EXPORT_FORMAT, "device_id": device.device_id, "created": "x",
        "batches": [request(events, attempt.body(device, 1, 30)),
                    request(events, attempt.body(device, 31))],
        "results": [request(protocol.result_path(attempt.attempt_id),
                            {"attempt_id": attempt.attempt_id, "result": attempt.result})],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    first = import_export_file(server.state, path)
    assert (first.accepted, first.refused) == (3, [])
    events_before, receipts_before = server.count("events"), server.count("receipts")
    second = import_export_file(server.state, path)
    assert (second.accepted, second.refused) == (3, [])
    assert (server.count("events"), server.count("receipts")) == (events_before,
                                                                  receipts_before)
    assert events_before == len(attempt.records)


def test_cli_issues_tokens_and_sessions_with_generated_codes(
    tmp_path: Path, capsys: object
) -> None:
    data = tmp_path / "srv"
    assert cli.main(["enrol-token", "--data-dir", str(data), "--centre", "C1"]) == 0
    key = tmp_path / "content.key"
    write_key_file(key, demo_content_key())
    candidates = tmp_path / "c.csv"
    candidates.write_text(CANDIDATES.replace(";", ","), encoding="utf-8")
    out = tmp_path / "s.pixsession"
    code = cli.main(["create-session", "--data-dir", str(data), "--package",
                     str(demo_package_path()), "--content-key", str(key), "--centre", "C1",
                     "--date", "2026-06-12", "--room", "B12", "--candidates", str(candidates),
                     "--out", str(out), "--accept-demo"])
    assert code == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    access = re.search(r"access code: (\S+)", printed)
    assert access is not None and ACCESS_CODE_RE.match(access.group(1))
    assert json.loads(out.read_text(encoding="utf-8"))["session"]["centre_id"] == "C1"
    assert (data / "server-signing.key").stat().st_mode & 0o777 == 0o600


def test_certificate_renders_to_png(serve: Serve, record: Record, tmp_path: Path) -> None:
    server = serve(accept_demo=True)
    attempt = _ingested(server, record, right=1.0)
    finalised(server)
    pdf = tmp_path / "c.pdf"
    issue_certificate(server.state, attempt.attempt_id, pdf, date(2026, 6, 20))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")],
                   check=True)
    assert len(list(tmp_path.glob("page*.png"))) == 1
