"""Where the journal's secrets live: the OS keyring, or an owner-only file when IT allows it.

The master key wraps every attempt's data key. Each attempt's head record (last seq, last
hash, write generation, MAC'd with the master key) lives beside it, outside the database,
so that a cut-off tail or a restored older database file is noticed: the database cannot
vouch for its own completeness.

A keyring that merely *looks* present is not trusted: the ``fail`` and ``null`` backends and
an empty chainer are refused outright, and any other backend must survive a
write → read → delete probe, because some headless setups accept a write and store nothing.

The backend is this platform's own, loaded alone (``PLATFORM_BACKENDS``), unless one was
chosen already: by ``keyring.set_keyring`` (tests), ``PYTHON_KEYRING_BACKEND`` or keyring's
``keyringrc.cfg``. keyring's own discovery imports and probes every backend it knows, the
macOS one on Linux included, which cost 50–150 ms of every start-up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import keyring
import keyring.core
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from pixdesk.crypto import canonical_json, constant_time_equal, random_key
from pixdesk.errors import KeyStoreError

SERVICE = "pixdesk"
MASTER_KEY = "master-key"
KEY_DIR = "keys"
PLATFORM_BACKENDS = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
}
"""The OS keyring of each platform; any other (Linux, BSD) uses the Secret Service (GNOME
Keyring, KWallet ≥ 5.97, KeePassXC), keyring's choice there too."""
SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
log = logging.getLogger(__name__)


class KeyStore(Protocol):
    def get(self, name: str) -> bytes | None: ...

    def put(self, name: str, value: bytes) -> None: ...

    def describe(self) -> str:
        """``"keyring"`` or ``"file"``, for diagnostics (``pixdesk doctor``)."""
        ...

    def torn(self, name: str) -> bool:
        """Whether the last write of ``name`` did not survive whole, so that ``get`` returns
        the value written before it. A keyring write is all or nothing: never torn there."""
        ...


def data_dir_scope(data_dir: Path) -> str:
    """Names keyring entries per data dir, so two installs on one account never collide."""
    return hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:16]


