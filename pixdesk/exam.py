"""One live attempt: intent → engine decision → durable journal commit → state update.

This is the only place where the engine's decisions meet the journal. Nothing moves on
before the journal has made the events durable, and on start-up the state is rebuilt by
replaying the journal — nothing else is trusted. The UI and ``pixdesk rehearse`` both drive
an exam through this class.

When the journal cannot write (disk full), the decision is dropped — nothing moves on that
was not saved — and the attempt is locked for the invigilator with the reason
``journal_write_failed``: at once if the journal's disk reserve leaves room for the lock,
else by the next action that can be written, dated from the failure so that the time the
disk was full is not taken from the candidate.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Protocol

from pixdesk.chain import receipt_code
from pixdesk.engine.attempt import Attempt, Event, Kind, Phase
from pixdesk.engine.bank import Bank
from pixdesk.engine.timer import Instant
from pixdesk.engine.version import CertificationVersion
from pixdesk.errors import AttemptError, JournalError
from pixdesk.session import Candidate, Session
from pixdesk.store.journal import WRITE_FAILURES, Journal, NewEvent, StoredEvent

WRITE_FAILED = "journal_write_failed"
"""Lock reason when the journal could not save a decision (as ``LockTrigger`` names it)."""
_LOCKABLE = (Phase.AUTHORISED, Phase.RUNNING, Phase.PAUSED, Phase.LOCKED)


class Clock(Protocol):
    def now(self) -> Instant: ...


class SystemClock:
    """The real clocks: monotonic for exam time, wall time only for the record."""

    def now(self) -> Instant:
        return Instant(time.monotonic_ns() // 1_000_000, time.time_ns() // 1_000_000)


@dataclass(frozen=True, slots=True)
class ExamContent:
    """What an attempt needs from the opened content package."""

    package_id: str
    bank: Bank
    versions: dict[str, CertificationVersion]


def to_new_event(event: Event) -> NewEvent:
    return NewEvent(
        kind=str(event.kind),
        payload=dict(event.payload),
        mono_elapsed_ms=event.used_ms,
        wall_time_ms=event.wall_ms,
    )


def from_stored(stored: StoredEvent) -> Event:
    return Event(Kind(stored.kind), stored.payload, stored.mono_elapsed_ms, stored.wall_time_ms)


class LiveAttempt:
    """An ``Attempt`` bound to its journal and a clock."""

    def __init__(
        self, journal: Journal, attempt_id: str, attempt: Attempt, clock: Clock
    ) -> None:
        self.journal = journal
        self.attempt_id = attempt_id
        self.attempt = attempt
        self.clock = clock
        self.write_failed_at: Instant | None = None
        """When a write failed and the lock it calls for is not in the journal yet."""
        self.ended_hash: bytes | None = None
        """The journal hash of the ``ended`` event once it is stored: the receipt's head."""

    @classmethod
    def check_in(
        cls,
        journal: Journal,
        content: ExamContent,
        session: Session,
        candidate: Candidate,
        *,
        attempt_id: str,
        seed: int,
        clock: Clock | None = None,
        version_id: str | None = None,
        seen: Collection[str] = (),
    ) -> LiveAttempt:
        """Start a candidate's attempt under ``version_id`` (default: the session's).

        A v2 version draws the test from the candidate's profile, avoiding the ``seen`` item
        ids; a profile that is not certifiable is refused (``AttemptError``) before anything
        is written to the journal."""
        clock = clock or SystemClock()
        version = _version(content, version_id or session.version_id)
        attempt = Attempt(version, content.bank)
        started = attempt.check_in(
            attempt_id=attempt_id,
            candidate_id=candidate.id,
            session_id=session.id,
            package_id=content.package_id,
            extra_time_percentage=candidate.extra_time_percentage,
            accessible_only=candidate.accessibility_adjustment,
            seed=seed,
            now=clock.now(),
            v2_profile=candidate.v2_profile,
            v2_pix_scores=candidate.v2_pix_scores,
            seen=seen,
        )
        journal.create_attempt(
            attempt_id,
            {
                "session_id": session.id,
                "candidate_id": candidate.id,
                "version_id": version.id,
                "package_id": content.package_id,
                "demo": session.demo,
            },
        )
        live = cls(journal, attempt_id, attempt, clock)
        live.act(lambda _now: started)
        return live

    @classmethod
    def reopen(
        cls, journal: Journal, content: ExamContent, attempt_id: str, *, clock: Clock | None = None
    ) -> LiveAttempt:
        """Rebuild an attempt from its journal and record the restart (gap not counted)."""
        clock = clock or SystemClock()
        stored = journal.events(attempt_id)
        if not stored:
            raise AttemptError(
                "attempt.empty_journal",
                f"Aucun événement pour l'épreuve {attempt_id}.",
                f"No events for attempt {attempt_id}.",
            )
        version = _version(content, str(stored[0].payload["version_id"]))
        attempt = Attempt(version, content.bank)
        attempt.replay(from_stored(e) for e in stored)
        live = cls(journal, attempt_id, attempt, clock)
        gap = max(0, clock.now().wall_ms - stored[-1].wall_time_ms)
        live.act(lambda now: attempt.restart(gap, now))
        return live

    @property
    def phase(self) -> Phase:
        return self.attempt.state.phase

    def act(self, decide: Callable[[Instant], list[Event]]) -> list[StoredEvent]:
        """Run one decision: journal its events durably, then apply them.

        A ``JournalError`` of ``WRITE_FAILURES`` leaves the attempt as it was before the
        decision, locked (or to be locked) for the invigilator, and is raised again."""
        if self.write_failed_at is not None:
            self._lock(self.write_failed_at)
        now = self.clock.now()
        events = decide(now)
        if not events:
            return []
        try:
            return self._commit(events, now)
        except JournalError as error:
            if error.code in WRITE_FAILURES and self.phase in _LOCKABLE:
                self._lock_after_failure(now)
            raise

    def _commit(self, events: list[Event], now: Instant) -> list[StoredEvent]:
        stored = self.journal.append(self.attempt_id, [to_new_event(e) for e in events])
        for event in events:
            self.attempt.apply(event, now)
        for record in stored:
            if record.kind == "ended":
                self.ended_hash = record.hash
        return stored

    def _lock_after_failure(self, failed_at: Instant) -> None:
        """Give the disk reserve back and write the lock; if even that fails, the next
        action writes it first."""
        self.write_failed_at = failed_at
        self.journal.release_reserve()
        with contextlib.suppress(JournalError):
            self._lock(failed_at)

    def _lock(self, at: Instant) -> None:
        self._commit(self.attempt.lock(WRITE_FAILED, at), at)
        self.write_failed_at = None

    def remaining_ms(self) -> int:
        return self.attempt.remaining_ms(self.clock.now())

    def receipt(self) -> str | None:
        """The candidate's receipt code (``chain.receipt_code``) once the attempt ended."""
        if self.ended_hash is None:
            return None
        return receipt_code(self.attempt_id, self.ended_hash.hex())

    def result(self) -> dict[str, Any] | None:
        return self.attempt.state.result


def _version(content: ExamContent, version_id: str) -> CertificationVersion:
    try:
        return content.versions[version_id]
    except KeyError:
        raise AttemptError(
            "attempt.unknown_version",
            f"Version de certification inconnue dans le paquet : {version_id}.",
            f"Certification version not in the package: {version_id}.",
        ) from None
