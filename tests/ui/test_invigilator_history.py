"""The invigilator's history names every event the engine journals in words, never its code."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pixdesk.engine.attempt import Kind
from pixdesk.ui.desk import HistoryEntry
from pixdesk.ui.invigilator import EVENT_LABELS, event_wording

UNLISTED = {Kind.HEARTBEAT.value, Kind.SECURITY_EVENT.value}
"""Heartbeats are left out of the history; security events are worded by their detail."""


def test_every_event_kind_of_the_engine_has_its_words() -> None:
    assert sorted(k.value for k in Kind if k.value not in EVENT_LABELS.keys() | UNLISTED) == []


@pytest.mark.parametrize("kind", sorted(EVENT_LABELS))
def test_history_line_is_the_label_not_the_code(qtbot: QtBot, kind: str) -> None:
    wording = event_wording(HistoryEntry(kind=kind, wall_ms=0))
    assert wording and kind not in wording
