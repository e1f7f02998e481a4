"""Machine configuration: one documented ``pixdesk.toml`` that IT writes once per PC.

Precedence is defaults < machine file (``/etc/xdg/pixdesk``, ``%ProgramData%\\pixdesk``) <
user file < command line. The machine file may name keys in ``locked``: a user file or a
command-line value for a locked key is then ignored with a warning, so a pupil's account
cannot point the client at another server or relax the kiosk. Every value is checked when
it is read, and a bad one stops with a single French/English line naming the file, the key
and what was expected, because IT reads these messages on thirty screens, not a traceback.

Writing is limited to top-level keys (the installer's ``/SERVER=…``, ``pixdesk config set``)
and edits the file line by line, so the comments of the shipped template survive.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pixdesk import paths
from pixdesk.errors import ConfigError, preferred_language
from pixdesk.lockdown.policy import KioskSettings
from pixdesk.trust import check_admin_only

log = logging.getLogger(__name__)

FILE_NAME = "pixdesk.toml"
LANGUAGES = ("fr", "en")
TOP_LEVEL_KEYS = (
    "server_url", "centre_id", "data_dir", "language", "allow_file_key", "session_file",
    "content_package", "room_console",
)
PATH_KEYS = ("data_dir", "session_file", "content_package")
LOCKABLE_KEYS = (*TOP_LEVEL_KEYS, "kiosk")
_CENTRE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_CONSOLE_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?\Z")
ROOM_CONSOLE_AUTO = "auto"

MACHINE = "machine"
USER = "user"
COMMAND_LINE = "command line"


def machine_config_path() -> Path:
    return paths.site_config_dir() / FILE_NAME


def user_config_path() -> Path:
    return paths.user_config_dir() / FILE_NAME


@dataclass(frozen=True)
class LockedKeyIgnored:
    """A value that the machine file's ``locked`` list overrode; shown by ``pixdesk doctor``."""

    key: str
    origin: str

    def message(self, lang: str = "fr") -> str:
        if lang == "en":
            where = "command-line" if self.origin == COMMAND_LINE else "user-file"
            return f"{self.key} is locked by the machine file: the {where} value is ignored"
        where = "de la ligne de commande" if self.origin == COMMAND_LINE else "utilisateur"
        return f"{self.key} est verrouillé par le fichier machine : valeur {where} ignorée"


@dataclass(frozen=True)
class Config:
    """The effective configuration, with where each value came from."""

    server_url: str | None = None
    centre_id: str | None = None
    data_dir: Path | None = None
    language: str = "fr"
    allow_file_key: bool = False
    session_file: Path | None = None
    """The exam session ``pixdesk`` (no arguments) opens: ``pixdesk session fetch --use``."""
    content_package: Path | None = None
    """The content package that session names, copied to the PC by IT."""
    room_console: str = ""
    """The room console this PC reports to: ``host:port``, ``auto`` (LAN discovery) or
    empty (no link; the PC's own panel only)."""
    kiosk: Mapping[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    origins: Mapping[str, str] = field(default_factory=dict)
    """Key → ``machine`` / ``user`` / ``command line``; absent keys are defaults."""
    ignored: tuple[LockedKeyIgnored, ...] = ()
    files: tuple[Path, ...] = ()
    """The files that were read, in precedence order."""

    def kiosk_settings(self) -> KioskSettings:
        return KioskSettings.from_dict(self.kiosk)

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")


def load_config(
    cli: Mapping[str, object] | None = None,
    *,
    machine_path: Path | None = None,
    user_path: Path | None = None,
) -> Config:
    """Read both files, apply the command line (``None`` values are "not given") and check.
    The machine file and its folder must be writable by an administrator only (POSIX mode
    and owner, ``trust.check_admin_only``): its locked keys bind the user."""
    machine_file = machine_path or machine_config_path()
    user_file = user_path or user_config_path()
    if machine_file.exists():
        check_admin_only(machine_file.parent)
        check_admin_only(machine_file)
    machine = _read_file(machine_file)
    user = _read_file(user_file)
    locked = _locked_keys(machine, machine_file.name)
    if "locked" in user:
        raise _bad(user_file.name, "locked", "absent (seul le fichier machine verrouille)",
                   "absent (only the machine file locks keys)", user["locked"])
    values: dict[str, Any] = {"language": preferred_language()}
    kiosk: dict[str, Any] = {}
    origins: dict[str, str] = {}
    ignored: list[LockedKeyIgnored] = []
    layers = (
        (MACHINE, machine_file.name, machine),
        (USER, user_file.name, user),
        (COMMAND_LINE, "ligne de commande / command line", _given(cli or {})),
    )
    for origin, source, layer in layers:
        for key, raw in layer.items():
            if key == "locked":
                continue
            value = _checked(source, key, raw)
            if origin != MACHINE and key in locked:
                ignored.append(LockedKeyIgnored(key, origin))
                log.warning("%s", ignored[-1].message("en"))
                continue
            if key == "kiosk":
                kiosk.update(value)
            else:
                values[key] = value
            origins[key] = origin
    _check_kiosk(kiosk, machine_file.name)
    files = tuple(path for path in (machine_file, user_file) if path.is_file())
    data_dir, session_file, content_package = (values.get(key) for key in PATH_KEYS)
    return Config(
        server_url=values.get("server_url"),
        centre_id=values.get("centre_id"),
        data_dir=Path(data_dir) if data_dir else None,
        language=values["language"],
        allow_file_key=bool(values.get("allow_file_key", False)),
        session_file=Path(session_file) if session_file else None,
        content_package=Path(content_package) if content_package else None,
        room_console=str(values.get("room_console", "")),
        kiosk=kiosk,
        locked=locked,
        origins=origins,
        ignored=tuple(ignored),
        files=files,
    )


def _given(cli: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in cli.items() if value is not None}


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "config.unreadable",
            f"{path} : fichier de configuration illisible ({exc})",
            f"{path}: configuration file cannot be read ({exc})",
        ) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "config.syntax",
            f"{path.name} : syntaxe TOML invalide ({exc})",
            f"{path.name}: invalid TOML syntax ({exc})",
        ) from exc