class KeyringStore:
    """Secrets in the OS keyring (Credential Locker, Keychain, Secret Service), base64."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def _username(self, name: str) -> str:
        return f"{name}:{self.scope}"

    def get(self, name: str) -> bytes | None:
        value = keyring.get_password(SERVICE, self._username(name))
        return None if value is None else base64.b64decode(value)

    def put(self, name: str, value: bytes) -> None:
        keyring.set_password(SERVICE, self._username(name), base64.b64encode(value).decode())

    def describe(self) -> str:
        return "keyring"

    def torn(self, name: str) -> bool:
        return False


class FileKeyStore:
    """Secrets as owner-only files in ``<data dir>/keys``, each with two alternating slots.

    A head record is rewritten after every append, so it must be cheap and must never be
    torn by a power cut. Each file holds two fixed-size slots (counter, checksum, value);
    a write overwrites the older slot in place and syncs only its data, and a read takes
    the newest slot whose checksum holds. A cut mid-write leaves the previous value, which
    the journal accepts as a head record that is merely behind — and ``torn`` says so.

    A new file is written whole (renamed into place) with the value in both slots, counters
    0 and 1, so that from then on the older slot always holds the write just before the
    newest: a blank or damaged older slot is never normal, and is reported as torn.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._counters: dict[str, int] = {}

    def _read_slots(self, name: str) -> _Slots | None:
        try:
            data = (self.directory / name).read_bytes()
        except FileNotFoundError:
            return None
        intact: dict[int, tuple[int, bytes]] = {}
        for index, start in enumerate((0, _SLOT_BYTES)):
            slot = data[start : start + _SLOT_BYTES]
            counter, length = int.from_bytes(slot[:8], "big"), int.from_bytes(slot[8:12], "big")
            value = slot[44 : 44 + length]
            if len(value) == length and slot[12:44] == _slot_digest(counter, value):
                intact[index] = (counter, value)
        if not intact:
            return None
        counter, value = max(intact.values())
        before = intact.get(1 - counter % 2)
        return _Slots(counter, value, before is None or before[0] != counter - 1)

    def get(self, name: str) -> bytes | None:
        found = self._read_slots(name)
        return None if found is None else found.value

    def torn(self, name: str) -> bool:
        """The newest slot is damaged (or the other slot is not the write before it): the
        value returned is the one before a write that did not complete — or that someone
        damaged; from the file alone the two cannot be told apart."""
        found = self._read_slots(name)
        return found is not None and found.torn

    def put(self, name: str, value: bytes) -> None:
        if len(value) > _SLOT_BYTES - 44:
            raise ValueError(f"secret {name!r} is too long for a key file slot")
        path = self.directory / name
        if not path.exists():
            self._create(path, _slot(0, value) + _slot(1, value))
            self._counters[name] = 1
            return
        counter = self._counters.get(name)
        if counter is None:
            found = self._read_slots(name)
            counter = found.counter if found is not None else -1
        counter += 1
        fd = _open_binary(path, os.O_WRONLY)
        try:
            _write_at(fd, (counter % 2) * _SLOT_BYTES, _slot(counter, value))
            _sync_data(fd)
        finally:
            os.close(fd)
        self._counters[name] = counter

    def _create(self, path: Path, content: bytes) -> None:
        self.directory.mkdir(mode=0o700, exist_ok=True)
        temporary = self.directory / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = _open_binary(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                _write_at(fd, 0, content)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def describe(self) -> str:
        return "file"

    @staticmethod
    def present(directory: Path) -> bool:
        """Whether an allowed file-key exam already left its keys here."""
        return (directory / MASTER_KEY).is_file()


_SLOT_BYTES = 512


@dataclass(frozen=True, slots=True)
class _Slots:
    """What a key file holds: its newest intact slot, and whether a later write was torn."""

    counter: int
    value: bytes
    torn: bool


def _open_binary(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` in binary mode: Windows opens descriptors in text mode unless given
    ``O_BINARY`` (then ``\\n`` is written as ``\\r\\n``); elsewhere the flag does not exist."""
    return os.open(path, flags | getattr(os, "O_BINARY", 0), mode)


def _write_at(fd: int, offset: int, data: bytes) -> None:
    """Write all of ``data`` at ``offset``. ``os.pwrite`` does not exist on Windows, so every
    OS takes this one path: seek, then write until nothing is left (short writes happen)."""
    os.lseek(fd, offset, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_data(fd: int) -> None:
    if hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:
        os.fsync(fd)


def _slot(counter: int, value: bytes) -> bytes:
    head = counter.to_bytes(8, "big") + len(value).to_bytes(4, "big")
    return (head + _slot_digest(counter, value) + value).ljust(_SLOT_BYTES, b"\0")


def _slot_digest(counter: int, value: bytes) -> bytes:
    return hashlib.sha256(counter.to_bytes(8, "big") + value).digest()


def platform_backend(platform: str = sys.platform) -> KeyringBackend:
    """This platform's keyring backend, or keyring's ``fail`` one when it cannot work here
    (no D-Bus session, as in CI): loading a backend asks it whether it is viable."""
    try:
        return keyring.core.load_keyring(PLATFORM_BACKENDS.get(platform, SECRET_SERVICE))
    except Exception as error:  # a backend says "not here" with anything from ImportError up
        log.info("no usable keyring backend on this platform (%r)", error)
        return fail.Keyring()  # type: ignore[no-untyped-call]


def choose_backend() -> KeyringBackend:
    """The keyring backend chosen before (``set_keyring``), or else the one named by
    ``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg``, or else ``platform_backend`` — never
    keyring's discovery of every backend."""
    if getattr(keyring.core, "_keyring_backend", None) is None:
        keyring.set_keyring(
            keyring.core.load_env() or keyring.core.load_config() or platform_backend()
        )
    return keyring.get_keyring()


def keyring_problem() -> str | None:
    """Why the OS keyring cannot hold our keys, or ``None`` when it demonstrably can."""
    backend = choose_backend()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return f"no keyring backend ({type(backend).__module__})"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return "the keyring chainer has no backend"
    probe_user = f"probe:{secrets.token_hex(8)}"
    probe_value = secrets.token_hex(16)
    try:
        keyring.set_password(SERVICE, probe_user, probe_value)
        read_back = keyring.get_password(SERVICE, probe_user)
        keyring.delete_password(SERVICE, probe_user)
    except Exception as error:  # backends raise anything from D-Bus to Win32 errors
        return f"keyring probe failed: {error!r}"
    if read_back != probe_value:
        return "keyring probe: value written was not read back"
    return None


def open_key_store(data_dir: Path, *, allow_file_key: bool = False, demo: bool = False) -> KeyStore:
    """The keyring if it works; else a key file if IT (or the demo) allows it; else refuse."""
    problem = keyring_problem()
    if problem is None:
        return KeyringStore(data_dir_scope(data_dir))
    if not (allow_file_key or demo):
        raise KeyStoreError(
            "keys.no_keyring",
            "Aucun trousseau système utilisable pour protéger les clés ; un examen réel est "
            "refusé (le service informatique peut autoriser un fichier de clé : allow_file_key).",
            "No usable system keyring to protect the keys; a real exam is refused "
            "(IT may allow a key file: allow_file_key).",
        )
    log.warning(
        "keyring unusable (%s): keys kept in a %s under %s (degraded security)",
        problem,
        key_file_wording()[1],
        data_dir / KEY_DIR,
    )
    return FileKeyStore(data_dir / KEY_DIR)


def key_file_wording(platform: str = sys.platform) -> tuple[str, str]:
    """What protects a key file on this OS, in words that are true there (French, English).

    POSIX modes mean nothing on Windows: there a key file is guarded only by the access
    rights of the folder it sits in (the user's profile for the default data dir).
    """
    if platform == "win32":
        return (
            "fichier de clé protégé par les seuls droits Windows de son dossier",
            "key file protected only by its folder's Windows permissions",
        )
    return ("fichier de clé 0600 (ce compte seul)", "0600 key file (this account only)")


def master_key(store: KeyStore, *, create: bool) -> bytes | None:
    """The journal's master key; created on first use only if ``create``."""
    key = store.get(MASTER_KEY)
    if key is None and create:
        key = random_key()
        store.put(MASTER_KEY, key)
    if key is not None and len(key) != 32:
        raise KeyStoreError(
            "keys.bad_master_key",
            "La clé maîtresse du journal est endommagée.",
            "The journal master key is damaged.",
        )
    return key


@dataclass(frozen=True, slots=True)
class HeadRecord:
    """The last seq and hash committed for an attempt, and the journal generation then.

    ``degraded`` sticks once set: the attempt once had to go on from a torn head record, so
    its tail rests on the database alone (docs/journal.md) and it is flagged wherever it
    goes, even after the next append has written a whole record again.
    """

    seq: int
    hash: bytes
    generation: int
    degraded: bool = False


def head_name(attempt_id: str) -> str:
    return f"head.{attempt_id}"


def _head_mac(master: bytes, attempt_id: str, body: bytes) -> bytes:
    mac_key = hmac.digest(master, b"pixdesk-head-mac-v1", "sha256")
    return hmac.digest(mac_key, attempt_id.encode("utf-8") + b"\x00" + body, "sha256")


def encode_head(master: bytes, attempt_id: str, head: HeadRecord) -> bytes:
    fields: list[object] = [head.seq, head.hash.hex(), head.generation]
    body = canonical_json([*fields, _DEGRADED] if head.degraded else fields)
    return _head_mac(master, attempt_id, body) + body


def decode_head(master: bytes, attempt_id: str, raw: bytes) -> HeadRecord | None:
    """The record, or ``None`` if its MAC does not verify for this attempt and key."""
    mac, body = raw[:32], raw[32:]
    if not constant_time_equal(mac, _head_mac(master, attempt_id, body)):
        return None
    seq, hash_hex, generation, *flags = json.loads(body)
    return HeadRecord(int(seq), bytes.fromhex(hash_hex), int(generation), _DEGRADED in flags)


_DEGRADED = "degraded"


# --- The register of attempts --------------------------------------------------------------
# A keyring cannot list its entries, so the key store keeps its own numbered list of every
# attempt it ever held a head record for: ``attempt.<n>`` names the n-th attempt, and
# ``attempts`` holds how many there are, each MAC'd with the master key. An attempt whose
# database rows are gone (an older copy restored from before it) is still named here.

REGISTER_COUNT = "attempts"


def _register_mac(master: bytes, label: bytes) -> bytes:
    mac_key = hmac.digest(master, b"pixdesk-attempt-register-v1", "sha256")
    return hmac.digest(mac_key, label, "sha256")


def _register_entry(number: int) -> str:
    return f"attempt.{number}"


def _sealed_value(master: bytes, label: bytes, value: bytes) -> bytes:
    return _register_mac(master, label + b"\x00" + value) + value


def _opened_value(master: bytes, label: bytes, raw: bytes | None) -> bytes | None:
    if raw is None:
        return None
    mac, value = raw[:32], raw[32:]
    if not constant_time_equal(mac, _register_mac(master, label + b"\x00" + value)):
        return None
    return value


def registered_count(store: KeyStore, master: bytes) -> int:
    value = _opened_value(master, b"count", store.get(REGISTER_COUNT))
    return 0 if value is None else int(value)


def registered_attempts(store: KeyStore, master: bytes) -> list[str | None]:
    """Every registered attempt id in order; ``None`` where an entry is missing or forged."""
    found: list[str | None] = []
    for number in range(registered_count(store, master)):
        label = f"attempt|{number}".encode()
        value = _opened_value(master, label, store.get(_register_entry(number)))
        found.append(None if value is None else value.decode("utf-8"))
    return found


def register_attempt(store: KeyStore, master: bytes, attempt_id: str) -> None:
    """Add ``attempt_id`` to the register: its entry first, then the count that covers it."""
    number = registered_count(store, master)
    label = f"attempt|{number}".encode()
    store.put(_register_entry(number), _sealed_value(master, label, attempt_id.encode("utf-8")))
    store.put(REGISTER_COUNT, _sealed_value(master, b"count", str(number + 1).encode()))
