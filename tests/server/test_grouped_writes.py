"""SQLite writes that queued behind the write lock share one commit, each in a savepoint."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from pixdesk.server.config import ServerConfig, ServerState


def _insert_token(name: str) -> str:
    return (f"INSERT INTO enrol_tokens (token_hash, centre_id, created_at) "
            f"VALUES ('{name}', 'C1', 'now')")


def test_a_failing_write_in_a_group_is_undone_alone(tmp_path: Path) -> None:
    state = ServerState.open(ServerConfig(data_dir=tmp_path), load_content=False)
    try:
        with state.writing() as session:
            session.connection().exec_driver_sql(_insert_token("taken"))

        def good(name: str) -> Callable[[Connection], str]:
            def work(conn: Connection) -> str:
                conn.exec_driver_sql(_insert_token(name))
                return name
            return work

        def bad(conn: Connection) -> str:
            conn.exec_driver_sql(_insert_token("half-done"))
            conn.exec_driver_sql(_insert_token("taken"))
            return "never"

        works: dict[str, Callable[[Connection], str]] = {
            "first": good("first"), "bad": bad, "last": good("last")}
        answers: dict[str, object] = {}

        def run(name: str) -> None:
            try:
                answers[name] = state.write_grouped(works[name])
            except IntegrityError as exc:
                answers[name] = exc

        with state.writing():
            threads = [threading.Thread(target=run, args=(n,)) for n in works]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 10
            while len(state._queue) < len(works):
                assert time.monotonic() < deadline, "the writes never queued"
                time.sleep(0.005)
        for thread in threads:
            thread.join(timeout=10)

        assert answers["first"] == "first" and answers["last"] == "last"
        assert isinstance(answers["bad"], IntegrityError)
        with state.engine.connect() as conn:
            stored = {row[0] for row in conn.exec_driver_sql("SELECT token_hash FROM enrol_tokens")}
        assert stored == {"taken", "first", "last"}
    finally:
        state.close()
