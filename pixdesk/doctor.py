"""``pixdesk doctor``: the checks IT runs on each PC before an exam day, without Qt.

Each check is a plain function of the configuration, the data dir and a ``Machine``: the
bundle of everything read from the operating system (keyring probe, mount table, free space,
screens, BIOS strings, processes, the server, the wall clock). Tests build a ``Machine``
with their own readers; the real one is ``Machine.current()``. A check never raises: what
went wrong becomes its line, so one broken probe cannot hide the other findings.

Statuses follow the kiosk's own reactions where there is one: a finding that would lock the
exam is an ÉCHEC here, one that would only warn is an AVERTISSEMENT, so doctor and the exam
day agree.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pixdesk import logs
from pixdesk.config import Config
from pixdesk.errors import ConfigError, PixdeskError
from pixdesk.lockdown import environment
from pixdesk.lockdown.backend import CAPABILITIES, CAPABILITY_LABELS
from pixdesk.lockdown.environment import BiosReader
from pixdesk.lockdown.policy import EnvironmentFinding, KioskSettings, Reaction, reaction
from pixdesk.lockdown.processes import ProcessInfo, ProcessWatchdog, list_proc, ps_processes
from pixdesk.store.keys import (
    KEY_DIR,
    FileKeyStore,
    KeyStore,
    key_file_wording,
    keyring_problem,
    master_key,
    open_key_store,
    registered_attempts,
)

MIN_FREE_BYTES = 200 * 1024 * 1024
MAX_CLOCK_SKEW_MS = 2 * 60 * 1000
REMOTE_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ceph",
        "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre", "gpfs",
        "ncpfs", "remote",
    }
)
"""SQLite's locking and fsync are not to be trusted there: the journal must be local."""


class Status(enum.Enum):
    OK = "ok"
    WARN = "warning"
    FAIL = "failure"

    def label(self, lang: str = "fr") -> str:
        return _LABELS["en" if lang == "en" else "fr"][self]


_LABELS = {
    "fr": {Status.OK: "OK", Status.WARN: "AVERTISSEMENT", Status.FAIL: "ÉCHEC"},
    "en": {Status.OK: "OK", Status.WARN: "WARNING", Status.FAIL: "FAILURE"},
}


@dataclass(frozen=True)
class Check:
    id: str
    status: Status
    fr: str
    en: str
    details_fr: tuple[str, ...] = ()
    details_en: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    """Extra keys of the ``--json`` entry, for scripts (the lockdown check's capabilities)."""

    def message(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr

    def details(self, lang: str = "fr") -> tuple[str, ...]:
        return self.details_en if lang == "en" else self.details_fr

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": self.id, "status": self.status.value, "message": self.message(lang)
        }
        if self.details(lang):
            entry["details"] = list(self.details(lang))
        entry.update(self.data)
        return entry


@dataclass(frozen=True)
class ServerAnswer:
    """What ``GET /v1/meta`` said, reduced to what the checks use."""

    server_version: str
    server_key_id: str
    time_ms: int


ServerProbe = Callable[[str], ServerAnswer]
"""Asks the server at a URL for its meta; raises ``PixdeskError`` when it cannot."""
DeviceReader = Callable[[Path, bool], "DeviceState"]
RoomProbe = Callable[[str], "RoomAnswer"]
"""What the machine config's ``room_console`` leads to; ``PixdeskError`` on a bad value."""
ROOM_BROWSE_S = 3.0
LockdownProbe = Callable[[str, Mapping[str, str], KioskSettings, Path], dict[str, str]]
"""``(platform, env, settings, state_path)`` → each capability not in force, with why."""


@dataclass(frozen=True)
class RoomAnswer:
    """A configured console address took a TCP connection; or, for ``auto``, the sessions
    advertised on the LAN with their addresses."""

    reachable: bool
    advertised: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeviceState:
    """This PC's enrolment as stored beside the journal keys."""

    device_id: str | None
    server_url: str | None
    server_key_id: str | None
    centre_id: str | None


