"""The SQLite file under the journal: integrity check, backups and migrations, on top of
the durable settings of ``pixdesk.sqlite`` (shared with a server on SQLite)."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, exc
from sqlalchemy.engine import Connection

from pixdesk.errors import JournalError
from pixdesk.sqlite import IMMEDIATE as IMMEDIATE
from pixdesk.sqlite import make_durable

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HEAD_REVISION = "0002_outbox"
"""The newest migration, known without loading alembic (a test checks it against the
revisions): opening an up-to-date journal, the common case, then reads one row instead of
importing alembic and its dialect modules at every start."""
BUSY_TIMEOUT_MS = 5000


def corrupt_error(path: Path) -> JournalError:
    return JournalError(
        "journal.corrupt",
        f"Le journal {path} est illisible ou endommagé (ce n'est pas une base SQLite valide).",
        f"The journal {path} is unreadable or damaged (not a valid SQLite database).",
    )


def owner_only(path: Path) -> None:
    """Create ``path`` (empty) readable by this account only, or tighten it if it exists.

    SQLite creates its files with the process umask (usually 0644) and gives the ``-wal``
    and ``-shm`` files the mode of the database, so owning the database file's mode is
    enough. On Windows modes mean nothing; the data folder's ACL protects the files there.
    """
    if os.name != "posix":
        return
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists() and each.stat().st_mode & 0o077:
            each.chmod(0o600)


def open_engine(path: Path) -> Engine:
    """An engine on ``path`` with the durable pragmas; raises ``JournalError`` if corrupt."""
    owner_only(path)
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 5}
    )
    make_durable(engine, BUSY_TIMEOUT_MS)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
    except exc.DBAPIError as error:
        engine.dispose()
        if error.orig is not None and is_disk_full(error.orig):
            raise disk_full(path.parent) from error
        raise corrupt_error(path) from error
    if rows != ["ok"]:
        engine.dispose()
        raise corrupt_error(path)
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configured in code: no ini file to ship or to lose."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the file (alembic's one-row table), None for a new file."""
    with engine.connect() as conn:
        if conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first() is None:
            return None
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if revision is None else str(revision)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations package has no revision"
    return head


def backup(engine: Engine, path: Path, label: str) -> Path:
    """Copy the live database with SQLite's backup API (consistent even with a WAL)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.bak-{label}-{stamp}")
    owner_only(target)
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
    if current == HEAD_REVISION:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

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


def is_disk_full(error: BaseException) -> bool:
    """Whether an OS or SQLite error means the disk (or the quota) is full."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_FULL


def disk_full(data_dir: Path) -> JournalError:
    return JournalError(
        "journal.disk_full",
        f"Disque plein ({data_dir}) : la dernière action n'a pas été enregistrée ; "
        "tout ce qui l'a été est conservé. Libérez de l'espace, puis reprenez.",
        f"Disk full ({data_dir}): the last action was not saved; everything saved "
        "before is kept. Free some space, then resume.",
    )


@contextmanager
def write_failures(data_dir: Path) -> Iterator[None]:
    """Turn a write the disk refused into ``journal.disk_full`` / ``journal.write_failed``.

    SQLite rolls the transaction back, so everything committed before is intact and the next
    write works once the disk has room again; the person in front of the screen needs to
    know that, not the name of a database exception.
    """
    try:
        yield
    except (exc.OperationalError, sqlite3.OperationalError, OSError) as error:
        cause = error.orig if isinstance(error, exc.DBAPIError) and error.orig else error
        if is_disk_full(cause):
            raise disk_full(data_dir) from error
        raise JournalError(
            "journal.write_failed",
            f"Le journal ne peut plus être écrit ({cause}) : la dernière action n'a pas été "
            "enregistrée ; tout ce qui l'a été est conservé.",
            f"The journal cannot be written any more ({cause}): the last action was not "
            "saved; everything saved before is kept.",
        ) from error
