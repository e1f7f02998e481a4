"""Packages: what is built opens identically; anything altered, forged or mis-keyed is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto, trust
from pixdesk.cli import main
from pixdesk.content import package as pkg
from pixdesk.content.source import item_to_dict, load_source
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.errors import ContentError
from tests.content.conftest import read_json, write_json

REPO = Path(__file__).resolve().parents[2]
DEMO_SIGNING_KEY = REPO / "resources/keys/demo-content-authority.key"
DEMO_CONTENT_KEY = REPO / "pixdesk/resources/demo/demo-content.key"


@pytest.fixture
def built(
    tmp_path: Path, mini_source: Path, authority: Ed25519PrivateKey, content_key: bytes
) -> Path:
    out = tmp_path / "out" / "bank.pixpkg"
    pkg.build_package(mini_source, out, authority, content_key)
    return out


def refusal(path: Path, **kwargs: Any) -> ContentError:
    with pytest.raises(ContentError) as caught:
        pkg.open_package(path, **kwargs)
    return caught.value


def forge(
    path: Path,
    payload: dict[str, Any],
    signer: Ed25519PrivateKey,
    content_key: bytes,
    **overrides: Any,
) -> None:
    """A package as a careless (or compromised) authority might sign it: correct crypto
    around whatever payload and manifest fields the test chooses."""
    plaintext = crypto.canonical_json(payload)
    items = payload["items"]
    counts = {cid: sum(1 for i in items if i.get("competence") == cid) for cid in COMPETENCE_IDS}
    public = crypto.public_key_bytes(signer)
    manifest: dict[str, Any] = {
        "format_version": 1, "package_id": "forged", "title": "Forgée", "created": "2026-01-01",
        "demo": False, "versions": read_json(REPO / "resources/content/package.json")["versions"],
        "default_version": "v3-demo", "item_count": len(items), "competence_counts": counts,
        "payload_sha256": "0" * 64, "plaintext_sha256": crypto.sha256(plaintext).hex(),
        "signer": crypto.key_id(public), "cipher": "AES-256-GCM",
    }
    manifest |= overrides
    nonce, ct = crypto.encrypt(content_key, plaintext, pkg.associated_data(manifest))
    manifest["payload_sha256"] = crypto.sha256(nonce + ct).hex()
    raw = crypto.canonical_json(manifest)
    path.write_bytes(
        pkg.write_members(
            {"manifest.json": raw, "manifest.sig": crypto.sign(signer, raw), "bank.enc": nonce + ct}
        )
    )


def payload_of(src: Path) -> dict[str, Any]:
    source = load_source(src)
    return {
        "items": [dict(item_to_dict(i), competence=i.competence) for i in source.items],
        "illustrations": {k: crypto.b64e(v) for k, v in source.illustrations.items()},
    }


def test_a_built_package_opens_to_exactly_the_source(
    built: Path, mini_source: Path, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    source = load_source(mini_source)
    opened = pkg.open_package(built, content_key=content_key, trusted_keys=trusted)
    assert opened.items == source.items and len(opened.bank) == 80
    assert opened.versions == source.versions and opened.default_version == "v3-demo"
    assert opened.illustrations == source.illustrations and opened.demo is False
    members = pkg.read_members(built.read_bytes())
    manifest = opened.manifest
    assert manifest.payload_sha256 == crypto.sha256(members["bank.enc"]).hex()
    assert (manifest.format_version, manifest.cipher) == (1, "AES-256-GCM")
    assert manifest.competence_counts == dict.fromkeys(sorted(COMPETENCE_IDS), 5)
    assert manifest.created == "2026-03-01" and manifest.signer in trusted
    assert b"Question 0" not in built.read_bytes()
    assert pkg.verify_package(built, content_key=content_key, trusted_keys=trusted) == manifest


def test_rebuilding_changes_only_the_ciphertext(
    tmp_path: Path, mini_source: Path, authority: Ed25519PrivateKey, content_key: bytes
) -> None:
    first = pkg.build_package(mini_source, tmp_path / "a.pixpkg", authority, content_key)
    second = pkg.build_package(mini_source, tmp_path / "b.pixpkg", authority, content_key)
    assert first.payload_sha256 != second.payload_sha256
    assert first.to_dict() | {"payload_sha256": ""} == second.to_dict() | {"payload_sha256": ""}


def test_every_single_byte_flip_is_refused(
    built: Path, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    data = built.read_bytes()
    positions = set(range(0, len(data), max(1, len(data) // 200))) | {len(data) - 1}
    offset = 0
    for name, body in pkg.read_members(data).items():
        offset = data.index(name.encode(), offset) + len(name)
        positions |= {offset, offset + len(body) - 1}
    positions |= set(range(30)) | set(range(len(data) - 22, len(data)))
    codes: set[str] = set()
    for position in sorted(positions):
        for mask in (0x01, 0x80):
            tampered = bytearray(data)
            tampered[position] ^= mask
            built.write_bytes(bytes(tampered))
            error = refusal(built, content_key=content_key, trusted_keys=trusted)
            codes.add(error.code)
    assert len(positions) > 200
    assert {"content.corrupt", "content.not_a_package", "content.truncated"} <= codes


@pytest.mark.parametrize("name", ["manifest.json", "manifest.sig", "bank.enc"])
def test_a_flip_inside_a_member_is_refused_even_in_a_well_formed_container(
    built: Path, content_key: bytes, trusted: dict[str, bytes], name: str
) -> None:
    """The container check is not the only guard: re-zipping a changed member correctly
    still meets the signature and the payload hash."""
    members = pkg.read_members(built.read_bytes())
    body = members[name]
    codes = set()
    for position in sorted({0, len(body) // 3, len(body) // 2, len(body) - 1}):
        changed = bytearray(body)
        changed[position] ^= 0x01
        built.write_bytes(pkg.write_members({**members, name: bytes(changed)}))
        codes.add(refusal(built, content_key=content_key, trusted_keys=trusted).code)
    assert codes <= {
        "content.bad_manifest", "content.unknown_signer", "content.bad_signature",
        "content.payload_hash_mismatch",
    }


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_a_truncated_file_is_refused(
    built: Path, content_key: bytes, trusted: dict[str, bytes], keep: float
) -> None:
    data = built.read_bytes()
    built.write_bytes(data[: int(len(data) * keep)])
    error = refusal(built, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.truncated"
    assert "tronqué" in error.fr and "truncated" in error.en


def test_trailing_bytes_are_refused(
    built: Path, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    built.write_bytes(built.read_bytes() + b"\0" * 22)
    assert refusal(built, content_key=content_key, trusted_keys=trusted).code in {
        "content.truncated", "content.corrupt"
    }


def test_a_zip_written_by_another_tool_is_refused(
    built: Path, tmp_path: Path, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    import zipfile

    members = pkg.read_members(built.read_bytes())
    other = tmp_path / "rezipped.pixpkg"
    with zipfile.ZipFile(other, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    assert refusal(other, content_key=content_key, trusted_keys=trusted).code == "content.corrupt"


def test_a_signature_by_another_key_is_refused(
    built: Path, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    members = pkg.read_members(built.read_bytes())
    members["manifest.sig"] = crypto.sign(crypto.new_signing_key(), members["manifest.json"])
    built.write_bytes(pkg.write_members(members))
    error = refusal(built, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.bad_signature" and "signature" in error.fr


def test_an_unknown_signer_is_refused(built: Path, content_key: bytes) -> None:
    error = refusal(built, content_key=content_key)
    assert error.code == "content.unknown_signer"
    other = crypto.public_key_bytes(crypto.new_signing_key())
    error = refusal(built, content_key=content_key, trusted_keys={crypto.key_id(other): other})
    assert error.code == "content.unknown_signer"


def test_the_wrong_content_key_is_refused(built: Path, trusted: dict[str, bytes]) -> None:
    error = refusal(built, content_key=crypto.random_key(), trusted_keys=trusted)
    assert error.code == "content.wrong_content_key" and "clé de contenu" in error.fr


def test_a_non_demo_package_needs_its_content_key(built: Path, trusted: dict[str, bytes]) -> None:
    error = refusal(built, trusted_keys=trusted)
    assert error.code == "content.key_required"


def test_a_payload_swapped_under_a_resigned_manifest_is_refused(
    tmp_path: Path,
    mini_source: Path,
    authority: Ed25519PrivateKey,
    content_key: bytes,
    trusted: dict[str, bytes],
) -> None:
    first = tmp_path / "first.pixpkg"
    pkg.build_package(mini_source, first, authority, content_key)
    edited = mini_source / "competences/1.1.json"
    doc = read_json(edited)
    doc["items"][0]["prompt"] = "Une autre question ?"
    write_json(edited, doc)
    second = tmp_path / "second.pixpkg"
    pkg.build_package(mini_source, second, authority, content_key)
    members = pkg.read_members(first.read_bytes())
    members["bank.enc"] = pkg.read_members(second.read_bytes())["bank.enc"]
    members["manifest.sig"] = crypto.sign(authority, members["manifest.json"])
    first.write_bytes(pkg.write_members(members))
    error = refusal(first, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.payload_hash_mismatch"


def test_a_plaintext_other_than_the_signed_one_is_refused(
    tmp_path: Path,
    mini_source: Path,
    authority: Ed25519PrivateKey,
    content_key: bytes,
    trusted: dict[str, bytes],
) -> None:
    path = tmp_path / "forged.pixpkg"
    forge(path, payload_of(mini_source), authority, content_key, plaintext_sha256="ab" * 32)
    error = refusal(path, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.plaintext_hash_mismatch"


def test_a_signed_package_with_a_malformed_item_names_item_and_field(
    tmp_path: Path,
    mini_source: Path,
    authority: Ed25519PrivateKey,
    content_key: bytes,
    trusted: dict[str, bytes],
) -> None:
    payload = payload_of(mini_source)
    qcu = next(i for i in payload["items"] if i["type"] == "QCU")
    qcu["solution"] = [1, 2]
    path = tmp_path / "forged.pixpkg"
    forge(path, payload, authority, content_key)
    error = refusal(path, content_key=content_key, trusted_keys=trusted)
    item_id = qcu["id"]
    assert error.code == "content.schema"
    assert f"bank.enc: item {item_id}, field 'solution'" in error.en


def test_a_signed_package_with_a_duplicate_item_id_is_refused(
    tmp_path: Path,
    mini_source: Path,
    authority: Ed25519PrivateKey,
    content_key: bytes,
    trusted: dict[str, bytes],
) -> None:
    payload = payload_of(mini_source)
    payload["items"].append(payload["items"][0])
    path = tmp_path / "forged.pixpkg"
    forge(path, payload, authority, content_key)
    error = refusal(path, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.duplicate_item" and payload["items"][0]["id"] in error.en


def test_a_signed_package_missing_a_competence_is_refused(
    tmp_path: Path,
    mini_source: Path,
    authority: Ed25519PrivateKey,
    content_key: bytes,
    trusted: dict[str, bytes],
) -> None:
    payload = payload_of(mini_source)
    payload["items"] = [i for i in payload["items"] if i["competence"] != "5.1"]
    path = tmp_path / "forged.pixpkg"
    forge(path, payload, authority, content_key)
    error = refusal(path, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.empty_competence" and "5.1" in error.en


def test_manifest_counts_must_match_the_items(
    tmp_path: Path,
    mini_source: Path,
    authority: Ed25519PrivateKey,
    content_key: bytes,
    trusted: dict[str, bytes],
) -> None:
    path = tmp_path / "forged.pixpkg"
    forge(path, payload_of(mini_source), authority, content_key, item_count=81)
    error = refusal(path, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.manifest_mismatch"


def test_a_non_canonical_manifest_is_refused_even_if_signed(
    built: Path, authority: Ed25519PrivateKey, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    members = pkg.read_members(built.read_bytes())
    members["manifest.json"] = json.dumps(json.loads(members["manifest.json"])).encode()
    members["manifest.sig"] = crypto.sign(authority, members["manifest.json"])
    built.write_bytes(pkg.write_members(members))
    error = refusal(built, content_key=content_key, trusted_keys=trusted)
    assert error.code == "content.bad_manifest"


def test_an_oversized_file_is_refused_before_reading(
    tmp_path: Path, content_key: bytes, trusted: dict[str, bytes]
) -> None:
    big = tmp_path / "big.pixpkg"
    with big.open("wb") as handle:
        handle.truncate(pkg.MAX_PACKAGE_BYTES + 1)
    assert refusal(big, content_key=content_key, trusted_keys=trusted).code == "content.too_large"


def test_a_failed_build_writes_nothing(
    tmp_path: Path, mini_source: Path, authority: Ed25519PrivateKey, content_key: bytes
) -> None:
    (mini_source / "competences/2.4.json").unlink()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(ContentError):
        pkg.build_package(mini_source, out_dir / "x.pixpkg", authority, content_key)
    assert list(out_dir.iterdir()) == []


def test_the_shipped_demo_keys_are_a_matching_pair() -> None:
    private = crypto.signing_key_from_bytes(pkg.read_key_file(DEMO_SIGNING_KEY))
    public = crypto.public_key_bytes(private)
    assert trust.shipped_keys(trust.Role.CONTENT_AUTHORITY) == {crypto.key_id(public): public}
    assert len(pkg.demo_content_key()) == 32
    assert DEMO_SIGNING_KEY.read_text(encoding="utf-8").startswith(
        "# DEMO ONLY — never use for a real session\n"
    )


def make_demo(src: Path) -> None:
    meta = read_json(src / "package.json")
    meta["demo"] = True
    write_json(src / "package.json", meta)


def test_a_demo_package_opens_with_only_the_shipped_keys(tmp_path: Path, mini_source: Path) -> None:
    make_demo(mini_source)
    signer = crypto.signing_key_from_bytes(pkg.read_key_file(DEMO_SIGNING_KEY))
    out = tmp_path / "demo.pixpkg"
    pkg.build_package(mini_source, out, signer, pkg.demo_content_key())
    opened = pkg.open_package(out)
    assert opened.demo is True and len(opened.items) == 80


def test_cli_builds_and_verifies_like_make_content(
    tmp_path: Path, mini_source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_demo(mini_source)
    out = tmp_path / "resources/demo/demo.pixpkg"
    assert main(["content", "build", str(mini_source), str(out),
                 "--signing-key", str(DEMO_SIGNING_KEY),
                 "--content-key", str(DEMO_CONTENT_KEY)]) == 0
    assert capsys.readouterr().out.strip() == f"test-bank-1  80 items  {out}"
    assert main(["content", "verify", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [ln for ln in lines if ln[:3] in {f"{c}  " for c in COMPETENCE_IDS} or
            ln.split("  ")[0] in COMPETENCE_IDS]
    assert len(rows) == 16
    assert rows[0].startswith("1.1  Mener une recherche") and rows[0].endswith("  5 items")


def test_cli_verify_refuses_in_one_line_with_exit_code_1(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(built.read_bytes())
    data[len(data) // 2] ^= 0xFF
    built.write_bytes(bytes(data))
    assert main(["--lang", "en", "content", "verify", str(built)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("pixdesk: ") and "\n" not in err


def test_cli_verify_accepts_an_explicit_public_and_content_key(
    tmp_path: Path, built: Path, authority: Ed25519PrivateKey, content_key: bytes
) -> None:
    public_file, key_file = tmp_path / "auth.pub", tmp_path / "content.key"
    pkg.write_key_file(public_file, crypto.public_key_bytes(authority), "test authority")
    pkg.write_key_file(key_file, content_key)
    args = ["content", "verify", str(built), "--public-key", str(public_file)]
    assert main(args) == 1
    assert main([*args, "--content-key", str(key_file)]) == 0


def test_cli_build_of_a_real_package_requires_a_content_key(
    tmp_path: Path, mini_source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["content", "build", str(mini_source), str(tmp_path / "x.pixpkg"),
                 "--signing-key", str(DEMO_SIGNING_KEY)])
    assert code == 2 and "--content-key" in capsys.readouterr().err


def test_a_real_package_signed_with_the_public_demo_key_is_refused(
    tmp_path: Path, mini_source: Path, content_key: bytes
) -> None:
    """The demo authority's private key is in the source tree: anyone can sign with it."""
    demo_signer = crypto.signing_key_from_bytes(pkg.read_key_file(DEMO_SIGNING_KEY))
    forged = tmp_path / "forged.pixpkg"
    forge(forged, payload_of(mini_source), demo_signer, content_key)
    error = refusal(forged, content_key=content_key)
    assert error.code == "content.demo_key_real_package"
    assert "démonstration" in error.fr and "demo key" in error.en
    public = crypto.public_key_bytes(demo_signer)
    explicit = refusal(forged, content_key=content_key,
                       trusted_keys={crypto.key_id(public): public})
    assert explicit.code == "content.demo_key_real_package"
    forge(forged, payload_of(mini_source), demo_signer, content_key, demo=True)
    assert pkg.open_package(forged, content_key=content_key).demo is True


def test_build_refuses_to_sign_a_real_package_with_the_demo_key(
    tmp_path: Path, mini_source: Path, content_key: bytes
) -> None:
    demo_signer = crypto.signing_key_from_bytes(pkg.read_key_file(DEMO_SIGNING_KEY))
    with pytest.raises(ContentError) as caught:
        pkg.build_package(mini_source, tmp_path / "x.pixpkg", demo_signer, content_key)
    assert caught.value.code == "content.demo_key_real_package"
    assert not (tmp_path / "x.pixpkg").exists()
