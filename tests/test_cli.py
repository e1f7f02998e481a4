from __future__ import annotations

import subprocess
import sys

from pixdesk.cli import main


def test_unknown_command_is_a_usage_error() -> None:
    assert main(["no-such-command"]) == 2


def test_version_is_printed_by_the_installed_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pixdesk", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("pixdesk ")
