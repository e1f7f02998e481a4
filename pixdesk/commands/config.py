"""``pixdesk config``: show the effective configuration, or set a machine-file key.

``set --machine`` is what the Windows installer runs for ``/SERVER=…`` and ``/CENTRE=…`` and
what IT scripts on Linux, so the value is checked by the same code that reads it.
"""

from __future__ import annotations

import argparse

NAME = "config"
HELP = "afficher ou régler la configuration / show or set the configuration"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="configuration effective / effective configuration")
    show.add_argument("--json", action="store_true")
    setter = actions.add_parser("set", help="régler une clé / set a key")
    setter.add_argument("key")
    setter.add_argument("value")
    setter.add_argument(
        "--machine", action="store_true", required=True,
        help="dans le fichier machine (droits administrateur) / in the machine file (admin)",
    )
    setter.add_argument("--file", help="another machine file than the system one (tests, images)")


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from pixdesk import config
    from pixdesk.errors import preferred_language

    lang = getattr(args, "lang", None) or preferred_language()
    if args.config_action == "set":
        value = config.parse_cli_value(args.key, args.value)
        path = config.set_machine_value(
            args.key, value, Path(args.file) if args.file else None
        )
        print(f"{path}: {args.key} = {config.toml_value(value)}")
        return 0
    current = config.load_config()
    shown: dict[str, object] = {
        "server_url": current.server_url,
        "centre_id": current.centre_id,
        "data_dir": str(current.data_dir) if current.data_dir else None,
        "language": current.language,
        "allow_file_key": current.allow_file_key,
        "session_file": str(current.session_file) if current.session_file else None,
        "content_package": str(current.content_package) if current.content_package else None,
        "kiosk": dict(current.kiosk),
        "locked": sorted(current.locked),
    }
    if args.json:
        print(json.dumps({"values": shown, "origins": dict(current.origins),
                          "files": [str(p) for p in current.files]}, ensure_ascii=False))
        return 0
    for path in current.files:
        print(f"# {path}")
    for key, setting in shown.items():
        print(f"{key} = {setting!r}  ({current.origin(key)})")
    for ignored in current.ignored:
        print(f"! {ignored.message(lang)}")
    return 0
