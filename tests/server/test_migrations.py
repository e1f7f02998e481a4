"""Server schema migrations: fresh, pre-migration and too-new databases, the CLI, and
several workers opening the same database at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from pixdesk.errors import EXIT_FAILURE, EXIT_OK, PixdeskError
from pixdesk.server import cli, db
from pixdesk.server.migrations.versions.s0001_initial import SCHEMA as INITIAL_SCHEMA
from pixdesk.server.models import Base
from tests.server.conftest import BOTH_DATABASES, Record, Serve, enrol_and_record

FUTURE = "s9999_from_a_newer_server"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(database: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database of the parametrised kind."""
    if database == "postgresql":
        dsn: str = request.getfixturevalue("postgres").new_database()
        return dsn
    return db.default_url(tmp_path)


def differences(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, and so its presence: what "nothing changed" compares."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: sorted(tuple(row) for row in conn.execute(text(f"SELECT * FROM {table}")))
                for table in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()


def versions(url: str) -> list[str]:
    return [row[0] for row in snapshot(url).get("alembic_version", [])]


def create_all(url: str) -> None:
    """The server's schema made the way it was before migrations existed (the models of
    that time: ``s0001_initial``'s tables)."""
    engine = create_engine(url)
    INITIAL_SCHEMA.create_all(engine)
    engine.dispose()


def kept(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
         ) -> bool:
    """Every row of ``before`` still there, columns added since at the end."""
    return all(
        [row[:len(rows[0])] for row in after[table]] == rows if rows else not after[table]
        for table, rows in before.items()
    )


@BOTH_DATABASES
def test_empty_database_is_migrated_to_head_and_matches_the_models(url: str) -> None:
    engine = db.open_engine(url)
    try:
        assert db.current_revision(engine) == db.head_revision() != db.INITIAL_REVISION
    finally:
        engine.dispose()
    assert differences(url) == []
    assert set(snapshot(url)) == set(Base.metadata.tables) | {"alembic_version"}


@BOTH_DATABASES
def test_tables_made_by_create_all_are_stamped_with_their_rows_kept(url: str) -> None:
    create_all(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO enrol_tokens (token_hash, centre_id, created_at) "
                          "VALUES ('h1', 'C1', '2026-06-01T08:00:00.000Z')"))
    engine.dispose()
    before = snapshot(url)

    engine = db.open_engine(url)
    engine.dispose()

    after = snapshot(url)
    assert after.pop("alembic_version") == [(db.head_revision(),)]
    assert kept(before, after) and after["enrol_tokens"][0][len(before["enrol_tokens"][0]):] == (
        None,)
    assert differences(url) == []


