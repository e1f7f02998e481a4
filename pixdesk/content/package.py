"""Signed, encrypted content packages (``.pixpkg``): build, verify, open.

A package travels on USB sticks and school networks, so the client trusts nothing in it until
the content authority's signature has been checked, and reads the items only after they have
decrypted under the session's content key. The container is a zip that PixDesk writes in a
single canonical way (stored members, fixed order, fixed timestamps); opening re-serialises
the members and demands the exact same bytes, so even the bytes a zip reader ignores
(timestamps, attributes, slack) cannot be changed without the package being refused.

Opening order, each step refusing with its own ``ContentError`` code: size cap and container
structure → signer known → signature → manifest fields → a demo key signs only a demo
package (its private half is public) → payload hash → decryption
(associated data binds the manifest) → plaintext hash → items (the source validator again)
→ ``Bank``. Nothing but the signer's key id is interpreted before the signature holds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import struct
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.content.source import (
    ContentSource,
    check_bank,
    check_exposure_k,
    item_to_dict,
    load_source,
    parse_item,
    parse_versions,
)
from pixdesk.engine.bank import Bank, Item
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.engine.simulate import calibrate_sympson_hetter, simulate
from pixdesk.engine.version import CertificationVersion
from pixdesk.errors import ContentError
from pixdesk.paths import resource_path
from pixdesk.trust import Role, is_demo_key, shipped_keys
from pixdesk.trust import read_key_file as read_key_file
from pixdesk.trust import write_key_file as write_key_file

FORMAT_VERSION = 1
CIPHER = "AES-256-GCM"
MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MANIFEST, SIGNATURE, PAYLOAD = "manifest.json", "manifest.sig", "bank.enc"
MEMBERS = (MANIFEST, SIGNATURE, PAYLOAD)
SIGNATURE_BYTES = 64
AAD_LABEL = b"pixdesk-pixpkg-v1:"

_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_ZIP_VERSION = 20
_MADE_BY_UNIX = 3 << 8
_FILE_ATTRS = 0o100644 << 16
_DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_MANIFEST_FIELDS = frozenset(
    {"format_version", "package_id", "title", "created", "demo", "versions", "default_version",
     "item_count", "competence_counts", "payload_sha256", "plaintext_sha256", "signer",
     "cipher"}
)


def _refuse(code: str, fr: str, en: str) -> NoReturn:
    raise ContentError(f"content.{code}", fr, en)


# --- The canonical zip container ------------------------------------------------------------


def write_members(members: Mapping[str, bytes]) -> bytes:
    """The one byte layout of a package holding ``members`` (stored, in the given order)."""
    local = bytearray()
    central = bytearray()
    for name, data in members.items():
        encoded = name.encode("ascii")
        crc = zlib.crc32(data)
        offset = len(local)
        local += _LOCAL.pack(
            _LOCAL_SIG, _ZIP_VERSION, 0, 0, 0, _DOS_DATE_1980, crc, len(data), len(data),
            len(encoded), 0,
        )
        local += encoded + data
        central += _CENTRAL.pack(
            _CENTRAL_SIG, _MADE_BY_UNIX | _ZIP_VERSION, _ZIP_VERSION, 0, 0, 0, _DOS_DATE_1980,
            crc, len(data), len(data), len(encoded), 0, 0, 0, 0, _FILE_ATTRS, offset,
        )
        central += encoded
    end = _END.pack(_END_SIG, 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def _corrupt(detail: str) -> NoReturn:
    _refuse(
        "corrupt",
        f"paquet de contenu altéré ou mal formé ({detail})",
        f"content package is altered or malformed ({detail})",
    )


def read_members(data: bytes) -> dict[str, bytes]:
    """The members of a package, refused unless ``data`` is exactly their canonical layout."""
    if len(data) < _END.size or data[:4] != _LOCAL_SIG.to_bytes(4, "little"):
        _refuse("not_a_package", "ce fichier n'est pas un paquet de contenu PixDesk",
                "this file is not a PixDesk content package")
    end = _END.unpack_from(data, len(data) - _END.size)
    if end[0] != _END_SIG:
        _refuse("truncated", "paquet de contenu incomplet (fichier tronqué)",
                "content package is incomplete (truncated file)")
    count, central_size, central_offset = end[4], end[5], end[6]
    if count != len(MEMBERS) or central_offset + central_size != len(data) - _END.size:
        _corrupt("répertoire central / central directory")
    members: dict[str, bytes] = {}
    pos = central_offset
    for _ in range(count):
        if pos + _CENTRAL.size > len(data) - _END.size:
            _corrupt("répertoire central / central directory")
        header = _CENTRAL.unpack_from(data, pos)
        size, name_len, offset = header[9], header[10], header[16]
        name = data[pos + _CENTRAL.size : pos + _CENTRAL.size + name_len]
        pos += _CENTRAL.size + name_len
        start = offset + _LOCAL.size + name_len
        if start + size > central_offset:
            _corrupt("membre / member")
        members[name.decode("ascii", "replace")] = data[start : start + size]
    if tuple(members) != MEMBERS or write_members(members) != data:
        _corrupt("structure")
    return members


# --- Keys -----------------------------------------------------------------------------------


def demo_content_key() -> bytes:
    """The content key of the demo package; public on purpose (a demo result counts for
    nothing and a real server refuses it)."""
    return read_key_file(resource_path("demo", "demo-content.key"))


# --- Manifest -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the content authority signs: identity, rules, counts and the payload's hashes."""

    package_id: str
    title: str
    created: str
    demo: bool
    versions: tuple[CertificationVersion, ...]
    default_version: str
    item_count: int
    competence_counts: dict[str, int]
    payload_sha256: str
    plaintext_sha256: str
    signer: str
    format_version: int = FORMAT_VERSION
    cipher: str = CIPHER

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "package_id": self.package_id,
            "title": self.title,
            "created": self.created,
            "demo": self.demo,
            "versions": [v.to_dict() for v in self.versions],
            "default_version": self.default_version,
            "item_count": self.item_count,
            "competence_counts": dict(self.competence_counts),
            "payload_sha256": self.payload_sha256,
            "plaintext_sha256": self.plaintext_sha256,
            "signer": self.signer,
            "cipher": self.cipher,
        }

    def canonical_bytes(self) -> bytes:
        return crypto.canonical_json(self.to_dict())

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        def bad(detail: str) -> NoReturn:
            _refuse("bad_manifest", f"manifest.json invalide : {detail}",
                    f"invalid manifest.json: {detail}")

        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            bad("JSON illisible / unreadable JSON")
        if not isinstance(raw, dict) or set(raw) != _MANIFEST_FIELDS:
            bad("champs / fields")
        if crypto.canonical_json(raw) != data:
            bad("encodage non canonique / non-canonical encoding")
        if type(raw["format_version"]) is not int or raw["format_version"] != FORMAT_VERSION or (
            raw["cipher"] != CIPHER
        ):
            bad(f"format {raw['format_version']!r} / {raw['cipher']!r}")
        for key in ("package_id", "title", "created", "default_version", "signer"):
            if not isinstance(raw[key], str):
                bad(key)
        for key in ("payload_sha256", "plaintext_sha256"):
            if not isinstance(raw[key], str) or not _HEX64.match(raw[key]):
                bad(key)
        counts = raw["competence_counts"]
        if (
            not isinstance(raw["demo"], bool)
            or isinstance(raw["item_count"], bool)
            or not isinstance(raw["item_count"], int)
            or not isinstance(counts, dict)
            or list(counts) != sorted(COMPETENCE_IDS)
            or not all(type(v) is int for v in counts.values())
        ):
            bad("demo / item_count / competence_counts")
        versions = parse_versions(raw["versions"], raw["default_version"], MANIFEST)
        return cls(
            package_id=raw["package_id"],
            title=raw["title"],
            created=raw["created"],
            demo=raw["demo"],
            versions=tuple(versions.values()),
            default_version=raw["default_version"],
            item_count=raw["item_count"],
            competence_counts=counts,
            payload_sha256=raw["payload_sha256"],
            plaintext_sha256=raw["plaintext_sha256"],
            signer=raw["signer"],
        )


