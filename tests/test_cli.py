from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pixdesk.cli import main
from pixdesk.server import cli as server_cli


def test_unknown_command_is_a_usage_error() -> None:
    assert main(["no-such-command"]) == 2


def test_version_is_printed_by_the_installed_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pixdesk", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("pixdesk ")


def test_both_command_lines_report_a_refusal_as_one_line_with_its_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--lang", "en", "content", "verify", "/nonexistent.pixpkg"]) == 1
    client = capsys.readouterr().err
    assert client.startswith("pixdesk: cannot read content package: /nonexistent.pixpkg")
    assert client.endswith(" [content.unreadable]\n") and client.count("\n") == 1

    usage = ["serve", "--content", "a.pixpkg", "--content", "b.pixpkg", "--content-key", "k"]
    assert server_cli.main(["--lang", "en", *usage]) == 2
    assert capsys.readouterr().err == (
        "pixdesk-server: Give one --content-key per --content, in the same order. "
        "[server.content_keys]\n"
    )
    assert server_cli.main(["--lang", "fr", *usage]) == 2
    assert capsys.readouterr().err.startswith("pixdesk-server: Donnez une --content-key")


def test_json_report_is_utf8_when_stdout_is_in_a_windows_code_page(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Windows pipe: Python writes it in the ANSI code page unless told otherwise."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", stdout)

    main(["--lang", "fr", "doctor", "--json", "--data-dir", str(data_dir), "--screens", "1"])
    sys.stdout.flush()

    text = raw.getvalue().decode("utf-8")
    report = json.loads(text)
    assert report["checks"] and not text.isascii()
