"""The server database: SQLite by default (one process), PostgreSQL for several workers.

SQLite gets the journal's durability pragmas (WAL, ``synchronous=FULL``) and writers take
the lock up front with ``BEGIN IMMEDIATE``, so two ingests of the same attempt serialise
instead of failing half-way. On PostgreSQL, where writers run side by side, every
read-modify-write locks its row (``FOR UPDATE``) and inserts that two requests may race to
make either tolerate the other (``ON CONFLICT DO NOTHING``) or are retried.

The schema is brought to the newest Alembic revision whenever an engine is opened, so a
national PostgreSQL deployment upgrades in place by starting the new server (or by running
``pixdesk-server migrate`` first).

The ingest path runs a handful of fixed statements per request, so it speaks the driver's
SQL directly (``Sql``) rather than compiling SQLAlchemy constructs each time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from pixdesk.errors import PixdeskError
from pixdesk.server.keys import private_file
from pixdesk.server.migrations.versions.s0001_initial import SCHEMA as INITIAL_SCHEMA
from pixdesk.sqlite import IMMEDIATE as IMMEDIATE
from pixdesk.sqlite import make_durable

DB_FILE = "server.db"
BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
INITIAL_REVISION = "s0001_initial"
"""The revision whose schema the server made with ``create_all`` before it had migrations."""
MIGRATION_LOCK_KEY = int.from_bytes(b"PIXDMIGR", "big")
"""The PostgreSQL advisory lock every server process takes before it looks at the schema."""

log = logging.getLogger(__name__)


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DB_FILE}"


def _private_sqlite_files(engine: Engine) -> None:
    """The database file made owner-only (0600) before SQLite opens it: it holds results
    and scrypt hashes. SQLite gives its ``-wal`` and ``-shm`` files the database file's
    mode; ones left looser by an older server are tightened."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    private_file(path)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            private_file(extra)


def connect(url: str) -> Engine:
    """An engine on ``url`` with the server's options; the schema is left as it is."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            pool_size=16, max_overflow=16,
        )
        make_durable(engine, BUSY_TIMEOUT_MS)
        _private_sqlite_files(engine)
        return engine
    return create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=True)


def open_engine(url: str) -> Engine:
    """An engine on ``url`` whose schema is at the newest revision this server knows."""
    engine = connect(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@dataclass(frozen=True)
class Migration:
    """What ``migrate`` found and left: revisions, and whether it recognised a database
    made before migrations existed (``before`` is then None, like an empty database)."""

    before: str | None
    after: str
    unversioned: bool = False


def _config(connection: Connection | None = None) -> Config:
    """Alembic configured in code: no ini file to ship or to lose."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the server migrations package has no revision"
    return head


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _current(conn)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that no other server process migrating the same database can share.

    Workers started together all open the engine at once; the first one migrates while the
    others wait here, then find the schema at head. SQLite's ``BEGIN IMMEDIATE`` takes the
    file's write lock; PostgreSQL's transaction-scoped advisory lock is released by the
    commit or rollback that ends the migration."""
    if is_sqlite(engine):
        with writer(engine).begin() as conn:
            yield conn
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        yield conn


def _too_new(revision: str) -> PixdeskError:
    return PixdeskError(
        "server.db_too_new",
        f"La base de données du serveur est à la révision {revision}, inconnue de ce serveur "
        f"(sa dernière révision est {head_revision()}) : elle a été mise à jour par une "
        "version plus récente de PixDesk. Rien n'a été modifié ; démarrez cette version-là.",
        f"The server database is at revision {revision}, which this server does not know "
        f"(its newest is {head_revision()}): a newer PixDesk upgraded it. Nothing was "
        "changed; run that newer version.",
    )


def _unrecognised(differences: list[object]) -> PixdeskError:
    first = differences[0]
    return PixdeskError(
        "server.db_unrecognised",
        f"La base de données du serveur a des tables PixDesk sans numéro de révision, mais "
        f"elles diffèrent du schéma {INITIAL_REVISION} ({len(differences)} différence(s), "
        f"dont {first}). Rien n'a été modifié.",
        f"The server database has PixDesk tables without a revision, but they differ from "
        f"schema {INITIAL_REVISION} ({len(differences)} difference(s), first {first}). "
        "Nothing was changed.",
    )


def _ours(name: str | None, type_: str, _parents: object) -> bool:
    return type_ != "table" or name in INITIAL_SCHEMA.tables


def _stamp_unversioned(conn: Connection) -> bool:
    """Stamp a database that the pre-migration server made (its tables, no version) at
    ``INITIAL_REVISION``, after checking that its tables are exactly that schema; tables
    that are not the server's are left alone. False if none of the server's tables exist."""
    if not set(inspect(conn).get_table_names()) & set(INITIAL_SCHEMA.tables):
        return False
    context = MigrationContext.configure(conn, opts={"include_name": _ours})
    differences: list[object] = list(compare_metadata(context, INITIAL_SCHEMA))
    if differences:
        raise _unrecognised(differences)
    command.stamp(_config(conn), INITIAL_REVISION)
    return True


def migrate(engine: Engine) -> Migration:
    """Bring the schema to head, in one transaction under the migration lock.

    A database already at head costs one read and takes no lock, so opening the engine
    stays cheap for every admin command and worker. A revision this server does not know
    is refused before anything is written."""
    head = head_revision()
    with engine.connect() as conn:
        if _current(conn) == head:
            return Migration(head, head)
    known = {script.revision for script in _scripts().walk_revisions()}
    with _migration_lock(engine) as conn:
        before = _current(conn)
        if before == head:
            return Migration(head, head)
        if before is not None and before not in known:
            raise _too_new(before)
        unversioned = before is None and _stamp_unversioned(conn)
        command.upgrade(_config(conn), "head")
    log.info("server database schema: %s -> %s%s", before or "empty", head,
             " (unversioned tables stamped first)" if unversioned else "")
    return Migration(before, head, unversioned)


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
