"""The import budget of start-up: what ``pixdesk --version`` and the demo's first screen
may load (docs/footprint.md). Each case runs the real command in a fresh interpreter and
reads which modules it imported; nothing here is timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

DRIVER = """
import json, sys
from pathlib import Path
from pixdesk import paths
from pixdesk.cli import main
paths.SITE_CONFIG_DIR = Path(sys.argv[1])
try:
    main(sys.argv[3:])
except SystemExit:
    pass
Path(sys.argv[2]).write_text(json.dumps(sorted(sys.modules)))
"""

NEVER_AT_START = ("alembic", "mako", "pygments", "requests", "urllib3", "psycopg", "fastapi",
                  "uvicorn", "starlette", "reportlab")
"""Migration code, HTTP and the server's stack: loaded when first used, if ever."""
OTHER_KEYRINGS = tuple(
    f"keyring.backends.{name}"
    for name in ("macOS", "Windows", "SecretService", "kwallet", "libsecret")
    if name != {"darwin": "macOS", "win32": "Windows"}.get(sys.platform, "SecretService")
)
"""keyring's discovery imports (and probes) every backend; PixDesk loads this OS's own."""
NOT_FOR_THE_VERSION = (*NEVER_AT_START, "PySide6", "shiboken6", "sqlalchemy", "numpy",
                       "cryptography", "keyring", "pixdesk.store", "pixdesk.ui")


def _loaded(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    out = tmp_path / "modules.json"
    env = {**(env or os.environ), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path / "site"), str(out), *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert out.exists(), result.stderr
    return set(json.loads(out.read_text(encoding="utf-8")))


def _offending(modules: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == b or m.startswith(b + ".") for b in banned))


def test_the_version_loads_neither_qt_nor_the_store(tmp_path: Path) -> None:
    assert _offending(_loaded(tmp_path, "--version"), NOT_FOR_THE_VERSION) == []


@pytest.mark.usefixtures("memory_keyring")
def test_the_demo_first_screen_loads_no_migration_code_nor_http(tmp_path: Path) -> None:
    """The second start, as every start after the first: the journal is up to date."""
    data = tmp_path / "data"
    demo = ("demo", "--windowed", "--quit-after", "0", "--data-dir", str(data))
    first = _loaded(tmp_path, *demo)
    assert "PySide6.QtWidgets" in first and "pixdesk.store.journal" in first
    assert _offending(_loaded(tmp_path, *demo), NEVER_AT_START) == []


def test_the_keyring_backend_is_this_platforms_not_discovered(tmp_path: Path) -> None:
    """No backend named by the environment or keyringrc.cfg, and no session bus (so the
    developer's own keychain is never touched): the demo still starts, on key files, having
    loaded no other platform's keyring backend."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHON_KEYRING_BACKEND"}
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "config"),
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}"}
    demo = ("demo", "--windowed", "--quit-after", "0", "--data-dir", str(tmp_path / "data"))
    loaded = _loaded(tmp_path, *demo, env=env)
    assert "pixdesk.store.keys" in loaded and "PySide6.QtWidgets" in loaded
    assert _offending(loaded, OTHER_KEYRINGS) == []