@dataclass(frozen=True)
class Machine:
    env: Mapping[str, str]
    platform: str
    keyring_problem: Callable[[], str | None]
    filesystem_type: Callable[[Path], str | None]
    free_bytes: Callable[[Path], int]
    screen_count: Callable[[], int | None]
    machine_facts: BiosReader
    processes: Callable[[], Iterable[ProcessInfo]]
    server: ServerProbe
    device: DeviceReader
    wall_clock_ms: Callable[[], int] = field(default=lambda: time.time_ns() // 1_000_000)
    lockdown: LockdownProbe = field(default=lambda *args: probe_lockdown(*args))
    room: RoomProbe = field(default=lambda setting: probe_room(setting))

    @classmethod
    def current(cls) -> Machine:
        return cls(
            env=dict(os.environ),
            platform=sys.platform,
            keyring_problem=keyring_problem,
            filesystem_type=filesystem_type,
            free_bytes=lambda path: shutil.disk_usage(path).free,
            screen_count=lambda: count_screens(sys.platform, os.environ),
            machine_facts=environment.machine_facts_for(sys.platform),
            processes=_process_lister(sys.platform),
            server=probe_server,
            device=read_device,
        )


def run_checks(
    config: Config,
    data_dir: Path,
    machine: Machine,
    *,
    config_error: ConfigError | None = None,
    screens: int | None = None,
) -> list[Check]:
    """Every check, in the order IT reads them; ``screens`` overrides the machine's count."""
    settings, kiosk = _kiosk(config)
    checks = [
        check_config(config, config_error),
        check_machine_files(machine),
        check_keyring(config, data_dir, machine),
        check_data_dir(data_dir, machine),
        check_log_file(),
        check_free_space(data_dir, machine),
        check_journal(config, data_dir),
        check_screens(settings, machine, screens),
        check_environment(settings, machine),
        check_processes(settings, machine),
        check_content(config, data_dir),
        *check_server(config, data_dir, machine),
        check_room_console(config, machine),
        check_lockdown(settings, data_dir, machine),
        kiosk,
    ]
    return checks


def overall_ok(checks: Iterable[Check]) -> bool:
    return all(check.status is not Status.FAIL for check in checks)


# --- configuration and keys ---------------------------------------------------------------


def check_config(config: Config, error: ConfigError | None) -> Check:
    if error is not None:
        return Check("config", Status.FAIL, error.fr, error.en)
    if config.ignored:
        return Check(
            "config", Status.WARN,
            "; ".join(item.message("fr") for item in config.ignored),
            "; ".join(item.message("en") for item in config.ignored),
        )
    if not config.files:
        return Check(
            "config", Status.OK,
            "configuration : aucun fichier pixdesk.toml, valeurs par défaut",
            "configuration: no pixdesk.toml file, defaults in use",
        )
    files = ", ".join(str(path) for path in config.files)
    return Check(
        "config", Status.OK, f"configuration lue : {files}", f"configuration read: {files}"
    )


def check_machine_files(machine: Machine) -> Check:
    """The machine folder, its ``pixdesk.toml`` and ``content-keys/*.pub`` writable by an
    administrator only (``trust.admin_only_problem``); the exam refuses them otherwise. On
    Windows the installer sets the ACL of ``%ProgramData%\\pixdesk`` (Administrators and
    SYSTEM full control, Users read) and this check cannot read it back."""
    from pixdesk import paths
    from pixdesk.trust import admin_only_problem

    folder = paths.site_config_dir()
    if machine.platform == "win32":
        return Check(
            "machine_files", Status.OK,
            f"{folder} : droits posés par l'installateur (Administrateurs et SYSTEM : contrôle "
            "total, Utilisateurs : lecture), non vérifiables ici",
            f"{folder}: permissions set by the installer (Administrators and SYSTEM: full "
            "control, Users: read), not verifiable here",
        )
    if not folder.is_dir():
        return Check("machine_files", Status.OK,
                     f"{folder} : absent (aucun réglage machine)",
                     f"{folder}: absent (no machine settings)")
    keys = folder / "content-keys"
    paths_to_check = [folder, folder / "pixdesk.toml", keys]
    if keys.is_dir():
        paths_to_check += sorted(keys.glob("*.pub"))
    present = [path for path in paths_to_check if path.exists()]
    problems = [found for path in present if (found := admin_only_problem(path)) is not None]
    if problems:
        return Check(
            "machine_files", Status.FAIL,
            f"{problems[0][0]} : l'examen refusera ces réglages (chown root, chmod go-w)",
            f"{problems[0][1]}: the exam will refuse these settings (chown root, chmod go-w)",
            tuple(fr for fr, _ in problems[1:]), tuple(en for _, en in problems[1:]),
        )
    owned = [path for path in present if path.stat().st_uid != 0]
    if owned:
        return Check(
            "machine_files", Status.WARN,
            f"{owned[0]} appartient à ce compte, pas à root : ce compte peut le modifier",
            f"{owned[0]} belongs to this account, not root: this account can change it",
        )
    return Check("machine_files", Status.OK,
                 f"{folder} : modifiable par les administrateurs seulement",
                 f"{folder}: writable by administrators only")


def check_keyring(config: Config, data_dir: Path, machine: Machine) -> Check:
    try:
        problem = machine.keyring_problem()
    except Exception as error:  # a broken backend must not stop the other checks
        problem = f"keyring probe failed: {error!r}"
    key_file = data_dir / KEY_DIR
    present = FileKeyStore.present(key_file)
    if problem is None:
        extra_fr = f" (un ancien fichier de clé reste dans {key_file})" if present else ""
        extra_en = f" (an old key file remains in {key_file})" if present else ""
        return Check(
            "keyring", Status.OK,
            "trousseau système utilisable (écriture, lecture, effacement vérifiés)" + extra_fr,
            "system keyring usable (write, read, delete probed)" + extra_en,
        )
    if config.allow_file_key:
        file_fr, file_en = key_file_wording(machine.platform)
        return Check(
            "keyring", Status.WARN,
            f"Aucun trousseau système utilisable ({problem}) ; {file_fr} autorisé "
            f"par allow_file_key dans {key_file} (sécurité dégradée)",
            f"No usable system keyring ({problem}); a {file_en} is allowed by "
            f"allow_file_key in {key_file} (degraded security)",
        )
    return Check(
        "keyring", Status.FAIL,
        f"Aucun trousseau système utilisable ({problem}) : un examen réel serait refusé "
        "(le service informatique peut autoriser un fichier de clé : allow_file_key)",
        f"No usable system keyring ({problem}): a real exam would be refused "
        "(IT may allow a key file: allow_file_key)",
    )


# --- disk ---------------------------------------------------------------------------------


def check_data_dir(data_dir: Path, machine: Machine) -> Check:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / f".doctor-{os.getpid()}"
        descriptor = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, b"pixdesk doctor\n")
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
            probe.unlink()
    except OSError as error:
        reason = error.strerror or str(error)
        return Check(
            "data_dir", Status.FAIL,
            f"dossier de données {data_dir} non inscriptible ({reason})",
            f"data folder {data_dir} is not writable ({reason})",
        )
    kind = machine.filesystem_type(data_dir)
    if kind is not None and kind.lower() in REMOTE_FILESYSTEMS:
        return Check(
            "data_dir", Status.FAIL,
            f"dossier de données {data_dir} sur un partage réseau ({kind}) : le journal doit "
            "être sur un disque local",
            f"data folder {data_dir} is on a network share ({kind}): the journal must be on "
            "a local disk",
        )
    shown = kind or "type inconnu"
    return Check(
        "data_dir", Status.OK,
        f"dossier de données {data_dir} inscriptible, disque local ({shown})",
        f"data folder {data_dir} writable, local disk ({kind or 'unknown type'})",
    )


