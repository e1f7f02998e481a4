"""The invigilator command key: only the password unlocks it, and only for its session."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pixdesk import crypto
from pixdesk.content.package import demo_content_key
from pixdesk.room.keys import RoomError, RoomTrust, unlock_command_key
from pixdesk.server.config import ServerConfig, demo_package_path
from pixdesk.server.sessions import create_session
from pixdesk.session import Candidate, load_session, sign_session
from pixdesk.sync import protocol
from tests.room.conftest import PASSWORD, Pc, room_session
from tests.server.conftest import Device, start_server


def test_the_password_unlocks_the_command_key_however_it_is_typed() -> None:
    session = room_session([Pc("pc1")])
    key = unlock_command_key(session, "k7m2 pq4x 9tr")
    assert crypto.public_key_bytes(key) == RoomTrust.from_session(session).command_public_key


def test_a_wrong_password_leaves_the_command_key_locked() -> None:
    with pytest.raises(RoomError) as caught:
        unlock_command_key(room_session([Pc("pc1")]), "K7M2-PQ4X-9TS")
    assert caught.value.code == "room.bad_password"


def test_a_sealed_command_key_moved_to_another_session_does_not_open() -> None:
    donor = room_session([Pc("pc1")])
    moved = dataclasses.replace(room_session([Pc("pc1")], session_id="4200002"),
                                room_console=donor.room_console)
    with pytest.raises(RoomError) as caught:
        unlock_command_key(moved, PASSWORD)
    assert caught.value.code == "room.bad_password"


def test_a_session_without_command_key_refuses_the_console() -> None:
    old = dataclasses.replace(room_session([Pc("pc1")]), room_console={})
    with pytest.raises(RoomError) as caught:
        RoomTrust.from_session(old)
    assert caught.value.code == "room.no_command_key"
    with pytest.raises(RoomError) as caught:
        unlock_command_key(old, PASSWORD)
    assert caught.value.code == "room.no_command_key"


def test_a_session_issued_before_the_console_keeps_its_signed_bytes(tmp_path: Path) -> None:
    server_key = crypto.new_signing_key()
    old = dataclasses.replace(room_session([Pc("pc1")]), room_console={})
    document = sign_session(old, server_key)
    assert "room_console" not in document["session"]
    path = tmp_path / "old.pixsession"
    path.write_text(json.dumps(document), encoding="utf-8")
    public = crypto.public_key_bytes(server_key)
    assert load_session(path, {crypto.key_id(public): public}) == old


def test_the_server_issues_the_command_key_and_the_enrolled_pcs_signing_keys(
    tmp_path: Path,
) -> None:
    server = start_server(ServerConfig(data_dir=tmp_path / "server", accept_demo=True))
    try:
        early, late = Device(), Device()
        assert early.enrol(server).status_code == 201
        document = create_session(
            server.state, package=demo_package_path(), content_key=demo_content_key(),
            centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
            candidates=(Candidate("c1", "Durand", "Zoé", "2009-02-11"),),
            access_code="BKQT47", invigilator_password=PASSWORD,
        )
        path = tmp_path / "s.pixsession"
        path.write_text(json.dumps(document), encoding="utf-8")
        public = crypto.b64d(server.meta()["signing_public_key"])
        issued = load_session(path, {crypto.key_id(public): public})
        trust = RoomTrust.from_session(issued)
        assert trust.device_keys == {early.device_id: crypto.public_key_bytes(early.signing)}
        key = unlock_command_key(issued, PASSWORD)
        assert crypto.public_key_bytes(key) == trust.command_public_key
        assert PASSWORD.replace("-", "") not in path.read_text(encoding="utf-8")

        assert late.enrol(server).status_code == 201
        served = late.get(server, protocol.session_path(issued.id)).json()
        path.write_text(json.dumps(served), encoding="utf-8")
        reissued = RoomTrust.from_session(load_session(path, {crypto.key_id(public): public}))
        assert reissued.command_public_key == trust.command_public_key
        assert reissued.device_keys[late.device_id] == crypto.public_key_bytes(late.signing)
        assert set(reissued.device_keys) == {early.device_id, late.device_id}
    finally:
        server.stop()
