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
    parser.add_argument("--bank-seed", type=int, metavar="B",
                        help="graine de la banque synthétique (défaut : --seed) / "
                             "synthetic bank seed")
    parser.add_argument("--against", metavar="NAME",
                        help="simuler aussi cette version (même banque, mêmes candidats) et "
                             "l'afficher à côté / also simulate this version, side by side")
    parser.add_argument("--k-store", metavar="DIR",
                        help="où sont gardés les K de Sympson-Hetter calibrés (défaut : cache "
                             "utilisateur) / where calibrated K are kept")
    parser.add_argument("--calibrate", action="store_true",
                        help="calibrer les K de Sympson-Hetter de cette banque et les garder "
                             "(une fois par banque et version) / calibrate and store K")


CALIBRATION = {"candidates": 6000, "iterations": 8, "seed": 0}
"""How ``--calibrate`` computes K: fixed, so K depends on the bank and version only."""
STRATA_CALIBRATION = {"candidates": 6000, "iterations": 12, "seed": 0}
"""The same for K per stratum (conditional Sympson-Hetter): 14 strata share each item's
uses, so the rounds take longer to settle (12 measured, as in the research runs)."""


def calibration_for(version: CertificationVersion) -> dict[str, int]:
    """How ``--calibrate`` computes this version's K (flat or per stratum)."""
    return STRATA_CALIBRATION if version.selection.sympson_hetter_strata > 1 else CALIBRATION


def run(args: argparse.Namespace) -> int:
    from pixdesk.engine.simulate import simulate

    bank, version, against = _bank_and_versions(args)
    version, calibration = _with_stored_k(args, version, bank)
    report = simulate(version, bank, candidates=args.candidates, seed=args.seed,
                      accessible_only=args.accessible_only)
    figures = {**report.to_dict(), **calibration}
    if against is not None:
        against, _ = _with_stored_k(args, against, bank)
        figures["against"] = simulate(against, bank, candidates=args.candidates, seed=args.seed,
                                      accessible_only=args.accessible_only).to_dict()
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        _print_table(figures)
    return 0


def _with_stored_k(
    args: argparse.Namespace, version: CertificationVersion, bank: Bank
) -> tuple[CertificationVersion, dict[str, Any]]:
    """The version with its Sympson-Hetter K: its own (signed with a package), else the K
    stored for this bank and version, calibrated now only with ``--calibrate``. A run never
    calibrates on its own: K belongs to the bank, and recomputing it per run cost 20-30 s
    and made two runs use different K."""
    rules = version.selection
    if ("sympson-hetter" not in rules.exposure or rules.sympson_hetter_k
            or rules.sympson_hetter_strata_k):
        return version, {}
    from pixdesk.errors import UsageError

    stored = _k_path(args, version, bank)
    seconds = None
    if args.calibrate:
        import time

        from pixdesk.engine.simulate import calibrate_sympson_hetter

        began = time.perf_counter()
        version = calibrate_sympson_hetter(version, bank, **calibration_for(version))
        seconds = round(time.perf_counter() - began, 1)
        _store_k(stored, version)
    else:
        found = _stored_k(stored, version)
        if found is None:
            raise UsageError(
                "simulate.no_k",
                f"la version {version.id} n'a pas de K de Sympson-Hetter pour cette banque : "
                "les calculer une fois avec --calibrate",
                f"version {version.id} has no Sympson-Hetter K for this bank: "
                "compute them once with --calibrate")
        version = found
    return version, {
        "sympson_hetter_items": len(version.selection.sympson_hetter_items),
        "sympson_hetter_k_stored": str(stored),
        "sympson_hetter_calibration_seconds": seconds,
    }


K_FORMAT = 2
"""Format of a stored K file: {"format": 2, "k": [[id, K]…], "strata_k": [[id, stratum, K]…]}.
Format 1 was a bare list of flat K; it is part of the file name's hash too, so a file of
another format is never found, and one found with another format is never read."""


