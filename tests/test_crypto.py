from __future__ import annotations

import pytest

from pixdesk import crypto


def test_aead_refuses_other_associated_data() -> None:
    key = crypto.random_key()
    nonce, ct = crypto.encrypt(key, b"answer", b"attempt-1|seq-3")
    assert crypto.decrypt(key, nonce, ct, b"attempt-1|seq-3") == b"answer"
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(key, nonce, ct, b"attempt-1|seq-4")


def test_signature_detects_a_changed_byte() -> None:
    key = crypto.new_signing_key()
    sig = crypto.sign(key, b"manifest")
    crypto.verify(crypto.public_key_bytes(key), sig, b"manifest")
    with pytest.raises(crypto.CryptoError):
        crypto.verify(crypto.public_key_bytes(key), sig, b"manifesT")


def test_sealed_key_opens_only_for_its_device() -> None:
    device, other = crypto.new_sealing_key(), crypto.new_sealing_key()
    sealed = crypto.seal(crypto.sealing_public_bytes(device), b"content-key", b"pkg-1")
    assert crypto.open_sealed(device, sealed, b"pkg-1") == b"content-key"
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(other, sealed, b"pkg-1")


def test_wrapped_key_is_bound_to_its_label() -> None:
    kek, key = crypto.random_key(), crypto.random_key()
    wrapped = crypto.wrap_key(kek, key, b"attempt-1")
    assert crypto.unwrap_key(kek, wrapped, b"attempt-1") == key
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(kek, wrapped, b"attempt-2")


def test_secret_hash_is_salted_and_verifies() -> None:
    first, second = crypto.hash_secret("K7Q2XP", n=2**10), crypto.hash_secret("K7Q2XP", n=2**10)
    assert first != second
    assert crypto.verify_secret("K7Q2XP", first)
    assert not crypto.verify_secret("K7Q2XQ", first)
    assert not crypto.verify_secret("K7Q2XP", "not-a-hash")


def test_canonical_json_is_order_independent() -> None:
    assert crypto.canonical_json({"b": 1, "a": "é"}) == crypto.canonical_json({"a": "é", "b": 1})


def test_a_keyed_decryptor_opens_what_encrypt_sealed_and_refuses_the_same_tampering() -> None:
    key = crypto.random_key()
    nonce, ciphertext = crypto.encrypt(key, b"payload", b"aad-1")
    opener = crypto.Decryptor(key)
    assert opener.decrypt(nonce, ciphertext, b"aad-1") == b"payload"
    assert opener.decrypt(nonce, ciphertext, b"aad-1") == crypto.decrypt(
        key, nonce, ciphertext, b"aad-1")
    with pytest.raises(crypto.CryptoError):
        opener.decrypt(nonce, ciphertext, b"aad-2")
    with pytest.raises(crypto.CryptoError):
        opener.decrypt(nonce, ciphertext[:-1] + bytes([ciphertext[-1] ^ 1]), b"aad-1")


def test_a_keyed_decryptor_with_a_wrong_size_key_fails_each_call_like_decrypt() -> None:
    nonce, ciphertext = crypto.encrypt(crypto.random_key(), b"payload", b"")
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(b"short", nonce, ciphertext, b"")
    with pytest.raises(crypto.CryptoError):
        crypto.Decryptor(b"short").decrypt(nonce, ciphertext, b"")
