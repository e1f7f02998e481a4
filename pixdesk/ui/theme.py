"""Themes (default, high contrast) and zoom steps, applied to the whole application.

The QSS files hold ``@name@`` placeholders for every size, so one zoom factor scales the
text, the paddings and the check indicators together and layouts grow with them; only the
focus outline stays 3 px, as it is a border and not a size the reader needs larger.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from PySide6.QtWidgets import QApplication

from pixdesk.paths import resource_path

ZOOM_STEPS: tuple[int, ...] = (100, 125, 150, 175, 200)
BASE_POINT_SIZE = 12


@dataclass(frozen=True, slots=True)
class Look:
    """What the candidate or invigilator chose: contrast and zoom (a ``ZOOM_STEPS`` value)."""

    high_contrast: bool = False
    zoom: int = 100

    def zoomed_in(self) -> Look:
        larger = [z for z in ZOOM_STEPS if z > self.zoom]
        return replace(self, zoom=larger[0]) if larger else self

    def zoomed_out(self) -> Look:
        smaller = [z for z in ZOOM_STEPS if z < self.zoom]
        return replace(self, zoom=smaller[-1]) if smaller else self


@cache
def _template(name: str) -> str:
    return resource_path("themes", f"{name}.qss").read_text(encoding="utf-8")


def style_sheet(look: Look) -> str:
    factor = look.zoom / 100
    sizes = {
        "base": round(BASE_POINT_SIZE * factor),
        "large": round(BASE_POINT_SIZE * 1.25 * factor),
        "title": round(BASE_POINT_SIZE * 1.6 * factor),
        "pad": round(6 * factor),
        "padx": round(16 * factor),
        "indicator": round(18 * factor),
        "indicatorradius": round(18 * factor) // 2 + 2,
    }
    text = _template("high-contrast" if look.high_contrast else "default")
    for name, value in sizes.items():
        text = text.replace(f"@{name}@", str(value))
    return text


def apply(app: QApplication, look: Look) -> None:
    font = app.font()
    font.setPointSize(round(BASE_POINT_SIZE * look.zoom / 100))
    app.setFont(font)
    app.setStyleSheet(style_sheet(look))