def check_log_file() -> Check:
    """Where the client's log file is, so IT knows what to collect (``pixdesk.logs``)."""
    path = logs.log_file()
    return Check(
        "log", Status.OK, f"fichier de log : {path}", f"log file: {path}",
        data={"path": str(path)},
    )


def check_free_space(data_dir: Path, machine: Machine) -> Check:
    try:
        free = machine.free_bytes(data_dir)
    except OSError as error:
        return Check(
            "free_space", Status.WARN,
            f"espace libre inconnu ({error.strerror or error})",
            f"free space unknown ({error.strerror or error})",
        )
    megabytes = free // (1024 * 1024)
    if free < MIN_FREE_BYTES:
        return Check(
            "free_space", Status.WARN,
            f"espace libre faible : {megabytes} Mo (200 Mo conseillés)",
            f"low free space: {megabytes} MB (200 MB advised)",
        )
    return Check("free_space", Status.OK, f"espace libre : {megabytes} Mo",
                 f"free space: {megabytes} MB")


def check_journal(config: Config, data_dir: Path) -> Check:
    """Every attempt already on this PC verifies as ``pixdesk journal verify`` would: a broken
    or vanished attempt fails, a degraded one (docs/journal.md) warns — it will reach the
    server only as a flagged copy. Read-only: no journal or key is created."""
    from pixdesk.store.journal import DB_FILE, Journal

    allow = config.allow_file_key or FileKeyStore.present(data_dir / KEY_DIR)
    if not (data_dir / DB_FILE).is_file():
        lost = _registered_attempts(data_dir, allow)
        if lost:
            return Check(
                "journal", Status.FAIL,
                f"journal absent alors que {len(lost)} épreuve(s) ont existé sur ce poste "
                "(journal.vanished) : fichier supprimé ou déplacé",
                f"journal missing although {len(lost)} attempt(s) existed on this PC "
                "(journal.vanished): file deleted or moved",
                tuple(lost), tuple(lost),
            )
        return Check("journal", Status.OK, "aucun journal d'épreuves sur ce poste pour l'instant",
                     "no exam journal on this PC yet")
    try:
        with Journal.open(data_dir, allow_file_key=allow, create=False) as journal:
            report = journal.verify()
    except PixdeskError as error:
        status = Status.WARN if error.code.startswith("keys.") else Status.FAIL
        return Check("journal", status, f"journal non vérifié : {error.fr}",
                     f"journal not verified: {error.en}")
    flagged = [check for check in report.attempts if check.integrity is not None]
    count = len(report.attempts)
    if not flagged:
        return Check("journal", Status.OK, f"journal vérifié : {count} épreuve(s) intègre(s)",
                     f"journal verified: {count} attempt(s) intact")
    broken = any(check.broken is not None for check in flagged)
    codes = ", ".join(sorted({str(check.integrity) for check in flagged}))
    return Check(
        "journal", Status.FAIL if broken else Status.WARN,
        f"journal : {len(flagged)} épreuve(s) sur {count} à revoir ({codes}) — envoyées "
        "seulement comme copies signalées",
        f"journal: {len(flagged)} of {count} attempt(s) need review ({codes}) — sent only "
        "as flagged copies",
        tuple(check.message("fr") for check in flagged),
        tuple(check.message("en") for check in flagged),
    )


