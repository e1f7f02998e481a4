"""The real exam this PC is configured for: its session file and content package, verified.

``pixdesk`` with no arguments sits the session named by ``session_file`` on the package named
by ``content_package`` (``pixdesk.toml``). Nothing in either file is used before it is proven:
the session must be signed by the server this PC enrolled with (or a non-demo server key
PixDesk ships), the content key inside it must open with this device's own X25519 key, and
the package must be signed by a content authority IT installed (or a non-demo one PixDesk
ships) and be the very package the session names. Demo keys are never trusted here: their
private halves are public. A demo session is refused because a demo result counts for
nothing; ``pixdesk demo`` is the only way to sit one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pixdesk import crypto, paths
from pixdesk.config import Config
from pixdesk.content.package import OpenedPackage, open_package
from pixdesk.errors import ContentError, PixdeskError, UsageError
from pixdesk.exam import ExamContent
from pixdesk.session import Session, SessionError, load_session
from pixdesk.sync.device import DeviceIdentity, open_device_store, require_enrolled
from pixdesk.trust import Role, check_admin_only, is_demo_key, trusted_keys

CONTENT_KEYS_DIR = "content-keys"


def site_content_keys_dir() -> Path:
    """Where IT installs the public key of the server operator's content authority."""
    return paths.site_config_dir() / CONTENT_KEYS_DIR


@dataclass(frozen=True, slots=True)
class ExamBundle:
    """A verified session with its opened package: everything the exam window needs, for
    the configured exam (``load_configured``) and the demo (``pixdesk.demo.load_demo``)."""

    session: Session
    package: OpenedPackage
    content: ExamContent


def trusted_content_keys() -> dict[str, bytes]:
    """The content authorities PixDesk ships, plus those IT installed on this machine, never
    a demo key (anyone can sign with it).

    The machine-wide folder, and each key in it, must be writable by an administrator only
    (``trust.check_admin_only``), the same trust as the installed program itself: a key a
    pupil's account could have added is refused (``config.not_admin_only``).
    """
    folder = site_content_keys_dir()
    if folder.is_dir():
        check_admin_only(folder.parent)
    return trusted_keys(Role.CONTENT_AUTHORITY, demo=False, folders=[folder],
                        check=check_admin_only)


def is_configured(config: Config) -> bool:
    return config.session_file is not None and config.content_package is not None


def missing_setup(config: Config, data_dir: Path) -> list[str]:
    """What this PC still lacks to sit the configured exam: ``session_file``,
    ``content_package`` (machine file keys) and ``enrolment`` (a device key and a pinned
    server, or a key store that cannot even be opened)."""
    missing = [key for key in ("session_file", "content_package") if getattr(config, key) is None]
    try:
        store = open_device_store(data_dir, allow_file_key=config.allow_file_key)
        require_enrolled(store)
    except PixdeskError:
        missing.append("enrolment")
    return missing


def require_configured(config: Config, data_dir: Path) -> None:
    """Nothing, or the one refusal naming everything IT must still set on this PC."""
    if is_configured(config):
        return
    missing = ", ".join(missing_setup(config, data_dir))
    raise UsageError(
        "client.unconfigured",
        f"Aucun examen n'est configuré sur ce poste (manque : {missing}). Le service "
        "informatique règle session_file et content_package (pixdesk session fetch ID --use) "
        "et vérifie le poste avec « pixdesk doctor » ; la démonstration se lance seulement "
        "avec « pixdesk demo ».",
        f"No exam is configured on this PC (missing: {missing}). IT sets session_file and "
        "content_package (pixdesk session fetch ID --use) and checks the PC with \"pixdesk "
        "doctor\"; the demo only runs with \"pixdesk demo\".",
    )


def load_configured(config: Config, data_dir: Path) -> ExamBundle:
    """The verified session and opened package of ``config``, for this enrolled device."""
    require_configured(config, data_dir)
    assert config.session_file is not None and config.content_package is not None
    session_file, package_file = config.session_file, config.content_package
    store = open_device_store(data_dir, allow_file_key=config.allow_file_key)
    device, pin = require_enrolled(store)
    trusted = {
        key_id: public
        for key_id, public in (
            trusted_keys(Role.SERVER, demo=False) | {pin.key_id: pin.signing_public_key}
        ).items()
        if not is_demo_key(Role.SERVER, key_id)
    }
    try:
        session = load_session(session_file, trusted)
    except SessionError as error:
        if error.code == "session.unknown_signer" and _signed_by_demo_key(session_file):
            raise SessionError(
                "session.demo_refused",
                "Ce fichier est signé par la clé de démonstration (publique) : il ne vaut que "
                "pour « pixdesk demo ».",
                "This file is signed by the (public) demo key: it is only good for "
                "\"pixdesk demo\".",
            ) from error
        raise
    if session.demo:
        raise _demo_refused()
    content_key = _content_key(session, device)
    package = _open_package(package_file, session, content_key)
    content = ExamContent(package.manifest.package_id, package.bank, package.versions)
    return ExamBundle(session, package, content)


def _demo_refused() -> SessionError:
    return SessionError(
        "session.demo_refused",
        "Ce fichier est une session de démonstration : elle ne se passe qu'avec "
        "« pixdesk demo ».",
        "This file is a demo session: it can only be sat with \"pixdesk demo\".",
    )


def _signed_by_demo_key(session_file: Path) -> bool:
    """Whether a session refused as unknown names a demo server key as its signer: only to
    say "demo" rather than "unknown server"; nothing else of the file is read."""
    try:
        signer = json.loads(session_file.read_text(encoding="utf-8")).get("signer")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(signer, str) and is_demo_key(Role.SERVER, signer)


def _content_key(session: Session, device: DeviceIdentity) -> bytes:
    sealed = session.sealed_content_keys.get(device.device_id)
    if sealed is None:
        raise SessionError(
            "session.other_device",
            f"Cette session n'a pas été délivrée pour ce poste (appareil {device.device_id}) : "
            "récupérez-la sur ce poste avec « pixdesk session fetch ».",
            f"This session was not issued for this PC (device {device.device_id}): fetch it "
            "on this PC with \"pixdesk session fetch\".",
        )
    try:
        return crypto.open_sealed(
            device.sealing_key, crypto.b64d(sealed), session.package_id.encode("utf-8")
        )
    except crypto.CryptoError as error:
        raise SessionError(
            "session.bad_content_key",
            "La clé de contenu de cette session ne s'ouvre pas avec la clé de ce poste : "
            "récupérez la session à nouveau.",
            "This session's content key does not open with this PC's key: fetch the "
            "session again.",
        ) from error


def _open_package(path: Path, session: Session, content_key: bytes) -> OpenedPackage:
    """The package, refused unless it is the one the session names, in a version it has.

    The content key was unsealed under the session's package id, so a signed package that
    this key cannot decrypt is another package, not a damaged one: say so in those words.
    """
    wrong = SessionError(
        "session.wrong_package",
        f"{path.name} n'est pas le paquet de contenu de cette session (attendu : "
        f"{session.package_id}, version {session.version_id}).",
        f"{path.name} is not this session's content package (expected: "
        f"{session.package_id}, version {session.version_id}).",
    )
    try:
        package = open_package(path, content_key=content_key, trusted_keys=trusted_content_keys())
    except ContentError as error:
        if error.code == "content.wrong_content_key":
            raise wrong from error
        raise
    manifest = package.manifest
    if (
        manifest.package_id != session.package_id
        or session.version_id not in package.versions
        or package.demo
    ):
        raise wrong
    return package
