"""A receipt signed with the public demo server key proves the delivery of a demo attempt
only: a PC pinned to a server that signs with that key (anyone can run one) keeps its real
attempts unacknowledged."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from pixdesk import crypto, trust
from pixdesk.demo import load_demo
from pixdesk.exam import LiveAttempt
from pixdesk.store.journal import Journal
from pixdesk.store.outbox_state import OutboxState
from pixdesk.sync import protocol
from pixdesk.sync.device import ServerPin, load_or_create_device, open_device_store
from pixdesk.sync.outbox import Outbox

REPO = Path(__file__).resolve().parents[2]
DEMO_SERVER = crypto.signing_key_from_bytes(
    trust.read_key_file(REPO / "resources/keys/demo-server.key")
)


def receipt_for(body: dict[str, Any], key: Any = DEMO_SERVER) -> dict[str, Any]:
    last = body["events"][-1]
    receipt = protocol.Receipt(
        attempt_id=body["attempt_id"], acked_through_seq=last["seq"], head_hash=last["hash"],
        received_at="2027-03-02T10:00:00.000Z",
        server_key_id=crypto.key_id(crypto.public_key_bytes(key)),
    )
    return dict(protocol.sign_receipt(key, receipt))


class DemoKeyServer:
    """What a server running with the demo key answers: a well-formed, correctly signed
    receipt for whatever it is sent (the network side only; the outbox is the real one)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def post_events(self, body: dict[str, Any]) -> dict[str, Any]:
        self.bodies.append(body)
        return receipt_for(body)


def outbox_with_one_attempt(tmp_path: Path, *, demo: bool) -> tuple[Outbox, Journal]:
    journal = Journal.open(tmp_path, demo=demo)
    bundle = load_demo()
    session = dataclasses.replace(bundle.session, demo=demo)
    LiveAttempt.check_in(journal, bundle.content, session, session.candidates[0],
                         attempt_id="att-1", seed=3)
    device = load_or_create_device(open_device_store(tmp_path), journal.device_id)
    public = crypto.public_key_bytes(DEMO_SERVER)
    pin = ServerPin("https://rogue.example", crypto.key_id(public), public,
                    crypto.sealing_public_bytes(crypto.new_sealing_key()), "DEMO")
    outbox = Outbox(journal, OutboxState(journal.path), DemoKeyServer(),  # type: ignore[arg-type]
                    device, pin)
    return outbox, journal


def test_a_real_attempt_acknowledged_with_the_demo_key_stays_unacknowledged(
    tmp_path: Path,
) -> None:
    outbox, journal = outbox_with_one_attempt(tmp_path, demo=False)
    try:
        [report] = outbox.sync_all()
        assert report.error is not None and report.error.code == "sync.demo_key_receipt"
        assert report.acked_through_seq == 0 and not report.done
    finally:
        journal.close()


def test_a_demo_attempt_may_be_acknowledged_with_the_demo_key(tmp_path: Path) -> None:
    outbox, journal = outbox_with_one_attempt(tmp_path, demo=True)
    try:
        [report] = outbox.sync_all()
        assert report.error is None and report.acked_through_seq == report.head_seq > 0
    finally:
        journal.close()


def test_verify_receipt_refuses_the_demo_key_unless_the_attempt_is_a_demo() -> None:
    body = {"attempt_id": "a", "events": [{"seq": 1, "hash": "00" * 32}]}
    signed = receipt_for(body)
    public = crypto.public_key_bytes(DEMO_SERVER)
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.verify_receipt(public, signed)
    assert caught.value.code == "sync.demo_key_receipt"
    assert protocol.verify_receipt(public, signed, demo_attempt=True)["acked_through_seq"] == 1
    other = crypto.new_signing_key()
    assert protocol.verify_receipt(crypto.public_key_bytes(other), receipt_for(body, other))
