"""A server without ``--accept-demo`` takes nothing demo (issue 13): no demo attempt or
result, no demo session issued or handed out, even from a database where a rehearsal
server once stored them; and a PC cannot pass a demo attempt off as a real one. Files
forged with the demo private keys (public in ``resources/keys/``) that claim to be real
are refused by every server path that reads them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto, trust
from pixdesk.content.package import demo_content_key, write_key_file
from pixdesk.demo import load_demo
from pixdesk.errors import EXIT_OK, ContentError, UsageError
from pixdesk.server import cli
from pixdesk.server.config import ContentSource, ServerConfig, ServerState, demo_package_path
from pixdesk.server.sessions import create_session, generate_password, import_demo_session
from pixdesk.session import SessionError, sign_session
from pixdesk.sync import protocol
from tests.content.conftest import write_mini_source
from tests.content.test_package import forge, payload_of
from tests.server.conftest import (
    BOTH_DATABASES,
    Record,
    Serve,
    enrol_and_record,
    start_server,
    stored_attempt,
)

REPO = Path(__file__).resolve().parents[2]


@BOTH_DATABASES
def test_real_server_on_a_rehearsal_database_refuses_its_demo_attempts_results_and_session(
    serve: Serve, record: Record
) -> None:
    rehearsal = serve(accept_demo=True)
    pc = enrol_and_record(rehearsal, record)
    pc.receipt(1, 30)
    newcomer = enrol_and_record(rehearsal, record, seed=3)
    rehearsal.served.stop()
    real = start_server(replace(rehearsal.state.config, accept_demo=False))
    try:
        more = pc.device.post(real, pc.events_path, pc.attempt.body(pc.device, 31))
        assert (more.status_code, more.json()["error"]) == (403, "attempt.demo_refused")
        claim = pc.device.post(real, protocol.result_path(pc.attempt.attempt_id),
                               {"attempt_id": pc.attempt.attempt_id, "result": pc.attempt.result})
        assert (claim.status_code, claim.json()["error"]) == (403, "attempt.demo_refused")
        served = pc.device.get(real, protocol.session_path("DEMO-0001"))
        assert (served.status_code, served.json()["error"]) == (403, "session.demo_refused")

        disguised = newcomer.attempt.body(newcomer.device) | {
            "meta": newcomer.attempt.meta | {"demo": False}}
        answer = newcomer.device.post(real, newcomer.events_path, disguised)
        assert (answer.status_code, answer.json()["error"]) == (422, "attempt.meta_mismatch")

        assert stored_attempt(real, pc.attempt.attempt_id) == {"head_seq": 30}
        assert stored_attempt(real, newcomer.attempt.attempt_id) is None
        assert (real.count("attempts"), real.count("events"), real.count("results")) == (
            1, 30, 0)
    finally:
        real.stop()


def test_demo_package_makes_no_session_without_accept_demo(serve: Serve) -> None:
    server = serve()
    with pytest.raises(UsageError) as refused:
        create_session(
            server.state, package=demo_package_path(), content_key=demo_content_key(),
            centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
            candidates=load_demo().session.candidates, access_code="BKQT47",
            invigilator_password=generate_password(),
        )
    assert refused.value.code == "server.demo_refused"
    assert server.count("sessions") == 0


def _demo_signer(name: str) -> Ed25519PrivateKey:
    return crypto.signing_key_from_bytes(trust.read_key_file(REPO / "resources/keys" / name))


@pytest.fixture
def forged_package(tmp_path: Path) -> tuple[Path, Path]:
    """A real-looking (``demo: false``) package signed with the public demo authority key,
    and its content key file."""
    key = crypto.random_key()
    package, key_file = tmp_path / "forged.pixpkg", tmp_path / "forged.key"
    forge(package, payload_of(write_mini_source(tmp_path / "src")),
          _demo_signer("demo-content-authority.key"), key)
    write_key_file(key_file, key)
    return package, key_file


def test_server_will_not_rescore_with_a_real_package_signed_by_the_demo_key(
    tmp_path: Path, forged_package: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    package, key = forged_package
    config = ServerConfig(tmp_path / "srv", accept_demo=True,
                          contents=(ContentSource(package, key),))
    with pytest.raises(ContentError) as refused:
        ServerState.open(config)
    assert refused.value.code == "content.demo_key_real_package"
    assert cli.main(["import", str(tmp_path / "export.json"), "--data-dir",
                     str(tmp_path / "srv"), "--content", str(package), "--content-key",
                     str(key)]) != EXIT_OK
    assert "[content.demo_key_real_package]" in capsys.readouterr().err


def test_server_issues_no_session_for_a_real_package_signed_by_the_demo_key(
    serve: Serve, forged_package: tuple[Path, Path]
) -> None:
    package, key = forged_package
    server = serve()
    with pytest.raises(ContentError) as refused:
        create_session(
            server.state, package=package, content_key=trust.read_key_file(key),
            centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
            candidates=load_demo().session.candidates, access_code="BKQT47",
            invigilator_password=generate_password(),
        )
    assert refused.value.code == "content.demo_key_real_package"
    assert server.count("sessions") == 0


def test_server_imports_no_real_session_signed_by_the_demo_key(
    serve: Serve, tmp_path: Path
) -> None:
    server = serve()
    real = replace(load_demo().session, id="S-FORGED", demo=False, demo_access_code="",
                   demo_invigilator_password="")
    forged = tmp_path / "forged.pixsession"
    forged.write_text(json.dumps(sign_session(real, _demo_signer("demo-server.key"))),
                      encoding="utf-8")
    with pytest.raises(SessionError) as refused:
        import_demo_session(server.state, forged)
    assert refused.value.code == "session.demo_key_real_session"
    assert server.count("sessions") == 0
