"""Translations: French is the source language; English comes from a compiled .qm file.

``PseudoTranslator`` lengthens every string by about 40 % with accented filler, so a layout
that would clip a longer translation (or French at 200 %) shows it in tests and screenshots.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from pixdesk.paths import resource_path

LANGUAGES = ("fr", "en")
_FILLER = "ÀÉÎÕÜ çàéèêëïôûù "


def chosen_language(requested: str | None) -> str:
    """``--lang`` first, then ``PIXDESK_LANG``; French otherwise (the exam's language)."""
    lang = requested or os.environ.get("PIXDESK_LANG", "fr")
    return "en" if lang.lower().startswith("en") else "fr"


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install Qt's own and PixDesk's translators; keep the returned list alive."""
    installed: list[QTranslator] = []
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(lang), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    if lang != "fr":
        own = QTranslator(app)
        if own.load(str(resource_path("i18n", f"pixdesk_{lang}.qm"))):
            app.installTranslator(own)
            installed.append(own)
    return installed


class PseudoTranslator(QTranslator):
    """Every string ~40 % longer, placeholders and mnemonics kept intact."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source:
            return source
        extra = max(2, round(len(source) * 0.4))
        filler = (_FILLER * (extra // len(_FILLER) + 1))[:extra]
        return f"{source} {filler.strip()}"

    def isEmpty(self) -> bool:
        return False