def associated_data(manifest: Mapping[str, Any]) -> bytes:
    """Binds the ciphertext to every manifest field except its own hash, which cannot be
    known before encrypting; the signature covers that hash. Computed from the manifest as
    signed, not as re-serialised, so a package stays readable when versions gain settings."""
    header = {k: v for k, v in manifest.items() if k != "payload_sha256"}
    return crypto.sha256(AAD_LABEL + crypto.canonical_json(header))


@dataclass(frozen=True, slots=True)
class OpenedPackage:
    manifest: Manifest
    bank: Bank
    items: tuple[Item, ...]
    versions: dict[str, CertificationVersion]
    default_version: str
    illustrations: dict[str, bytes]
    demo: bool


def _payload(items: tuple[Item, ...], illustrations: Mapping[str, bytes]) -> bytes:
    return crypto.canonical_json(
        {
            "items": [dict(item_to_dict(i), competence=i.competence) for i in items],
            "illustrations": {k: crypto.b64e(v) for k, v in sorted(illustrations.items())},
        }
    )


def _counts(items: tuple[Item, ...]) -> dict[str, int]:
    counts = dict.fromkeys(sorted(COMPETENCE_IDS), 0)
    for item in items:
        counts[item.competence] += 1
    return counts


# --- Build ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    """What calibrating one version achieved, for the author to judge before shipping it."""

    version_id: str
    items_with_k: int
    """Items whose K is below 1 (the others are always administered when chosen)."""
    bank_size: int
    exposure_target: float
    max_exposure: float
    """Highest item exposure when the calibrated version is simulated on candidates other
    than those it was calibrated on."""
    seconds: float
    """Calibration and that check together."""