def _locked_keys(machine: Mapping[str, Any], source: str) -> frozenset[str]:
    raw = machine.get("locked", [])
    if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
        raise _bad(source, "locked", "une liste de clés", "a list of keys", raw)
    unknown = sorted(set(raw) - set(LOCKABLE_KEYS))
    if unknown:
        expected = ", ".join(LOCKABLE_KEYS)
        raise _bad(source, "locked", f"des clés parmi {expected}", f"keys among {expected}", raw)
    return frozenset(raw)


def _checked(source: str, key: str, value: object) -> Any:
    """The value in its final type, or ``ConfigError`` naming the key and the expectation."""
    if key == "server_url":
        return check_server_url(source, value)
    if key == "centre_id":
        if isinstance(value, str) and _CENTRE_ID.match(value):
            return value
        raise _bad(source, key, "un identifiant (lettres, chiffres, . _ -, ex. 0691234A)",
                   "an identifier (letters, digits, . _ -, e.g. 0691234A)", value)
    if key in PATH_KEYS:
        if isinstance(value, str | os.PathLike):
            expanded = os.path.expandvars(os.path.expanduser(os.fspath(value)))
            if os.path.isabs(expanded):
                return expanded
        raise _bad(source, key, "un chemin absolu", "an absolute path", value)
    if key == "language":
        if value in LANGUAGES:
            return value
        raise _bad(source, key, "fr ou en", "fr or en", value)
    if key == "allow_file_key":
        if isinstance(value, bool):
            return value
        raise _bad(source, key, "true ou false", "true or false", value)
    if key == "room_console":
        return check_room_console(source, value)
    if key == "kiosk":
        if isinstance(value, dict):
            return value
        raise _bad(source, key, "une table [kiosk]", "a [kiosk] table", value)
    known = ", ".join((*TOP_LEVEL_KEYS, "kiosk", "locked"))
    raise ConfigError(
        "config.unknown_key",
        f"{source} : clé inconnue « {key} » (clés possibles : {known})",
        f"{source}: unknown key “{key}” (known keys: {known})",
    )


def check_server_url(source: str, value: object) -> str:
    """https://host[:port][/path]; plain http only on this machine's loopback (tests, labs)."""
    if isinstance(value, str) and _acceptable_url(value):
        return value.rstrip("/")
    raise _bad(source, "server_url", "une URL https://…", "an https://… URL", value)


