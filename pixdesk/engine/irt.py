"""The 2PL model and the EAP ability estimator on a grid.

Every likelihood is kept in log space: a product of 32 probabilities at an extreme θ
underflows a float64 long before the posterior mean does, so the estimator adds
precomputed log P / log Q rows and normalises with ``exp(lp − max)``. The tables are built
once per (settings, bank) so that one answer costs O(grid), whatever the bank size.

Two behaviours share the code, both driven by ``EstimationSettings``:

* Pix's: a Gaussian prior re-centred on the previous estimate after every answer, and each
  move capped by ``variation_percent``. The prior then acts as a brake, not as a population
  model, which is why the −3 start still shows after 32 answers.
* The classic EAP: one fixed prior N(prior_mean, prior_variance), no cap — the estimator
  whose posterior mean minimises the mean squared error over that population.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pixdesk.engine.bank import Bank, FloatArray
from pixdesk.engine.version import EstimationSettings


def probability(a: FloatArray, b: FloatArray, theta: float | FloatArray) -> FloatArray:
    """P(correct) = 1 / (1 + exp(a·(b − θ))), broadcast over items and abilities."""
    result: FloatArray = 1.0 / (1.0 + np.exp(a * (b - theta)))
    return result


def information(a: FloatArray, b: FloatArray, theta: float | FloatArray) -> FloatArray:
    """Fisher information a²·P·(1 − P), the precision an item adds at θ, computed as
    (a²/2) / (1 + cosh(a·(b − θ))): the same quantity with one transcendental call instead
    of an exponential and four passes, and an overflowing cosh gives the true limit 0.
    ``pixdesk.engine.selection`` computes it in place with the same operations, bit for bit."""
    z: FloatArray = a * (b - theta)
    np.cosh(z, out=z)
    z += 1.0
    result: FloatArray = (a * a * 0.5) / z
    return result


def log_probabilities(
    a: FloatArray, b: FloatArray, grid: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(log P, log Q) tables of shape (items, grid), without the log(1 − p) cancellation."""
    z = a[:, None] * (grid[None, :] - b[:, None])
    log_p: FloatArray = -np.logaddexp(0.0, -z)
    log_q: FloatArray = -np.logaddexp(0.0, z)
    return np.ascontiguousarray(log_p), np.ascontiguousarray(log_q)


@dataclass(frozen=True, slots=True)
class EstimatorState:
    """The estimate after some answers; ``log_likelihood`` is read-only so old states stay
    valid after later updates (the attempt keeps them for undo-free replay)."""

    theta: float
    sd: float
    """Posterior standard deviation (the error reported under rules 1)."""
    log_likelihood: FloatArray
    answered: int = 0
    error_rate: float = 0.0
    """Pix's error rate (reported under rules 2): the posterior spread around the reported
    θ with the class-interval correction, or the setting's no-answer value before any answer."""


def start_theta(settings: EstimationSettings, rng: np.random.Generator) -> float:
    """The starting ability, with the optional uniform jitter that spreads first items."""
    jitter = settings.start_theta_jitter
    if jitter <= 0.0:
        return settings.start_theta
    return settings.start_theta + float(rng.uniform(-jitter, jitter))


def capped_move(previous: float, proposed: float, variation_percent: float | None) -> float:
    """Pix's brake, as CERTIFICATION.md states it: ±variation when |previous| < variation,
    else ±|previous|·variation (so the allowed step dips just above |θ| = variation)."""
    if variation_percent is None:
        return proposed
    size = abs(previous)
    limit = variation_percent if size < variation_percent else size * variation_percent
    return min(max(proposed, previous - limit), previous + limit)


_max = np.maximum.reduce
_sum = np.add.reduce


