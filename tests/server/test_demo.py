"""A server without ``--accept-demo`` takes nothing demo (issue 13): no demo attempt or
result, no demo session issued or handed out, even from a database where a rehearsal
server once stored them; and a PC cannot pass a demo attempt off as a real one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pixdesk.content.package import demo_content_key
from pixdesk.demo import load_demo
from pixdesk.errors import UsageError
from pixdesk.server.config import demo_package_path
from pixdesk.server.sessions import create_session, generate_password
from pixdesk.sync import protocol
from tests.server.conftest import (
    BOTH_DATABASES,
    Record,
    Serve,
    enrol_and_record,
    start_server,
    stored_attempt,
)


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
