"""``pixdesk enrol``: register this PC with the exam server using a one-time token."""

from __future__ import annotations

import argparse

NAME = "enrol"
HELP = "inscrire ce poste auprès du serveur / enrol this PC with the server"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, help="adresse du serveur / server URL")
    parser.add_argument("--token", required=True, help="jeton à usage unique / one-time token")
    parser.add_argument("--centre", required=True, help="centre du jeton / the token's centre")
    parser.add_argument("--data-dir", help="dossier des données / data directory")
    parser.add_argument(
        "--allow-file-key",
        action="store_true",
        help="accepter un fichier de clé sans trousseau / accept a key file without a keyring",
    )


def run(args: argparse.Namespace) -> int:
    import socket

    from pixdesk import paths
    from pixdesk.errors import preferred_language
    from pixdesk.store.journal import Journal
    from pixdesk.sync.client import SyncClient
    from pixdesk.sync.device import enrol, open_device_store

    data_dir = paths.data_dir(args.data_dir)
    store = open_device_store(data_dir, allow_file_key=args.allow_file_key)
    with Journal.open(data_dir, allow_file_key=store.describe() == "file") as journal:
        device_id = journal.device_id
    client = SyncClient(args.server)
    try:
        device, pin = enrol(
            store, client, device_id=device_id, token=args.token, centre_id=args.centre,
            hostname=socket.gethostname(),
        )
    finally:
        client.close()
    if (args.lang or preferred_language()) == "en":
        print(f"PC enrolled: device {device.device_id} with {pin.url} (server key {pin.key_id})")
    else:
        print(f"Poste inscrit : appareil {device.device_id} auprès de {pin.url} "
              f"(clé serveur {pin.key_id})")
    return 0