def _k_path(args: argparse.Namespace, version: CertificationVersion, bank: Bank) -> Path:
    """Where K for this exact version and bank are kept: the name is a SHA-256 of both, of
    the calibration settings and of the file format, so a changed item or setting needs a
    new ``--calibrate``."""
    import hashlib
    from pathlib import Path

    import platformdirs

    from pixdesk.crypto import canonical_json

    items = [[i.id, i.discriminant, i.difficulty, i.competence, i.tube, i.skill, i.level,
              i.accessible] for i in bank.items]
    digest = hashlib.sha256(canonical_json(
        {"version": version.to_dict(), "items": items, "calibration": calibration_for(version),
         "format": K_FORMAT}
    )).hexdigest()
    folder = Path(args.k_store) if args.k_store else Path(
        platformdirs.user_cache_dir("pixdesk", appauthor=False)) / "sympson-hetter"
    return folder / f"{digest}.json"


def _stored_k(path: Path, version: CertificationVersion) -> CertificationVersion | None:
    """``version`` with the K stored by ``--calibrate``, or None (missing, unreadable, of
    another format, or not valid K for this version's strata)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != K_FORMAT:
            return None
        flat = tuple((str(item), float(k)) for item, k in data["k"])
        strata = tuple((str(item), int(stratum), float(k))
                       for item, stratum, k in data["strata_k"])
        return replace(version, selection=replace(
            version.selection, sympson_hetter_k=flat, sympson_hetter_strata_k=strata))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _store_k(path: Path, version: CertificationVersion) -> None:
    """Keep ``version``'s calibrated K (flat and per stratum) at ``path``."""
    import os

    from pixdesk.errors import UsageError

    rules = version.selection
    data = {"format": K_FORMAT, "k": [list(pair) for pair in rules.sympson_hetter_k],
            "strata_k": [list(triple) for triple in rules.sympson_hetter_strata_k]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise UsageError("simulate.k_not_stored",
                         f"K non enregistrés dans {path.parent} : {error.strerror}",
                         f"K not stored in {path.parent}: {error.strerror}") from error


def _bank_and_versions(
    args: argparse.Namespace,
) -> tuple[Bank, CertificationVersion, CertificationVersion | None]:
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

        bank_seed = args.seed if args.bank_seed is None else args.bank_seed
        bank = synthetic_bank(args.synthetic_bank or 1000, seed=bank_seed)
    name = name or "pix-v3"
    for wanted in (name, args.against):
        if wanted is not None and wanted not in versions:
            known = ", ".join(sorted(versions))
            raise UsageError("simulate.unknown_version",
                             f"version inconnue : {wanted} (connues : {known})",
                             f"unknown version: {wanted} (known: {known})")
    return bank, versions[name], versions[args.against] if args.against else None


def _print_table(figures: dict[str, Any]) -> None:
    against = figures.get("against")
    print(f"Version {figures['version']} — banque de {figures['bank_size']} questions, "
          f"{figures['length']} questions par test")
    width = max(len(label) for _, label, _ in _ROWS_FR)
    if against is not None:
        print(f"  {'':<{width}}  {figures['version']:>10}  {against['version']:>10}")
    for key, label, fmt in _ROWS_FR:
        line = f"  {label:<{width}}  {fmt.format(figures[key]):>10}"
        if against is not None:
            line += f"  {fmt.format(against[key]):>10}"
        print(line)
    print("  RMSE par tranche de θ :")
    for band, values in figures["rmse_by_band"].items():
        print(f"    {band:<12} n={int(values['n']):>6}  RMSE {values['rmse']:.3f}  "
              f"biais {values['bias']:+.3f}  borne {values['bound']:.3f}")
    if "sympson_hetter_items" in figures:
        seconds = figures["sympson_hetter_calibration_seconds"]
        how = f"calibrés en {seconds} s" if seconds is not None else "lus"
        print(f"  K de Sympson-Hetter ({figures['sympson_hetter_items']} questions) {how} : "
              f"{figures['sympson_hetter_k_stored']}")
