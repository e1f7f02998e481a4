"""Waiting rules: full-jitter backoff bounds, Retry-After parsing, the connectivity watcher."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from pixdesk.sync.client import RetryPolicy, parse_retry_after
from pixdesk.sync.watcher import ConnectivityWatcher


def test_backoff_is_full_jitter_under_a_capped_exponential_bound() -> None:
    policy = RetryPolicy(base_s=0.5, cap_s=8.0)
    rng = random.Random(1)
    for failures, bound in [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (30, 8.0)]:
        waits = [policy.backoff(failures, rng) for _ in range(400)]
        assert all(0.0 <= w <= bound for w in waits)
        assert max(waits) > 0.8 * bound and min(waits) < 0.2 * bound


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 5, 6, 10, 0, 0, tzinfo=UTC).timestamp()
    later = format_datetime(datetime(2026, 5, 6, 10, 0, 42, tzinfo=UTC), usegmt=True)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(later, now) == 42.0
    assert parse_retry_after("Wed, 06 May 2026 09:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_watcher_backs_off_while_down_and_reports_the_way_back_once() -> None:
    clock, answers, probes = FakeClock(), iter([False, False, False, True, True]), []

    def probe() -> bool:
        probes.append(clock.now)
        return next(answers)

    watcher = ConnectivityWatcher(probe, clock=clock, rng=random.Random(3), base_s=2.0,
                                  cap_s=5.0, online_every_s=30.0)
    seen = [watcher.poll()]
    assert seen[0].probed and seen[0].online is False and not seen[0].came_back
    assert watcher.seconds_until_due() > 0 and not watcher.poll().probed
    bounds = []
    while len(probes) < 5:
        bounds.append(watcher.seconds_until_due())
        clock.now += watcher.seconds_until_due()
        seen.append(watcher.poll())
    assert [s.came_back for s in seen if s.probed] == [False, False, False, True, False]
    assert bounds[0] <= 2.0 and bounds[1] <= 4.0 and bounds[2] <= 5.0
    assert bounds[3] == pytest.approx(30.0)
    assert watcher.online is True


def test_force_makes_the_next_poll_probe() -> None:
    clock = FakeClock()
    watcher = ConnectivityWatcher(lambda: True, clock=clock, online_every_s=30.0)
    assert watcher.poll().probed
    assert not watcher.poll().probed
    watcher.force()
    assert watcher.poll().probed
