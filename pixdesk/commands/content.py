"""``pixdesk content build|verify``: make a signed, encrypted package, or check one."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "content"
HELP = "construire ou vérifier un paquet de contenu / build or verify a content package"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="sources JSON → paquet .pixpkg / JSON sources → .pixpkg")
    build.add_argument("src", type=Path, help="dossier des sources (package.json, competences/)")
    build.add_argument("out", type=Path, help="fichier .pixpkg à écrire / .pixpkg to write")
    build.add_argument("--signing-key", type=Path, required=True,
                       help="clé privée de l'autorité de contenu / content authority key")
    build.add_argument("--content-key", type=Path,
                       help="clé de contenu (défaut : clé de démo si le paquet est une démo)")
    build.add_argument("--created", help="date AAAA-MM-JJ (défaut : package.json)")
    verify = sub.add_parser("verify", help="vérifier un paquet / verify a package")
    verify.add_argument("package", type=Path)
    verify.add_argument("--public-key", type=Path,
                        help="ne faire confiance qu'à cette clé publique / trust only this key")
    verify.add_argument("--content-key", type=Path, help="clé de contenu / content key")


def run(args: argparse.Namespace) -> int:
    if args.content_command == "build":
        return _build(args)
    return _verify(args)


def _build(args: argparse.Namespace) -> int:
    import json

    from pixdesk import crypto
    from pixdesk.content.package import (
        CalibrationReport,
        build_package,
        demo_content_key,
        read_key_file,
    )
    from pixdesk.errors import UsageError

    def calibrated(report: CalibrationReport) -> None:
        print(f"{report.version_id}  K < 1 : {report.items_with_k}/{report.bank_size} items  "
              f"exposition max / max exposure {report.max_exposure:.3f} "
              f"(cible / target {report.exposure_target:g})  {report.seconds:.1f} s")

    signing_key = crypto.signing_key_from_bytes(read_key_file(args.signing_key))
    if args.content_key is not None:
        content_key = read_key_file(args.content_key)
    else:
        try:
            meta = json.loads((args.src / "package.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        if not (isinstance(meta, dict) and meta.get("demo") is True):
            raise UsageError(
                "content.key_required",
                "--content-key est obligatoire pour un paquet qui n'est pas une démonstration",
                "--content-key is required for a package that is not a demo",
            )
        content_key = demo_content_key()
    manifest = build_package(
        args.src, args.out, signing_key, content_key, created=args.created,
        on_calibration=calibrated,
    )
    print(f"{manifest.package_id}  {manifest.item_count} items  {args.out}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from pixdesk import crypto
    from pixdesk.content.package import read_key_file, verify_package
    from pixdesk.engine.framework import COMPETENCES

    trusted = None
    if args.public_key is not None:
        public = read_key_file(args.public_key)
        trusted = {crypto.key_id(public): public}
    content_key = read_key_file(args.content_key) if args.content_key is not None else None
    manifest = verify_package(args.package, content_key=content_key, trusted_keys=trusted)
    demo = "  (démo / demo)" if manifest.demo else ""
    print(f"{manifest.package_id} — {manifest.title}{demo}")
    print(f"signer {manifest.signer} · {manifest.created} · versions "
          f"{', '.join(v.id for v in manifest.versions)} (default {manifest.default_version})")
    for version in manifest.versions:
        if version.matching.fold_letters:
            print(f"version {version.id}  t1 plie œ, æ, ß… (extension PixDesk, pas Pix) / "
                  "t1 folds œ, æ, ß… (PixDesk extension, not Pix)")
        rules = version.selection
        if "sympson-hetter" not in rules.exposure:
            continue
        if rules.sympson_hetter_strata_k:
            below = len({i for i, _, k in rules.sympson_hetter_strata_k if k < 1.0})
            state = (f"K < 1 : {below} items dans au moins une des "
                     f"{rules.sympson_hetter_strata} strates / in at least one of the "
                     f"{rules.sympson_hetter_strata} strata")
        elif rules.sympson_hetter_k:
            below = sum(1 for _, k in rules.sympson_hetter_k if k < 1.0)
            state = f"K < 1 : {below} items"
        else:
            state = "sans K : Sympson-Hetter inactif / no K: Sympson-Hetter inactive"
        print(f"version {version.id}  {rules.exposure} (cible / target "
              f"{rules.exposure_target:g})  {state}")
    width = max(len(c.name) for c in COMPETENCES)
    for comp in COMPETENCES:
        print(f"{comp.id}  {comp.name:<{width}}  {manifest.competence_counts[comp.id]:>3} items")
    print(f"total  {manifest.item_count} items")
    return 0
