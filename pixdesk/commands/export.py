"""``pixdesk export OUT``: the emergency file, for when the server cannot be reached.

It holds exactly the signed requests sync would send (docs/protocol.md); the invigilator
carries it on a USB stick and the server ingests it with ``pixdesk-server import``. An
attempt whose journal did not verify goes in only as a flagged copy, is named with its
code, and the command then exits 1 (the file is still written and checked).
"""

from __future__ import annotations

import argparse

from pixdesk.commands._machine import add_storage_arguments, machine_settings

NAME = "export"
HELP = "fichier de secours des épreuves (clé USB) / emergency export file (USB stick)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", help="fichier à écrire / file to write")
    add_storage_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pixdesk.errors import preferred_language
    from pixdesk.sync.outbox import open_outbox, write_export

    data_dir, config = machine_settings(args)
    out = Path(args.out)
    lang = args.lang or preferred_language()
    with open_outbox(data_dir, allow_file_key=config.allow_file_key) as outbox:
        document, flagged = outbox.export()
    size = write_export(out, document)
    attempts = len({r["path"] for r in document["batches"]})
    batches, results = len(document["batches"]), len(document["results"])
    runs = len({r["path"] for r in document.get("runs", [])})
    if lang == "en":
        print(f"{out}: {attempts} attempts, {batches} batches, {results} results, {runs} runs "
              f"of the PC's security journal, {size} bytes, read back and checked — the stick "
              "may be removed")
    else:
        print(f"{out} : {attempts} épreuves, {batches} lots, {results} résultats, {runs} "
              f"sessions du journal de sécurité du poste, {size} octets, relu et vérifié — la "
              "clé peut être retirée")
    where = "attempt" if lang == "en" else "épreuve"
    for report in flagged:
        error = report.error
        detail = f"{error.code}: {error.message(lang)}" if error else str(report.integrity)
        print(f"{where} {report.attempt_id} — {detail}")
    return 0 if not flagged else 1
