"""Keys go to the OS keyring when it really works, to a 0600 file only when IT allows it."""

from __future__ import annotations

import logging
import stat
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from pixdesk.errors import KeyStoreError
from pixdesk.store import keys
from pixdesk.store.journal import DB_FILE, Journal
from tests.conftest import MemoryKeyring
from tests.store.conftest import event, tamper


class ForgetfulKeyring(KeyringBackend):
    """Accepts every write and stores nothing, like some headless Secret Service setups."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


def test_the_master_key_lives_in_the_keyring(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    with Journal.open(data_dir) as journal:
        assert journal.describe_keys() == "keyring"
    username = f"master-key:{keys.data_dir_scope(data_dir)}"
    assert ("pixdesk", username) in memory_keyring.secrets
    assert not (data_dir / keys.KEY_DIR).exists()


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), ForgetfulKeyring()])
def test_an_unusable_keyring_refuses_a_real_exam(data_dir: Path, backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    with pytest.raises(KeyStoreError) as raised:
        Journal.open(data_dir)
    assert raised.value.code == "keys.no_keyring"
    assert "allow_file_key" in raised.value.message("fr")
    assert not (data_dir / DB_FILE).exists()


@pytest.mark.parametrize("setting", [{"allow_file_key": True}, {"demo": True}])
def test_a_key_file_is_used_when_allowed_and_is_owner_only(
    data_dir: Path, setting: dict[str, bool], caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(fail.Keyring())
    with caplog.at_level(logging.WARNING), Journal.open(data_dir, **setting) as journal:
        assert journal.describe_keys() == "file"
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
    assert "degraded security" in caplog.text
    key_file = data_dir / keys.KEY_DIR / keys.MASTER_KEY
    if sys.platform != "win32":  # Windows has no modes: the per-user folder's ACL protects it
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    master = keys.FileKeyStore(key_file.parent).get(keys.MASTER_KEY)
    assert master is not None and len(master) == 32
    with Journal.open(data_dir, **setting) as journal:
        assert [e.seq for e in journal.events("a1")] == [1]


def test_file_mode_also_keeps_head_records(data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    with Journal.open(data_dir, allow_file_key=True) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1), event(2)])
    tamper(data_dir, "DELETE FROM events WHERE seq=2")
    tamper(data_dir, "UPDATE attempts SET head_seq=1")
    with Journal.open(data_dir, allow_file_key=True) as journal:
        broken = journal.verify().first_break
    assert broken is not None and (broken.seq, broken.what) == (2, "truncated")


def test_head_records_are_bound_to_their_attempt() -> None:
    master = bytes(range(32))
    head = keys.HeadRecord(7, b"\x01" * 32, 12)
    encoded = keys.encode_head(master, "a1", head)
    assert keys.decode_head(master, "a1", encoded) == head
    assert keys.decode_head(master, "a2", encoded) is None
    assert keys.decode_head(bytes(32), "a1", encoded) is None
    forged = encoded[:32] + encoded[32:].replace(b"7", b"9", 1)
    assert keys.decode_head(master, "a1", forged) is None


def test_a_failing_keyring_after_start_does_not_lose_an_answer(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    """Answers never depend on the keyring at write time; the head just lags behind."""
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        keyring.set_keyring(fail.Keyring())
        assert journal.append("a1", [event(2)])[-1].seq == 2
        keyring.set_keyring(memory_keyring)
        assert journal.verify().ok


def test_a_torn_key_file_write_falls_back_to_the_previous_value(tmp_path: Path) -> None:
    store = keys.FileKeyStore(tmp_path / "keys")
    store.put("head.a1", b"first")
    store.put("head.a1", b"second")
    assert store.get("head.a1") == b"second"
    assert keys.FileKeyStore(tmp_path / "keys").get("head.a1") == b"second"
    path = tmp_path / "keys" / "head.a1"
    data = bytearray(path.read_bytes())
    data[512 + 44] ^= 0xFF  # the second write went to slot 1: damage its value
    path.write_bytes(bytes(data))
    reopened = keys.FileKeyStore(tmp_path / "keys")
    assert reopened.get("head.a1") == b"first"
    reopened.put("head.a1", b"third")
    assert keys.FileKeyStore(tmp_path / "keys").get("head.a1") == b"third"
