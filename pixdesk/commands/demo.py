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
    parser.add_argument(
        "--room-console", default="", metavar="HOST:PORT|auto",
        help="console de salle (pixdesk room --demo) / room console to report to",
    )
    parser.add_argument(
        "--demo-pc", default="demo-pc-1", choices=[f"demo-pc-{n}" for n in range(1, 7)],
        help="poste de démonstration joué / which demo PC this is",
    )


def run(args: argparse.Namespace) -> int:
    from pixdesk.app import run_demo

    return run_demo(
        windowed=args.windowed,
        data_dir=args.data_dir,
        quit_after=args.quit_after,
        high_contrast=args.high_contrast,
        lang=getattr(args, "lang", None),
        room_console=args.room_console,
        demo_pc=args.demo_pc,
    )
