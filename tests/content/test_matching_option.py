"""The one answer-checking leniency beyond Pix (t1 folding œ, æ, ß…) is an explicit setting
of a certification version: signed with the package, read back on open, shown by verify."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pixdesk.cli import main
from pixdesk.content import package as pkg
from pixdesk.content.source import load_source
from pixdesk.engine.version import PRESETS, MatchingSettings
from pixdesk.errors import ContentError
from tests.content.test_calibration import demo_copy
from tests.content.test_package import DEMO_SIGNING_KEY


def _folding_version(value: object = True) -> dict[str, object]:
    entry = dataclasses.replace(PRESETS["pix-v3"], id="pliage").to_dict()
    entry["matching"] = {"fold_letters": value}
    return entry


def test_a_version_that_folds_letters_is_signed_and_shown_by_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = demo_copy(tmp_path / "src", _folding_version())
    out = tmp_path / "pliage.pixpkg"
    assert main(["content", "build", str(src), str(out),
                 "--signing-key", str(DEMO_SIGNING_KEY)]) == 0
    opened = pkg.open_package(out)
    assert opened.versions["pliage"].matching == MatchingSettings(fold_letters=True)
    assert opened.versions["v3-demo"].matching == MatchingSettings()
    capsys.readouterr()
    assert main(["content", "verify", str(out)]) == 0
    shown = [line for line in capsys.readouterr().out.splitlines() if "œ" in line]
    assert shown == ["version pliage  t1 plie œ, æ, ß… (extension PixDesk, pas Pix) / "
                     "t1 folds œ, æ, ß… (PixDesk extension, not Pix)"]


def test_the_folding_setting_must_be_a_boolean(tmp_path: Path) -> None:
    good = load_source(demo_copy(tmp_path / "good", _folding_version(True)))
    assert good.versions["pliage"].matching.fold_letters is True
    src = demo_copy(tmp_path / "src", _folding_version("yes"))
    with pytest.raises(ContentError) as caught:
        load_source(src)
    assert caught.value.code == "content.bad_versions"
