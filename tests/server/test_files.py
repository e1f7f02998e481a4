"""The server's data dir and database are readable by their owner only (issue 20): the
database holds results and scrypt hashes, the data dir the server's private keys."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pixdesk.errors import EXIT_OK
from pixdesk.server import cli, db
from pixdesk.server.config import ServerConfig, ServerState
from tests.server.conftest import Record, enrol_and_record, start_server

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most servers run with (files 0644 unless made otherwise)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("usual_umask")
def test_data_dir_keys_database_and_its_wal_are_owner_only(
    tmp_path: Path, record: Record
) -> None:
    data_dir = tmp_path / "srv" / "data"
    server = start_server(ServerConfig(data_dir, accept_demo=True))
    try:
        enrol_and_record(server, record).receipt()
        files = sorted(p.name for p in data_dir.iterdir())
        assert {db.DB_FILE, f"{db.DB_FILE}-wal", f"{db.DB_FILE}-shm"} <= set(files)
        assert mode(data_dir) == 0o700
        assert {name: mode(data_dir / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        server.stop()


@pytest.mark.usefixtures("usual_umask")
def test_database_left_readable_by_an_older_server_is_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / db.DB_FILE) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE other (x)")
    assert mode(data_dir / db.DB_FILE) == 0o644

    ServerState.open(ServerConfig(data_dir), load_content=False).close()

    assert mode(data_dir / db.DB_FILE) == 0o600
    assert mode(data_dir) == 0o755


@pytest.mark.usefixtures("usual_umask")
def test_migrate_makes_an_owner_only_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    assert cli.main(["migrate", "--data-dir", str(data_dir)]) == EXIT_OK
    assert mode(data_dir) == 0o700 and mode(data_dir / db.DB_FILE) == 0o600
