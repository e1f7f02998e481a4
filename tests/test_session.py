"""Session files: a demo server key (its private half is public) signs demo sessions only."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pixdesk import crypto, demo, trust
from pixdesk.session import SessionError, load_session, sign_session

REPO = Path(__file__).resolve().parents[1]
DEMO_SERVER = crypto.signing_key_from_bytes(
    trust.read_key_file(REPO / "resources/keys/demo-server.key")
)


def issue(path: Path, *, is_demo: bool) -> Path:
    shipped = load_session(demo.session_path(), trust.shipped_keys(trust.Role.SERVER))
    session = dataclasses.replace(shipped, demo=is_demo, demo_access_code="",
                                  demo_invigilator_password="")
    path.write_text(json.dumps(sign_session(session, DEMO_SERVER)), encoding="utf-8")
    return path


def test_a_real_session_signed_with_the_public_demo_key_is_refused(tmp_path: Path) -> None:
    forged = issue(tmp_path / "real.pixsession", is_demo=False)
    with pytest.raises(SessionError) as caught:
        load_session(forged, trust.shipped_keys(trust.Role.SERVER))
    assert caught.value.code == "session.demo_key_real_session"
    assert "démonstration" in caught.value.fr and "demo key" in caught.value.en


def test_a_demo_session_signed_with_the_demo_key_loads(tmp_path: Path) -> None:
    session = load_session(issue(tmp_path / "demo.pixsession", is_demo=True),
                           trust.shipped_keys(trust.Role.SERVER))
    assert session.demo and session.id == "DEMO-0001"