def _registered_attempts(data_dir: Path, allow_file_key: bool) -> list[str]:
    """The attempts the key store remembers, for a data dir whose journal file is gone."""
    try:
        store = open_key_store(data_dir, allow_file_key=allow_file_key)
        master = master_key(store, create=False)
        if master is None:
            return []
        return [one for one in registered_attempts(store, master) if one is not None]
    except Exception:  # an unusable keyring is the keyring check's finding, not this one's
        return []


def filesystem_type(path: Path) -> str | None:
    """The file system holding ``path``: the mount table on Linux, the drive type on Windows."""
    if sys.platform == "win32":
        return _windows_drive_type(path)
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return filesystem_from_mountinfo(mountinfo, path.resolve())


def filesystem_from_mountinfo(mountinfo: str, path: Path) -> str | None:
    """The type of the deepest mount point containing ``path`` (``/proc/self/mountinfo``)."""
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        left, separator, right = line.partition(" - ")
        fields = left.split()
        if not separator or len(fields) < 5 or not right.split():
            continue
        mount_point = Path(_unescape_mount(fields[4]))
        if path == mount_point or mount_point in path.parents:
            depth = len(mount_point.parts)
            if best is None or depth >= best[0]:
                best = (depth, right.split()[0])
    return best[1] if best else None


def _unescape_mount(text: str) -> str:
    """Mount points escape space, tab, newline and backslash as octal (``\\040``)."""
    for code in ("040", "011", "012", "134"):
        text = text.replace("\\" + code, chr(int(code, 8)))
    return text


