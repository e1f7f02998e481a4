"""PixDesk's engine against catsim on the same 2PL bank and the same simulated candidates.

Both run 32-item adaptive tests. catsim: MaxInfoSelector, NumericalSearchEstimator (maximum
likelihood), FixedPointInitializer(0), TestLengthStopper(32). PixDesk: the ``precise``
preset (EAP, max information), once without content rules (the like-for-like comparison)
and once with Pix's content rules. Per-item time is wall time per administered item; for
catsim it includes its simulator's bookkeeping, for PixDesk only select_next + update.

    .venv/bin/python benchmarks/engine_vs_catsim.py [--catsim-candidates 300] \
        [--catsim-candidates-large 100] [--pixdesk-candidates 2000] [--seed 1] \
        [--pix-ablation 10000]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from typing import Any

import numpy as np

from pixdesk.engine.bank import Bank
from pixdesk.engine.simulate import simulate
from pixdesk.engine.synthetic import synthetic_bank
from pixdesk.engine.version import PRESETS, CertificationVersion

LENGTH = 32


def unconstrained(version: CertificationVersion) -> CertificationVersion:
    """Max information with no content rule, as catsim does it."""
    selection = replace(version.selection, one_per_tube=False, competences_first=False,
                        challenges_between_same_competence=0)
    return replace(version, id=f"{version.id}-maxinfo", selection=selection)


def run_catsim(bank: Bank, thetas: np.ndarray, seed: int) -> dict[str, float]:
    from catsim import ItemBank
    from catsim.estimation import NumericalSearchEstimator
    from catsim.initialization import FixedPointInitializer
    from catsim.selection import MaxInfoSelector
    from catsim.simulation import Simulator
    from catsim.stopping import TestLengthStopper

    n = len(bank)
    items = ItemBank(np.column_stack([bank.a, bank.b, np.zeros(n), np.ones(n)]))
    simulator = Simulator(items, thetas, seed=seed)
    began = time.perf_counter()
    simulator.simulate(FixedPointInitializer(0.0), MaxInfoSelector(), NumericalSearchEstimator(),
                       TestLengthStopper(max_items=LENGTH))
    seconds = time.perf_counter() - began
    estimates = np.asarray(simulator.latest_estimations, dtype=float)
    return {
        "candidates": float(thetas.size),
        "rmse": float(np.sqrt(np.mean((estimates - thetas) ** 2))),
        "step_us_mean": seconds / (thetas.size * LENGTH) * 1e6,
        "seconds": seconds,
    }


def compare(n_items: int, catsim_candidates: int, pixdesk_candidates: int,
            seed: int) -> dict[str, Any]:
    bank = synthetic_bank(n_items, seed=seed)
    thetas = np.random.default_rng([seed, 0]).standard_normal(catsim_candidates)
    catsim = run_catsim(bank, thetas, seed)
    result: dict[str, Any] = {"bank": n_items, "catsim": catsim}
    for version in (unconstrained(PRESETS["precise"]), PRESETS["precise"]):
        same = simulate(version, bank, candidates=catsim_candidates, seed=seed)
        many = simulate(version, bank, candidates=pixdesk_candidates, seed=seed)
        result[version.id] = {
            "rmse_same_candidates": same.rmse,
            "rmse": many.rmse,
            "rmse_over_bound": many.rmse_over_bound,
            "candidates": many.candidates,
            "step_us_mean": many.step_us_mean,
            "step_us_p50": many.step_us_p50,
            "step_us_p99": many.step_us_p99,
            "speedup_vs_catsim": catsim["step_us_mean"] / many.step_us_mean,
        }
    return result


def pix_ablation(candidates: int, seed: int) -> dict[str, dict[str, float]]:
    """What Pix's −3 start and per-answer cap cost: pix-v3 with each removed, then both."""
    bank = synthetic_bank(1000, seed=seed)
    pix = PRESETS["pix-v3"]
    variants = {
        "pix-v3": pix.estimation,
        "start 0": replace(pix.estimation, start_theta=0.0),
        "no cap": replace(pix.estimation, variation_percent=None),
        "start 0, no cap": replace(pix.estimation, start_theta=0.0, variation_percent=None),
        "start 0, no cap, fixed N(0,1) prior": replace(
            pix.estimation, start_theta=0.0, variation_percent=None, recentre_prior=False,
            prior_mean=0.0, prior_variance=1.0),
    }
    result = {}
    for name, estimation in variants.items():
        report = simulate(replace(pix, estimation=estimation), bank, candidates=candidates,
                          seed=seed)
        result[name] = {"rmse": report.rmse, "rmse_over_bound": report.rmse_over_bound,
                        "bias_below_-2": report.rmse_by_band["[-inf, -2)"]["bias"],
                        "bias_above_2": report.rmse_by_band["[2, inf)"]["bias"]}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catsim-candidates", type=int, default=300)
    parser.add_argument("--catsim-candidates-large", type=int, default=100)
    parser.add_argument("--pixdesk-candidates", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pix-ablation", type=int, default=0, metavar="N",
                        help="instead, measure what pix-v3's start and cap cost, on N candidates")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.pix_ablation:
        ablation = pix_ablation(args.pix_ablation, args.seed)
        for name, figures in ablation.items():
            print(f"{name:<38} RMSE {figures['rmse']:.4f}  ÷bound "
                  f"{figures['rmse_over_bound']:.3f}  bias θ<−2 {figures['bias_below_-2']:+.3f}"
                  f"  θ>2 {figures['bias_above_2']:+.3f}")
        return
    results = [
        compare(1000, args.catsim_candidates, args.pixdesk_candidates, args.seed),
        compare(10_000, args.catsim_candidates_large, args.pixdesk_candidates, args.seed),
    ]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        c = r["catsim"]
        print(f"bank {r['bank']}: catsim RMSE {c['rmse']:.4f} ({int(c['candidates'])} cand.), "
              f"{c['step_us_mean']:.0f} µs/item")
        for name in ("precise-maxinfo", "precise"):
            p = r[name]
            print(f"  {name:<16} RMSE {p['rmse_same_candidates']:.4f} (same cand.), "
                  f"{p['rmse']:.4f} ({p['candidates']} cand., ÷bound {p['rmse_over_bound']:.3f}); "
                  f"{p['step_us_mean']:.1f} µs/item (p50 {p['step_us_p50']:.1f}, "
                  f"p99 {p['step_us_p99']:.1f}); {p['speedup_vs_catsim']:.0f}× catsim")


if __name__ == "__main__":
    main()
