"""``require``: a test that needs a tool the machine lacks is skipped on a developer's
machine but fails under ``CI=true`` (issue 13: 24 PostgreSQL tests used to skip silently)."""

from __future__ import annotations

import pytest

from tests.conftest import require


def test_missing_tool_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs Xvfb"):
        require(False, "Xvfb")


def test_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and this test needs lupdate"):
        require(False, "lupdate")


def test_present_tool_neither_skips_nor_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "PostgreSQL")
