"""The cryptographic primitives every layer shares.

One place for them so that the client, the content tools and the server agree byte for byte:
canonical JSON (what is signed and hashed), AES-256-GCM with associated data, Ed25519
signatures, X25519 sealing of a key to a device, key wrapping, and scrypt password hashes
compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SCRYPT_N = 2**16
"""64 MiB and about 0.25 s per hash on one core: the offline cost per guess of the
invigilator password, whose hash travels in every session file (docs/it-deployment.md)."""
SCRYPT_R = 8
SCRYPT_P = 1


class CryptoError(Exception):
    """A tag, signature or sealed box did not verify. Callers turn it into a domain error."""


def canonical_json(value: Any) -> bytes:
    """The one byte encoding of a JSON value that is signed and hashed everywhere."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CryptoError("invalid base64") from exc


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def constant_time_equal(a: bytes | str, b: bytes | str) -> bool:
    """Compare secrets without leaking where they first differ."""
    left = a.encode("utf-8") if isinstance(a, str) else a
    right = b.encode("utf-8") if isinstance(b, str) else b
    return hmac.compare_digest(left, right)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM with a fresh random nonce; returns (nonce, ciphertext‖tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("authentication tag mismatch") from exc


class Decryptor:
    """``decrypt`` under one key, its cipher set up once: a verifier opening every event of
    an attempt with the same data key would otherwise rebuild the key schedule per event.
    A key of the wrong size fails each call with ``CryptoError``, exactly as ``decrypt``
    does, so a verifier refuses the same record for the same reason either way."""

    __slots__ = ("_cipher",)

    def __init__(self, key: bytes) -> None:
        try:
            self._cipher: AESGCM | None = AESGCM(key)
        except ValueError:
            self._cipher = None

    def decrypt(self, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
        if self._cipher is None:
            raise CryptoError("authentication tag mismatch")
        try:
            return self._cipher.decrypt(nonce, ciphertext, aad)
        except (InvalidTag, ValueError) as exc:
            raise CryptoError("authentication tag mismatch") from exc


def wrap_key(kek: bytes, key: bytes, label: bytes) -> bytes:
    """Encrypt a data key under a key-encryption key; ``label`` binds it to its use."""
    nonce, ct = encrypt(kek, key, b"pixdesk-wrap:" + label)
    return nonce + ct


def unwrap_key(kek: bytes, wrapped: bytes, label: bytes) -> bytes:
    return decrypt(kek, wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], b"pixdesk-wrap:" + label)


# --- Ed25519 signatures -------------------------------------------------------------------


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def signing_key_to_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def signing_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError as exc:
        raise CryptoError("invalid Ed25519 private key") from exc


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise CryptoError("invalid Ed25519 public key") from exc


def key_id(public_raw: bytes) -> str:
    """A short, stable name for a public key (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(public: Ed25519PublicKey | bytes, signature: bytes, data: bytes) -> None:
    """Raise ``CryptoError`` unless ``signature`` is valid for ``data``."""
    pub = public_key_from_bytes(public) if isinstance(public, bytes) else public
    try:
        pub.verify(signature, data)
    except InvalidSignature as exc:
        raise CryptoError("bad signature") from exc


# --- Sealing a key to a device (X25519 + HKDF + AES-GCM) ----------------------------------


def new_sealing_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def sealing_key_to_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def sealing_key_from_bytes(raw: bytes) -> X25519PrivateKey:
    try:
        return X25519PrivateKey.from_private_bytes(raw)
    except ValueError as exc:
        raise CryptoError("invalid X25519 private key") from exc


def sealing_public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def _seal_key(shared: bytes, ephemeral_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral_pub + recipient_pub,
        info=b"pixdesk-seal-v1",
    ).derive(shared)


def seal(recipient_public: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Encrypt for the holder of an X25519 key: ephemeral pub ‖ nonce ‖ ciphertext."""
    try:
        recipient = X25519PublicKey.from_public_bytes(recipient_public)
    except ValueError as exc:
        raise CryptoError("invalid X25519 public key") from exc
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key = _seal_key(ephemeral.exchange(recipient), eph_pub, recipient_public)
    nonce, ct = encrypt(key, plaintext, aad)
    return eph_pub + nonce + ct


def open_sealed(recipient: X25519PrivateKey, sealed: bytes, aad: bytes = b"") -> bytes:
    if len(sealed) < 32 + NONCE_BYTES + 16:
        raise CryptoError("sealed box too short")
    eph_pub, nonce, ct = sealed[:32], sealed[32 : 32 + NONCE_BYTES], sealed[32 + NONCE_BYTES :]
    try:
        shared = recipient.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError as exc:
        raise CryptoError("invalid sealed box") from exc
    key = _seal_key(shared, eph_pub, sealing_public_bytes(recipient))
    return decrypt(key, nonce, ct, aad)


# --- Passwords (invigilator password, access code) ----------------------------------------


def hash_secret(secret: str, *, n: int = SCRYPT_N) -> str:
    """A slow salted scrypt hash, self-describing: ``scrypt$n$r$p$salt$hash``."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32, maxmem=2**27
    )
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64e(salt)}${b64e(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    """Check a secret against ``hash_secret`` output in constant time; malformed → False."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            secret.encode("utf-8"),
            salt=b64d(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
            maxmem=2**27,
        )
        return constant_time_equal(candidate, b64d(digest))
    except (ValueError, CryptoError):
        return False
