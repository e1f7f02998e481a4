"""The database file: durable settings, refusal of damaged files, migrations with a backup."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pixdesk.store.outbox_state  # noqa: F401  (its tables join Base.metadata on import)
from pixdesk.errors import JournalError
from pixdesk.store import db
from pixdesk.store.journal import DB_FILE, Journal
from pixdesk.store.models import Base
from tests.store.conftest import event


def test_connections_are_wal_and_fully_synchronous(data_dir: Path) -> None:
    Journal.open(data_dir).close()
    engine = db.open_engine(data_dir / DB_FILE)
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    finally:
        engine.dispose()
    assert pragma == {
        "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000
    }


def test_the_migrations_match_every_model(data_dir: Path) -> None:
    Journal.open(data_dir).close()
    engine = db.open_engine(data_dir / DB_FILE)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            assert MigrationContext.configure(conn).get_current_revision() == db.head_revision()
    finally:
        engine.dispose()


def test_the_head_revision_known_without_alembic_is_the_newest_migration() -> None:
    assert db.head_revision() == db.HEAD_REVISION


def test_the_revision_read_without_alembic_is_the_one_alembic_reads(data_dir: Path) -> None:
    engine = db.open_engine(data_dir / DB_FILE)
    try:
        assert db.current_revision(engine) is None
        db.migrate(engine, data_dir / DB_FILE, existed=False)
        with engine.connect() as conn:
            assert db.current_revision(engine) == MigrationContext.configure(
                conn).get_current_revision() == db.HEAD_REVISION
    finally:
        engine.dispose()


def test_a_file_that_is_not_sqlite_is_refused_clearly(data_dir: Path) -> None:
    (data_dir / DB_FILE).write_bytes(b"these are not the pages you are looking for\n" * 200)
    with pytest.raises(JournalError) as raised:
        Journal.open(data_dir)
    assert raised.value.code == "journal.corrupt"
    assert "endommagé" in raised.value.message("fr")
    assert "damaged" in raised.value.message("en")


def test_a_truncated_database_file_is_refused(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        for n in range(300):
            journal.append("a1", [event(n)])
    path = data_dir / DB_FILE
    assert not (data_dir / f"{DB_FILE}-wal").exists()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(JournalError) as raised:
        Journal.open(data_dir)
    assert raised.value.code == "journal.corrupt"


def test_an_existing_file_is_backed_up_before_it_is_migrated(data_dir: Path) -> None:
    legacy = sqlite3.connect(data_dir / DB_FILE)
    with legacy:
        legacy.execute("CREATE TABLE legacy (note TEXT)")
        legacy.execute("INSERT INTO legacy VALUES ('written by an older PixDesk')")
    legacy.close()
    with Journal.open(data_dir) as journal:
        backup = journal.migration_backup
    assert backup is not None and backup.name.startswith(f"{DB_FILE}.bak-base-")
    copy = sqlite3.connect(backup)
    try:
        tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master")}
        assert tables == {"legacy"}
        assert copy.execute("SELECT note FROM legacy").fetchall() == [
            ("written by an older PixDesk",)
        ]
    finally:
        copy.close()


def test_no_backup_for_a_new_or_current_journal(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        assert journal.migration_backup is None
    with Journal.open(data_dir) as journal:
        assert journal.migration_backup is None
    assert not list(data_dir.glob("*.bak-*"))


def test_a_journal_from_a_newer_version_is_refused(data_dir: Path) -> None:
    Journal.open(data_dir).close()
    connection = sqlite3.connect(data_dir / DB_FILE)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num='9999_future'")
    connection.close()
    with pytest.raises(JournalError) as raised:
        Journal.open(data_dir)
    assert raised.value.code == "journal.too_new"


def test_verify_only_open_never_creates_a_journal(data_dir: Path) -> None:
    with pytest.raises(JournalError) as raised:
        Journal.open(data_dir, create=False)
    assert raised.value.code == "journal.missing"
    assert not (data_dir / DB_FILE).exists()


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most desktops run with (0022): files 0644 unless the code says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows relies on folder ACLs")
def test_the_journal_files_are_owner_only(tmp_path: Path, usual_umask: None) -> None:
    data_dir = tmp_path / "fresh"
    data_dir.mkdir(mode=0o755)
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        files = [data_dir / name for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    assert mode(data_dir) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows relies on folder ACLs")
def test_a_world_readable_journal_and_its_migration_backup_are_made_owner_only(
    data_dir: Path, usual_umask: None
) -> None:
    legacy = sqlite3.connect(data_dir / DB_FILE)
    with legacy:
        legacy.execute("CREATE TABLE legacy (note TEXT)")
    legacy.close()
    assert mode(data_dir / DB_FILE) == 0o644
    with Journal.open(data_dir) as journal:
        backup = journal.migration_backup
        assert mode(data_dir / DB_FILE) == 0o600
    assert backup is not None and mode(backup) == 0o600
