from __future__ import annotations

import math

import numpy as np
import pytest

from pixdesk.engine.bank import Bank, ChoiceSolution, Item, ItemType
from pixdesk.engine.irt import (
    Estimator,
    capped_move,
    information,
    log_probabilities,
    probability,
    start_theta,
)
from pixdesk.engine.synthetic import synthetic_bank
from pixdesk.engine.version import PRESETS, EstimationSettings

CLASSIC = EstimationSettings(
    grid_min=-6.0, grid_max=6.0, grid_points=121, start_theta=0.0, prior_mean=0.3,
    prior_variance=1.2, recentre_prior=False, variation_percent=None,
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return synthetic_bank(200, seed=3)


def brute_force_posterior(
    bank: Bank, answers: list[tuple[int, bool]], centre: float, variance: float
) -> tuple[float, float]:
    """Mean and SD of the posterior by a 20,001-point trapezoid on [−10, 10]."""
    x = np.linspace(-10.0, 10.0, 20_001)
    log_post = -0.5 * (x - centre) ** 2 / variance
    for row, correct in answers:
        z = bank.a[row] * (x - bank.b[row])
        log_post += -np.logaddexp(0.0, -z) if correct else -np.logaddexp(0.0, z)
    w = np.exp(log_post - log_post.max())
    mass = np.trapezoid(w, x)
    mean = np.trapezoid(w * x, x) / mass
    return float(mean), float(np.sqrt(np.trapezoid(w * (x - mean) ** 2, x) / mass))


def test_probability_and_information_match_the_2pl_formulas() -> None:
    a, b = np.array([1.5, 2.0]), np.array([0.5, -1.0])
    # θ = b gives p = 1/2 and information a²/4; θ = 0 for item 2: 1/(1+e^(2·(−1−0))) = 1/(1+e^−2).
    assert probability(a, b, 0.5)[0] == pytest.approx(0.5)
    assert information(a, b, 0.5)[0] == pytest.approx(1.5**2 / 4)
    assert probability(a, b, 0.0)[1] == pytest.approx(1 / (1 + math.exp(-2.0)))


def test_log_tables_stay_finite_where_one_minus_p_would_cancel() -> None:
    log_p, log_q = log_probabilities(np.array([3.0]), np.array([0.0]), np.array([-20.0, 20.0]))
    assert log_q[0, 1] == pytest.approx(-60.0)  # log(1 − p) at z = 60, exactly −60 to 1e-26
    assert log_p[0, 0] == pytest.approx(-60.0)
    assert np.isfinite(log_p).all() and np.isfinite(log_q).all()


def test_classic_eap_matches_a_fine_numerical_integration(bank: Bank) -> None:
    rng = np.random.default_rng(5)
    answers = [(int(r), bool(rng.random() < 0.6)) for r in rng.choice(len(bank), 20, False)]
    state = Estimator(CLASSIC, bank).replay(answers)
    mean, sd = brute_force_posterior(bank, answers, centre=0.3, variance=1.2)
    assert state.theta == pytest.approx(mean, abs=1e-6)
    assert state.sd == pytest.approx(sd, abs=1e-6)


def test_recentred_prior_follows_the_previous_estimate(bank: Bank) -> None:
    settings = EstimationSettings(
        grid_min=-9.0, grid_max=9.0, grid_points=181, start_theta=-1.0, prior_variance=1.5,
        recentre_prior=True, variation_percent=None,
    )
    estimator = Estimator(settings, bank)
    answers = [(1, True), (7, False), (12, True)]
    state = estimator.start(-1.0)
    for k, (row, correct) in enumerate(answers):
        previous = state.theta
        state = estimator.update(state, row, correct)
        mean, sd = brute_force_posterior(bank, answers[: k + 1], centre=previous, variance=1.5)
        assert state.theta == pytest.approx(mean, abs=1e-5)
        assert state.sd == pytest.approx(sd, abs=1e-5)


@pytest.mark.parametrize(
    ("previous", "proposed", "expected"),
    [(-3.0, 2.0, -1.5), (-3.0, -9.0, -4.5), (0.2, 3.0, 0.7), (0.2, -3.0, -0.3), (1.0, 1.2, 1.2)],
)
def test_pix_cap_limits_each_move(previous: float, proposed: float, expected: float) -> None:
    # |θ| ≥ 0.5 → ±|θ|·0.5 (−3 → ±1.5); |θ| < 0.5 → ±0.5.
    assert capped_move(previous, proposed, 0.5) == pytest.approx(expected)


def test_pix_estimator_starts_at_minus_three_and_moves_at_most_half_of_theta(bank: Bank) -> None:
    estimator = Estimator(PRESETS["pix-v3"].estimation, bank)
    state = estimator.update(estimator.start(-3.0), int(np.argmax(bank.b)), True)
    assert state.theta == pytest.approx(-1.5)


@pytest.mark.parametrize("correct", [True, False])
def test_no_underflow_after_32_answers_at_an_extreme_theta(correct: bool) -> None:
    extreme = synthetic_bank(64, seed=9)
    for preset in ("pix-v3", "precise"):
        estimator = Estimator(PRESETS[preset].estimation, extreme)
        answers = [(row, correct) for row in range(32)]
        state = estimator.replay(answers)
        assert math.isfinite(state.theta) and math.isfinite(state.sd) and state.sd > 0
        assert (state.theta > 2.0) if correct else (state.theta < -2.0)


def test_old_states_survive_later_updates(bank: Bank) -> None:
    estimator = Estimator(CLASSIC, bank)
    first = estimator.update(estimator.start(0.0), 0, True)
    snapshot = first.log_likelihood.copy()
    estimator.update(first, 1, False)
    assert np.array_equal(first.log_likelihood, snapshot)
    with pytest.raises(ValueError):
        first.log_likelihood[0] = 1.0


def test_start_theta_jitter_stays_within_its_half_width() -> None:
    rng = np.random.default_rng(1)
    settings = EstimationSettings(start_theta=0.0, start_theta_jitter=0.5)
    draws = [start_theta(settings, rng) for _ in range(200)]
    assert all(-0.5 <= d <= 0.5 for d in draws) and np.std(draws) > 0.2
    assert start_theta(EstimationSettings(), rng) == -3.0


# --- Pix's reported error rate (issue #17) ---------------------------------------------------


def _three_point_estimator(variation_percent: float | None) -> Estimator:
    """Grid {−1, 0, 1}, prior N(0, 1.5), one item a = 1, b = 0: small enough to work by hand."""
    settings = EstimationSettings(grid_min=-1.0, grid_max=1.0, grid_points=3, start_theta=0.0,
                                  variation_percent=variation_percent)
    item = Item(id="i", competence="1.1", tube="@t", skill="@t1", level=1, type=ItemType.QCU,
                prompt="?", solution=ChoiceSolution(frozenset({1})), discriminant=1.0,
                difficulty=0.0, proposals=("a", "b"))
    return Estimator(settings, Bank([item]))


def test_error_rate_is_the_posterior_spread_less_the_class_interval_correction() -> None:
    """Posterior ∝ prior e^(−x²/3) × P(x) = 1/(1 + e^(−x)) at x = −1, 0, 1:
    w = (0.192705, 0.5, 0.523826) / 1.216531, mean 0.272185, variance 0.514911.
    Uncapped θ̂ = mean: error = √(0.514911 − (9/80)²/12) = √(0.514911 − 0.001055) = 0.716838;
    the posterior SD is √0.514911 = 0.717573."""
    estimator = _three_point_estimator(None)
    state = estimator.update(estimator.start(0.0), 0, True)
    assert state.theta == pytest.approx(0.272185, abs=1e-6)
    assert state.error_rate == pytest.approx(0.716838, abs=1e-6)
    assert state.sd == pytest.approx(0.717573, abs=1e-6)


def test_error_rate_is_measured_around_the_reported_capped_theta() -> None:
    """Cap 0.1 from θ = 0: θ̂ = 0.1, Σw(x − 0.1)² = 0.514911 + 0.172185² = 0.544559,
    error = √(0.544559 − 0.001055) = 0.737227."""
    estimator = _three_point_estimator(0.1)
    state = estimator.update(estimator.start(0.0), 0, True)
    assert state.theta == pytest.approx(0.1)
    assert state.error_rate == pytest.approx(0.737227, abs=1e-6)


def test_before_any_answer_the_error_rate_is_pix_s_default_five() -> None:
    estimator = Estimator(PRESETS["pix-v3"].estimation, synthetic_bank(50, seed=1))
    start = estimator.start(-3.0)
    assert start.error_rate == 5.0
    assert start.sd == pytest.approx(math.sqrt(1.5))