def _windows_drive_type(path: Path) -> str | None:
    if str(path).startswith("\\\\"):
        return "remote"
    import ctypes

    drive_remote = 4
    root = os.path.splitdrive(str(path.resolve()))[0] + "\\"
    kind = ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]
    return "remote" if kind == drive_remote else "local"


# --- screens, environment, processes -----------------------------------------------------


def count_screens(platform: str, env: Mapping[str, str]) -> int | None:
    """Screens seen by the display server, ``None`` when there is no display to ask."""
    if platform == "win32":
        import ctypes

        sm_cmonitors = 80
        return int(ctypes.windll.user32.GetSystemMetrics(sm_cmonitors))  # type: ignore[attr-defined]
    if not env.get("DISPLAY"):
        return None
    try:
        result = subprocess.run(
            ["xrandr", "--listmonitors"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return monitors_from_xrandr(result.stdout) if result.returncode == 0 else None


def monitors_from_xrandr(output: str) -> int | None:
    """``Monitors: 2`` is the first line of ``xrandr --listmonitors``."""
    for line in output.splitlines():
        label, _, count = line.partition(":")
        if label.strip() == "Monitors" and count.strip().isdigit():
            return int(count)
    return None


def check_screens(settings: KioskSettings, machine: Machine, screens: int | None) -> Check:
    count = screens if screens is not None else _safely(machine.screen_count)
    if count is None:
        return Check(
            "screens", Status.WARN,
            "écrans non comptés (pas d'affichage : lancez doctor dans la session graphique ou "
            "passez --screens N)",
            "screens not counted (no display: run doctor in the graphical session or pass "
            "--screens N)",
        )
    if count > settings.max_screens:
        status = _status(reaction(EnvironmentFinding.EXTERNAL_MONITOR, settings))
        return Check(
            "screens", status,
            f"{count} écrans pour {settings.max_screens} autorisé(s) : débranchez les écrans "
            "en trop",
            f"{count} screens, {settings.max_screens} allowed: unplug the extra screens",
        )
    return Check("screens", Status.OK, f"écrans : {count}", f"screens: {count}")


def check_environment(settings: KioskSettings, machine: Machine) -> Check:
    """Virtual machine hints, remote sessions and an unconfined Wayland session."""
    try:
        findings = environment.check_environment(
            platform=machine.platform,
            env=machine.env,
            settings=settings,
            screen_count=1,
            machine_facts=machine.machine_facts,
        )
    except Exception as error:  # BIOS readers touch the registry and sysctl
        return Check("environment", Status.WARN, f"environnement non vérifié ({error})",
                     f"environment not checked ({error})")
    if not findings:
        return Check(
            "environment", Status.OK,
            "ni machine virtuelle, ni session à distance détectée",
            "no virtual machine or remote session detected",
        )
    status = _worst(_status(reaction(finding.kind, settings)) for finding in findings)
    return Check(
        "environment", status,
        "; ".join(finding.message("fr") for finding in findings),
        "; ".join(finding.message("en") for finding in findings),
    )


def check_processes(settings: KioskSettings, machine: Machine) -> Check:
    try:
        scan = ProcessWatchdog(settings, machine.processes).scan()
    except Exception as error:  # ps or Toolhelp may be missing or refused
        return Check("processes", Status.WARN, f"programmes non vérifiés ({error})",
                     f"programs not checked ({error})")
    findings = scan.findings()
    assistive = ", ".join(sorted(scan.assistive))
    if not findings:
        fr = "aucun programme interdit en cours"
        en = "no prohibited program running"
        if assistive:
            fr += f" (aides techniques autorisées : {assistive})"
            en += f" (assistive technology allowed: {assistive})"
        return Check("processes", Status.OK, fr, en)
    status = _status(reaction(EnvironmentFinding.PROHIBITED_PROCESS, settings))
    return Check(
        "processes", status,
        "programmes interdits en cours : " + "; ".join(f.detail for f in findings),
        "prohibited programs running: " + "; ".join(f.detail for f in findings),
    )


def _process_lister(platform: str) -> Callable[[], Iterable[ProcessInfo]]:
    if platform == "win32":
        from pixdesk.lockdown.windows import toolhelp_processes

        return toolhelp_processes
    if platform == "darwin":
        return ps_processes
    return list_proc


# --- content, server, enrolment, kiosk ----------------------------------------------------


def check_content(config: Config, data_dir: Path) -> Check:
    """The configured session and package open exactly as on exam morning (signatures, this
    device's sealed key, decryption, item bank); without one, the shipped demo does."""
    from pixdesk.bundle import is_configured

    if is_configured(config):
        return _check_configured_content(config, data_dir)
    try:
        from pixdesk.demo import load_demo

        demo = load_demo()
    except PixdeskError as error:
        return Check("content", Status.FAIL, f"contenu de démonstration refusé : {error.fr}",
                     f"demo content refused: {error.en}")
    items = len(demo.package.items)
    session = demo.session.id
    return Check(
        "content", Status.OK,
        f"paquet de démonstration valide ({items} questions), session {session} signée",
        f"demo package valid ({items} questions), session {session} signed",
    )


def _check_configured_content(config: Config, data_dir: Path) -> Check:
    from pixdesk.bundle import load_configured

    try:
        bundle = load_configured(config, data_dir)
    except PixdeskError as error:
        return Check("content", Status.FAIL, f"session configurée refusée : {error.fr}",
                     f"configured session refused: {error.en}")
    session, package = bundle.session, bundle.package
    where = f"{session.id} ({session.centre_id}, {session.date}, {session.room})"
    people, items = len(session.candidates), len(package.items)
    return Check(
        "content", Status.OK,
        f"session {where} : {people} candidats, paquet {package.manifest.package_id} valide "
        f"({items} questions)",
        f"session {where}: {people} candidates, package {package.manifest.package_id} valid "
        f"({items} questions)",
    )


def check_server(config: Config, data_dir: Path, machine: Machine) -> list[Check]:
    """Reachability, clock and enrolment; a single line when no server is configured."""
    url = config.server_url
    if url is None:
        return [
            Check(
                "server", Status.WARN,
                "serveur non configuré (server_url) : résultats à transmettre par pixdesk export",
                "server not configured (server_url): results go out through pixdesk export",
            )
        ]
    answer: ServerAnswer | None = None
    try:
        answer = machine.server(url)
        server = Check("server", Status.OK,
                       f"serveur {url} joignable (version {answer.server_version})",
                       f"server {url} reachable (version {answer.server_version})")
    except PixdeskError as error:
        server = Check("server", Status.WARN, f"serveur {url} injoignable : {error.fr}",
                       f"server {url} unreachable: {error.en}")
    return [server, _check_clock(answer, machine), _check_enrolment(config, data_dir, machine,
                                                                    answer)]


def probe_room(setting: str) -> RoomAnswer:
    from pixdesk.room import discovery

    if setting == discovery.AUTO:
        return RoomAnswer(False, asyncio.run(discovery.advertised_sessions(ROOM_BROWSE_S)))
    uri = discovery.console_source(setting, "")
    assert isinstance(uri, str)
    host, _, port = uri.removeprefix("ws://").rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return RoomAnswer(True)
    except OSError:
        return RoomAnswer(False)


def check_room_console(config: Config, machine: Machine) -> Check:
    """Whether the room console (or the server's hub) this PC reports to can be reached
    now; never a failure: the PC's own panel runs the exam without it."""
    setting = config.room_console.strip()
    if not setting:
        return Check("room_console", Status.OK,
                     "console de salle non configurée (room_console) : le panneau du poste seul",
                     "room console not configured (room_console): the PC's own panel only")
    try:
        answer = machine.room(setting)
    except PixdeskError as error:
        return Check("room_console", Status.WARN, error.fr, error.en)
    except (OSError, RuntimeError) as error:
        return Check("room_console", Status.WARN,
                     f"console de salle : découverte impossible sur ce réseau ({error})",
                     f"room console: discovery impossible on this network ({error})")
    if setting == "auto":
        found = ", ".join(f"{session} ({uri})" for session, uri in
                          sorted(answer.advertised.items()))
        if found:
            return Check("room_console", Status.OK,
                         f"console de salle (auto) : annoncée(s) sur le réseau : {found}",
                         f"room console (auto): advertised on the network: {found}",
                         data={"advertised": dict(answer.advertised)})
        return Check("room_console", Status.WARN,
                     "console de salle (auto) : aucune annoncée sur le réseau pour l'instant "
                     "(console ouverte ? multicast UDP 5353 autorisé ?)",
                     "room console (auto): none advertised on the network yet (console "
                     "open? multicast UDP 5353 allowed?)",
                     data={"advertised": {}})
    if answer.reachable:
        return Check("room_console", Status.OK, f"console de salle {setting} joignable",
                     f"room console {setting} reachable")
    return Check("room_console", Status.WARN,
                 f"console de salle {setting} injoignable pour l'instant (console ouverte ? "
                 "port TCP ouvert ?)",
                 f"room console {setting} unreachable for now (console open? TCP port "
                 "open?)")


def _check_clock(answer: ServerAnswer | None, machine: Machine) -> Check:
    if answer is None:
        return Check("clock", Status.WARN, "horloge non comparée (serveur injoignable)",
                     "clock not compared (server unreachable)")
    skew_s = (machine.wall_clock_ms() - answer.time_ms) / 1000
    if abs(skew_s) * 1000 > MAX_CLOCK_SKEW_MS:
        direction_fr = "en avance" if skew_s > 0 else "en retard"
        direction_en = "ahead of" if skew_s > 0 else "behind"
        return Check(
            "clock", Status.WARN,
            f"horloge {direction_fr} de {abs(skew_s):.0f} s sur le serveur (réglez NTP)",
            f"clock {abs(skew_s):.0f} s {direction_en} the server (set up NTP)",
        )
    return Check("clock", Status.OK, f"horloge à l'heure (écart {abs(skew_s):.0f} s)",
                 f"clock in time (off by {abs(skew_s):.0f} s)")


def _check_enrolment(
    config: Config, data_dir: Path, machine: Machine, answer: ServerAnswer | None
) -> Check:
    try:
        state = machine.device(data_dir, config.allow_file_key)
    except PixdeskError as error:
        return Check("enrolment", Status.FAIL, f"inscription non lisible : {error.fr}",
                     f"enrolment unreadable: {error.en}")
    if state.device_id is None or state.server_url is None:
        return Check(
            "enrolment", Status.FAIL,
            "poste non inscrit : lancez « pixdesk enrol --server URL --token JETON »",
            'PC not enrolled: run "pixdesk enrol --server URL --token TOKEN"',
        )
    if state.server_url.rstrip("/") != config.server_url:
        return Check(
            "enrolment", Status.FAIL,
            f"poste inscrit auprès de {state.server_url}, mais configuré pour "
            f"{config.server_url} : réinscrivez-le",
            f"PC enrolled with {state.server_url} but configured for {config.server_url}: "
            "enrol it again",
        )
    if answer is not None and answer.server_key_id != state.server_key_id:
        return Check(
            "enrolment", Status.FAIL,
            "la clé du serveur a changé depuis l'inscription : réinscrivez le poste",
            "the server key changed since enrolment: enrol the PC again",
        )
    if config.centre_id and state.centre_id and config.centre_id != state.centre_id:
        return Check(
            "enrolment", Status.WARN,
            f"poste inscrit pour le centre {state.centre_id}, configuré pour {config.centre_id}",
            f"PC enrolled for centre {state.centre_id}, configured for {config.centre_id}",
        )
    return Check(
        "enrolment", Status.OK,
        f"poste inscrit ({state.device_id}, centre {state.centre_id})",
        f"PC enrolled ({state.device_id}, centre {state.centre_id})",
    )


def probe_server(url: str) -> ServerAnswer:
    """One ``GET /v1/meta`` without retries: doctor reports, the sync client insists."""
    from pixdesk.errors import SyncError
    from pixdesk.sync.client import RetryPolicy, SyncClient

    client = SyncClient(url, policy=RetryPolicy(tries=1), timeout=(3.0, 5.0))
    try:
        meta = client.meta()
    finally:
        client.close()
    try:
        return ServerAnswer(str(meta["server_version"]), str(meta["server_key_id"]),
                            int(meta["time"]))
    except (KeyError, TypeError, ValueError) as error:
        raise SyncError(
            "sync.bad_meta",
            f"réponse de /v1/meta inattendue ({error!r}) : est-ce bien un serveur PixDesk ?",
            f"unexpected /v1/meta answer ({error!r}): is this a PixDesk server?",
        ) from error


def read_device(data_dir: Path, allow_file_key: bool) -> DeviceState:
    from pixdesk.sync.device import load_device, load_pin, open_device_store

    store: KeyStore = open_device_store(data_dir, allow_file_key=allow_file_key)
    device, pin = load_device(store), load_pin(store)
    return DeviceState(
        device.device_id if device else None,
        pin.url if pin else None,
        pin.key_id if pin else None,
        pin.centre_id if pin else None,
    )


def check_lockdown(settings: KioskSettings, data_dir: Path, machine: Machine) -> Check:
    """The OS backend engaged and released once, for real: what it could *not* put in force
    on this PC is listed (a warning: the exam still runs, the window guard still locks)."""
    try:
        missing = machine.lockdown(
            machine.platform, machine.env, settings, data_dir / "lockdown-state.json"
        )
    except Exception as error:  # a backend that cannot even start must not hide the rest
        return Check("lockdown", Status.WARN, f"protections du poste non vérifiées ({error})",
                     f"this PC's protections not checked ({error})")
    data = {
        "capabilities": {name: name not in missing for name in CAPABILITIES},
        "missing": dict(missing),
    }
    in_force_fr = [CAPABILITY_LABELS[n][0] for n in CAPABILITIES if n not in missing]
    in_force_en = [CAPABILITY_LABELS[n][1] for n in CAPABILITIES if n not in missing]
    lines_fr = [f"absent : {CAPABILITY_LABELS[n][0]} — {why}" for n, why in missing.items()]
    lines_en = [f"missing: {CAPABILITY_LABELS[n][1]} — {why}" for n, why in missing.items()]
    lines_fr.append("en place : " + (", ".join(in_force_fr) or "rien"))
    lines_en.append("in force: " + (", ".join(in_force_en) or "nothing"))
    if not missing:
        return Check("lockdown", Status.OK, "toutes les protections du poste sont en place",
                     "every protection of this PC is in force", tuple(lines_fr),
                     tuple(lines_en), data)
    return Check(
        "lockdown", Status.WARN,
        "protections absentes sur ce poste : "
        + ", ".join(CAPABILITY_LABELS[n][0] for n in missing),
        "protections missing on this PC: " + ", ".join(CAPABILITY_LABELS[n][1] for n in missing),
        tuple(lines_fr), tuple(lines_en), data,
    )


def probe_lockdown(
    platform: str, env: Mapping[str, str], settings: KioskSettings, state_path: Path
) -> dict[str, str]:
    """This PC's backend, engaged without an exam window and released. Doctor has no exam
    journal; the change ledger's state file still lists each change until it is undone."""
    from pixdesk.lockdown.factory import probe

    deps: dict[str, Any] = {"journal": _not_journaled, "state_path": state_path,
                            "settings": settings}
    if platform.startswith("linux"):
        deps["env"] = env
    return probe(platform, **deps)


def _not_journaled(kind: str, payload: dict[str, Any]) -> None:
    return None


def _kiosk(config: Config) -> tuple[KioskSettings, Check]:
    try:
        settings = config.kiosk_settings()
    except ConfigError as error:
        default = KioskSettings()
        return default, Check("kiosk", Status.FAIL, error.fr, error.en)
    return settings, Check(
        "kiosk", Status.OK,
        "réglages du mode examen :", "kiosk settings:",
        tuple(settings.describe("fr")), tuple(settings.describe("en")),
    )


def _status(reacts: Reaction) -> Status:
    return {Reaction.LOCK: Status.FAIL, Reaction.WARN: Status.WARN,
            Reaction.IGNORE: Status.OK}[reacts]


def _worst(statuses: Iterable[Status]) -> Status:
    order = (Status.OK, Status.WARN, Status.FAIL)
    return max(statuses, key=order.index, default=Status.OK)


def _safely(read: Callable[[], int | None]) -> int | None:
    with contextlib.suppress(Exception):
        return read()
    return None
