"""The server database: SQLite by default (one process), PostgreSQL for several workers.

SQLite gets the journal's durability pragmas (WAL, ``synchronous=FULL``) and writers take
the lock up front with ``BEGIN IMMEDIATE``, so two ingests of the same attempt serialise
instead of failing half-way. On PostgreSQL, where writers run side by side, every
read-modify-write locks its row (``FOR UPDATE``) and inserts that two requests may race to
make either tolerate the other (``ON CONFLICT DO NOTHING``) or are retried.

The ingest path runs a handful of fixed statements per request, so it speaks the driver's
SQL directly (``Sql``) rather than compiling SQLAlchemy constructs each time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine

from pixdesk.server.models import Base
from pixdesk.sqlite import IMMEDIATE as IMMEDIATE
from pixdesk.sqlite import make_durable

DB_FILE = "server.db"
BUSY_TIMEOUT_MS = 10_000


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DB_FILE}"


def open_engine(url: str) -> Engine:
    """An engine on ``url`` with the schema created if missing."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            pool_size=16, max_overflow=16,
        )
        make_durable(engine, BUSY_TIMEOUT_MS)
    else:
        engine = create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, whose SQLite transactions take the write lock when they begin."""
    return engine.execution_options(**{IMMEDIATE: True})


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@cache
def _in_style(paramstyle: str, sql: str) -> str:
    return sql if paramstyle == "qmark" else sql.replace("?", "%s")


class Sql:
    """Fixed statements in the driver's placeholder style, written once with ``?``."""

    def __init__(self, engine: Engine) -> None:
        self._paramstyle = engine.dialect.paramstyle
        self.for_update = "" if is_sqlite(engine) else " FOR UPDATE"
        """Appended to a SELECT whose rows the transaction will rewrite; SQLite has one
        writer at a time (``BEGIN IMMEDIATE``) and no row locks."""
        self.multi_row_insert = is_sqlite(engine)
        """Whether many rows go best as one ``INSERT … VALUES (…), (…)``: on SQLite one
        statement step instead of one per row; psycopg instead pipelines ``executemany``
        and would re-parse such a long statement every time (it caches short ones)."""

    def __call__(self, sql: str) -> str:
        return _in_style(self._paramstyle, sql)
