"""The client log file: in the log folder, size-capped, configured once per process."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pixdesk import logs
from pixdesk.cli import main


def test_the_log_is_capped_by_rotation(log_dir: Path) -> None:
    path = logs.configure()
    assert path == log_dir / "pixdesk.log"
    line = "x" * 1000
    for _ in range(6 * 1024):
        logging.getLogger("pixdesk.test").info(line)
    files = sorted(log_dir.iterdir())
    assert [f.name for f in files] == [
        "pixdesk.log", "pixdesk.log.1", "pixdesk.log.2", "pixdesk.log.3"
    ]
    assert all(f.stat().st_size <= logs.MAX_BYTES for f in files)


def test_configuring_again_replaces_the_handler(log_dir: Path) -> None:
    logs.configure()
    logs.configure()
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logs.LogFileHandler)]
    assert len(ours) == 1


def test_every_command_writes_to_the_log(
    log_dir: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["journal", "verify", "--data-dir", str(data_dir)])
    capsys.readouterr()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert ": journal\n" in (log_dir / "pixdesk.log").read_text(encoding="utf-8")


def test_an_unwritable_log_folder_does_not_stop_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("PIXDESK_LOG_DIR", str(blocker / "log"))
    assert logs.configure() is None
