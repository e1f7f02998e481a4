"""The console trusts a PC's status only under that PC's own device key."""

from __future__ import annotations

from typing import Any

import pytest

from pixdesk import crypto
from pixdesk.room.keys import RoomError
from pixdesk.room.status import (
    APPLIED,
    Ack,
    PcState,
    Status,
    open_ack,
    open_status,
    sign_ack,
    sign_status,
)
from tests.room.conftest import SESSION_ID, Pc, room_session, trust_of

PCS = [Pc("pc1"), Pc("pc2")]
TRUST = trust_of(room_session(PCS))
STATE = PcState(state="running", candidate_id="c0", answered=12, total=32,
                remaining_ms=1_500_000, extra_time_percentage=33.0, added_minutes=5,
                item_id="rec42", alerts=("focus_lost",))


def _status(device: str = "pc1", session_id: str = SESSION_ID, pc: PcState = STATE) -> Status:
    return Status(session_id, device, 1, 1000, 4, pc)


def _refusal(message: Any) -> str:
    with pytest.raises(RoomError) as caught:
        open_status(message, TRUST)
    return caught.value.code


def test_a_status_signed_by_its_pc_is_read_back_whole() -> None:
    assert open_status(sign_status(PCS[0].key, _status()), TRUST) == _status()


def test_a_pc_cannot_speak_for_another() -> None:
    assert _refusal(sign_status(PCS[1].key, _status("pc1"))) == "room.bad_signature"


def test_an_altered_status_is_refused() -> None:
    message = sign_status(PCS[0].key, _status())
    message["status"]["pc"]["answered"] = 31
    assert _refusal(message) == "room.bad_signature"


def test_a_pc_unknown_to_the_session_is_refused() -> None:
    stranger = crypto.new_signing_key()
    assert _refusal(sign_status(stranger, _status("pc9"))) == "room.unknown_device"


def test_a_status_of_another_session_is_refused() -> None:
    assert _refusal(sign_status(PCS[0].key, _status(session_id="4200002"))) == (
        "room.wrong_session")


@pytest.mark.parametrize("message", [None, {}, {"status": [], "signature": ""},
                                     {"status": {"session_id": SESSION_ID}, "signature": ""}])
def test_a_malformed_status_is_refused(message: Any) -> None:
    assert _refusal(message) == "room.malformed"


def test_a_signed_status_with_an_unknown_state_is_refused() -> None:
    bad = _status(pc=PcState(state="hacked"))
    assert _refusal(sign_status(PCS[0].key, bad)) == "room.malformed"


def test_an_ack_is_checked_like_a_status() -> None:
    ack = Ack(SESSION_ID, "pc2", "n1", 3, APPLIED, "")
    assert open_ack(sign_ack(PCS[1].key, ack), TRUST) == ack
    with pytest.raises(RoomError) as caught:
        open_ack(sign_ack(PCS[0].key, ack), TRUST)
    assert caught.value.code == "room.bad_signature"
