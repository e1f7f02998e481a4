"""Start-up figures on this machine: ``pixdesk --version`` and the demo's first screen, in
the virtualenv and, if ``dist/pixdesk`` was built (installer/build.sh), frozen.

"First screen" is a whole ``pixdesk demo --windowed --quit-after 0`` run: the process
starts, the window is built and shown, its first paint is processed, and the zero-delay
timer closes it once the event loop is idle. The journal already exists (as at every start
but the first), warm page cache, offscreen platform; each figure is the median of
``--runs`` (default 3). Run: ``python benchmarks/startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "pixdesk"


def _median_ms(command: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    commands = {"venv": [sys.executable, "-m", "pixdesk"]}
    if (BUNDLE / "pixdesk").is_file():
        commands["frozen"] = [str(BUNDLE / "pixdesk")]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PIXDESK_USER_CONFIG_DIR": str(Path(tmp) / "home"),
        }
        figures: dict[str, dict[str, float]] = {}
        for label, command in commands.items():
            demo = [*command, "demo", "--windowed", "--quit-after", "0",
                    "--data-dir", str(Path(tmp) / label)]
            figures[label] = {
                "--version": _median_ms([*command, "--version"], env, args.runs),
                "demo first screen": _median_ms(demo, env, args.runs),
            }
    for what in ("--version", "demo first screen"):
        line = f"{what}: " + ", ".join(
            f"{label} {values[what]:.0f} ms" for label, values in figures.items()
        )
        if "frozen" in figures:
            line += f" (frozen/venv {figures['frozen'][what] / figures['venv'][what]:.2f}×)"
        print(f"{line}  [median of {args.runs}]")


if __name__ == "__main__":
    main()
