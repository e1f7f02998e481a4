"""The journal round-trips events, keeps them across restarts and crashes, and serialises
concurrent writers into one contiguous sequence."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from pixdesk import crypto
from pixdesk.chain import genesis_hash
from pixdesk.errors import JournalError
from pixdesk.store.journal import Journal, NewEvent
from pixdesk.store.outbox_state import OutboxState
from tests.store.conftest import WALL_MS, event, row


def test_appended_events_read_back_decrypted_in_order(journal: Journal) -> None:
    journal.create_attempt("a1", {"session_id": "s1", "candidate_id": "c1", "version_id": "v3"})
    stored = journal.append("a1", [event(1), event(2, "paused")])
    assert [(e.seq, e.kind) for e in stored] == [(1, "answer_submitted"), (2, "paused")]
    read = journal.events("a1")
    assert read == stored
    assert read[0].payload == {"n": 1, "answer": "réponse 1"}
    assert (read[1].mono_elapsed_ms, read[1].wall_time_ms) == (2000, WALL_MS + 2000)


def test_payloads_are_not_stored_in_clear(journal: Journal, data_dir: Path) -> None:
    journal.create_attempt("a1", {})
    journal.append("a1", [NewEvent("answer_submitted", {"answer": "SECRET-ANSWER"}, 1, WALL_MS)])
    journal.close()
    raw = b"".join(p.read_bytes() for p in data_dir.glob("journal.db*"))
    assert b"SECRET-ANSWER" not in raw
    assert row(data_dir, "a1", 1)["prev_hash"] == genesis_hash("a1")


def test_events_survive_close_and_reopen(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {"candidate_id": "c1"})
        journal.append("a1", [event(1), event(2)])
    with Journal.open(data_dir) as journal:
        journal.append("a1", [event(3)])
        assert [e.seq for e in journal.events("a1")] == [1, 2, 3]
        info = journal.attempts()[0]
        assert (info.attempt_id, info.meta, info.head_seq) == ("a1", {"candidate_id": "c1"}, 3)


def test_an_append_that_returned_survives_a_killed_process(data_dir: Path) -> None:
    """The writer exits without closing anything right after ``append`` returns."""
    script = textwrap.dedent(
        f"""
        import os, keyring
        from pathlib import Path
        from keyring.backends import fail
        from pixdesk.store.journal import Journal, NewEvent
        keyring.set_keyring(fail.Keyring())
        journal = Journal.open(Path({str(data_dir)!r}), allow_file_key=True)
        journal.create_attempt("a1", {{}})
        journal.append("a1", [NewEvent("heartbeat", {{"i": 1}}, 5, {WALL_MS})])
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    keyring.set_keyring(fail.Keyring())
    with Journal.open(data_dir, allow_file_key=True) as journal:
        assert [e.payload for e in journal.events("a1")] == [{"i": 1}]
        assert journal.verify().ok


def test_concurrent_writers_get_contiguous_seqs(journal: Journal) -> None:
    journal.create_attempt("a1", {})
    start = threading.Barrier(2)

    def write(offset: int) -> None:
        start.wait()
        for n in range(60):
            journal.append("a1", [event(offset + n)])

    threads = [threading.Thread(target=write, args=(o,)) for o in (0, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    events = journal.events("a1")
    assert [e.seq for e in events] == list(range(1, 121))
    assert sorted(e.payload["n"] for e in events) == list(range(60)) + list(range(1000, 1060))
    assert journal.verify().ok


def test_one_append_is_one_transaction(journal: Journal) -> None:
    """A batch with a bad event writes nothing, so an intent is never half-recorded."""
    journal.create_attempt("a1", {})
    bad = NewEvent("answer_submitted", {"x": float("nan")}, 1, WALL_MS)
    with pytest.raises(JournalError):
        journal.append("a1", [event(1), bad])
    assert journal.events("a1") == []
    assert journal.append("a1", [event(1)])[0].seq == 1


@pytest.mark.parametrize(
    "bad",
    [
        NewEvent("Answer Submitted", {}, 1, WALL_MS),
        NewEvent("x" * 65, {}, 1, WALL_MS),
        NewEvent("heartbeat", {}, -1, WALL_MS),
        NewEvent("heartbeat", {}, True, WALL_MS),
        NewEvent("heartbeat", {}, 1, "2025-05-06T09:15:02Z"),  # type: ignore[arg-type]
        NewEvent("heartbeat", ["not", "a", "dict"], 1, WALL_MS),  # type: ignore[arg-type]
        NewEvent("heartbeat", {"when": object()}, 1, WALL_MS),
    ],
)
def test_malformed_events_are_refused(journal: Journal, bad: NewEvent) -> None:
    journal.create_attempt("a1", {})
    with pytest.raises(JournalError) as raised:
        journal.append("a1", [bad])
    assert raised.value.code == "journal.invalid_event"


def test_attempt_ids_and_meta_are_checked(journal: Journal) -> None:
    with pytest.raises(JournalError, match="invalid_attempt_id"):
        journal.create_attempt("../escape", {})
    with pytest.raises(JournalError, match="invalid_meta"):
        journal.create_attempt("a1", {"answers": ["A", "B"]})
    journal.create_attempt("a1", {})
    with pytest.raises(JournalError, match="attempt_exists"):
        journal.create_attempt("a1", {})
    with pytest.raises(JournalError, match="unknown_attempt"):
        journal.append("a2", [event(1)])


def test_the_data_key_sealed_for_the_server_opens_the_events(journal: Journal) -> None:
    server = crypto.new_sealing_key()
    journal.create_attempt("a1", {})
    journal.append("a1", [event(1)])
    sealed = journal.seal_for_server("a1", crypto.sealing_public_bytes(server))
    assert journal.attempts()[0].sealed_key == sealed
    data_key = crypto.open_sealed(server, sealed, b"pixdesk-dek-v1|a1")
    assert len(data_key) == 32


def test_each_attempt_has_its_own_data_key(journal: Journal) -> None:
    journal.create_attempt("a1", {})
    journal.create_attempt("a2", {})
    server = crypto.new_sealing_key()
    public = crypto.sealing_public_bytes(server)
    sealed = {a: journal.seal_for_server(a, public) for a in ("a1", "a2")}
    aad = b"pixdesk-dek-v1|"
    keys = {crypto.open_sealed(server, s, aad + a.encode()) for a, s in sealed.items()}
    assert len(keys) == 2


def test_an_ended_attempt_is_unacknowledged_until_the_server_accepts_its_result(
        journal: Journal) -> None:
    for attempt_id in ("a1", "a2", "a3"):
        journal.create_attempt(attempt_id, {})
    journal.append("a1", [event(1), event(2, "ended")])
    journal.append("a2", [event(1)])
    journal.append("a3", [event(1, "ended")])
    assert journal.unacknowledged_results() == ["a1", "a3"]
    with OutboxState(journal.path) as state:
        state.record_error("a1", "sync.unreachable")
        assert journal.unacknowledged_results() == ["a1", "a3"]
        state.record_result("a1", True)
        state.record_result("a3", False)
    assert journal.unacknowledged_results() == []
