"""One loader of trusted public keys, by role, knowing which shipped keys are demo keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pixdesk import crypto, trust
from pixdesk.errors import ContentError
from pixdesk.trust import Role

REPO = Path(__file__).resolve().parents[1]


def public_of(private_file: Path) -> bytes:
    return crypto.public_key_bytes(
        crypto.signing_key_from_bytes(trust.read_key_file(private_file))
    )


def test_each_shipped_demo_key_is_a_demo_key_of_its_own_role_only() -> None:
    authority = public_of(REPO / "resources/keys/demo-content-authority.key")
    server = public_of(REPO / "resources/keys/demo-server.key")
    assert trust.shipped_keys(Role.CONTENT_AUTHORITY) == {crypto.key_id(authority): authority}
    assert trust.shipped_keys(Role.SERVER) == {crypto.key_id(server): server}
    assert trust.is_demo_key(Role.CONTENT_AUTHORITY, crypto.key_id(authority))
    assert trust.is_demo_key(Role.SERVER, crypto.key_id(server))
    assert not trust.is_demo_key(Role.SERVER, crypto.key_id(authority))
    assert not trust.is_demo_key(Role.CONTENT_AUTHORITY, crypto.key_id(server))


def test_without_demo_no_shipped_key_is_trusted() -> None:
    assert trust.shipped_keys(Role.CONTENT_AUTHORITY, demo=False) == {}
    assert trust.trusted_keys(Role.SERVER, demo=False) == {}


def test_folder_keys_are_added_by_id_and_other_files_ignored(tmp_path: Path) -> None:
    first, second = crypto.new_signing_key(), crypto.new_signing_key()
    for name, key in (("a.pub", first), ("b.pub", second)):
        trust.write_key_file(tmp_path / name, crypto.public_key_bytes(key), "operator")
    (tmp_path / "notes.txt").write_text("not a key", encoding="utf-8")
    loaded = trust.load_key_folder(tmp_path)
    assert loaded == {
        crypto.key_id(crypto.public_key_bytes(k)): crypto.public_key_bytes(k)
        for k in (first, second)
    }
    assert trust.load_key_folder(tmp_path / "absent") == {}
    merged = trust.trusted_keys(Role.CONTENT_AUTHORITY, demo=True, folders=[tmp_path])
    assert set(loaded) < set(merged) and len(merged) == 3


def test_a_demo_key_copied_into_a_folder_stays_a_demo_key(tmp_path: Path) -> None:
    shutil.copy(REPO / "resources/keys/demo-content-authority.pub", tmp_path / "x.pub")
    assert trust.trusted_keys(Role.CONTENT_AUTHORITY, demo=False, folders=[tmp_path]) == {}


def test_a_damaged_key_file_is_refused_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "bad.pub").write_text("# comment\nAAAA\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        trust.load_key_folder(tmp_path)
    assert caught.value.code == "content.bad_key_file" and "bad.pub" in caught.value.en


def test_the_check_sees_the_folder_and_every_key_before_it_is_read(tmp_path: Path) -> None:
    trust.write_key_file(tmp_path / "a.pub", crypto.public_key_bytes(crypto.new_signing_key()))
    seen: list[Path] = []
    trust.load_key_folder(tmp_path, check=seen.append)
    assert seen == [tmp_path, tmp_path / "a.pub"]
