"""The ingest benchmark still runs end to end: a real multi-worker server, every push
accepted and every re-scored result equal to the device's (its report counts failures)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "server_ingest.py"


def test_benchmark_pushes_every_attempt_and_reports_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--devices", "3", "--attempts", "2", "--templates", "2",
         "--workers", "2"],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert (report["database"], report["workers"], report["attempts"]) == ("sqlite", 2, 6)
    assert (report["requests"], report["failures"]) == (12, 0)
    assert report["events_per_attempt"] > 60
    assert report["attempts_per_s"] > 0 and report["server_cpu_ms_per_attempt"] > 0
    assert report["latency_ms"]["p50"] <= report["latency_ms"]["p99"] <= report["latency_ms"]["max"]
