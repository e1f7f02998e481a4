"""The exam desk: the journal and the live attempt, used only from the writer thread.

Widgets never read the attempt itself (it changes on another thread); after every intent
the desk hands back a frozen ``Snapshot`` that the screens render.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pixdesk.engine.attempt import Alert, Attempt, Event, Phase
from pixdesk.engine.bank import Answer, Item
from pixdesk.engine.matching import validate_answer
from pixdesk.engine.status import EndReason
from pixdesk.engine.timer import Instant
from pixdesk.errors import AttemptError, PixdeskError
from pixdesk.exam import Clock, ExamContent, LiveAttempt
from pixdesk.session import Candidate, Session
from pixdesk.store.journal import Journal, StoredEvent, disk_full

SECOND_SITTING = "second_sitting_authorised"
"""The security-event ``what`` journaled when the invigilator lets a candidate sit again."""

Intent = Callable[[Attempt, Instant], list[Event]]
"""One engine decision bound to the attempt, e.g. ``lambda a, now: a.pause(now)``."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One journaled event for the invigilator: its kind, its own wall-clock time, and
    the security event's ``what`` or the lock's reason when it has one."""

    kind: str
    wall_ms: int
    detail: str = ""
    minutes: int = 0
    from_console: bool = False
    """Applied from the room console (not typed in this PC's panel) during this run."""


def history_entry(event: StoredEvent) -> HistoryEntry:
    payload = event.payload
    detail = str(
        payload.get("what") or payload.get("reason") or payload.get("category")
        or payload.get("outcome") or ""
    )
    minutes = payload.get("minutes")
    return HistoryEntry(
        event.kind, event.wall_time_ms, detail, minutes if isinstance(minutes, int) else 0
    )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the screens show of an attempt, read on the writer thread after an intent."""

    attempt_id: str
    phase: Phase
    locked_from: Phase | None
    question_number: int
    length: int
    item: Item | None
    remaining_ms: int
    limit_ms: int
    item_remaining_ms: int | None
    item_focus_lost: bool
    extra_time_percentage: float
    end_reason: EndReason | None
    result: dict[str, Any] | None
    show_score: bool
    history: tuple[tuple[str, int], ...]
    events: tuple[HistoryEntry, ...] = ()
    candidate_name: str = ""
    extra_minutes: int = 0
    item_timed_out: bool = False
    item_started: bool = True
    """False while a timed question waits for the candidate's "Commencer"."""
    receipt: str | None = None
    """The candidate's receipt code once the attempt ended (``LiveAttempt.receipt``)."""
    alerts: tuple[Alert, ...] = ()
    """Every live alert of the attempt, open or closed, in the order raised."""

    @property
    def open_alerts(self) -> tuple[Alert, ...]:
        if self.phase is Phase.ENDED:
            return ()
        return tuple(a for a in self.alerts if a.outcome is None)

    @property
    def started_limit_minutes(self) -> int:
        """The candidate's own budget (extra time included), as told before the start."""
        return self.limit_ms // 60_000


class ExamDesk:
    """Owns the journal and at most one live attempt (one candidate per PC)."""

    def __init__(
        self,
        session: Session,
        content: ExamContent,
        clock: Clock | None = None,
        *,
        allow_file_key: bool = False,
    ) -> None:
        self.session = session
        self.allow_file_key = allow_file_key
        self.content = content
        self.clock = clock
        self.journal: Journal | None = None
        self.live: LiveAttempt | None = None
        self._events: list[HistoryEntry] = []
        self._candidate: Candidate | None = None

    def open(self, data_dir: Path, *, demo: bool) -> None:
        self.journal = Journal.open(data_dir, allow_file_key=self.allow_file_key, demo=demo)

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    def check_access_code(self, code: str) -> bool:
        return self.session.check_access_code(code)

    def check_password(self, password: str) -> bool:
        return self.session.check_invigilator_password(password)

    def check_in(
        self, last_name: str, first_name: str, birth_date: str, *, second_sitting: bool = False
    ) -> Snapshot:
        """Match the candidate, then start an attempt, or take up their unfinished one.

        A candidate whose attempt in this session has ended is refused
        (``ui.attempt_already_ended``): sitting again needs ``second_sitting``, which only
        the invigilator's password unlocks, and the new attempt journals that override."""
        candidate = self.session.find_candidate(last_name, first_name, birth_date)
        journal = self._journal()
        unfinished = self._unfinished_attempt(journal, candidate)
        ended = self._ended_attempt(journal, candidate)
        if unfinished is None and ended is not None and not second_sitting:
            raise AttemptError(
                "ui.attempt_already_ended",
                "Ce candidat a déjà terminé son test dans cette session. Un nouveau passage "
                "demande l'accord du surveillant.",
                "This candidate has already finished their test in this session. Sitting "
                "again needs the invigilator's approval.",
            )
        if unfinished is not None:
            self.live = LiveAttempt.reopen(journal, self.content, unfinished, clock=self.clock)
        else:
            attempt_id = f"{self.session.id}-{candidate.id}-{uuid.uuid4().hex[:12]}"
            self.live = LiveAttempt.check_in(
                journal,
                self.content,
                self.session,
                candidate,
                attempt_id=attempt_id,
                seed=secrets.randbelow(2**31),
                clock=self.clock,
            )
            if ended is not None:
                previous = ended
                self.live.act(
                    lambda now: self._live().attempt.security_event(
                        SECOND_SITTING, {"previous_attempt_id": previous}, now
                    )
                )
        self._candidate = candidate
        self._events = [history_entry(e) for e in journal.events(self.live.attempt_id)]
        return self.snapshot()

    def next_candidate(self) -> None:
        """Let the PC take the next candidate once this one's attempt has ended."""
        if self.live is not None and self.live.phase is not Phase.ENDED:
            raise AttemptError(
                "ui.attempt_not_ended",
                "Le test du candidat en cours n'est pas terminé.",
                "The current candidate's test has not ended.",
            )
        self.live = None
        self._candidate = None
        self._events = []

    def act(self, intent: Intent) -> Snapshot:
        live = self._live()
        stored = live.act(lambda now: intent(live.attempt, now))
        self._events.extend(history_entry(e) for e in stored)
        return self.snapshot()

    def apply(self, run: Callable[[LiveAttempt], list[StoredEvent]], *,
              from_console: bool = False) -> Snapshot:
        """Run something that journals on the live attempt itself (a room command through
        ``pixdesk.roomlink.apply_command``) and keep its events in the history."""
        stored = run(self._live())
        self._events.extend(replace(history_entry(e), from_console=from_console)
                            for e in stored)
        return self.snapshot()

    def unlock_after_write_failure(self) -> Snapshot:
        """Lift a lock the journal's write failure caused, but only once the disk has room
        again (its reserve is back): else the next answer would fail the same way."""
        journal = self._journal()
        if not journal.keep_reserve():
            raise disk_full(journal.path.parent)
        return self.act(lambda a, now: a.unlock(now) if a.state.phase is Phase.LOCKED else [])

    def submit(self, answer: Answer) -> Snapshot:
        live = self._live()
        item = live.attempt.current_item
        if item is not None:
            validate_answer(item, answer)
        return self.act(lambda a, now: a.submit(answer, now))

    def tick(self, draft: Answer | None) -> Snapshot | None:
        """Heartbeats and time up. A valid draft on screen when time runs out is submitted,
        so the engine keeps it (as a late, uncounted answer) instead of losing it."""
        live = self.live
        if live is None:
            return None
        attempt = live.attempt
        now = live.clock.now()
        running = attempt.state.phase is Phase.RUNNING
        expired = running and attempt.remaining_ms(now) == 0
        if expired and draft is not None and attempt.current_item is not None:
            try:
                return self.submit(draft)
            except PixdeskError:
                pass
        if running and not expired and attempt.item_remaining_ms(now) == 0:
            self.act(lambda a, at: a.time_out(draft, at))
            return replace(self.snapshot(), item_timed_out=True)
        return self.act(lambda a, at: a.tick(at))

    def snapshot(self) -> Snapshot:
        live = self._live()
        attempt = live.attempt
        state = attempt.state
        now = live.clock.now()
        return Snapshot(
            attempt_id=live.attempt_id,
            phase=state.phase,
            locked_from=state.locked_from,
            question_number=min(attempt.question_number, attempt.test_length),
            length=attempt.test_length,
            item=attempt.current_item,
            remaining_ms=attempt.remaining_ms(now),
            limit_ms=state.timer.limit_ms,
            item_remaining_ms=attempt.item_remaining_ms(now),
            item_focus_lost=state.current_focus_lost,
            item_started=attempt.item_started,
            extra_time_percentage=float(state.facts.get("extra_time_percentage", 0.0)),
            end_reason=state.end_reason,
            result=dict(state.result) if state.result is not None else None,
            show_score=attempt.version.scoring.show_score_to_candidate,
            history=tuple((str(kind), used) for kind, used in state.history),
            events=tuple(self._events),
            candidate_name=(
                f"{self._candidate.first_name} {self._candidate.last_name}"
                if self._candidate is not None else ""
            ),
            extra_minutes=sum(e.minutes for e in self._events if e.kind == "time_extended"),
            receipt=live.receipt(),
            alerts=tuple(state.alerts.values()),
        )

    def _unfinished_attempt(self, journal: Journal, candidate: Candidate) -> str | None:
        for attempt_id, last_kind in self._attempts_of(journal, candidate):
            if last_kind != "ended":
                return attempt_id
        return None

    def _ended_attempt(self, journal: Journal, candidate: Candidate) -> str | None:
        for attempt_id, last_kind in self._attempts_of(journal, candidate):
            if last_kind == "ended":
                return attempt_id
        return None

    def _attempts_of(self, journal: Journal, candidate: Candidate) -> list[tuple[str, str]]:
        """The candidate's attempts in this session, newest first, with their last event."""
        found = []
        for info in reversed(journal.attempts()):
            meta = info.meta
            if meta.get("session_id") != self.session.id:
                continue
            if meta.get("candidate_id") != candidate.id:
                continue
            events = journal.events(info.attempt_id)
            if events:
                found.append((info.attempt_id, str(events[-1].kind)))
        return found

    def _journal(self) -> Journal:
        if self.journal is None:
            raise AttemptError(
                "ui.journal_closed",
                "Le journal n'est pas ouvert.",
                "The journal is not open.",
            )
        return self.journal

    def _live(self) -> LiveAttempt:
        if self.live is None:
            raise AttemptError(
                "ui.no_attempt",
                "Aucun candidat n'est installé sur ce poste.",
                "No candidate is checked in on this computer.",
            )
        return self.live
