"""Durable SQLite, the same on the candidate's PC and on a server that runs on SQLite.

Every connection runs in WAL mode with ``synchronous=FULL`` so a commit that returned
survives a power cut, not only a crash. pysqlite's own transaction handling is switched off
and SQLAlchemy's ``begin`` emits the ``BEGIN`` itself (the documented recipe): that makes
transactional DDL work for migrations and lets writers take the write lock up front with
``BEGIN IMMEDIATE`` instead of failing half-way on a busy database.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

IMMEDIATE = "pixdesk_immediate"
"""Execution option: set it on an engine whose transactions write, to ``BEGIN IMMEDIATE``."""


def make_durable(engine: Engine, busy_timeout_ms: int) -> None:
    """Apply the durable settings to every connection ``engine`` opens from now on."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            if sys.platform == "darwin":
                cursor.execute("PRAGMA fullfsync=ON")
                cursor.execute("PRAGMA checkpoint_fullfsync=ON")
        finally:
            cursor.close()

    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)


@contextmanager
def durable_transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction on a small side database (WAL, ``synchronous=FULL``),
    committed — hence on disk — when the block ends, rolled back if it raises."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
