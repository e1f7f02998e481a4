"""This PC's identity towards the server, and the server keys it pinned at enrolment.

The device signs every request with an Ed25519 key and receives content keys sealed to its
X25519 key; both private keys live where the journal's master key lives (the OS keyring, or
an owner-only key file only where IT or the demo allows it), under the same rules as
``pixdesk.store.keys``. The server's public keys are pinned at enrolment in the same store,
so a receipt is only ever checked against the key of the server this PC enrolled with, not
against whatever a network answer claims.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pixdesk import crypto
from pixdesk.errors import KeyStoreError, SyncError
from pixdesk.store.keys import KEY_DIR, FileKeyStore, KeyStore, open_key_store

if TYPE_CHECKING:
    from pixdesk.sync.client import SyncClient

DEVICE_ENTRY = "device-identity"
SERVER_ENTRY = "server-pin"


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    signing_key: Ed25519PrivateKey
    sealing_key: X25519PrivateKey

    @property
    def signing_public(self) -> bytes:
        return crypto.public_key_bytes(self.signing_key)

    @property
    def sealing_public(self) -> bytes:
        return crypto.sealing_public_bytes(self.sealing_key)


@dataclass(frozen=True, slots=True)
class ServerPin:
    """The server this PC enrolled with: where it is and the keys that must sign for it."""

    url: str
    key_id: str
    signing_public_key: bytes
    sealing_public_key: bytes
    centre_id: str


def open_device_store(data_dir: Path, *, allow_file_key: bool = False) -> KeyStore:
    """The store of ``data_dir``'s journal keys; a key file already left by an allowed exam
    is used again, since the device keys beside it are no weaker than the exam's own."""
    present = FileKeyStore.present(data_dir / KEY_DIR)
    return open_key_store(data_dir, allow_file_key=allow_file_key or present)


def load_device(store: KeyStore) -> DeviceIdentity | None:
    raw = store.get(DEVICE_ENTRY)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return DeviceIdentity(
            str(data["device_id"]),
            crypto.signing_key_from_bytes(crypto.b64d(data["signing"])),
            crypto.sealing_key_from_bytes(crypto.b64d(data["sealing"])),
        )
    except (ValueError, KeyError, TypeError, crypto.CryptoError) as error:
        raise KeyStoreError(
            "keys.bad_device_key",
            "Les clés d'appareil de ce poste sont endommagées ; réinscrivez le poste.",
            "This PC's device keys are damaged; enrol the PC again.",
        ) from error


def load_or_create_device(store: KeyStore, device_id: str) -> DeviceIdentity:
    """The device identity, created with fresh keys (and ``device_id``) on first use.

    An existing identity keeps its own id: re-enrolling must not silently change who
    signed the batches already acknowledged.
    """
    existing = load_device(store)
    if existing is not None:
        return existing
    identity = DeviceIdentity(device_id, crypto.new_signing_key(), crypto.new_sealing_key())
    store.put(
        DEVICE_ENTRY,
        crypto.canonical_json(
            {
                "device_id": device_id,
                "signing": crypto.b64e(crypto.signing_key_to_bytes(identity.signing_key)),
                "sealing": crypto.b64e(crypto.sealing_key_to_bytes(identity.sealing_key)),
            }
        ),
    )
    return identity


def save_pin(store: KeyStore, pin: ServerPin) -> None:
    encoded = crypto.canonical_json(
        {
            "url": pin.url,
            "key_id": pin.key_id,
            "signing": crypto.b64e(pin.signing_public_key),
            "sealing": crypto.b64e(pin.sealing_public_key),
            "centre_id": pin.centre_id,
        }
    )
    try:
        store.put(SERVER_ENTRY, encoded)
    except ValueError as error:
        raise SyncError(
            "sync.url_too_long",
            "Adresse du serveur trop longue pour être enregistrée.",
            "Server address too long to be stored.",
        ) from error


def load_pin(store: KeyStore) -> ServerPin | None:
    raw = store.get(SERVER_ENTRY)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return ServerPin(
            str(data["url"]), str(data["key_id"]), crypto.b64d(data["signing"]),
            crypto.b64d(data["sealing"]), str(data["centre_id"]),
        )
    except (ValueError, KeyError, TypeError, crypto.CryptoError) as error:
        raise KeyStoreError(
            "keys.bad_server_pin",
            "La clé du serveur enregistrée à l'inscription est endommagée ; réinscrivez le poste.",
            "The server key pinned at enrolment is damaged; enrol the PC again.",
        ) from error


def require_enrolled(store: KeyStore) -> tuple[DeviceIdentity, ServerPin]:
    device, pin = load_device(store), load_pin(store)
    if device is None or pin is None:
        raise SyncError(
            "sync.not_enrolled",
            "Ce poste n'est pas inscrit auprès d'un serveur : lancez « pixdesk enrol ».",
            "This PC is not enrolled with a server: run \"pixdesk enrol\".",
        )
    return device, pin


def enrol(
    store: KeyStore,
    client: SyncClient,
    *,
    device_id: str,
    token: str,
    centre_id: str,
    hostname: str,
) -> tuple[DeviceIdentity, ServerPin]:
    """Register this PC with the server at ``client`` and pin that server's keys.

    The pin is written only after the server accepted the token, so a refused enrolment
    leaves a previously enrolled PC exactly as it was.
    """
    meta = client.meta()
    try:
        signing = crypto.b64d(meta["signing_public_key"])
        sealing = crypto.b64d(meta["sealing_public_key"])
        crypto.public_key_from_bytes(signing)
        consistent = crypto.key_id(signing) == meta["server_key_id"] and len(sealing) == 32
    except (KeyError, TypeError, crypto.CryptoError):
        consistent = False
    if not consistent:
        raise SyncError(
            "sync.bad_meta",
            "Le serveur publie des clés incohérentes : inscription refusée.",
            "The server publishes inconsistent keys: enrolment refused.",
        )
    device = load_or_create_device(store, device_id)
    client.enrol(
        {
            "token": token,
            "device_id": device.device_id,
            "signing_public_key": crypto.b64e(device.signing_public),
            "sealing_public_key": crypto.b64e(device.sealing_public),
            "centre_id": centre_id,
            "hostname": hostname,
        }
    )
    pin = ServerPin(client.base_url, meta["server_key_id"], signing, sealing, centre_id)
    save_pin(store, pin)
    return device, pin
