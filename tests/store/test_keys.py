"""Keys go to the OS keyring when it really works, to an owner-only file only when IT allows it."""

from __future__ import annotations

import logging
import os
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
from tests.store.conftest import damage_newest_slot, event, tamper


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
    damage_newest_slot(tmp_path / "keys" / "head.a1", offset=44)
    reopened = keys.FileKeyStore(tmp_path / "keys")
    assert reopened.get("head.a1") == b"first" and reopened.torn("head.a1")
    reopened.put("head.a1", b"third")
    assert keys.FileKeyStore(tmp_path / "keys").get("head.a1") == b"third"
    assert not keys.FileKeyStore(tmp_path / "keys").torn("head.a1")


def test_the_head_record_advances_where_os_has_no_pwrite(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no ``os.pwrite``: the head must still follow every append there."""
    monkeypatch.delattr(os, "pwrite", raising=False)
    keyring.set_keyring(fail.Keyring())
    with Journal.open(data_dir, allow_file_key=True) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        journal.append("a1", [event(2), event(3)])
    store = keys.FileKeyStore(data_dir / keys.KEY_DIR)
    master = store.get(keys.MASTER_KEY)
    raw = store.get(keys.head_name("a1"))
    assert master is not None and raw is not None
    head = keys.decode_head(master, "a1", raw)
    assert head is not None and head.seq == 3


class TextModeDescriptors:
    """What the C runtime does on Windows to a descriptor opened without ``O_BINARY``: every
    ``\\n`` written becomes ``\\r\\n``. ``O_BINARY`` is given a value of its own so that the
    code under test can pass it; the real ``os.open`` gets the real flag (none on Linux)."""

    O_BINARY = 0x40000000

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.text_mode: set[int] = set()
        self.text_writes = 0
        self._open, self._write = os.open, os.write
        self._real_binary = getattr(os, "O_BINARY", 0)
        monkeypatch.setattr(os, "O_BINARY", self.O_BINARY, raising=False)
        monkeypatch.setattr(os, "open", self.open)
        monkeypatch.setattr(os, "write", self.write)

    def open(self, path: object, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        real = self._real_binary if flags & self.O_BINARY else 0
        fd = self._open(path, flags & ~self.O_BINARY | real, mode, **kwargs)  # type: ignore[arg-type]
        if not flags & self.O_BINARY:
            self.text_mode.add(fd)
        else:
            self.text_mode.discard(fd)
        return fd

    def write(self, fd: int, data: bytes | memoryview) -> int:
        if fd in self.text_mode:
            self.text_writes += 1
            self._write(fd, bytes(data).replace(b"\n", b"\r\n"))
            return len(data)
        return self._write(fd, data)


def test_key_files_are_written_byte_for_byte_under_a_text_mode_runtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = TextModeDescriptors(monkeypatch)
    store = keys.FileKeyStore(tmp_path / "keys")
    values = [b"first\nline", b"second\n\n", b"\n\r\nthird"]
    for value in values:
        store.put("head.a1", value)
        assert keys.FileKeyStore(tmp_path / "keys").get("head.a1") == value
    assert (tmp_path / "keys" / "head.a1").stat().st_size == 1024
    assert runtime.text_writes == 0


def test_a_new_key_file_is_whole_and_any_blank_slot_counts_as_torn(tmp_path: Path) -> None:
    """Zeros look like a slot never written; a key file has none once created, so zeroing
    the newest slot cannot pass for an old, quiet file."""
    store = keys.FileKeyStore(tmp_path / "keys")
    store.put("head.a1", b"only")
    assert store.get("head.a1") == b"only" and not store.torn("head.a1")
    path = tmp_path / "keys" / "head.a1"
    data = bytearray(path.read_bytes())
    data[512:] = bytes(512)
    path.write_bytes(bytes(data))
    assert store.get("head.a1") == b"only" and store.torn("head.a1")
