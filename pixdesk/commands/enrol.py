"""``pixdesk enrol``: register this PC with the exam server using a one-time token."""

from __future__ import annotations

import argparse

from pixdesk.commands._machine import add_storage_arguments, machine_settings

NAME = "enrol"
HELP = "inscrire ce poste auprès du serveur / enrol this PC with the server"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", help="adresse du serveur (défaut : pixdesk.toml) / server URL")
    parser.add_argument("--token", required=True, help="jeton à usage unique / one-time token")
    parser.add_argument("--centre", help="centre du jeton (défaut : pixdesk.toml) / the centre")
    add_storage_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import socket

    from pixdesk.errors import UsageError, preferred_language
    from pixdesk.store.journal import Journal
    from pixdesk.sync.client import SyncClient
    from pixdesk.sync.device import enrol, open_device_store

    data_dir, config = machine_settings(args, server_url=args.server, centre_id=args.centre)
    if config.server_url is None or config.centre_id is None:
        raise UsageError(
            "enrol.unconfigured",
            "Adresse du serveur et centre requis (--server, --centre ou pixdesk.toml).",
            "Server URL and centre required (--server, --centre or pixdesk.toml).",
        )
    store = open_device_store(data_dir, allow_file_key=config.allow_file_key)
    with Journal.open(data_dir, allow_file_key=store.describe() == "file") as journal:
        device_id = journal.device_id
    client = SyncClient(config.server_url)
    try:
        device, pin = enrol(
            store, client, device_id=device_id, token=args.token, centre_id=config.centre_id,
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
