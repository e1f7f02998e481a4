"""Smoke test of the real PyInstaller build and of the .deb around it.

Minutes of work, so it runs only with ``PIXDESK_FROZEN_TESTS=1`` (and ``-m frozen``
selects it). Everything runs from the build directory, as on a school PC: no virtualenv,
no source tree, no keyring (``keyring.backends.fail``), the demo's file key.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "pixdesk"

pytestmark = pytest.mark.frozen


@pytest.fixture(scope="module", autouse=True)
def frozen_tests_asked() -> None:
    """Minutes of build: only when asked, and always under CI (``.ci/run`` asks)."""
    require(os.environ.get("PIXDESK_FROZEN_TESTS") == "1",
            "PIXDESK_FROZEN_TESTS=1 (builds the PyInstaller bundle)")


@pytest.fixture(scope="module")
def bundle() -> Path:
    python = Path(sys.executable)
    subprocess.run(
        ["bash", str(ROOT / "installer" / "build.sh")], cwd=ROOT, check=True,
        env={**os.environ, "PYTHON": str(python)}, timeout=900,
    )
    assert (BUNDLE / "pixdesk").is_file() and (BUNDLE / "pixdesk-gui").is_file()
    return BUNDLE


MB = 10**6


def test_frozen_bundle_stays_within_its_size_budget(bundle: Path) -> None:
    """docs/footprint.md: ≤ 140 MB, one module archive, no server driver, stripped."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    assert sum(p.stat().st_size for p in files) <= 140 * MB
    executables = [p for p in bundle.iterdir() if p.is_file() and not p.is_symlink()]
    assert [p.name for p in executables] == ["pixdesk"] or sys.platform == "win32"
    names = {p.relative_to(bundle).as_posix() for p in files}
    assert not [n for n in names if "psycopg" in n or "/imageformats/" in n]
    if sys.platform.startswith("linux"):
        assert (bundle / "pixdesk-gui").resolve() == (bundle / "pixdesk").resolve()
        sections = subprocess.run(
            ["readelf", "-S", str(next(bundle.rglob("libpython3*.so*")))],
            capture_output=True, text=True, check=True,
        ).stdout
        assert ".debug_info" not in sections and ".symtab" not in sections


MACHINE_DIR = Path("/etc/xdg/pixdesk")


@pytest.fixture
def frozen_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The build reads the real machine folder (no variable can move it): these checks
    assume this machine has none, as on a fresh PC."""
    if MACHINE_DIR.exists():
        pytest.fail(f"{MACHINE_DIR} exists on this machine: the frozen smoke test needs a PC "
                    "without a machine configuration")
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME", "TMPDIR")}
    yield {
        **keep,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PIXDESK_USER_CONFIG_DIR": str(tmp_path / "home"),
        "PIXDESK_LANG": "fr",
        "QT_QPA_PLATFORM": "offscreen",
    }


def run(bundle: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "pixdesk"), *args], cwd=bundle.parent, env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )


def test_frozen_version_starts_quickly(bundle: Path, frozen_env: dict[str, str]) -> None:
    began = time.perf_counter()
    result = run(bundle, frozen_env, "--version")
    elapsed = time.perf_counter() - began
    assert result.returncode == 0 and result.stdout.strip().startswith("pixdesk ")
    assert elapsed < 5, f"pixdesk --version took {elapsed:.1f} s"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the glibc loader's log")
def test_frozen_console_commands_never_load_qt(
    bundle: Path, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """PyInstaller's own PySide6 hook loads QtCore at every start; ours does not."""
    env = {**frozen_env, "LD_DEBUG": "libs"}
    data = tmp_path / "data"
    for args in (("--version",), ("rehearse", "--answers", "random", "--seed", "1",
                                  "--data-dir", str(data))):
        result = run(bundle, env, *args)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "libQt6Core" not in result.stderr, args