def calibrate_versions(
    source: ContentSource,
    on_calibration: Callable[[CalibrationReport], None] | None = None,
) -> tuple[CertificationVersion, ...]:
    """The source's versions, those asking for ``calibrate_exposure`` with their
    Sympson-Hetter K computed on the source's own bank. Seeded simulations only, so the
    same sources give the same K; the clock is read only for the report."""
    if not source.calibrations:
        return tuple(source.versions.values())
    bank = Bank(source.items)
    versions: list[CertificationVersion] = []
    for version in source.versions.values():
        request = source.calibrations.get(version.id)
        if request is None:
            versions.append(version)
            continue
        began = time.perf_counter()
        calibrated = calibrate_sympson_hetter(
            version, bank, candidates=request.candidates, iterations=request.iterations,
            seed=request.seed,
        )
        check = simulate(calibrated, bank, candidates=request.candidates, seed=request.seed + 1)
        versions.append(calibrated)
        if on_calibration is not None:
            on_calibration(CalibrationReport(
                version_id=version.id,
                items_with_k=len(calibrated.selection.sympson_hetter_items),
                bank_size=len(bank),
                exposure_target=version.selection.exposure_target,
                max_exposure=check.max_exposure,
                seconds=time.perf_counter() - began,
            ))
    return tuple(versions)