def check_room_console(source: str, value: object) -> str:
    """``host:port`` (a name or IPv4 address, port 1-65535), ``auto`` or empty. The link is
    plain WebSocket on the LAN and needs no secret (docs/room.md), so no scheme is asked."""
    if isinstance(value, str):
        text = value.strip()
        if text in ("", ROOM_CONSOLE_AUTO):
            return text
        host, _, port = text.rpartition(":")
        if _CONSOLE_HOST.match(host) and port.isdigit() and 0 < int(port) < 65536:
            return text
    raise _bad(source, "room_console", "hôte:port, auto ou vide (ex. 192.168.1.20:47815)",
               "host:port, auto or empty (e.g. 192.168.1.20:47815)", value)


def _acceptable_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    if not (port_ok and parts.hostname) or parts.query or parts.fragment:
        return False
    return parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS
    )


def _check_kiosk(kiosk: Mapping[str, Any], source: str) -> None:
    try:
        KioskSettings.from_dict(kiosk)
    except ConfigError as exc:
        raise ConfigError(
            "config.kiosk",
            f"{source} : [kiosk] {exc.fr}",
            f"{source}: [kiosk] {exc.en}",
        ) from exc


def _bad(source: str, key: str, fr: str, en: str, received: object) -> ConfigError:
    shown = received if isinstance(received, str) else repr(received)
    return ConfigError(
        f"config.bad_{key}",
        f"{source} : {key} doit être {fr} (reçu : « {shown} »)",
        f"{source}: {key} must be {en} (got: “{shown}”)",
    )


# --- Writing ------------------------------------------------------------------------------


def toml_value(value: str | bool | int | Sequence[str]) -> str:
    """A TOML literal for the few value types the machine file holds at top level."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    return "[" + ", ".join(_toml_string(item) for item in value) + "]"


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def parse_cli_value(key: str, text: str) -> str | bool | list[str]:
    """``pixdesk config set KEY VALUE``: the shell gives text; booleans and lists need typing."""
    if key == "allow_file_key":
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes", "oui"):
            return True
        if lowered in ("false", "0", "no", "non"):
            return False
        raise _bad("pixdesk config set", key, "true ou false", "true or false", text)
    if key == "locked":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def set_machine_value(
    key: str, value: str | bool | Sequence[str], path: Path | None = None
) -> Path:
    """Set one top-level key in the machine file, keeping every other line as it was.

    An existing ``key = …`` line (or the template's commented ``# key = …``) is replaced in
    place; otherwise the line goes before the first table. The result is re-read and checked
    before it replaces the file, so a bad value never reaches the disk.
    """
    target = path or machine_config_path()
    if key not in (*TOP_LEVEL_KEYS, "locked"):
        settable = ", ".join((*TOP_LEVEL_KEYS, "locked"))
        raise ConfigError(
            "config.not_settable",
            f"{key} ne se règle pas ainsi (clés possibles : {settable}) ; éditez {target}",
            f"{key} cannot be set this way (settable keys: {settable}); edit {target}",
        )
    if key != "locked":
        value = _checked(target.name, key, value)
    try:
        old = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    new = _with_line(old, key, f"{key} = {toml_value(value)}")
    try:
        document = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "config.syntax",
            f"{target.name} : syntaxe TOML invalide ({exc})",
            f"{target.name}: invalid TOML syntax ({exc})",
        ) from exc
    _locked_keys(document, target.name)
    for name, raw in document.items():
        if name != "locked":
            _checked(target.name, name, raw)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(new, encoding="utf-8")
    temporary.chmod(0o644)
    os.replace(temporary, target)
    return target


def _with_line(text: str, key: str, line: str) -> str:
    lines = text.splitlines()
    assignment = re.compile(rf"\s*{re.escape(key)}\s*=")
    commented = re.compile(rf"\s*#\s*{re.escape(key)}\s*=")
    first_table = next(
        (i for i, current in enumerate(lines) if current.lstrip().startswith("[")), len(lines)
    )
    top = lines[:first_table]
    for pattern in (assignment, commented):
        for index, current in enumerate(top):
            if pattern.match(current):
                lines[index] = line
                return "\n".join(lines) + "\n"
    insert_at = first_table
    while insert_at > 0 and not lines[insert_at - 1].strip():
        insert_at -= 1
    lines.insert(insert_at, line)
    return "\n".join(lines) + "\n"
