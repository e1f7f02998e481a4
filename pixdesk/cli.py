"""The ``pixdesk`` command line: argument parsing and error reporting, no business logic.

Each subcommand is a module of ``pixdesk.commands`` that defines ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; they are discovered, so adding a
command never touches this file. Heavy imports happen inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import TextIO

from pixdesk import __version__, logs
from pixdesk.errors import EXIT_FAILURE, PixdeskError, preferred_language, report


def _command_modules() -> list[ModuleType]:
    import pixdesk.commands as package

    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda m: str(m.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pixdesk", description="PixDesk — certification Pix hors ligne / offline Pix exams"
    )
    parser.add_argument("--version", action="version", version=f"pixdesk {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--lang", choices=("fr", "en"), help="language of messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None, *, windowed: bool = False) -> int:
    """``windowed``: started by the windowed ``pixdesk-gui`` (shortcut, kiosk shell), where
    nobody reads a terminal, so a refusal to start the configured exam is shown on screen."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    lang = args.lang or preferred_language()
    logs.configure()
    logging.getLogger(__name__).info(
        "pixdesk %s: %s", __version__, getattr(args, "command", None) or "exam"
    )
    if getattr(args, "json", False):
        utf8_output(sys.stdout)
    try:
        if getattr(args, "handler", None) is None:
            return _run_client(args.lang, windowed=windowed)
        return int(args.handler(args))
    except PixdeskError as exc:
        if args.debug:
            traceback.print_exc()
        return report("pixdesk", exc, lang)
    except KeyboardInterrupt:
        return EXIT_FAILURE


def utf8_output(stream: TextIO) -> None:
    """JSON is exchanged in UTF-8 (RFC 8259), but on Windows a pipe or a file gets the ANSI
    code page (cp1252): IT's script collecting ``doctor --json`` from thirty PCs would read
    mangled French, and a frozen executable ignores ``PYTHONIOENCODING``."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and stream.encoding.lower().replace("-", "") != "utf8":
        reconfigure(encoding="utf-8")


def _run_client(lang: str | None, *, windowed: bool) -> int:
    """No command: the exam this PC is configured for, never the demo. From a console, a PC
    that is not configured gets one line on what IT must set (exit 2); from the windowed
    launcher, every refusal is a window too."""
    from pixdesk import paths
    from pixdesk.app import run_client, show_refusal
    from pixdesk.bundle import require_configured
    from pixdesk.config import load_config

    try:
        config = load_config()
        if not windowed:
            require_configured(config, paths.data_dir(config.data_dir))
    except PixdeskError as error:
        if not windowed:
            raise
        return show_refusal(error, lang)
    return run_client(config, lang=lang)
