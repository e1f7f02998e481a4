"""The server's two long-lived keys, kept as 0600 files in its (0700) data dir.

The Ed25519 key signs receipts and session files (devices pin its public half at
enrolment); the X25519 key opens the attempt keys devices seal to it. Losing them means
devices must be re-enrolled and sealed attempts cannot be read, so they are created once
and never rewritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pixdesk import crypto
from pixdesk.errors import ConfigError

SIGNING_FILE = "server-signing.key"
SEALING_FILE = "server-sealing.key"


@dataclass(frozen=True)
class ServerKeys:
    """The server's two key pairs; the public halves are derived once (every receipt names
    the signing key's id)."""

    signing: Ed25519PrivateKey
    sealing: X25519PrivateKey

    @cached_property
    def signing_public(self) -> bytes:
        return crypto.public_key_bytes(self.signing)

    @cached_property
    def sealing_public(self) -> bytes:
        return crypto.sealing_public_bytes(self.sealing)

    @cached_property
    def key_id(self) -> str:
        return crypto.key_id(self.signing_public)


def _read(path: Path) -> bytes:
    try:
        return crypto.b64d(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, crypto.CryptoError) as exc:
        raise ConfigError(
            "server.bad_key_file",
            f"Fichier de clé du serveur illisible : {path}.",
            f"Unreadable server key file: {path}.",
        ) from exc


def _create(path: Path, raw: bytes) -> None:
    """Write a new key file readable by its owner only; never replace an existing one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(crypto.b64e(raw) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def private_dir(path: Path) -> None:
    """Create the data dir if missing, readable by its owner only (0700): it holds the keys
    and, by default, the database. An existing one is left as the operator set it (its
    files are owner-only whatever the folder's mode)."""
    if path.exists():
        return
    path.mkdir(parents=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only (0600) if missing; tighten it if it exists and
    others may read it (a database made before files were created owner-only)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


def load_or_create(data_dir: Path) -> ServerKeys:
    private_dir(data_dir)
    signing_path, sealing_path = data_dir / SIGNING_FILE, data_dir / SEALING_FILE
    if not signing_path.exists():
        _create(signing_path, crypto.signing_key_to_bytes(crypto.new_signing_key()))
    if not sealing_path.exists():
        _create(sealing_path, crypto.sealing_key_to_bytes(crypto.new_sealing_key()))
    try:
        return ServerKeys(
            crypto.signing_key_from_bytes(_read(signing_path)),
            crypto.sealing_key_from_bytes(_read(sealing_path)),
        )
    except crypto.CryptoError as exc:
        raise ConfigError(
            "server.bad_key_file",
            f"Clé du serveur invalide dans {data_dir}.",
            f"Invalid server key in {data_dir}.",
        ) from exc
