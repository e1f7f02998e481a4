"""The exam time budget, computed from monotonic readings the caller passes in.

Exam time is the sum of monotonic deltas while the attempt runs. Pauses, lock screens and
the gap between a crash and the restart are not counted, and the wall clock never is:
a wall-clock jump is only reported (``wall_jump_ms``) so the caller can journal it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pixdesk.engine.version import limit_minutes

CLOCK_ANOMALY_THRESHOLD_MS = 120_000
"""Wall and monotonic clocks disagreeing by more than this is journaled as an anomaly."""


@dataclass(frozen=True, slots=True)
class Instant:
    """One reading of both clocks: monotonic milliseconds (process-local) and wall time."""

    mono_ms: int
    wall_ms: int


@dataclass(frozen=True, slots=True)
class ExamTimer:
    """Exam time used so far and, while running, the monotonic anchor it counts from.

    The anchor is process-local: after a restart it is ``None`` until the attempt resumes,
    so the crash gap is never counted. Every event of a replay settles the timer, so the
    new values are built directly rather than through ``dataclasses.replace``.
    """

    limit_ms: int
    used_ms: int = 0
    anchor: Instant | None = None

    @property
    def running(self) -> bool:
        return self.anchor is not None

    def used_at(self, now: Instant) -> int:
        if self.anchor is None:
            return self.used_ms
        return self.used_ms + max(0, now.mono_ms - self.anchor.mono_ms)

    def remaining_at(self, now: Instant) -> int:
        return max(0, self.limit_ms - self.used_at(now))

    def expired_at(self, now: Instant) -> bool:
        return self.used_at(now) >= self.limit_ms

    def run(self, now: Instant) -> ExamTimer:
        return ExamTimer(self.limit_ms, self.used_at(now), now)

    def stop(self, now: Instant) -> ExamTimer:
        return ExamTimer(self.limit_ms, self.used_at(now), None)

    def settle(self, used_ms: int, now: Instant | None) -> ExamTimer:
        """Adopt the exam time recorded in an event, re-anchoring if still running."""
        return ExamTimer(self.limit_ms, used_ms, now if self.anchor is not None else None)

    def extend(self, extra_ms: int) -> ExamTimer:
        return ExamTimer(self.limit_ms + extra_ms, self.used_ms, self.anchor)

    def wall_jump_ms(self, now: Instant) -> int:
        """How far the wall clock moved beyond what the monotonic clock measured."""
        if self.anchor is None:
            return 0
        mono = now.mono_ms - self.anchor.mono_ms
        wall = now.wall_ms - self.anchor.wall_ms
        return wall - mono


def limit_ms(duration_minutes: int, extra_time_percentage: float) -> int:
    """The candidate's budget: duration × (1 + p/100), rounded up to the minute."""
    return limit_minutes(duration_minutes, extra_time_percentage) * 60_000


def scaled_item_timer_ms(timer_seconds: int, extra_time_percentage: float) -> int:
    """A timed question's own limit, scaled by the same extra time as the exam."""
    return round(timer_seconds * 1000 * (1 + extra_time_percentage / 100))
