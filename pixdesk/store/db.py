"""The SQLite file under the journal: durable settings, integrity check, migrations.

Every connection runs in WAL mode with ``synchronous=FULL`` so a commit that returned
survives a power cut, not only a crash. pysqlite's own transaction handling is switched
off and SQLAlchemy's ``begin`` emits the ``BEGIN`` itself (the documented recipe): that is
what makes transactional DDL work for migrations and lets writers take the write lock up
front with ``BEGIN IMMEDIATE`` instead of failing half-way on a busy database.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import Connection

from pixdesk.errors import JournalError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
IMMEDIATE = "pixdesk_immediate"
"""Execution option: set it on an engine whose transactions write, to ``BEGIN IMMEDIATE``."""


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        if sys.platform == "darwin":
            cursor.execute("PRAGMA fullfsync=ON")
            cursor.execute("PRAGMA checkpoint_fullfsync=ON")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def corrupt_error(path: Path) -> JournalError:
    return JournalError(
        "journal.corrupt",
        f"Le journal {path} est illisible ou endommagé (ce n'est pas une base SQLite valide).",
        f"The journal {path} is unreadable or damaged (not a valid SQLite database).",
    )


def open_engine(path: Path) -> Engine:
    """An engine on ``path`` with the durable pragmas; raises ``JournalError`` if corrupt."""
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 5}
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
    except exc.DBAPIError as error:
        engine.dispose()
        raise corrupt_error(path) from error
    if rows != ["ok"]:
        engine.dispose()
        raise corrupt_error(path)
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configured in code: no ini file to ship or to lose."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations package has no revision"
    return head


def backup(engine: Engine, path: Path, label: str) -> Path:
    """Copy the live database with SQLite's backup API (consistent even with a WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.bak-{label}-{stamp}")
    destination = sqlite3.connect(target)
    try:
        with engine.connect() as conn:
            source = conn.connection.dbapi_connection
            assert isinstance(source, sqlite3.Connection)
            source.backup(destination)
    finally:
        destination.close()
    return target


def migrate(engine: Engine, path: Path, *, existed: bool) -> Path | None:
    """Bring the schema to head; back up an existing file first. Returns the backup path."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise JournalError(
            "journal.too_new",
            f"Le journal {path} a été écrit par une version plus récente de PixDesk.",
            f"The journal {path} was written by a newer version of PixDesk.",
        )
    saved = backup(engine, path, current or "base") if existed else None
    with engine.execution_options(**{IMMEDIATE: True}).begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return saved


def database_exists(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0