def test_create_all_database_with_an_attempt_is_stamped_and_still_ingests(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    pc = enrol_and_record(serve(accept_demo=True), record)
    pc.receipt()
    first, stored = pc.server, pc.attempt
    legacy = tmp_path / "legacy.db"
    create_all(f"sqlite:///{legacy}")
    with sqlite3.connect(legacy) as conn:
        conn.execute("ATTACH DATABASE ? AS old", (first.state.engine.url.database,))
        for table in INITIAL_SCHEMA.sorted_tables:
            columns = ", ".join(table.columns.keys())
            conn.execute(f"INSERT INTO main.{table.name} ({columns}) "
                         f"SELECT {columns} FROM old.{table.name}")
    legacy_url = f"sqlite:///{legacy}"
    before = snapshot(legacy_url)
    assert len(before["events"]) == len(stored.records) and len(before["results"]) == 1

    server = serve(accept_demo=True, db_url=legacy_url)

    assert db.current_revision(server.state.engine) == db.head_revision()
    after = snapshot(legacy_url)
    del after["alembic_version"]
    assert kept(before, after)
    newcomer = enrol_and_record(server, record, seed=11)
    assert newcomer.receipt()["acked_through_seq"] == len(newcomer.attempt.records)
    assert server.count("attempts") == 2 and server.count("results") == 2


def test_unversioned_tables_unlike_the_initial_schema_are_refused_untouched(
    tmp_path: Path,
) -> None:
    """A server from before ``rescored_seq`` existed: stamping it would hide the gap."""
    url = db.default_url(tmp_path)
    create_all(url)
    with sqlite3.connect(tmp_path / db.DB_FILE) as conn:
        conn.execute("ALTER TABLE results DROP COLUMN rescored_seq")
    before = snapshot(url)

    with pytest.raises(PixdeskError) as refused:
        db.open_engine(url)

    assert refused.value.code == "server.db_unrecognised"
    assert "rescored_seq" in refused.value.en
    assert snapshot(url) == before


@BOTH_DATABASES
def test_database_from_a_newer_server_is_refused_untouched(url: str) -> None:
    db.open_engine(url).dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    engine.dispose()
    before = snapshot(url)

    with pytest.raises(PixdeskError) as refused:
        db.open_engine(url)

    assert refused.value.code == "server.db_too_new"
    assert FUTURE in refused.value.fr and FUTURE in refused.value.en
    assert snapshot(url) == before


def test_migrate_command_prints_the_revision_before_and_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"

    assert cli.main(["migrate", "--data-dir", str(data_dir)]) == EXIT_OK
    first = capsys.readouterr().out.splitlines()
    assert cli.main(["migrate", "--data-dir", str(data_dir)]) == EXIT_OK
    again = capsys.readouterr().out.splitlines()

    assert first == [
        f"base de données / database: sqlite:///{data_dir / db.DB_FILE}",
        "avant / before: (aucune révision / no revision)",
        f"après / after: {db.head_revision()}",
    ]
    assert again[1:] == [f"avant / before: {db.head_revision()}",
                         f"après / after: {db.head_revision()}"]


def test_migrate_command_names_pre_migration_tables_and_refuses_a_newer_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = f"sqlite:///{tmp_path / 'legacy.db'}"
    create_all(legacy)

    assert cli.main(["migrate", "--db", legacy]) == EXIT_OK
    out = capsys.readouterr().out
    assert "pre-migration tables recognised" in out
    assert out.endswith(f"après / after: {db.head_revision()}\n")

    engine = create_engine(legacy)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    engine.dispose()
    assert cli.main(["--lang", "en", "migrate", "--db", legacy]) == EXIT_FAILURE
    captured = capsys.readouterr()
    assert f"avant / before: {FUTURE}" in captured.out
    assert captured.err.startswith("pixdesk-server: The server database")
    assert captured.err.rstrip().endswith("[server.db_too_new]")


WORKER = textwrap.dedent("""
    import logging, sys, time
    from pathlib import Path
    from pixdesk.server import db

    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
    go = Path(sys.argv[2])
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    db.open_engine(sys.argv[1]).dispose()
""")


@BOTH_DATABASES
def test_workers_starting_together_migrate_once_and_all_start(url: str, tmp_path: Path) -> None:
    """As ``serve --workers 3`` does: each worker opens the engine of the same empty
    database at the same moment."""
    go = tmp_path / "go"
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, str(go)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    go.touch()
    outputs = [worker.communicate(timeout=60) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0, 0], outputs
    logs = "".join(out for out, _err in outputs)
    assert logs.count(f"server database schema: empty -> {db.head_revision()}") == 1
    assert versions(url) == [db.head_revision()]
    assert differences(url) == []


@BOTH_DATABASES
def test_rows_of_the_previous_revision_are_kept_with_the_new_columns_empty(url: str) -> None:
    """s0002 → s0003: attempts gain ``integrity`` (NULL: verified), conflicts a batch key
    (NULL for the rows kept one per record before); a batch key is then unique."""
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(db._config(conn), "s0002_device_lifecycle")
        conn.execute(text(
            "INSERT INTO devices (device_id, centre_id, hostname, signing_public_key, "
            "sealing_public_key, enrolled_at) VALUES ('d1', 'C1', 'pc', :k, :k, 't')"),
            {"k": b"k" * 32})
        conn.execute(text(
            "INSERT INTO attempts (attempt_id, device_id, session_id, candidate_id, version_id,"
            " package_id, demo, sealed_data_key, head_seq, head_hash, created_at) VALUES "
            "('a1', 'd1', 's1', 'c1', 'v3', 'p1', false, :k, 3, :k, 't')"), {"k": b"k" * 32})
        for seq in (2, 3):
            conn.execute(text(
                "INSERT INTO conflicts (attempt_id, seq, device_id, record, received_at) "
                "VALUES ('a1', :s, 'd1', '{}', 't')"), {"s": seq})
    engine.dispose()
    before = snapshot(url)
    del before["alembic_version"]

    db.open_engine(url).dispose()

    after = snapshot(url)
    assert after.pop("alembic_version") == [(db.head_revision(),)]
    assert kept(before, after)
    assert [row[len(before["attempts"][0]):] for row in after["attempts"]] == [(None,)]
    assert [row[len(before["conflicts"][0]):] for row in after["conflicts"]] == [(None,)] * 2
    assert differences(url) == []
    engine = create_engine(url)
    try:
        insert = text("INSERT INTO conflicts (attempt_id, seq, device_id, record, "
                      "received_at, batch_key) VALUES ('a1', 4, 'd1', '[]', 't', 'k1')")
        with engine.begin() as conn:
            conn.execute(insert)
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert)
    finally:
        engine.dispose()
