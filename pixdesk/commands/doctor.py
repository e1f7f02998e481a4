"""``pixdesk doctor``: one line per check of this PC, exit 1 if any check fails.

IT runs it after installing, in the graphical session of the account that will sit exams
(the keyring and the screens are per session). ``--json`` is for collecting thirty PCs'
reports with a script.
"""

from __future__ import annotations

import argparse

NAME = "doctor"
HELP = "vérifier ce poste avant un examen / check this PC before an exam"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable report")
    parser.add_argument("--data-dir", help="where the journal is kept")
    parser.add_argument(
        "--screens", type=int, metavar="N", help="screen count, when no display can be asked"
    )
    parser.add_argument(
        "--lang", choices=("fr", "en"), default=argparse.SUPPRESS, help="langue / language"
    )


def run(args: argparse.Namespace) -> int:
    import json

    from pixdesk import config as configuration
    from pixdesk import doctor, paths
    from pixdesk.errors import ConfigError

    error: ConfigError | None = None
    try:
        config = configuration.load_config({"data_dir": args.data_dir})
    except ConfigError as exc:
        error, config = exc, configuration.Config()
    lang = getattr(args, "lang", None) or config.language
    data_dir = paths.data_dir(config.data_dir)
    checks = doctor.run_checks(
        config, data_dir, doctor.Machine.current(), config_error=error, screens=args.screens
    )
    ok = doctor.overall_ok(checks)
    if args.json:
        report = {"checks": [check.as_dict(lang) for check in checks], "ok": ok}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        width = max(len(status.label(lang)) for status in doctor.Status)
        for check in checks:
            print(f"{check.status.label(lang):<{width}}  {check.id:<11} {check.message(lang)}")
            for line in check.details(lang):
                print(f"{'':<{width}}  {'':<11}   {line}")
    return 0 if ok else 1