def test_frozen_doctor_reports_missing_keyring(
    bundle: Path, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    result = run(bundle, frozen_env, "doctor", "--json", "--data-dir", str(tmp_path / "d"),
                 "--screens", "1")
    report = json.loads(result.stdout)
    by_id = {check["id"]: check for check in report["checks"]}
    assert result.returncode == 1 and report["ok"] is False
    assert by_id["keyring"]["message"].startswith("Aucun trousseau système")
    assert by_id["content"]["status"] == "ok"
    assert by_id["data_dir"]["status"] == "ok"


@pytest.mark.usefixtures("multicast")
def test_frozen_doctor_finds_a_console_advertised_on_the_lan(
    bundle: Path, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """zeroconf ships as its pure-Python modules (installer/pixdesk.spec): discovery must
    still work in the build."""
    from pixdesk.room.discovery import advertise

    home = Path(frozen_env["PIXDESK_USER_CONFIG_DIR"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "pixdesk.toml").write_text('room_console = "auto"\n', encoding="utf-8")
    with advertise("FROZEN-4242", 47998, host="127.0.0.1"):
        result = run(bundle, frozen_env, "doctor", "--json", "--data-dir",
                     str(tmp_path / "d"), "--screens", "1")
    by_id = {check["id"]: check for check in json.loads(result.stdout)["checks"]}
    assert by_id["room_console"]["status"] == "ok", by_id["room_console"]
    assert by_id["room_console"]["advertised"]["FROZEN-4242"] == "ws://127.0.0.1:47998"


def test_frozen_rehearse_completes_an_exam(
    bundle: Path, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    result = run(bundle, frozen_env, "rehearse", "--answers", "random", "--seed", "3",
                 "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    answered = [line for line in result.stdout.splitlines() if line.startswith("seq=")]
    assert len(answered) == 32
    assert "reason=completed" in result.stdout.splitlines()[-1]
    verified = run(bundle, frozen_env, "journal", "verify", "--data-dir", str(data))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_frozen_gui_opens_and_closes_the_demo(
    bundle: Path, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(bundle / "pixdesk-gui"), "demo", "--windowed", "--quit-after", "2",
         "--data-dir", str(tmp_path / "gui")],
        env=frozen_env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_frozen_gui_without_argument_refuses_on_screen_instead_of_the_demo(
    bundle: Path, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """What the shortcut, Shell Launcher and cage start: on a PC with nothing configured,
    the refusal window (its line on stderr), never the demo (which would open a journal)."""
    data = tmp_path / "kiosk"
    env = {**frozen_env, "PIXDESK_DATA_DIR": str(data)}
    process = subprocess.Popen(
        [str(bundle / "pixdesk-gui")], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=8)
    still_showing = process.poll() is None
    process.kill()
    _out, err = process.communicate(timeout=30)
    assert still_showing, f"pixdesk-gui ended instead of showing the refusal: {err}"
    [line] = [ln for ln in err.splitlines() if ln.startswith("pixdesk: ")]
    assert line.endswith("[client.unconfigured]") and "pixdesk doctor" in line
    assert not list(data.glob("journal*"))


def test_deb_installs_the_expected_files(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "deb"
    built = subprocess.run(
        ["bash", str(ROOT / "installer" / "debian" / "build-deb.sh"), str(out)],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHON": sys.executable, "DEB_COMPRESSION": "gzip"},
    )
    deb = Path(built.stdout.strip().splitlines()[-1])
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    assert (root / "opt/pixdesk/pixdesk").is_file()
    assert (root / "opt/pixdesk/_internal/pixdesk/resources/demo/demo.pixpkg").is_file()
    assert os.readlink(root / "usr/bin/pixdesk") == "/opt/pixdesk/pixdesk"
    assert os.readlink(root / "usr/bin/pixdesk-gui") == "/opt/pixdesk/pixdesk-gui"
    desktop = (root / "usr/share/applications/pixdesk.desktop").read_text(encoding="utf-8")
    assert "Exec=pixdesk-gui\n" in desktop
    assert "Exec=pixdesk-gui demo --windowed\n" in desktop.split("[Desktop Action demo]")[1]
    assert "locked" in (root / "etc/xdg/pixdesk/pixdesk.toml").read_text(encoding="utf-8")
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version"], check=True,
                            capture_output=True, text=True).stdout
    assert "Package: pixdesk" in fields
    conffiles = subprocess.run(["dpkg-deb", "-I", str(deb), "conffiles"], check=True,
                               capture_output=True, text=True).stdout
    assert conffiles.strip() == "/etc/xdg/pixdesk/pixdesk.toml"
    extracted = root / "opt/pixdesk/pixdesk"
    result = subprocess.run([str(extracted), "--version"], capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0 and "pixdesk" in result.stdout
