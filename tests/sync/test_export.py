"""``pixdesk export`` to a stick that fills up: a clear refusal, no temporary file left, and
an earlier export at the same place untouched. The stick is a real, full 8 MiB tmpfs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pixdesk.cli import main
from pixdesk.errors import SyncError
from pixdesk.sync.outbox import write_export
from tests.conftest import SmallDisk
from tests.sync.conftest import PC, LiveServer, run_exam


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(tmp_path / "user-config"))


def test_an_export_to_a_full_stick_leaves_no_temporary_file_and_the_old_one_intact(
    server: LiveServer, pc: PC, small_disk: SmallDisk
) -> None:
    pc.enrol(server.url, server.token())
    run_exam(pc.journal, seed=61)
    out = small_disk.root / "PC12.pixexport"
    document, _ = pc.outbox().export()
    out.write_bytes(b"an earlier export\n")
    small_disk.fill()
    with pytest.raises(SyncError) as raised:
        write_export(out, document)
    assert raised.value.code == "export.no_space"
    assert sorted(p.name for p in small_disk.root.iterdir()) == ["PC12.pixexport", "filler"]
    assert out.read_bytes() == b"an earlier export\n"
    small_disk.free()
    assert write_export(out, document) == out.stat().st_size


def test_the_export_command_on_a_full_stick_says_so_in_one_line(
    server: LiveServer, pc: PC, small_disk: SmallDisk, capsys: pytest.CaptureFixture[str]
) -> None:
    pc.enrol(server.url, server.token())
    run_exam(pc.journal, seed=62)
    small_disk.fill()
    capsys.readouterr()
    out = small_disk.root / "PC12.pixexport"
    code = main(["--lang", "en", "export", str(out), "--data-dir", str(pc.data_dir)])
    printed = capsys.readouterr()
    assert code == 1 and printed.out == ""
    assert printed.err.startswith(f"pixdesk: No room left for {out}: nothing was written.")
    assert printed.err.endswith("[export.no_space]\n") and len(printed.err.splitlines()) == 1
    assert [p.name for p in small_disk.root.iterdir()] == ["filler"]
