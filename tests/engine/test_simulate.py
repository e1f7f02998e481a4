from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from pixdesk.cli import main
from pixdesk.engine.bank import Bank, ChoiceSolution, Item, ItemType
from pixdesk.engine.framework import COMPETENCE_COUNT, COMPETENCE_IDS
from pixdesk.engine.irt import information
from pixdesk.engine.simulate import best_information, calibrate_sympson_hetter, simulate
from pixdesk.engine.synthetic import level_of_difficulty, synthetic_bank
from pixdesk.engine.version import PRESETS


def test_synthetic_bank_is_reproducible_and_shaped_like_pix() -> None:
    bank = synthetic_bank(800, seed=4)
    again = synthetic_bank(800, seed=4)
    assert np.array_equal(bank.a, again.a) and np.array_equal(bank.b, again.b)
    assert set(np.unique(bank.competence)) == set(range(COMPETENCE_COUNT))
    assert bank.tube_count >= 3 * COMPETENCE_COUNT
    assert 0.4 < bank.accessible.mean() < 0.6
    assert bank.a.min() >= 0.3 and abs(bank.a.mean() - 1.2) < 0.05
    assert all(item.level == level_of_difficulty(item.difficulty) for item in bank.items)


def small_bank() -> Bank:
    """Three competences, five tubes, nine items with varied slopes and difficulties."""
    rng = np.random.default_rng(8)
    layout = [(0, "a"), (0, "a"), (0, "b"), (1, "c"), (1, "c"), (1, "d"), (2, "e"), (2, "e"),
              (0, "b")]
    return Bank(
        Item(id=f"i{n}", competence=COMPETENCE_IDS[c], tube=t, skill=f"{t}{n}", level=3,
             type=ItemType.QCU, prompt="p", solution=ChoiceSolution(frozenset({1})),
             discriminant=float(rng.uniform(0.5, 2.0)), difficulty=float(rng.normal()))
        for n, (c, t) in enumerate(layout)
    )


@pytest.mark.parametrize("n_items", [2, 3, 4, 5])
def test_best_information_matches_brute_force_enumeration(n_items: int) -> None:
    bank = small_bank()
    thetas = np.array([-1.5, 0.0, 0.8])
    expected = []
    for theta in thetas:
        info = information(bank.a, bank.b, float(theta))
        best = 0.0
        for subset in itertools.combinations(range(len(bank)), n_items):
            rows = list(subset)
            one_per_tube = len(set(bank.tube[rows])) == n_items
            covers = len(set(bank.competence[rows])) == min(3, n_items)
            if one_per_tube and covers:
                best = max(best, float(info[rows].sum()))
        expected.append(best)
    assert best_information(bank, thetas, n_items) == pytest.approx(expected)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return synthetic_bank(400, seed=2)


def test_precise_simulation_is_close_to_the_bound_and_covers_every_competence(bank: Bank) -> None:
    report = simulate(PRESETS["precise"], bank, candidates=300, seed=5)
    assert report.full_coverage_share == 1.0
    # 300 candidates: the RMSE itself is known to ±4 %; the engine sits within 1.0–1.1.
    assert 0.9 < report.rmse_over_bound < 1.2
    assert report.rms_posterior_sd / report.bound_rmse < 1.1
    assert abs(report.bias) < 0.05
    assert 0.0 < report.max_exposure <= 1.0 and 0.0 <= report.unused_share < 1.0
    assert sum(int(v["n"]) for v in report.rmse_by_band.values()) == 300


def test_exposure_control_lowers_the_top_exposure(bank: Bank) -> None:
    plain = simulate(PRESETS["precise"], bank, candidates=300, seed=6)
    spread = simulate(PRESETS["exposure"], bank, candidates=300, seed=6)
    assert spread.max_exposure < plain.max_exposure
    assert spread.overlap_rate < plain.overlap_rate


def test_overlap_rate_is_one_when_everyone_gets_the_same_test(bank: Bank) -> None:
    # Fixed start, no randomness, and every simulated candidate fails everything: one test.
    tiny = Bank(
        Item(id=f"i{n}", competence=COMPETENCE_IDS[n % 16], tube=f"t{n}", skill=f"s{n}",
             level=3, type=ItemType.QCU, prompt="p", solution=ChoiceSolution(frozenset({1})),
             discriminant=1.0, difficulty=50.0)
        for n in range(32)
    )
    report = simulate(PRESETS["precise"], tiny, candidates=20, seed=1)
    assert report.overlap_rate == pytest.approx(1.0)
    assert report.max_exposure == 1.0 and report.unused_share == 0.0


def test_sympson_hetter_calibration_caps_the_exposure(bank: Bank) -> None:
    calibrated = calibrate_sympson_hetter(PRESETS["precise"], bank, candidates=200,
                                          iterations=2, seed=3)
    assert calibrated.selection.exposure == "sympson-hetter"
    assert calibrated.selection.sympson_hetter_k
    before = simulate(PRESETS["precise"], bank, candidates=200, seed=9)
    after = simulate(calibrated, bank, candidates=200, seed=9)
    assert after.max_exposure < before.max_exposure


def test_simulate_command_prints_the_agreed_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "--candidates", "40", "--seed", "1", "--synthetic-bank", "300",
                 "--json"])
    figures = json.loads(capsys.readouterr().out)
    assert code == 0
    for key in ("rmse", "bias", "bound_rmse", "rmse_over_bound", "step_us_p50", "step_us_p99",
                "max_exposure", "unused_share", "overlap_rate", "full_coverage_share"):
        assert isinstance(figures[key], float)
    assert figures["candidates"] == 40 and figures["version"] == "pix-v3"


def test_simulate_command_prints_a_french_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--candidates", "20", "--synthetic-bank", "200",
                 "--preset", "precise"]) == 0
    out = capsys.readouterr().out
    assert "RMSE ÷ borne" in out and "Tests couvrant les 16 compétences" in out


def test_unknown_preset_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "simulate", "--preset", "nope", "--synthetic-bank", "50"]) == 2
    assert "version inconnue" in capsys.readouterr().err
