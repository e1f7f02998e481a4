"""A kiosk PC has no terminal anyone reads: a start-up refusal is shown on screen too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pixdesk.app import refusal_box, run_client
from pixdesk.config import load_config


def test_refusal_box_says_why_and_who_to_call(qtbot: QtBot) -> None:
    box = refusal_box("Fichier de session signé par un serveur inconnu.")
    qtbot.addWidget(box)
    assert box.icon() is QMessageBox.Icon.Critical
    assert box.text() == "Fichier de session signé par un serveur inconnu."
    assert "service informatique" in box.informativeText()
    assert box.accessibleDescription() == box.text()


def test_a_tampered_session_is_refused_on_screen_and_in_one_line(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = tmp_path / "jour.pixsession"
    session.write_text('{"session": {}, "signer": "0000", "signature": "AAAA"}', encoding="utf-8")
    machine = tmp_path / "pixdesk.toml"
    machine.write_text(
        f"session_file = '{session}'\ncontent_package = '{tmp_path / 'x.pixpkg'}'\n"
        f"data_dir = '{tmp_path / 'data'}'\nallow_file_key = true\n",
        encoding="utf-8",
    )
    config = load_config(machine_path=machine, user_path=tmp_path / "user.toml")
    shown: list[str] = []
    QTimer.singleShot(100, lambda: shown.extend(
        w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)
    ))
    assert run_client(config, lang="fr", quit_after=0.5) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pixdesk: ")
    message, code = err[0].removeprefix("pixdesk: ").rsplit(" [", 1)
    assert shown == [message] and code == "sync.not_enrolled]"
