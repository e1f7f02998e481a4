"""The room capacity benchmark still runs end to end: a console, a few headless PC
processes, every command applied on every PC it was sent to (its report counts failures)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "room_capacity.py"


def test_benchmark_drives_a_small_room_and_reports_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--pcs", "3", "--per-process", "2", "--rounds", "1"],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["machine"]["cores"] >= 1 and report["pcs_per_process"] == 2
    (run,) = report["runs"]
    assert (run["pcs"], run["processes"], run["failures"]) == (3, 2, 0)
    assert run["commands"] == 1 + 2 + 3
    assert run["deliveries"] == 3 * 3 + 3
    for figure in ("apply_ms", "status_age_ms"):
        assert 0 <= run[figure]["p50"] <= run[figure]["p99"] <= run[figure]["max"]
    assert run["apply_ms"]["max"] > 0
    assert 0 < run["console_cpu"] < 2 and run["window_s"] > 0
