"""Which public keys PixDesk trusts, and for what: the one "folder of ``*.pub``" loader.

A key is trusted for one role only. A **content authority** signs content packages; a
**server** signs session files and receipts. PixDesk ships one key of each role for the
demo (``resources/keys/demo-content-authority.pub``, ``resources/server-keys/demo-server.pub``)
whose private halves are public in the source tree: anyone can sign with them, so they are
*demo keys*, and a file they signed is believed only if it says it is a demo. The checks
that enforce this (``content.demo_key_real_package``, ``session.demo_key_real_session``,
``sync.demo_key_receipt``) ask ``is_demo_key``; the configured exam asks for trusted keys
without the demo ones at all.

A key file is one base64 line of the raw 32-byte key; lines starting with ``#`` are
comments. A key's id is the first 16 hex digits of its SHA-256 (``crypto.key_id``).
"""

from __future__ import annotations

import enum
import os
import stat
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from pixdesk import crypto
from pixdesk.errors import ConfigError, ContentError
from pixdesk.paths import resource_path


class Role(enum.Enum):
    CONTENT_AUTHORITY = "content authority"
    """Signs content packages (``.pixpkg`` manifests)."""
    SERVER = "server"
    """Signs session files and receipts."""


SHIPPED_DIRS = {Role.CONTENT_AUTHORITY: "keys", Role.SERVER: "server-keys"}
"""Where each role's shipped public keys live under ``pixdesk/resources``."""
DEMO_KEY_FILES = {
    Role.CONTENT_AUTHORITY: "demo-content-authority.pub",
    Role.SERVER: "demo-server.pub",
}
"""The shipped keys whose private halves are public (``resources/keys/*.key``)."""


def read_key_file(path: Path) -> bytes:
    """A raw 32-byte key stored as base64 text; lines starting with ``#`` are comments."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        lines = [ln.strip() for ln in text.splitlines()]
        raw = crypto.b64d("".join(ln for ln in lines if ln and not ln.startswith("#")))
    except (OSError, UnicodeDecodeError, crypto.CryptoError) as exc:
        raise ContentError(
            "content.bad_key_file", f"fichier de clé illisible : {path} ({exc})",
            f"unreadable key file: {path} ({exc})",
        ) from exc
    if len(raw) != crypto.KEY_BYTES:
        raise ContentError(
            "content.bad_key_file", f"fichier de clé invalide (32 octets attendus) : {path}",
            f"invalid key file (32 bytes expected): {path}",
        )
    return raw


def write_key_file(path: Path, raw: bytes, *comments: str) -> None:
    header = "".join(f"# {line}\n" for line in comments)
    Path(path).write_text(f"{header}{crypto.b64e(raw)}\n", encoding="utf-8")


def load_key_folder(
    directory: Path, *, check: Callable[[Path], None] | None = None
) -> dict[str, bytes]:
    """Every ``*.pub`` of ``directory`` by key id; nothing when the folder does not exist.

    ``check`` is called on the folder and on each file before it is read, so a caller that
    demands admin-only files refuses a folder a user could have written to.
    """
    if not directory.is_dir():
        return {}
    if check is not None:
        check(directory)
    keys: dict[str, bytes] = {}
    for path in sorted(directory.glob("*.pub")):
        if check is not None:
            check(path)
        public = read_key_file(path)
        keys[crypto.key_id(public)] = public
    return keys


def shipped_dir(role: Role) -> Path:
    return resource_path(SHIPPED_DIRS[role])


@cache
def demo_key_ids(role: Role) -> frozenset[str]:
    """Ids of the shipped demo keys of ``role`` (read once: they are part of the program)."""
    path = shipped_dir(role) / DEMO_KEY_FILES[role]
    return frozenset({crypto.key_id(read_key_file(path))}) if path.is_file() else frozenset()


def is_demo_key(role: Role, key_id: str) -> bool:
    return key_id in demo_key_ids(role)


def shipped_keys(role: Role, *, demo: bool = True) -> dict[str, bytes]:
    """The keys of ``role`` PixDesk ships; ``demo=False`` leaves out the demo keys."""
    keys = load_key_folder(shipped_dir(role))
    if not demo:
        keys = {kid: key for kid, key in keys.items() if not is_demo_key(role, kid)}
    return keys


def trusted_keys(
    role: Role,
    *,
    demo: bool,
    folders: Iterable[Path] = (),
    check: Callable[[Path], None] | None = None,
) -> dict[str, bytes]:
    """The shipped keys of ``role`` (without the demo ones unless ``demo``), plus those of
    ``folders`` (each checked with ``check``). A demo key placed in a folder is still a demo
    key: it is left out too when ``demo`` is false."""
    keys = shipped_keys(role, demo=demo)
    for folder in folders:
        keys.update(load_key_folder(folder, check=check))
    if not demo:
        keys = {kid: key for kid, key in keys.items() if not is_demo_key(role, kid)}
    return keys


# --- Admin-only files ---------------------------------------------------------------------


def admin_only_problem(path: Path) -> tuple[str, str] | None:
    """Why a machine-wide file or folder could be changed by someone other than an
    administrator (French, English), or ``None``. POSIX only; Windows relies on the
    installer's ACL on ``%ProgramData%\\pixdesk`` (see docs/it-deployment.md).

    The rule: owned by root or by the account running PixDesk (the owner can rewrite it, and
    only root or that account already controls this process), and writable by neither its
    group nor others.
    """
    if sys.platform == "win32":
        return None
    try:
        info = os.stat(path)
    except OSError as exc:
        return (f"{path} : illisible ({exc.strerror})", f"{path}: cannot be read ({exc.strerror})")
    if info.st_uid not in (0, os.geteuid()):
        return (
            f"{path} appartient à l'utilisateur {info.st_uid}, ni root ni ce compte",
            f"{path} is owned by user {info.st_uid}, neither root nor this account",
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        mode = stat.filemode(info.st_mode)
        return (
            f"{path} est modifiable par son groupe ou par tous ({mode})",
            f"{path} is writable by its group or by everyone ({mode})",
        )
    return None


def check_admin_only(path: Path) -> None:
    """Refuse (``config.not_admin_only``) a machine-wide file or folder a user could have
    written: what it says would then be the user's, not IT's."""
    problem = admin_only_problem(path)
    if problem is not None:
        fr, en = problem
        raise ConfigError(
            "config.not_admin_only",
            f"{fr} : réglage réservé aux administrateurs refusé (chown root, chmod go-w).",
            f"{en}: administrator-only setting refused (chown root, chmod go-w).",
        )
