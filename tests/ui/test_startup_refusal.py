"""A kiosk PC has no terminal anyone reads: a start-up refusal is shown on screen too."""

from __future__ import annotations

import shutil
import sys
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


LAUNCHER = Path(__file__).resolve().parents[2] / "installer" / "launchers" / "entry.py"


def _close_refusals(seen: list[tuple[str, str]]) -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            seen.append((widget.text(), widget.informativeText()))
            widget.reject()


@pytest.fixture
def unconfigured_pc(tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PC with neither a machine file nor a user file, and not enrolled."""
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(tmp_path / "home"))
    return data_dir


def test_gui_launcher_without_argument_on_an_unconfigured_pc_refuses_on_screen_not_the_demo(
    qtbot: QtBot, unconfigured_pc: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    """The shipped launcher file itself: no argument never means the demo."""
    import runpy

    from pixdesk.ui.main_window import MainWindow

    gui = tmp_path / "pixdesk-gui"
    if sys.platform == "win32":
        shutil.copy(LAUNCHER, gui)  # as installed there: a second, windowed executable
    else:
        gui.symlink_to(LAUNCHER)  # as installed: the windowed command is a link to the launcher
    monkeypatch.setattr("sys.argv", [str(gui)])
    monkeypatch.setenv("PIXDESK_LANG", "fr")
    seen: list[tuple[str, str]] = []
    windows: list[str] = []
    QTimer.singleShot(200, lambda: windows.extend(
        type(w).__name__ for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
    ))
    QTimer.singleShot(300, lambda: _close_refusals(seen))
    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(gui), run_name="__main__")
    assert exited.value.code == 1
    [(text, informative)] = seen
    assert text.startswith("Aucun examen n'est configuré sur ce poste")
    assert "session_file, content_package, enrolment" in text
    assert "« pixdesk doctor »" in informative
    assert windows == []
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("[client.unconfigured]")


def test_gui_refusal_is_in_english_when_asked(
    qtbot: QtBot, unconfigured_pc: Path, tmp_path: Path,
) -> None:
    from pixdesk.cli import main

    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "pixdesk.toml").write_text(
        f"session_file = '{tmp_path / 's.pixsession'}'\n", encoding="utf-8"
    )
    seen: list[tuple[str, str]] = []
    QTimer.singleShot(300, lambda: _close_refusals(seen))
    assert main(["--lang", "en"], windowed=True) == 1
    [(text, informative)] = seen
    assert text.startswith("No exam is configured on this PC (missing: content_package, "
                           "enrolment)")
    assert "To see what is missing: “pixdesk doctor”." in informative


def test_gui_shows_an_invalid_machine_file_on_screen(
    qtbot: QtBot, unconfigured_pc: Path, tmp_path: Path,
) -> None:
    from pixdesk.cli import main

    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "pixdesk.toml").write_text('server_url = "ftp://x"\n', encoding="utf-8")
    seen: list[tuple[str, str]] = []
    QTimer.singleShot(300, lambda: _close_refusals(seen))
    assert main(["--lang", "fr"], windowed=True) == 1
    [(text, _informative)] = seen
    assert "server_url doit être une URL https://" in text


def test_console_without_configured_exam_prints_one_line_and_opens_no_window(
    unconfigured_pc: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from pixdesk.cli import main

    assert main(["--lang", "fr"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "session_file, content_package, enrolment" in line and "pixdesk doctor" in line
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)
                and w.isVisible()]
