"""WCAG 2.1 AA contrast of both themes, computed from the colours in the theme files:
text 4.5:1 (1.4.3), focus ring and control indicators 3:1 against what they sit on (1.4.11).
Disabled controls are exempt (1.4.3 "inactive user interface components")."""

from __future__ import annotations

import re

import pytest

from pixdesk.ui.theme import Look, style_sheet

RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def rules(qss: str) -> list[tuple[str, dict[str, str]]]:
    qss = re.sub(r"/\*.*?\*/", "", qss, flags=re.S)
    found = []
    for selectors, body in RULE.findall(qss):
        props = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                props[name.strip()] = value.strip()
        for selector in selectors.split(","):
            found.append((selector.strip(), props))
    return found


def merged(found: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """Each selector's declarations, later rules overriding earlier ones as in QSS."""
    result: dict[str, dict[str, str]] = {}
    for selector, props in found:
        result.setdefault(selector, {}).update(props)
    return result


def colour_of(value: str) -> str | None:
    match = COLOUR.search(value)
    return match.group(0).lower() if match else None


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ratio_formula_matches_wcag_reference_values() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


THEMES = {"default": Look(), "high-contrast": Look(high_contrast=True)}


@pytest.mark.parametrize("name", THEMES)
def test_every_text_colour_reads_at_4_5_to_1_on_its_background(name: str) -> None:
    found = rules(style_sheet(THEMES[name]))
    page = colour_of(merged(found)["QWidget"]["background"])
    assert page is not None
    checked = 0
    for selector, props in found:
        if ":disabled" in selector or "color" not in props:
            continue
        text = colour_of(props["color"])
        background = colour_of(props.get("background", "")) or page
        assert text is not None, selector
        assert ratio(text, background) >= 4.5, (name, selector, text, background)
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("name", THEMES)
def test_focus_ring_and_control_indicators_stand_out_at_3_to_1(name: str) -> None:
    found = rules(style_sheet(THEMES[name]))
    by_selector = merged(found)
    page = colour_of(by_selector["QWidget"]["background"])
    assert page is not None
    focus = [colour_of(p["border"]) for s, p in found if s.endswith(":focus") and "border" in p]
    assert focus and all(f is not None and ratio(f, page) >= 3 for f in focus), focus
    for control in ("QRadioButton", "QCheckBox"):
        plain = by_selector[f"{control}::indicator"]
        border, fill = colour_of(plain["border"]), colour_of(plain["background"])
        assert border is not None and fill is not None
        assert ratio(border, page) >= 3, (name, control, "unchecked border")
        checked = by_selector[f"{control}::indicator:checked"]
        mark = colour_of(checked["background"])
        assert mark is not None
        assert ratio(mark, fill) >= 3, (name, control, "checked against unchecked")
        assert ratio(mark, page) >= 3, (name, control, "checked against the page")
    for selector, props in found:
        if ":focus" in selector and "background" in props and "color" in props:
            assert ratio(colour_of(props["color"]), colour_of(props["background"])) >= 4.5  # type: ignore[arg-type]
