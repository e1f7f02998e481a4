"""Device lifecycle (issue 13): enrolment tokens that expire, PCs that can be revoked and
are then refused on every route by every worker within seconds."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from pixdesk.content.package import demo_content_key
from pixdesk.demo import load_demo
from pixdesk.errors import EXIT_OK, EXIT_USAGE, UsageError
from pixdesk.server import cli
from pixdesk.server.config import DEFAULT_TOKEN_HOURS, demo_package_path
from pixdesk.server.sessions import create_session, generate_password, new_enrol_token
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Device,
    Enrolled,
    RunningServer,
    Serve,
    free_port,
    stored_attempt,
)

ROOT = Path(__file__).resolve().parents[2]


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _set_token(server: RunningServer, column: str, value: str | None) -> None:
    with server.state.engine.begin() as conn:
        conn.execute(text(f"UPDATE enrol_tokens SET {column} = :v"), {"v": value})


def _db_args(server: RunningServer) -> list[str]:
    config = server.state.config
    return ["--data-dir", str(config.data_dir)] + (
        ["--db", config.db_url] if config.db_url else [])


@BOTH_DATABASES
def test_enrolment_token_expires_after_72_hours_by_default(serve: Serve) -> None:
    server = serve()
    token = new_enrol_token(server.state, "C1")
    with server.state.engine.connect() as conn:
        created, expires = conn.execute(
            text("SELECT created_at, expires_at FROM enrol_tokens")).one()
    assert datetime.fromisoformat(expires) - datetime.fromisoformat(created) == timedelta(
        hours=DEFAULT_TOKEN_HOURS)

    _set_token(server, "expires_at", _stamp(datetime.now(UTC) - timedelta(seconds=1)))
    late = Device().enrol(server, token)
    assert (late.status_code, late.json()["error"]) == (403, "enrol.token_expired")
    assert server.count("devices") == 0
    with server.state.engine.connect() as conn:
        assert conn.execute(text("SELECT used_at FROM enrol_tokens")).scalar_one() is None


@BOTH_DATABASES
def test_token_made_before_expiries_were_stored_expires_72_hours_after_its_creation(
    serve: Serve
) -> None:
    server = serve()
    token = new_enrol_token(server.state, "C1")
    _set_token(server, "expires_at", None)
    _set_token(server, "created_at", _stamp(datetime.now(UTC) - timedelta(hours=73)))
    old = Device().enrol(server, token)
    assert (old.status_code, old.json()["error"]) == (403, "enrol.token_expired")
    _set_token(server, "created_at", _stamp(datetime.now(UTC) - timedelta(hours=71)))
    assert Device().enrol(server, token).status_code == 201


def test_token_validity_is_chosen_when_it_is_made(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve()
    assert cli.main(["enrol-token", "--centre", "C1", "--valid-hours", "5",
                     *_db_args(server)]) == EXIT_OK
    token = capsys.readouterr().out.strip()
    with server.state.engine.connect() as conn:
        created, expires = conn.execute(
            text("SELECT created_at, expires_at FROM enrol_tokens")).one()
    assert datetime.fromisoformat(expires) - datetime.fromisoformat(created) == timedelta(
        hours=5)
    assert Device().enrol(server, token).status_code == 201
    for wrong in (0, 24 * 365):
        with pytest.raises(UsageError) as refused:
            new_enrol_token(server.state, "C1", wrong)
        assert refused.value.code == "server.bad_token_validity"
    assert server.count("enrol_tokens") == 1


def _refused_as_revoked(answer: requests.Response) -> bool:
    return answer.status_code == 403 and answer.json()["error"] == "device.revoked"


@BOTH_DATABASES
def test_revoked_pc_is_refused_on_every_route_and_left_out_of_new_sessions(
    enrolled: Enrolled, capsys: pytest.CaptureFixture[str]
) -> None:
    server, pc = enrolled.server, enrolled.device
    enrolled.receipt(1, 10)
    colleague = Device(centre_id="DEMO")
    assert colleague.enrol(server).status_code == 201

    assert cli.main(["revoke-device", pc.device_id, "--reason", "poste volé",
                     *_db_args(server)]) == EXIT_OK
    assert "device revoked" in capsys.readouterr().out
    deadline = time.monotonic() + 5
    while not _refused_as_revoked(pc.get(server, protocol.session_path("DEMO-0001"))):
        assert time.monotonic() < deadline, "the revocation never reached the server"
        time.sleep(0.1)

    assert _refused_as_revoked(enrolled.send(11))
    assert _refused_as_revoked(enrolled.claim(enrolled.attempt.result))
    assert stored_attempt(server, enrolled.attempt.attempt_id) == {"head_seq": 10}
    with server.state.engine.connect() as conn:
        revoked_at, reason = conn.execute(
            text("SELECT revoked_at, revoked_reason FROM devices WHERE device_id = :d"),
            {"d": pc.device_id}).one()
    assert reason == "poste volé"

    assert cli.main(["revoke-device", pc.device_id, *_db_args(server)]) == EXIT_OK
    assert "already revoked" in capsys.readouterr().out
    with server.state.engine.connect() as conn:
        assert conn.execute(text("SELECT revoked_at FROM devices WHERE device_id = :d"),
                            {"d": pc.device_id}).scalar_one() == revoked_at

    document = create_session(
        server.state, package=demo_package_path(), content_key=demo_content_key(),
        centre_id="DEMO", centre_name="Lycée", date="2026-06-12", room="B12",
        candidates=load_demo().session.candidates, access_code="BKQT47",
        invigilator_password=generate_password(),
    )
    assert set(document["session"]["sealed_content_keys"]) == {colleague.device_id}


def test_revoking_an_unknown_device_changes_nothing(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve()
    assert cli.main(["revoke-device", "no-such-pc", *_db_args(server)]) == EXIT_USAGE
    assert "[server.unknown_device]" in capsys.readouterr().err
    assert server.count("devices") == 0


def test_revocation_reaches_every_worker_within_5_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``serve --workers 3``: the workers have the PC in their caches before it is revoked
    (30 requests, each on a new connection); 5 s later every request, whichever worker
    takes it, is refused."""
    data_dir, port = tmp_path / "srv", free_port()
    url = f"http://127.0.0.1:{port}"
    assert cli.main(["enrol-token", "--centre", "DEMO", "--data-dir", str(data_dir)]) == 0
    token = capsys.readouterr().out.strip()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("pixdesk-server")), "serve", "--workers", "3",
         "--accept-demo", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + protocol.HEALTH_PATH, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        pc = Device(centre_id="DEMO")
        enrolled = requests.post(url + protocol.DEVICES_PATH, json=pc.enrol_body(token),
                                 timeout=10)
        assert enrolled.status_code == 201, enrolled.text
        path = protocol.session_path("DEMO-0001")

        def ask() -> requests.Response:
            return requests.get(url + path, headers=pc.headers("GET", path, b""), timeout=10)

        assert [ask().status_code for _ in range(30)] == [200] * 30
        assert cli.main(["revoke-device", pc.device_id, "--data-dir", str(data_dir)]) == 0
        time.sleep(5)
        answers = [ask() for _ in range(30)]
        assert all(_refused_as_revoked(a) for a in answers), [a.status_code for a in answers]
    finally:
        server.terminate()
        server.wait(timeout=30)