def build_package(
    src_dir: Path,
    out_path: Path,
    signing_key: Ed25519PrivateKey,
    content_key: bytes,
    *,
    created: str | None = None,
    on_calibration: Callable[[CalibrationReport], None] | None = None,
) -> Manifest:
    """Validate the sources, calibrate the versions that ask for it, then write a signed,
    encrypted package atomically.

    The result is opened again with the signer's public key before it replaces ``out_path``,
    so a package that this function writes is one that clients accept.
    """
    if len(content_key) != crypto.KEY_BYTES:
        _refuse("bad_key_file", "la clé de contenu doit faire 32 octets",
                "the content key must be 32 bytes long")
    source = load_source(Path(src_dir))
    date = created or source.meta.get("created")
    if not isinstance(date, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        _refuse("bad_meta", "date de création AAAA-MM-JJ manquante (package.json « created »)",
                "missing YYYY-MM-DD creation date (package.json 'created')")
    plaintext = _payload(source.items, source.illustrations)
    public = crypto.public_key_bytes(signing_key)
    unsigned = Manifest(
        package_id=source.meta["id"],
        title=source.meta["title"],
        created=date,
        demo=source.meta["demo"],
        versions=calibrate_versions(source, on_calibration),
        default_version=source.meta["default_version"],
        item_count=len(source.items),
        competence_counts=_counts(source.items),
        payload_sha256="0" * 64,
        plaintext_sha256=crypto.sha256(plaintext).hex(),
        signer=crypto.key_id(public),
    )
    nonce, ciphertext = crypto.encrypt(
        content_key, plaintext, associated_data(unsigned.to_dict())
    )
    payload = nonce + ciphertext
    manifest = dataclasses.replace(unsigned, payload_sha256=crypto.sha256(payload).hex())
    manifest_bytes = manifest.canonical_bytes()
    data = write_members(
        {
            MANIFEST: manifest_bytes,
            SIGNATURE: crypto.sign(signing_key, manifest_bytes),
            PAYLOAD: payload,
        }
    )
    _open_bytes(data, content_key=content_key, trusted_keys={manifest.signer: public})
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pixpkg-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


# --- Open / verify --------------------------------------------------------------------------


def _open_bytes(
    data: bytes, *, content_key: bytes | None, trusted_keys: Mapping[str, bytes]
) -> OpenedPackage:
    members = read_members(data)
    signer = _signer_of(members[MANIFEST])
    public = trusted_keys.get(signer)
    if public is None:
        _refuse("unknown_signer",
                f"paquet signé par une autorité inconnue (clé {signer})",
                f"package signed by an unknown authority (key {signer})")
    signature = members[SIGNATURE]
    try:
        if len(signature) != SIGNATURE_BYTES:
            raise crypto.CryptoError("signature length")
        crypto.verify(public, signature, members[MANIFEST])
    except crypto.CryptoError:
        _refuse("bad_signature", "signature du paquet de contenu invalide",
                "the content package signature is invalid")
    manifest = Manifest.from_bytes(members[MANIFEST])
    if is_demo_key(Role.CONTENT_AUTHORITY, signer) and not manifest.demo:
        _refuse("demo_key_real_package",
                "paquet non marqué démonstration mais signé par la clé de démonstration "
                "(publique) : refusé",
                "package not marked demo but signed by the (public) demo key: refused")
    payload = members[PAYLOAD]
    if not crypto.constant_time_equal(crypto.sha256(payload).hex(), manifest.payload_sha256):
        _refuse("payload_hash_mismatch",
                "les questions ne correspondent pas au manifeste signé (empreinte de bank.enc)",
                "the items do not match the signed manifest (bank.enc hash)")
    if content_key is None:
        if not manifest.demo:
            _refuse("key_required",
                    "ce paquet n'est pas une démonstration : sa clé de contenu est nécessaire",
                    "this is not a demo package: its content key is required")
        content_key = demo_content_key()
    try:
        plaintext = crypto.decrypt(
            content_key, payload[: crypto.NONCE_BYTES], payload[crypto.NONCE_BYTES :],
            associated_data(json.loads(members[MANIFEST])),
        )
    except crypto.CryptoError:
        _refuse("wrong_content_key",
                "impossible de déchiffrer les questions : mauvaise clé de contenu",
                "cannot decrypt the items: wrong content key")
    if crypto.sha256(plaintext).hex() != manifest.plaintext_sha256:
        _refuse("plaintext_hash_mismatch",
                "les questions déchiffrées ne correspondent pas au manifeste signé",
                "the decrypted items do not match the signed manifest")
    items, illustrations = _parse_payload(plaintext)
    check_exposure_k(manifest.versions, items, MANIFEST)
    if len(items) != manifest.item_count or _counts(items) != manifest.competence_counts:
        _refuse("manifest_mismatch",
                "le nombre de questions diffère de celui du manifeste",
                "the number of items differs from the manifest")
    return OpenedPackage(
        manifest=manifest,
        bank=Bank(items),
        items=items,
        versions={v.id: v for v in manifest.versions},
        default_version=manifest.default_version,
        illustrations=illustrations,
        demo=manifest.demo,
    )


def _signer_of(manifest: bytes) -> str:
    """Only the signer is read before the signature is checked; the rest of the manifest is
    parsed once it is known to come from a trusted authority."""
    try:
        raw = json.loads(manifest.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raw = None
    signer = raw.get("signer") if isinstance(raw, dict) else None
    if not isinstance(signer, str):
        _refuse("bad_manifest", "manifest.json invalide : signataire illisible",
                "invalid manifest.json: unreadable signer")
    return signer


def _parse_payload(plaintext: bytes) -> tuple[tuple[Item, ...], dict[str, bytes]]:
    def bad(detail: str) -> NoReturn:
        _refuse("bad_payload", f"{PAYLOAD} : contenu mal formé ({detail})",
                f"{PAYLOAD}: malformed content ({detail})")

    try:
        raw = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        bad("JSON")
    if not isinstance(raw, dict) or set(raw) != {"items", "illustrations"}:
        bad("items / illustrations")
    if not isinstance(raw["items"], list) or not isinstance(raw["illustrations"], dict):
        bad("items / illustrations")
    illustrations: dict[str, bytes] = {}
    for path, encoded in raw["illustrations"].items():
        try:
            illustrations[path] = crypto.b64d(encoded if isinstance(encoded, str) else "?")
        except crypto.CryptoError:
            bad(path)
    items: list[Item] = []
    for entry in raw["items"]:
        if not isinstance(entry, dict) or entry.get("competence") not in COMPETENCE_IDS:
            bad("competence")
        fields = {k: v for k, v in entry.items() if k != "competence"}
        items.append(parse_item(fields, entry["competence"], PAYLOAD))
    check_bank(items, illustrations, lambda _cid: PAYLOAD)
    return tuple(items), illustrations


def open_package(
    path: Path,
    *,
    content_key: bytes | None = None,
    trusted_keys: Mapping[str, bytes] | None = None,
) -> OpenedPackage:
    """Verify and decrypt a package; ``ContentError`` on any problem, nothing half-loaded.

    By default only the authorities shipped with PixDesk are trusted, and a demo package
    opens with the shipped demo key; any other package needs its content key.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            _refuse("too_large",
                    f"paquet de contenu trop gros ({size} octets, maximum {MAX_PACKAGE_BYTES})",
                    f"content package too large ({size} bytes, at most {MAX_PACKAGE_BYTES})")
        with path.open("rb") as handle:
            data = handle.read(MAX_PACKAGE_BYTES + 1)
    except OSError as exc:
        _refuse("unreadable", f"paquet de contenu illisible : {path} ({exc.strerror})",
                f"cannot read content package: {path} ({exc.strerror})")
    if len(data) > MAX_PACKAGE_BYTES:
        _refuse("too_large", "paquet de contenu trop gros", "content package too large")
    trusted = shipped_keys(Role.CONTENT_AUTHORITY) if trusted_keys is None else trusted_keys
    return _open_bytes(data, content_key=content_key, trusted_keys=trusted)


def verify_package(
    path: Path,
    *,
    content_key: bytes | None = None,
    trusted_keys: Mapping[str, bytes] | None = None,
) -> Manifest:
    """Every check that opening performs, returning only the signed manifest."""
    return open_package(path, content_key=content_key, trusted_keys=trusted_keys).manifest
