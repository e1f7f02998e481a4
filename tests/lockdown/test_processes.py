"""The process watchdog against a fixture /proc tree and the real ``ps``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pixdesk.lockdown.policy import EnvironmentFinding, KioskSettings
from pixdesk.lockdown.processes import (
    ProcessInfo,
    ProcessWatchdog,
    is_screen_capture_command,
    list_proc,
    ps_processes,
)
from tests.conftest import require


def fake_proc(root: Path, processes: dict[int, tuple[str, list[str]]]) -> Path:
    """A /proc-shaped tree: ``<pid>/comm`` and NUL-separated ``<pid>/cmdline``."""
    for pid, (comm, argv) in processes.items():
        entry = root / str(pid)
        entry.mkdir(parents=True)
        (entry / "comm").write_text(comm + "\n")
        (entry / "cmdline").write_bytes(b"".join(arg.encode() + b"\0" for arg in argv))
    (root / "self").mkdir(exist_ok=True)
    (root / "cpuinfo").write_text("processor : 0\n")
    return root


@pytest.fixture
def proc(tmp_path: Path) -> Path:
    return fake_proc(
        tmp_path / "proc",
        {
            1: ("systemd", ["/sbin/init"]),
            400: ("bash", ["/bin/bash"]),
            512: ("simplescreenrec", ["/usr/bin/simplescreenrecorder"]),
            513: ("Discord", ["/usr/share/discord/Discord", "--type=renderer"]),
            600: ("orca", ["/usr/bin/python3", "/usr/bin/orca"]),
            601: ("speech-dispatch", ["/usr/bin/speech-dispatcher", "--spawn"]),
            700: ("ffmpeg", ["ffmpeg", "-f", "x11grab", "-i", ":0", "out.mkv"]),
            701: ("ffmpeg", ["ffmpeg", "-i", "in.wav", "out.ogg"]),
            800: ("kworker/0:1", []),
        },
    )


def test_listing_reads_names_and_command_lines_of_numeric_entries_only(proc: Path) -> None:
    listed = {p.pid: p for p in list_proc(proc)}
    assert set(listed) == {1, 400, 512, 513, 600, 601, 700, 701, 800}
    assert listed[513].cmdline == ("/usr/share/discord/Discord", "--type=renderer")
    assert listed[800].cmdline == ()


def test_a_process_that_exits_while_being_read_is_skipped(proc: Path) -> None:
    (proc / "400" / "cmdline").unlink()
    assert 400 not in {p.pid for p in list_proc(proc)}


def test_watchdog_reports_prohibited_programs_and_screen_grabbing_ffmpeg(proc: Path) -> None:
    scan = ProcessWatchdog(KioskSettings(), lambda: list_proc(proc), own_pid=0).scan()
    assert [p.pid for p in scan.prohibited] == [512, 513, 700]
    findings = scan.findings()
    assert {f.kind for f in findings} == {EnvironmentFinding.PROHIBITED_PROCESS}
    assert [f.detail for f in findings] == [
        "discord (pid 513)",
        "ffmpeg (pid 700)",
        "simplescreenrec (pid 512)",
    ]


def test_assistive_technology_is_never_reported_and_is_noticed(proc: Path) -> None:
    settings = KioskSettings.from_dict({"prohibited_processes": ["python3", "bash"]})
    scan = ProcessWatchdog(settings, lambda: list_proc(proc), own_pid=0).scan()
    assert 600 not in {p.pid for p in scan.prohibited}  # python3 running orca
    assert [p.pid for p in scan.prohibited] == [400, 700]  # bash, and ffmpeg grabbing X11
    assert scan.assistive == {"orca", "speech-dispatcher"}
    assert scan.screen_reader_running


def test_the_watchdog_never_reports_its_own_process() -> None:
    me = ProcessInfo(4242, "obs")
    scan = ProcessWatchdog(KioskSettings(), lambda: [me], own_pid=4242).scan()
    assert scan.prohibited == ()


@pytest.mark.parametrize(
    ("process", "capturing"),
    [
        (ProcessInfo(1, "ffmpeg", ("ffmpeg", "-f", "gdigrab", "-i", "desktop")), True),
        (ProcessInfo(1, "gst-launch-1.0", ("gst-launch-1.0", "ximagesrc", "!", "x")), True),
        (ProcessInfo(1, "ffmpeg", ("ffmpeg", "-i", "a.mp4", "b.webm")), False),
        (ProcessInfo(1, "grep", ("grep", "x11grab")), False),
    ],
    ids=["ffmpeg-gdigrab", "gstreamer-ximagesrc", "ffmpeg-transcode", "other-tool"],
)
def test_screen_capture_commands(process: ProcessInfo, capturing: bool) -> None:
    assert is_screen_capture_command(process) is capturing


@pytest.mark.skipif(
    sys.platform == "win32", reason="Linux /proc (under Wine, Z:\\proc is the host's)"
)
def test_real_proc_lists_this_test_process() -> None:
    require(Path("/proc/self").exists(), "/proc")
    assert os.getpid() in {p.pid for p in list_proc()}


@pytest.mark.skipif(sys.platform == "win32", reason="ps is POSIX; Windows uses Toolhelp")
def test_ps_lists_this_test_process() -> None:
    assert os.getpid() in {p.pid for p in ps_processes()}