class Estimator:
    """EAP on a fixed grid for one bank; built once, then ``update`` is O(grid)."""

    def __init__(self, settings: EstimationSettings, bank: Bank) -> None:
        if settings.grid_points < 2 or settings.grid_max <= settings.grid_min:
            raise ValueError("the estimation grid needs two points and grid_max > grid_min")
        if settings.prior_variance <= 0.0:
            raise ValueError("prior_variance must be positive")
        self.settings = settings
        self.grid: FloatArray = np.linspace(
            settings.grid_min, settings.grid_max, settings.grid_points
        )
        self._grid_squared: FloatArray = self.grid * self.grid
        self._half_grid_squared_over_variance: FloatArray = self._grid_squared / (
            2.0 * settings.prior_variance
        )
        self._prior_variance = settings.prior_variance
        self.log_p, self.log_q = log_probabilities(bank.a, bank.b, self.grid)
        self._log_p_rows: list[FloatArray] = list(self.log_p)
        self._log_q_rows: list[FloatArray] = list(self.log_q)
        self._fixed_log_prior: FloatArray | None = None
        if not settings.recentre_prior:
            centre = 0.0 if settings.prior_mean is None else settings.prior_mean
            self._fixed_log_prior = self._log_prior(centre)

    def _log_prior(self, centre: float) -> FloatArray:
        """log N(centre, v) on the grid up to a constant: (x·c − x²/2)/v."""
        result: FloatArray = self.grid * (centre / self._prior_variance)
        result -= self._half_grid_squared_over_variance
        return result

    def _posterior(
        self, log_likelihood: FloatArray, centre: float
    ) -> tuple[float, float, float]:
        """Posterior mean, variance and second moment Σw·x². Moments use Σw·x and Σw·x² so
        one step stays ~10 numpy calls (the variance cancellation is harmless: grid² ≤ 81,
        SD ≥ 0.1). The weights are built in the re-centred prior's own array (addition
        commutes bit for bit), ``np.dot`` is the same ddot as ``@`` without the matmul
        dispatch, and the ufunc reductions are what ``ndarray.max``/``sum`` call, without
        their Python wrappers."""
        fixed_log_prior = self._fixed_log_prior
        if fixed_log_prior is None:
            w = self._log_prior(centre)
            w += log_likelihood
        else:
            w = log_likelihood + fixed_log_prior
        w -= _max(w)
        np.exp(w, out=w)
        total = float(_sum(w))
        mean = float(np.dot(w, self.grid)) / total
        second = float(np.dot(w, self._grid_squared)) / total
        return mean, second - mean * mean, second

    def start(self, start_theta: float) -> EstimatorState:
        """Before any answer: θ is the starting point; the posterior SD is the prior's
        spread, Pix's error rate its no-answer value."""
        log_likelihood = np.zeros(self.grid.size)
        log_likelihood.flags.writeable = False
        return EstimatorState(
            theta=float(start_theta),
            sd=float(np.sqrt(self.settings.prior_variance)),
            log_likelihood=log_likelihood,
            error_rate=self.settings.no_answer_error_rate,
        )

    def update(self, state: EstimatorState, row: int, correct: bool) -> EstimatorState:
        """Fold one answer to bank row ``row`` into a new state; ``state`` is untouched."""
        log_likelihood = state.log_likelihood + (
            self._log_p_rows if correct else self._log_q_rows
        )[row]
        log_likelihood.setflags(write=False)
        mean, variance, second = self._posterior(log_likelihood, state.theta)
        theta = capped_move(state.theta, mean, self.settings.variation_percent)
        spread = second - 2.0 * theta * mean + theta * theta
        interval = self.settings.error_class_interval
        return EstimatorState(
            theta=theta,
            sd=math.sqrt(max(variance, 0.0)),
            log_likelihood=log_likelihood,
            answered=state.answered + 1,
            error_rate=math.sqrt(max(spread - interval * interval / 12.0, 0.0)),
        )

    def replay(
        self, answers: Iterable[tuple[int, bool]], start: float | None = None
    ) -> EstimatorState:
        """The state after ``answers`` (row, correct) from ``start`` (default: the setting's
        start θ without jitter, so that re-scoring is deterministic)."""
        state = self.start(self.settings.start_theta if start is None else start)
        for row, correct in answers:
            state = self.update(state, row, correct)
        return state
