"""Background sync in the exam window: a real server, a real enrolled PC, a real QThread.

The worker sends what the journal holds once the server answers, reports being offline with
the number of attempts waiting, catches up on its own when the server comes back, shows a
refusal as an error, and its thread is gone once the monitor is stopped.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from pixdesk.server import sessions
from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.store.journal import Journal
from pixdesk.ui import i18n
from pixdesk.ui.sync_worker import SyncMonitor
from tests.sync.conftest import (
    PC,
    ServerProcess,
    free_port,
    run_exam,
    start_server,
    stored_events,
)


@pytest.fixture
def pc(tmp_path: Path) -> Iterator[PC]:
    data_dir = tmp_path / "pc"
    data_dir.mkdir()
    machine = PC(data_dir, Journal.open(data_dir))
    yield machine
    machine.journal.close()


@pytest.fixture
def monitors() -> Iterator[list[SyncMonitor]]:
    started: list[SyncMonitor] = []
    yield started
    for monitor in started:
        monitor.stop()


def watch(pc: PC, url: str, monitors: list[SyncMonitor], lang: str = "fr") -> SyncMonitor:
    monitor = SyncMonitor(pc.data_dir, url, allow_file_key=False, lang=lang, poll_ms=50)
    monitors.append(monitor)
    monitor.start()
    return monitor


def test_pending_attempts_are_sent_and_the_panel_text_says_when(
    qtbot: QtBot, tmp_path: Path, pc: PC, monitors: list[SyncMonitor]
) -> None:
    server = start_server(tmp_path / "server")
    try:
        pc.enrol(server.url, server.token())
        attempts = [run_exam(pc.journal, seed=seed, candidate="demo-1") for seed in (1, 2)]
        monitor = watch(pc, server.url, monitors)
        qtbot.waitUntil(lambda: monitor.status().startswith("Synchronisé à "), timeout=30_000)
        for attempt_id in attempts:
            result = server.result(attempt_id)
            assert result is not None and result.match
            assert server.stored_events(attempt_id) == pc.raw_hashes(attempt_id)
    finally:
        server.stop()


def test_server_down_shows_attempts_waiting_then_catches_up_when_it_returns(
    qtbot: QtBot, tmp_path: Path, pc: PC, monitors: list[SyncMonitor]
) -> None:
    process = ServerProcess(tmp_path / "server", free_port())
    process.start()
    try:
        state = ServerState.open(ServerConfig(process.data_dir), load_content=False)
        try:
            token = sessions.new_enrol_token(state, "DEMO")
        finally:
            state.close()
        pc.enrol(process.url, token)
        process.kill()
        attempts = [run_exam(pc.journal, seed=seed, candidate="demo-2") for seed in (3, 4, 5)]
        monitor = watch(pc, process.url, monitors)
        qtbot.waitUntil(lambda: monitor.status() == "Hors ligne — 3 épreuves en attente",
                        timeout=10_000)
        process.start()
        qtbot.waitUntil(lambda: monitor.status().startswith("Synchronisé à "), timeout=60_000)
    finally:
        process.kill()
    state = ServerState.open(ServerConfig(process.data_dir), load_content=False)
    try:
        delivered = [stored_events(state, a) for a in attempts]
    finally:
        state.close()
    assert delivered == [pc.raw_hashes(a) for a in attempts]


def test_a_refusal_is_shown_as_an_error_in_the_chosen_language(
    qtbot: QtBot, tmp_path: Path, pc: PC, monitors: list[SyncMonitor]
) -> None:
    server = start_server(tmp_path / "server", accept_demo=False)
    app = QCoreApplication.instance()
    assert app is not None
    translators = i18n.install(app, "en")
    try:
        pc.enrol(server.url, server.token())
        run_exam(pc.journal, seed=6)
        monitor = watch(pc, server.url, monitors, lang="en")
        qtbot.waitUntil(lambda: monitor.status().startswith("Error: "), timeout=30_000)
        assert "demo" in monitor.status().lower()
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        server.stop()


def test_stopping_ends_the_sync_thread_promptly_even_while_offline(
    qtbot: QtBot, tmp_path: Path, pc: PC, monitors: list[SyncMonitor]
) -> None:
    server = start_server(tmp_path / "server")
    url = server.url
    pc.enrol(url, server.token())
    server.stop()
    run_exam(pc.journal, seed=7)
    monitor = watch(pc, url, monitors)
    qtbot.waitUntil(lambda: monitor.status() == "Hors ligne — 1 épreuve en attente",
                    timeout=10_000)
    started = time.monotonic()
    monitor.stop()
    assert not monitor.running and time.monotonic() - started < 5
