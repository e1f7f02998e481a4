"""The score's precision in Pix: θ̂ ± the reported error mapped through the scoring
function, half the distance between the two scores."""

from __future__ import annotations

from pixdesk.demo import load_demo
from pixdesk.engine.scoring import score_theta
from pixdesk.server.rescoring import pix_error


def test_precision_is_half_the_score_distance_between_theta_minus_and_plus_its_error() -> None:
    scoring = next(iter(load_demo().content.versions.values())).scoring
    low, _ = score_theta(scoring, 0.4 - 0.3)
    high, _ = score_theta(scoring, 0.4 + 0.3)
    assert high > low
    assert pix_error(scoring, {"theta": 0.4, "sd": 0.3}) == round((high - low) / 2)


def test_precision_shrinks_with_the_error_and_is_clamped_at_the_scale_ends() -> None:
    scoring = next(iter(load_demo().content.versions.values())).scoring
    wide = pix_error(scoring, {"theta": 0.0, "sd": 0.6})
    narrow = pix_error(scoring, {"theta": 0.0, "sd": 0.2})
    assert wide is not None and narrow is not None and wide > narrow > 0
    top, _ = score_theta(scoring, 99.0)
    at_top = pix_error(scoring, {"theta": 99.0, "sd": 0.5})
    assert at_top == 0 and top == scoring.max_score


def test_a_result_without_an_error_has_no_precision() -> None:
    scoring = next(iter(load_demo().content.versions.values())).scoring
    assert pix_error(scoring, {"theta": 0.0, "sd": 0.0}) is None
    assert pix_error(scoring, {"score": 300}) is None
