"""``pixdesk sync``: send every attempt's journal to the server and say what remains.

``--once`` makes one pass and exits 0 only when everything is acknowledged (and every ended
attempt's result accepted) and every attempt's journal verified, so a script can tell IT
whether the PC may be reinstalled. An attempt whose journal did not verify is sent only as a
flagged copy and named with its code; one that vanished from the database is named too.
Without it the command keeps watching the server and syncs whenever it is reachable.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pixdesk.commands._machine import add_storage_arguments, machine_settings

if TYPE_CHECKING:
    from pixdesk.sync.outbox import AttemptReport

NAME = "sync"
HELP = "envoyer les épreuves au serveur / send the attempts to the server"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="une seule passe / a single pass")
    parser.add_argument("--server", help="adresse du serveur (sinon celle de l'inscription)")
    add_storage_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import time

    from pixdesk.errors import preferred_language
    from pixdesk.sync.outbox import open_outbox
    from pixdesk.sync.watcher import ConnectivityWatcher

    lang = args.lang or preferred_language()
    data_dir, config = machine_settings(args, server_url=args.server)
    with open_outbox(
        data_dir, server_url=config.server_url, allow_file_key=config.allow_file_key
    ) as outbox:
        if args.once:
            reports = outbox.sync_all()
            _print(reports, lang)
            return 0 if all(r.done for r in reports) else 1
        watcher = ConnectivityWatcher(outbox.client.reachable)
        try:
            while True:
                seen = watcher.poll()
                if seen.probed and seen.online and outbox.pending():
                    _print(outbox.sync_all(), lang)
                time.sleep(max(0.5, watcher.seconds_until_due()))
        except KeyboardInterrupt:
            return 0 if not outbox.pending() and outbox.journal.verify().ok else 1


def _print(reports: list[AttemptReport], lang: str) -> None:
    if not reports:
        print("No attempt to send." if lang == "en" else "Aucune épreuve à envoyer.")
    for r in reports:
        acked = f"{r.acked_through_seq}/{r.head_seq}"
        if lang == "en":
            line = f"attempt {r.attempt_id}: {r.sent} sent, {acked} acknowledged"
            if r.result_match is not None:
                line += ", result " + ("confirmed" if r.result_match else "DIFFERS (flagged)")
            if r.remaining or (not r.done and r.integrity is None):
                line += f", {r.remaining} remaining"
                line += " (result not sent)" if r.remaining == 0 else ""
        else:
            line = f"épreuve {r.attempt_id} : {r.sent} envoyés, {acked} acquittés"
            if r.result_match is not None:
                line += ", résultat " + ("confirmé" if r.result_match else "DIFFÉRENT (signalé)")
            if r.remaining or (not r.done and r.integrity is None):
                line += f", reste {r.remaining}"
                line += " (résultat non envoyé)" if r.remaining == 0 else ""
        if r.error is not None:
            line += f" — {r.error.code}: {r.error.message(lang)}"
        print(line, flush=True)
