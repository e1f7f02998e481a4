"""What every command that works on this PC's data shares: the arguments that say where
the data is and whether a key file is allowed, resolved against the machine config
(defaults < machine file < user file < command line, keys IT locked stay locked)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pixdesk.config import Config


def add_storage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="dossier des données / data directory")
    parser.add_argument(
        "--allow-file-key",
        action="store_true",
        help="accepter un fichier de clé sans trousseau / accept a key file without a keyring",
    )


def machine_settings(args: argparse.Namespace, **cli: object) -> tuple[Path, Config]:
    """The data dir to use and the effective configuration for this command line."""
    from pixdesk import paths
    from pixdesk.config import load_config

    given = {
        "data_dir": getattr(args, "data_dir", None),
        "allow_file_key": True if getattr(args, "allow_file_key", False) else None,
        **cli,
    }
    config = load_config(given)
    return paths.data_dir(config.data_dir), config
