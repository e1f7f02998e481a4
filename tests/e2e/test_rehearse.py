"""`pixdesk rehearse` then `pixdesk journal verify`, as IT runs them on a PC with no keyring."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from pixdesk.chain import receipt_code

ENV = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PIXDESK_LANG="fr")


def pixdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pixdesk", *args], capture_output=True,
                          text=True, env=ENV, timeout=120)


def test_rehearse_completes_32_answers_and_the_journal_verifies(tmp_path: Path) -> None:
    run = pixdesk("rehearse", "--answers", "random", "--seed", "1", "--data-dir", str(tmp_path))
    assert run.returncode == 0, run.stderr
    answers = [line for line in run.stdout.splitlines() if line.startswith("seq=")]
    assert len(answers) == 32
    end = run.stdout.splitlines()[-1]
    assert end.startswith("fin attempt=") and "reason=completed" in end
    verify = pixdesk("journal", "verify", "--data-dir", str(tmp_path))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK" in verify.stdout
    attempt_id = end.split()[1].removeprefix("attempt=")
    connection = sqlite3.connect(tmp_path / "journal.db")
    (ended_hash,) = connection.execute(
        "SELECT hash FROM events WHERE attempt_id = ? AND kind = 'ended'", (attempt_id,)
    ).fetchone()
    connection.close()
    assert end.endswith(f" receipt={receipt_code(attempt_id, ended_hash.hex())}")


def test_a_flipped_ciphertext_byte_is_named_by_verify_and_blocks_resume(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pixdesk", "rehearse", "--data-dir", str(tmp_path),
         "--delay-ms", "50"],
        stdout=subprocess.PIPE, text=True, env=ENV,
    )
    assert proc.stdout is not None
    answered = 0
    for line in proc.stdout:
        answered += line.startswith("seq=")
        if answered == 4:
            break
    proc.kill()
    proc.wait(timeout=30)
    database = next(tmp_path.glob("*.db"))
    with sqlite3.connect(database) as db:
        (ciphertext,) = db.execute("SELECT ciphertext FROM events WHERE seq = 5").fetchone()
        flipped = bytes([ciphertext[0] ^ 0x01]) + ciphertext[1:]
        db.execute("UPDATE events SET ciphertext = ? WHERE seq = 5", (flipped,))
    verify = pixdesk("journal", "verify", "--data-dir", str(tmp_path))
    assert verify.returncode == 1
    assert "5" in verify.stdout
    resume = pixdesk("rehearse", "--resume", "--data-dir", str(tmp_path))
    assert resume.returncode == 1
    assert "Traceback" not in resume.stderr and "5" in resume.stderr
