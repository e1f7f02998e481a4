"""``pixdesk journal verify``: re-check every tag, hash and head record of the local journal
and of the device security journal (its runs are listed after the attempts).

Read-only: it never creates a journal or a key, so IT can run it on a suspect data dir.
It exits 1 when any attempt is broken, has vanished from the database, or is degraded.
A key file left by an allowed file-key or demo exam is read without ``--allow-file-key``:
verifying never weakens anything, and it must work on the PC that sat the exam.
"""

from __future__ import annotations

import argparse

NAME = "journal"
HELP = "vérifier le journal local / verify the local journal"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="journal_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="vérifier chaque épreuve / verify every attempt"
    )
    verify.add_argument("--data-dir", help="dossier des données / data directory")
    verify.add_argument(
        "--allow-file-key",
        action="store_true",
        help="accepter un fichier de clé sans trousseau / accept a key file without a keyring",
    )
    verify.add_argument(
        "--lang", choices=("fr", "en"), default=argparse.SUPPRESS, help="langue / language"
    )


def run(args: argparse.Namespace) -> int:
    from pixdesk import paths
    from pixdesk.errors import preferred_language
    from pixdesk.store.device_journal import verify_device_journal
    from pixdesk.store.journal import Journal
    from pixdesk.store.keys import KEY_DIR, FileKeyStore

    lang = args.lang or preferred_language()
    data_dir = paths.data_dir(args.data_dir)
    journal = Journal.open(
        data_dir,
        allow_file_key=args.allow_file_key or FileKeyStore.present(data_dir / KEY_DIR),
        create=False,
    )
    try:
        report = journal.verify()
    finally:
        journal.close()
    device = verify_device_journal(data_dir, allow_file_key=args.allow_file_key)
    if not report.attempts:
        print("No attempt in the journal." if lang == "en" else "Aucune épreuve dans le journal.")
    for check in report.attempts:
        print(check.message(lang))
    label = "device journal — " if lang == "en" else "journal de l'appareil — "
    for check in device.attempts if device is not None else ():
        print(label + check.message(lang))
    return 0 if report.ok and (device is None or device.ok) else 1
