from __future__ import annotations

from pixdesk.engine.timer import ExamTimer, Instant, limit_ms, scaled_item_timer_ms


def test_only_running_time_counts() -> None:
    timer = ExamTimer(limit_ms=10_000).run(Instant(0, 0))
    timer = timer.stop(Instant(4_000, 4_000))
    assert timer.used_at(Instant(900_000, 900_000)) == 4_000
    timer = timer.run(Instant(1_000_000, 1_000_000))
    assert timer.remaining_at(Instant(1_005_000, 1_005_000)) == 1_000
    assert timer.expired_at(Instant(1_006_000, 1_006_000))


def test_wall_clock_jump_is_measured_not_counted() -> None:
    timer = ExamTimer(limit_ms=60_000).run(Instant(0, 0))
    now = Instant(2_000, 7_200_000 + 2_000)
    assert timer.wall_jump_ms(now) == 7_200_000
    assert timer.used_at(now) == 2_000


def test_limits_scale_with_extra_time() -> None:
    assert limit_ms(105, 0) == 105 * 60_000
    assert limit_ms(105, 33) == 140 * 60_000
    assert scaled_item_timer_ms(60, 33) == 79_800
