"""``pixdesk simulate``: simulated candidates through the real engine, figures out.

Lets IT and the content team see what a version does with a bank — precision against the
best achievable, per-item latency on this very machine, item exposure — before a session.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from pixdesk.engine.bank import Bank
    from pixdesk.engine.version import CertificationVersion

NAME = "simulate"
HELP = "simuler des candidats sur le moteur réel / simulate candidates through the engine"

_ROWS_FR: tuple[tuple[str, str, str], ...] = (
    ("rmse", "Erreur quadratique moyenne (RMSE)", "{:.4f}"),
    ("bias", "Biais moyen", "{:+.4f}"),
    ("mean_posterior_sd", "Erreur annoncée moyenne (ET a posteriori)", "{:.4f}"),
    ("bound_rmse", "Borne de précision (meilleur test possible)", "{:.4f}"),
    ("rmse_over_bound", "RMSE ÷ borne", "{:.3f}"),
    ("step_us_p50", "Temps par question, médiane (µs)", "{:.1f}"),
    ("step_us_p99", "Temps par question, 99e centile (µs)", "{:.1f}"),
    ("max_exposure", "Exposition maximale d'une question", "{:.3f}"),
    ("unused_share", "Part de la banque jamais servie", "{:.1%}"),
    ("overlap_rate", "Taux de recouvrement entre deux tests", "{:.3f}"),
    ("full_coverage_share", "Tests couvrant les 16 compétences", "{:.1%}"),
    ("candidates", "Candidats simulés", "{}"),
    ("seconds", "Durée de la simulation (s)", "{:.1f}"),
)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("doit être ≥ 1 / must be ≥ 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--candidates", type=_positive, default=2000, metavar="N",
                        help="nombre de candidats simulés (défaut 2000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="graine (défaut 0)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--bank", metavar="PKG", help="paquet de contenu .pixpkg")
    source.add_argument("--synthetic-bank", type=_positive, metavar="M",
                        help="banque synthétique de M questions (défaut 1000)")
    parser.add_argument("--content-key", metavar="FILE",
                        help="clé de contenu du paquet (inutile pour le paquet de démo)")
    parser.add_argument("--preset", metavar="NAME",
                        help="pix-v3, precise, exposure, ou une version du paquet "
                             "(défaut : pix-v3, ou la version par défaut du paquet)")
    parser.add_argument("--accessible-only", action="store_true",
                        help="seulement les questions accessibles (aménagement)")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_argument("--k-store", metavar="DIR",
                        help="où garder les K de Sympson-Hetter calibrés (défaut : cache "
                             "utilisateur) / where calibrated K are kept")


def run(args: argparse.Namespace) -> int:
    from pixdesk.engine.simulate import calibrate_sympson_hetter, simulate

    bank, version = _bank_and_version(args)
    calibration: dict[str, Any] = {}
    if "sympson-hetter" in version.selection.exposure and not version.selection.sympson_hetter_k:
        import time

        began = time.perf_counter()
        stored = _k_path(args, version, bank)
        found = _stored_k(stored)
        if found is None:
            version = calibrate_sympson_hetter(version, bank, seed=args.seed + 1)
            _store_k(stored, version.selection.sympson_hetter_k)
        else:
            version = replace(version, selection=replace(version.selection, sympson_hetter_k=found))
        calibration = {
            "sympson_hetter_items": len(version.selection.sympson_hetter_k),
            "sympson_hetter_calibration_seconds": round(time.perf_counter() - began, 1),
            "sympson_hetter_k_stored": str(stored) if found is not None else None,
        }
    report = simulate(version, bank, candidates=args.candidates, seed=args.seed,
                      accessible_only=args.accessible_only)
    figures = {**report.to_dict(), **calibration}
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        _print_table(figures)
    return 0


def _k_path(args: argparse.Namespace, version: CertificationVersion, bank: Bank) -> Path:
    """Where K for this exact version, bank and calibration seed are kept: the name is a
    SHA-256 of all three, so a changed item or setting is calibrated afresh."""
    import hashlib
    from pathlib import Path

    import platformdirs

    from pixdesk.crypto import canonical_json

    items = [[i.id, i.discriminant, i.difficulty, i.competence, i.tube, i.skill, i.level,
              i.accessible] for i in bank.items]
    digest = hashlib.sha256(canonical_json(
        {"version": version.to_dict(), "items": items, "seed": args.seed + 1}
    )).hexdigest()
    folder = Path(args.k_store) if args.k_store else Path(
        platformdirs.user_cache_dir("pixdesk", appauthor=False)) / "sympson-hetter"
    return folder / f"{digest}.json"


def _stored_k(path: Path) -> tuple[tuple[str, float], ...] | None:
    """K calibrated by an earlier run, or None (missing or unreadable: calibrate again)."""
    try:
        pairs = json.loads(path.read_text(encoding="utf-8"))
        return tuple((str(item), float(k)) for item, k in pairs)
    except (OSError, ValueError, TypeError):
        return None


def _store_k(path: Path, pairs: tuple[tuple[str, float], ...]) -> None:
    """Keep K for the next run; a cache that cannot be written only costs the next run time."""
    import os

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps([list(pair) for pair in pairs]), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        return


def _bank_and_version(args: argparse.Namespace) -> tuple[Bank, CertificationVersion]:
    from pixdesk.engine.version import PRESETS
    from pixdesk.errors import UsageError

    versions: dict[str, CertificationVersion] = dict(PRESETS)
    name = args.preset
    if args.bank:
        from pathlib import Path

        from pixdesk.content.package import open_package, read_key_file

        key = read_key_file(Path(args.content_key)) if args.content_key else None
        package = open_package(Path(args.bank), content_key=key)
        bank = package.bank
        versions.update(package.versions)
        name = name or package.default_version
    else:
        from pixdesk.engine.synthetic import synthetic_bank

        bank = synthetic_bank(args.synthetic_bank or 1000, seed=args.seed)
    name = name or "pix-v3"
    if name not in versions:
        known = ", ".join(sorted(versions))
        raise UsageError("simulate.unknown_version",
                         f"version inconnue : {name} (connues : {known})",
                         f"unknown version: {name} (known: {known})")
    return bank, versions[name]


def _print_table(figures: dict[str, Any]) -> None:
    print(f"Version {figures['version']} — banque de {figures['bank_size']} questions, "
          f"{figures['length']} questions par test")
    width = max(len(label) for _, label, _ in _ROWS_FR)
    for key, label, fmt in _ROWS_FR:
        print(f"  {label:<{width}}  {fmt.format(figures[key])}")
    print("  RMSE par tranche de θ :")
    for band, values in figures["rmse_by_band"].items():
        print(f"    {band:<12} n={int(values['n']):>6}  RMSE {values['rmse']:.3f}  "
              f"biais {values['bias']:+.3f}  borne {values['bound']:.3f}")
    if "sympson_hetter_items" in figures:
        print(f"  Sympson-Hetter calibré sur {figures['sympson_hetter_items']} questions en "
              f"{figures['sympson_hetter_calibration_seconds']} s")
