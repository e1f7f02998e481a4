"""No environment variable moves the machine-wide folder (any account can set one)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pixdesk import paths


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux location")
def test_machine_folder_ignores_every_environment_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(paths, "SITE_CONFIG_DIR", None)
    for variable in ("PIXDESK_SITE_CONFIG_DIR", "XDG_CONFIG_DIRS",
                     "WIN_PD_OVERRIDE_COMMON_APPDATA", "PROGRAMDATA", "ALLUSERSPROFILE"):
        monkeypatch.setenv(variable, str(tmp_path))
    assert paths.site_config_dir() == Path("/etc/xdg/pixdesk")


def test_tests_move_it_from_inside_the_process(site_dir: Path) -> None:
    assert paths.site_config_dir() == site_dir
