"""Kill ``pixdesk rehearse`` with SIGKILL at random moments and resume it, many times.

Every answer printed before a kill must be in the journal, the resumed attempt must sit on
the question it was on, and the exam time lost to a crash is at most the 5 s heartbeat.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from pixdesk.store.journal import Journal

KILLS = 50
LINE = re.compile(r"^seq=(\d+) item=(\S+) status=(\S+) remaining_ms=(\d+) next=(\S+)$")
RESUME = re.compile(r"^reprise attempt=(\S+) item=(\S+) remaining_ms=(\d+)$")
START = re.compile(r"^début attempt=(\S+)")


@dataclass
class Run:
    lines: list[tuple[float, str]] = field(default_factory=list)


def _rehearse(data_dir: Path, resume: bool, seed: int) -> tuple[subprocess.Popen[str], Run]:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    args = [sys.executable, "-m", "pixdesk", "rehearse", "--data-dir", str(data_dir),
            "--delay-ms", "120", "--seed", str(seed)]
    if resume:
        args.append("--resume")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    run = Run()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            run.lines.append((time.monotonic(), line.strip()))

    threading.Thread(target=read, daemon=True).start()
    return proc, run


def _ended(data_dir: Path, attempt_id: str) -> bool:
    """The attempt ended durably: a kill between its last event and the ``fin`` line leaves
    nothing to resume although nothing printed said it was over."""
    journal = Journal.open(data_dir, demo=True)
    try:
        events = journal.events(attempt_id)
    finally:
        journal.close()
    return bool(events) and events[-1].kind == "ended"


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_answer(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    rng = random.Random(20261122)
    data_dir = tmp_path / "data"
    printed: dict[str, list[tuple[int, str]]] = {}
    resumed_on: list[tuple[str, str, str]] = []
    kills = resumes = 0
    attempt: str | None = None
    expected_item: str | None = None
    reference: tuple[float, int] | None = None
    remaining_at_kill: int | None = None
    unfinished = False
    while kills < KILLS:
        proc, run = _rehearse(data_dir, unfinished, seed=kills)
        deadline = time.monotonic() + rng.uniform(0.3, 2.5)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        finished = proc.poll() is not None
        kill_time = time.monotonic()
        if not finished:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
        time.sleep(0.05)
        for stamp, text in run.lines:
            if m := START.match(text):
                attempt, expected_item, reference, unfinished = m.group(1), None, None, True
            elif m := RESUME.match(text):
                attempt = m.group(1)
                resumes += 1
                if expected_item is not None:
                    resumed_on.append((attempt, expected_item, m.group(2)))
                if remaining_at_kill is not None:
                    lost = remaining_at_kill - int(m.group(3))
                    assert -5_500 <= lost <= 500, f"resume changed remaining time by {lost} ms"
                reference = (stamp, int(m.group(3)))
            elif m := LINE.match(text):
                assert attempt is not None
                printed.setdefault(attempt, []).append((int(m.group(1)), m.group(2)))
                expected_item = None if m.group(5) == "-" else m.group(5)
                reference = (stamp, int(m.group(4)))
            elif text.startswith("fin "):
                unfinished, expected_item, reference = False, None, None
        if finished and proc.returncode != 0:
            error = proc.stderr.read() if proc.stderr else ""
            if "rehearse.nothing_to_resume" in error and attempt is not None and _ended(
                data_dir, attempt
            ):
                unfinished, expected_item, reference = False, None, None
            else:
                pytest.fail(f"rehearse failed: {error}")
        remaining_at_kill = (
            None if reference is None else reference[1] - int((kill_time - reference[0]) * 1000)
        )
    journal = Journal.open(data_dir, demo=True)
    try:
        assert journal.verify().ok
        answered: dict[str, list[tuple[int, str]]] = {}
        for info in journal.attempts():
            answered[info.attempt_id] = [
                (e.seq, str(e.payload["item_id"]))
                for e in journal.events(info.attempt_id)
                if e.kind == "answer_submitted"
            ]
        for attempt_id, answers in printed.items():
            missing = [a for a in answers if a not in answered[attempt_id]]
            assert not missing, f"answers printed but not journaled: {missing}"
        for attempt_id, expected, actual in resumed_on:
            durable_but_unprinted = expected in {i for _, i in answered[attempt_id]}
            assert actual == expected or durable_but_unprinted, "resumed on another question"
    finally:
        journal.close()
    assert kills >= KILLS and resumes > 0 and sum(map(len, printed.values())) > 0
