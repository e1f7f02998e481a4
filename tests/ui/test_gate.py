"""The wrong-password wait is written before the refusal shows, and read back by a new
window: killing the app does not cut it short."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from pixdesk.invigilator import WrongTries
from pixdesk.ui.gate import SecretGate
from pixdesk.ui.worker import Background


def gate(qtbot: QtBot, data_dir: Path, now_ms: int) -> tuple[SecretGate, Background]:
    background = Background()
    opened = SecretGate(background, tries=WrongTries(data_dir), clock_ms=lambda: now_ms)
    return opened, background


def test_a_wrong_try_is_durable_before_it_is_shown_and_the_wait_resumes_after_a_restart(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first, background = gate(qtbot, tmp_path, 10_000)
    refused: list[int] = []
    first.refused.connect(refused.append)
    try:
        for _ in range(3):
            qtbot.waitUntil(lambda: not first.checking, timeout=5_000)
            first.seconds_left = 0
            assert first.attempt(lambda: False, lambda: None, lambda: None)
        qtbot.waitUntil(lambda: len(refused) == 3, timeout=5_000)
    finally:
        background.stop()
    assert refused == [1, 2, 3]
    assert WrongTries(tmp_path).load("invigilator").failures == 3
    restarted, background = gate(qtbot, tmp_path, 11_500)
    try:
        assert restarted.failures == 3 and restarted.seconds_left == 3
        assert not restarted.available
        assert not restarted.attempt(lambda: True, lambda: None, lambda: None)
    finally:
        background.stop()
    later, background = gate(qtbot, tmp_path, 20_000)
    try:
        assert later.available
        done: list[bool] = []
        assert later.attempt(lambda: True, lambda: done.append(True), lambda: None)
        qtbot.waitUntil(lambda: done == [True], timeout=5_000)
    finally:
        background.stop()
    assert WrongTries(tmp_path).load("invigilator").failures == 0
