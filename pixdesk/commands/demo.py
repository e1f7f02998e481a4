"""``pixdesk demo``: the embedded demo session, bundled content, no server."""

from __future__ import annotations

import argparse

NAME = "demo"
HELP = "lancer la session de démonstration / run the demo session"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--windowed", action="store_true", help="no kiosk, normal window")
    parser.add_argument(
        "--high-contrast", action="store_true", help="contraste élevé / high-contrast theme"
    )
    parser.add_argument(
        "--lang", choices=("fr", "en"), default=argparse.SUPPRESS, help="langue / language"
    )
    parser.add_argument("--data-dir", help="where the journal is kept")
    parser.add_argument(
        "--quit-after", type=float, metavar="SECONDS", help="close automatically (smoke tests)"
    )


def run(args: argparse.Namespace) -> int:
    from pixdesk.app import run_demo

    return run_demo(
        windowed=args.windowed,
        data_dir=args.data_dir,
        quit_after=args.quit_after,
        high_contrast=args.high_contrast,
        lang=getattr(args, "lang", None),
    )
