"""``pixdesk room``: the invigilator's room console for one session (docs/room.md).

The session file is verified as a PC verifies it (a server key PixDesk ships or the one
this machine enrolled with; the public demo key only with ``--demo``), must carry a room
command key (``room.no_command_key`` otherwise), and the key opens only with the
invigilator password, typed in a window whose wrong tries wait as the PC panel's do.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pixdesk.session import Session, SessionError

NAME = "room"
HELP = "console de salle du surveillant / the invigilator's room console"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--session", metavar="FILE",
                        help="fichier de session (.pixsession) / session file")
    parser.add_argument("--demo", action="store_true",
                        help="la session de démonstration (ou une session de démonstration "
                        "donnée par --session) / the demo session")
    parser.add_argument("--port", type=int, default=None,
                        help="port d'écoute (défaut 47815) / listening port (default 47815)")
    parser.add_argument("--host", default="0.0.0.0",
                        help="adresse d'écoute (défaut : toutes) / listening address")
    parser.add_argument("--data-dir", help="dossier des données (essais de mot de passe) / "
                        "data directory (password tries)")
    parser.add_argument("--high-contrast", action="store_true",
                        help="contraste élevé / high-contrast theme")
    parser.add_argument("--quit-after", type=float, metavar="SECONDS",
                        help="fermer automatiquement (tests) / close automatically (tests)")


def _demo_refused() -> SessionError:
    from pixdesk.session import SessionError

    return SessionError(
        "room.demo_session",
        "Ce fichier est une session de démonstration : ouvrez sa console avec "
        "« pixdesk room --demo ».",
        "This file is a demo session: open its console with \"pixdesk room --demo\".")


def _pinned_server_keys(args: argparse.Namespace) -> dict[str, bytes]:
    """The server this machine enrolled with, if it did (the console may run elsewhere)."""
    from pixdesk.commands._machine import machine_settings
    from pixdesk.errors import PixdeskError
    from pixdesk.sync.device import load_pin, open_device_store

    try:
        data_dir, config = machine_settings(args)
        pin = load_pin(open_device_store(data_dir, allow_file_key=config.allow_file_key))
    except PixdeskError:
        return {}
    return {} if pin is None else {pin.key_id: pin.signing_public_key}


def load_room_session(args: argparse.Namespace) -> Session:
    """The verified session the console is asked to run."""
    import json

    from pixdesk import demo
    from pixdesk.errors import UsageError
    from pixdesk.session import SessionError, load_session
    from pixdesk.trust import Role, is_demo_key, trusted_keys

    if args.session is None and not args.demo:
        raise UsageError("room.no_session",
                         "Indiquez le fichier de session : pixdesk room --session FICHIER "
                         "(ou --demo).",
                         "Name the session file: pixdesk room --session FILE (or --demo).")
    path = Path(args.session) if args.session is not None else demo.session_path()
    trusted = trusted_keys(Role.SERVER, demo=args.demo) | {
        kid: key for kid, key in _pinned_server_keys(args).items()
        if args.demo or not is_demo_key(Role.SERVER, kid)}
    try:
        session = load_session(path, trusted)
    except SessionError as error:
        if error.code != "session.unknown_signer" or args.demo:
            raise
        try:
            signer = json.loads(path.read_text(encoding="utf-8")).get("signer")
        except (OSError, ValueError, AttributeError):
            raise error from None
        if isinstance(signer, str) and is_demo_key(Role.SERVER, signer):
            raise _demo_refused() from error
        raise
    if session.demo and not args.demo:
        raise _demo_refused()
    return session


def run(args: argparse.Namespace) -> int:
    from pixdesk import paths
    from pixdesk.errors import UsageError, preferred_language
    from pixdesk.room.console import DEFAULT_PORT
    from pixdesk.room.keys import RoomTrust

    lang = getattr(args, "lang", None) or preferred_language()
    port = DEFAULT_PORT if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise UsageError("room.bad_port", f"Port invalide : {port} (0 à 65535).",
                         f"Invalid port: {port} (0 to 65535).")
    session = load_room_session(args)
    RoomTrust.from_session(session)
    data_dir = paths.data_dir(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    return run_console(session, data_dir, host=args.host, port=port, lang=lang,
                       high_contrast=args.high_contrast, quit_after=args.quit_after)


def run_console(session: Session, data_dir: Path, *, host: str, port: int, lang: str,
                high_contrast: bool = False, quit_after: float | None = None) -> int:
    """Password, then the console on its thread and the window until it is closed."""
    from PySide6.QtCore import QTimer

    from pixdesk.app import qt_application
    from pixdesk.room.console import RoomConsole
    from pixdesk.room.keys import RoomTrust
    from pixdesk.ui import i18n, theme
    from pixdesk.ui.room_console import ConsoleThread, RoomConsoleWindow, unlock_dialog
    from pixdesk.ui.theme import Look
    from pixdesk.ui.worker import Background

    app = qt_application()
    language = i18n.chosen_language(lang)
    translators = i18n.install(app, language)
    look = Look(high_contrast=high_contrast)
    theme.apply(app, look)
    background = Background()
    try:
        dialog = unlock_dialog(session, data_dir, language, background)
        if quit_after is not None:
            QTimer.singleShot(int(quit_after * 1000), dialog.reject)
        dialog.exec()
        key = dialog.key
    finally:
        background.stop()
    if key is None:
        return 1
    link = ConsoleThread(RoomConsole(RoomTrust.from_session(session), key, host=host,
                                     port=port, advertise=True))
    link.start()
    try:
        window = RoomConsoleWindow(session, link, look=look)
        window.resize(1280, 800)
        window.show()
        if quit_after is not None:
            QTimer.singleShot(int(quit_after * 1000), window.close)
        code = int(app.exec())
    finally:
        link.stop()
        for translator in translators:
            app.removeTranslator(translator)
    return code
