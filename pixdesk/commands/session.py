"""``pixdesk session fetch``: download this PC's copy of an exam session from the server.

The request is signed with the device key, so the server seals the content key to this PC
alone. The file is checked (server signature, a sealed key for this device) before it is
written, and ``--use`` then names it (and ``--package``) in the machine configuration, which
is what ``pixdesk`` with no arguments opens; once both are set the whole exam is opened
once, so IT learns on the spot, not on exam morning, that the package does not match.
"""

from __future__ import annotations

import argparse
import re

from pixdesk.commands._machine import add_storage_arguments, machine_settings

NAME = "session"
HELP = "récupérer une session d'examen / fetch an exam session"
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="session_action", required=True, metavar="ACTION")
    fetch = actions.add_parser("fetch", help="télécharger la session pour ce poste / "
                               "download the session for this PC")
    fetch.add_argument("session_id", help="numéro de session / session id")
    fetch.add_argument("--out", help="fichier à écrire (défaut : dans le dossier des données) / "
                       "file to write (default: in the data directory)")
    fetch.add_argument("--use", action="store_true",
                       help="en faire la session de ce poste (pixdesk.toml) / make it this PC's "
                       "session (pixdesk.toml)")
    fetch.add_argument("--package", help="avec --use : le paquet de contenu de la session / "
                       "with --use: the session's content package")
    fetch.add_argument("--server", help="adresse du serveur (sinon celle de l'inscription)")
    add_storage_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import json
    import os
    from pathlib import Path

    from pixdesk import config as machine_config
    from pixdesk.bundle import is_configured, load_configured
    from pixdesk.errors import UsageError, preferred_language
    from pixdesk.session import SessionError, load_session
    from pixdesk.sync import protocol
    from pixdesk.sync.client import SyncClient
    from pixdesk.sync.device import open_device_store, require_enrolled

    lang = args.lang or preferred_language()
    if not _SESSION_ID.match(args.session_id):
        raise UsageError("session.bad_id", f"Numéro de session invalide : {args.session_id}.",
                         f"Invalid session id: {args.session_id}.")
    if args.package and not args.use:
        raise UsageError("session.package_without_use", "--package ne sert qu'avec --use.",
                         "--package only makes sense with --use.")
    data_dir, config = machine_settings(args, server_url=args.server)
    device, pin = require_enrolled(
        open_device_store(data_dir, allow_file_key=config.allow_file_key)
    )
    client = SyncClient(config.server_url or pin.url, device)
    try:
        document = client.request("GET", protocol.session_path(args.session_id), signed=True)
    finally:
        client.close()
    out = Path(args.out) if args.out else data_dir / f"session-{args.session_id}.pixsession"
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    try:
        session = load_session(temporary, {pin.key_id: pin.signing_public_key})
        if session.id != args.session_id or device.device_id not in session.sealed_content_keys:
            raise SessionError(
                "session.other_device",
                "Le serveur a renvoyé une session qui n'est pas délivrée pour ce poste.",
                "The server returned a session that was not issued for this PC.",
            )
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, out)
    print(f"session {session.id} ({session.centre_id}, {session.date}, {session.room}) → {out}")
    if not args.use:
        return 0
    machine_config.set_machine_value("session_file", str(out))
    if args.package:
        machine_config.set_machine_value("content_package", str(Path(args.package).resolve()))
    _, config = machine_settings(args, server_url=args.server)
    if not is_configured(config):
        print("Session choisie ; indiquez son paquet : pixdesk config set content_package …"
              if lang != "en" else
              "Session selected; name its package: pixdesk config set content_package …")
        return 0
    bundle = load_configured(config, data_dir)
    print(f"Prêt : {len(bundle.session.candidates)} candidats, paquet "
          f"{bundle.package.manifest.package_id}" if lang != "en" else
          f"Ready: {len(bundle.session.candidates)} candidates, package "
          f"{bundle.package.manifest.package_id}")
    return 0
