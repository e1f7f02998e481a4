"""The layering of DESIGN.md holds at run time, not only in import-linter's static view."""

from __future__ import annotations

import subprocess
import sys


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_importing_the_engine_loads_no_qt_sql_or_http() -> None:
    loaded = _modules_loaded_by("import pixdesk.engine.bank, pixdesk.engine.version")
    assert not {m for m in loaded if m.split(".")[0] in {"PySide6", "sqlalchemy", "requests"}}


def test_importing_pixdesk_is_cheap() -> None:
    loaded = _modules_loaded_by("import pixdesk")
    assert "numpy" not in loaded and "PySide6" not in loaded
