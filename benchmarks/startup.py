"""Start-up figures on this machine: ``pixdesk --version`` and the demo's first screen, in
the virtualenv and, if ``dist/pixdesk`` was built (installer/build.sh), frozen.

"First screen" is ``pixdesk demo --windowed --quit-after 0``: the process starts, the
window is built, shown and painted, and ``--quit-after`` closes it once that first frame is
done. Three figures per run: the wall time from launching the process to the first paint
(the app logs the moment, ``pixdesk.app.log_first_paint``), the CPU time the process had
used by then (all its threads: much less sensitive to other load on a shared machine than
the wall time), and the whole run including shutdown. The journal already exists (as at
every start but the first), warm page cache, offscreen platform; each figure is the median
of ``--runs`` (default 5). Run: ``python benchmarks/startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "pixdesk"


PAINTED = re.compile(r"first screen painted: (\d+) ms CPU, at (\d+\.\d+)")


def _run(command: list[str], env: dict[str, str], log_dir: Path) -> dict[str, float]:
    """One run: its whole wall time and, when the app logged its first paint (the demo
    does; ``--version`` paints nothing), the wall and CPU time to that paint."""
    env = {**env, "PIXDESK_LOG_DIR": str(log_dir)}
    launched, started = time.time(), time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
    figures = {"whole run": (time.perf_counter() - started) * 1000}
    log_file = log_dir / "pixdesk.log"
    painted = PAINTED.findall(log_file.read_text(encoding="utf-8")) if log_file.exists() else []
    if painted:
        cpu_ms, at = painted[-1]
        figures["first paint"] = (float(at) - launched) * 1000
        figures["first paint CPU"] = float(cpu_ms)
    return figures


def _medians(command: list[str], env: dict[str, str], runs: int, tmp: Path) -> dict[str, float]:
    _run(command, env, tmp / "warm-up")
    samples = [_run(command, env, tmp / f"run-{n}") for n in range(runs)]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    commands = {"venv": [sys.executable, "-m", "pixdesk"]}
    if (BUNDLE / "pixdesk").is_file():
        commands["frozen"] = [str(BUNDLE / "pixdesk")]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PIXDESK_USER_CONFIG_DIR": str(tmp / "home"),
        }
        figures: dict[str, dict[str, float]] = {}
        for label, command in commands.items():
            demo = [*command, "demo", "--windowed", "--quit-after", "0",
                    "--data-dir", str(tmp / label)]
            version = _medians([*command, "--version"], env, args.runs, tmp / f"{label}-v")
            first = _medians(demo, env, args.runs, tmp / f"{label}-demo")
            figures[label] = {"--version": version["whole run"]} | {
                f"demo {key}": value for key, value in first.items()
            }
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    for what in figures["venv"]:
        line = f"{what}: " + ", ".join(
            f"{label} {values[what]:.0f} ms" for label, values in figures.items() if what in values
        )
        if "frozen" in figures and what in figures["frozen"]:
            line += f" (frozen/venv {figures['frozen'][what] / figures['venv'][what]:.2f}×)"
        print(f"{line}  [median of {args.runs}]")
    print(f"load average at the end: {load} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
