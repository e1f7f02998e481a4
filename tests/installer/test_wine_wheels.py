"""The Windows job under Wine installs its wheels from its own list
(installer/windows/ci-wine.sh: `pip download` evaluates markers for Linux, so it cannot
read the project's): every dependency of the client must be on it, or the Windows tests
and build run without it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_wine_job_installs_every_client_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = {_name(r) for r in project["project"]["dependencies"]}
    script = (ROOT / "installer" / "windows" / "ci-wine.sh").read_text(encoding="utf-8")
    listed = re.search(r"^WHEELS=\((.*?)^\)", script, re.S | re.M)
    assert listed is not None
    wheels = {_name(w.strip("'\"")) for w in listed.group(1).split()}
    assert needed - wheels == set()
