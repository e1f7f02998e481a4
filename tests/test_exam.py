"""The live attempt when the disk fills up mid-exam: refused cleanly, locked for the
invigilator with a reason, nothing lost, and the exam goes on once space is freed.

Real journal on a real 8 MiB tmpfs, the demo content, and ``pixdesk rehearse`` as a process.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys

import pytest

from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer
from pixdesk.errors import JournalError
from pixdesk.exam import WRITE_FAILED, LiveAttempt
from pixdesk.store.journal import RESERVE_FILE, Journal
from tests.conftest import SmallDisk
from tests.sync.conftest import begin_exam


def submit_right(live: LiveAttempt) -> None:
    item = live.attempt.current_item
    assert item is not None
    if not live.attempt.item_started:
        live.act(live.attempt.start_timed_item)
    live.act(functools.partial(live.attempt.submit, model_answer(item)))


def kinds_and_reasons(journal: Journal, attempt_id: str) -> list[tuple[str, object]]:
    return [(e.kind, e.payload.get("reason")) for e in journal.events(attempt_id)]


def test_a_full_disk_locks_the_attempt_with_its_reason_and_it_resumes(
    small_disk: SmallDisk,
) -> None:
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    journal = Journal.open(data_dir, demo=True)
    try:
        live = begin_exam(journal, attempt_id="full", seed=5)
        for _ in range(3):
            submit_right(live)
        saved = len(journal.events("full"))
        question = live.attempt.question_number
        small_disk.fill()
        with pytest.raises(JournalError) as raised:
            submit_right(live)
        assert raised.value.code == "journal.disk_full"
        assert live.phase is Phase.LOCKED and live.write_failed_at is None
        assert not (data_dir / RESERVE_FILE).exists()
        events = kinds_and_reasons(journal, "full")
        assert len(events) == saved + 1 and events[-1] == ("lock_engaged", WRITE_FAILED)
        small_disk.free()
        live.act(live.attempt.unlock)
        assert live.phase is Phase.RUNNING and live.attempt.question_number == question
        submit_right(live)
        assert journal.verify().ok
        assert (data_dir / RESERVE_FILE).exists()
    finally:
        journal.close()


def test_without_room_for_the_lock_the_next_action_writes_it_first(
    small_disk: SmallDisk,
) -> None:
    """The reserve already spent: the lock waits, dated from the failure, for the disk."""
    data_dir = small_disk.root / "data"
    data_dir.mkdir()
    journal = Journal.open(data_dir, demo=True)
    try:
        live = begin_exam(journal, attempt_id="full", seed=6)
        submit_right(live)
        journal.release_reserve()
        small_disk.fill()
        with pytest.raises(JournalError):
            submit_right(live)
        failed_at = live.write_failed_at
        assert failed_at is not None and live.phase is Phase.RUNNING
        with pytest.raises(JournalError):
            live.act(live.attempt.tick)
        small_disk.free()
        live.act(live.attempt.tick)
        assert live.phase is Phase.LOCKED and live.write_failed_at is None
        last = journal.events("full")[-1]
        assert (last.kind, last.payload["reason"]) == ("lock_engaged", WRITE_FAILED)
        assert last.wall_time_ms == failed_at.wall_ms
    finally:
        journal.close()


ENV = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")


def test_rehearse_on_a_full_disk_says_so_and_resumes_after_space_is_freed(
    small_disk: SmallDisk,
) -> None:
    data_dir = small_disk.root / "data"
    command = [sys.executable, "-m", "pixdesk", "rehearse", "--answers", "correct",
               "--data-dir", str(data_dir)]
    proc = subprocess.Popen([*command, "--delay-ms", "100"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(ENV, PIXDESK_LANG="fr"))
    assert proc.stdout is not None and proc.stderr is not None
    answered = []
    for line in proc.stdout:
        if line.startswith("seq="):
            answered.append(line)
            if len(answered) == 3:
                small_disk.fill()
    errors = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in errors
    last = errors.splitlines()[-1]
    assert last.startswith("pixdesk: Disque plein") and last.endswith("[journal.disk_full]")
    small_disk.free()
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=ENV,
                             timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "reason=completed" in resumed.stdout
    verify = subprocess.run([sys.executable, "-m", "pixdesk", "journal", "verify",
                             "--data-dir", str(data_dir)], capture_output=True, text=True,
                            env=ENV, timeout=120)
    assert verify.returncode == 0, verify.stdout
