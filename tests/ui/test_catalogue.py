"""Every user-visible string of the GUI has its English translation (French is the source)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="the catalogue is the same on every OS; "
                    "it is checked on Linux (pyside6-lupdate.exe does not run under Wine)")
def test_lupdate_finds_no_untranslated_string(tmp_path: Path) -> None:
    lupdate = Path(sysconfig.get_path("scripts")) / "pyside6-lupdate"
    require(lupdate.exists(), "pyside6-lupdate in this Python's scripts folder")
    catalogue = tmp_path / "pixdesk_en.ts"
    shutil.copy(ROOT / "pixdesk/resources/i18n/pixdesk_en.ts", catalogue)
    sources = sorted(str(p) for p in (ROOT / "pixdesk/ui").rglob("*.py"))
    sources.append(str(ROOT / "pixdesk/app.py"))
    subprocess.run([str(lupdate), "-source-language", "fr_FR", "-target-language", "en",
                    *sources, "-ts", str(catalogue)], check=True, capture_output=True)
    missing = [
        message.findtext("source")
        for message in ET.parse(catalogue).getroot().iter("message")
        if _untranslated(message)
    ]
    assert missing == [], f"strings without English translation: {missing}"


def _untranslated(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in {"vanished", "obsolete"}:
        return False
    return translation.get("type") == "unfinished" or not translation.text
