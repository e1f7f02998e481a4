"""The configured (non-demo) exam: what ``pixdesk`` with no arguments agrees to open.

Real files throughout: a non-demo package built from ``resources/content`` and signed by a
content authority IT installed on the machine, a session signed by the server this PC
enrolled with, the content key sealed to this device's own X25519 key.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto, demo
from pixdesk.bundle import load_configured, site_content_keys_dir
from pixdesk.config import Config, load_config
from pixdesk.content.package import build_package, read_key_file, write_key_file
from pixdesk.errors import ConfigError, PixdeskError
from pixdesk.session import Session, sign_session
from pixdesk.sync.device import (
    DeviceIdentity,
    ServerPin,
    load_or_create_device,
    open_device_store,
    save_pin,
)

REPO = Path(__file__).resolve().parents[1]
CONTENT_SOURCE = REPO / "resources" / "content"
PACKAGE_ID = "pixdesk-test-2027-1"


@dataclass
class Site:
    """One PC enrolled with one server, and the package and session IT gave it."""

    data_dir: Path
    device: DeviceIdentity
    server_key: Ed25519PrivateKey
    authority: Ed25519PrivateKey
    content_key: bytes
    package: Path
    session_file: Path

    def config(self, **changes: object) -> Config:
        base = Config(session_file=self.session_file, content_package=self.package)
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]

    def issue(self, session: Session, *, key: Ed25519PrivateKey | None = None) -> Path:
        document = sign_session(session, key or self.server_key)
        self.session_file.write_text(json.dumps(document), encoding="utf-8")
        return self.session_file


def build(tmp: Path, name: str, package_id: str, authority: Ed25519PrivateKey,
          content_key: bytes, *, is_demo: bool = False) -> Path:
    source = tmp / f"src-{name}"
    shutil.copytree(CONTENT_SOURCE, source)
    meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
    meta |= {"id": package_id, "demo": is_demo}
    (source / "package.json").write_text(json.dumps(meta), encoding="utf-8")
    out = tmp / f"{name}.pixpkg"
    build_package(source, out, authority, content_key)
    return out


def real_session(package_id: str, sealed: dict[str, str], **changes: object) -> Session:
    fields: dict[str, object] = {
        "id": "4821907", "centre_id": "0691234A", "centre_name": "Lycée Ampère",
        "date": "2027-03-02", "room": "B12",
        "access_code_hash": crypto.hash_secret("BKQT47", n=2**4),
        "invigilator_password_hash": crypto.hash_secret("K7P2QX4M9TR", n=2**4),
        "version_id": "v3-demo", "package_id": package_id,
        "candidates": demo.DEMO_CANDIDATES[:2], "sealed_content_keys": sealed,
    }
    return Session(**(fields | changes))  # type: ignore[arg-type]


def seal_for(device: DeviceIdentity, key: bytes, package_id: str = PACKAGE_ID) -> str:
    return crypto.b64e(crypto.seal(device.sealing_public, key, package_id.encode("utf-8")))


@pytest.fixture
def site(tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    authority = Ed25519PrivateKey.generate()
    site_content_keys_dir().mkdir(parents=True)
    write_key_file(site_content_keys_dir() / "operator.pub",
                   crypto.public_key_bytes(authority), "test content authority")
    content_key = crypto.random_key()
    package = build(tmp_path, "real", PACKAGE_ID, authority, content_key)
    store = open_device_store(data_dir)
    device = load_or_create_device(store, "device-0001")
    server_key = Ed25519PrivateKey.generate()
    signing_public = crypto.public_key_bytes(server_key)
    save_pin(store, ServerPin("https://pix.example.fr", crypto.key_id(signing_public),
                              signing_public, crypto.sealing_public_bytes(
                                  crypto.new_sealing_key()), "0691234A"))
    created = Site(data_dir, device, server_key, authority, content_key, package,
                   tmp_path / "exam.pixsession")
    created.issue(real_session(PACKAGE_ID, {device.device_id: seal_for(device, content_key)}))
    return created


def refusal(site: Site, config: Config | None = None) -> PixdeskError:
    with pytest.raises(PixdeskError) as caught:
        load_configured(config or site.config(), site.data_dir)
    error = caught.value
    assert "\n" not in error.fr and "\n" not in error.en
    return error


def test_session_from_the_enrolled_server_opens_its_package_with_this_devices_key(
    site: Site,
) -> None:
    bundle = load_configured(site.config(), site.data_dir)
    assert bundle.session.id == "4821907" and not bundle.session.demo
    assert bundle.package.manifest.package_id == PACKAGE_ID and not bundle.package.demo
    assert bundle.content.package_id == PACKAGE_ID
    assert len(bundle.package.items) == bundle.package.manifest.item_count > 100
    assert bundle.session.check_access_code("bkqt47")


def test_session_issued_for_another_device_is_refused(site: Site) -> None:
    other = load_or_create_device(open_device_store(site.data_dir / "other"), "device-0002")
    site.issue(real_session(PACKAGE_ID, {other.device_id: seal_for(other, site.content_key)}))
    error = refusal(site)
    assert error.code == "session.other_device" and site.device.device_id in error.en


def test_pc_that_is_not_enrolled_is_refused(site: Site, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    load_or_create_device(open_device_store(fresh), site.device.device_id)
    with pytest.raises(PixdeskError) as caught:
        load_configured(site.config(), fresh)
    assert caught.value.code == "sync.not_enrolled"
    assert "pixdesk enrol" in caught.value.fr


def test_altered_session_file_is_refused(site: Site) -> None:
    document = json.loads(site.session_file.read_text(encoding="utf-8"))
    document["session"]["room"] = "B13"
    site.session_file.write_text(json.dumps(document), encoding="utf-8")
    assert refusal(site).code == "session.bad_signature"


def test_session_signed_by_a_server_this_pc_does_not_know_is_refused(site: Site) -> None:
    sealed = {site.device.device_id: seal_for(site.device, site.content_key)}
    site.issue(real_session(PACKAGE_ID, sealed), key=Ed25519PrivateKey.generate())
    assert refusal(site).code == "session.unknown_signer"


def test_demo_session_is_refused_outside_the_demo(site: Site) -> None:
    error = refusal(site, site.config(session_file=demo.session_path(),
                                      content_package=demo.package_path()))
    assert error.code == "session.demo_refused" and "pixdesk demo" in error.fr


def test_a_pc_pinned_to_a_server_with_the_demo_key_trusts_none_of_its_sessions(
    site: Site,
) -> None:
    """The configured exam never trusts a demo key, even the one this PC enrolled with."""
    demo_server = crypto.signing_key_from_bytes(
        read_key_file(REPO / "resources/keys/demo-server.key"))
    public = crypto.public_key_bytes(demo_server)
    store = open_device_store(site.data_dir)
    save_pin(store, ServerPin("https://rogue.example", crypto.key_id(public), public,
                              crypto.sealing_public_bytes(crypto.new_sealing_key()), "0691234A"))
    sealed = {site.device.device_id: seal_for(site.device, site.content_key)}
    for marked_demo in (False, True):
        site.issue(real_session(PACKAGE_ID, sealed, demo=marked_demo), key=demo_server)
        error = refusal(site)
        assert error.code == "session.demo_refused" and "pixdesk demo" in error.fr


def test_a_package_signed_by_the_demo_authority_is_never_trusted_here(
    site: Site, tmp_path: Path
) -> None:
    """Even marked demo, and even with the demo authority copied among IT's authorities."""
    shutil.copy(REPO / "resources/keys/demo-content-authority.pub",
                site_content_keys_dir() / "demo.pub")
    demo_authority = crypto.signing_key_from_bytes(
        read_key_file(REPO / "resources/keys/demo-content-authority.key"))
    package = build(tmp_path, "demo-signed", PACKAGE_ID, demo_authority, site.content_key,
                    is_demo=True)
    assert refusal(site, site.config(content_package=package)).code == "content.unknown_signer"


def test_another_package_is_refused_as_the_wrong_package(site: Site, tmp_path: Path) -> None:
    other = build(tmp_path, "other", "pixdesk-test-2027-2", site.authority, crypto.random_key())
    error = refusal(site, site.config(content_package=other))
    assert error.code == "session.wrong_package" and PACKAGE_ID in error.en


def test_package_with_the_same_key_but_another_id_is_refused(site: Site, tmp_path: Path) -> None:
    other = build(tmp_path, "same-key", "pixdesk-test-2027-2", site.authority, site.content_key)
    assert refusal(site, site.config(content_package=other)).code == "session.wrong_package"


def test_session_asking_for_a_version_the_package_lacks_is_refused(site: Site) -> None:
    sealed = {site.device.device_id: seal_for(site.device, site.content_key)}
    site.issue(real_session(PACKAGE_ID, sealed, version_id="v9"))
    assert refusal(site).code == "session.wrong_package"


def test_content_key_sealed_under_another_package_id_is_refused(site: Site) -> None:
    sealed = {site.device.device_id: seal_for(site.device, site.content_key, "elsewhere")}
    site.issue(real_session(PACKAGE_ID, sealed))
    assert refusal(site).code == "session.bad_content_key"


def test_package_from_an_authority_it_did_not_install_is_refused(site: Site) -> None:
    for public in site_content_keys_dir().glob("*.pub"):
        public.unlink()
    assert refusal(site).code == "content.unknown_signer"


def test_altered_package_is_refused(site: Site) -> None:
    data = bytearray(site.package.read_bytes())
    data[len(data) // 2] ^= 1
    site.package.write_bytes(bytes(data))
    assert refusal(site).code.startswith("content.")


def test_nothing_configured_says_what_to_set(site: Site) -> None:
    error = refusal(site, Config())
    assert error.code == "client.unconfigured"
    assert "session_file" in error.en and "content_package" in error.en


def test_config_reads_session_and_package_as_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text('session_file = "/srv/pix/exam.pixsession"\n'
                       'content_package = "/srv/pix/bank.pixpkg"\n', encoding="utf-8")
    loaded = load_config(machine_path=machine, user_path=tmp_path / "none.toml")
    assert loaded.session_file == Path("/srv/pix/exam.pixsession")
    assert loaded.content_package == Path("/srv/pix/bank.pixpkg")
    machine.write_text('session_file = "exam.pixsession"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(machine_path=machine, user_path=tmp_path / "none.toml")
    assert caught.value.code == "config.bad_session_file"


def test_doctor_opens_the_configured_session_as_on_exam_morning(site: Site) -> None:
    from pixdesk.doctor import Status, check_content

    check = check_content(site.config(), site.data_dir)
    assert check.status is Status.OK
    assert "4821907" in check.message("en") and PACKAGE_ID in check.message("en")


def test_doctor_fails_on_a_configured_session_for_another_device(site: Site) -> None:
    from pixdesk.doctor import Status, check_content

    site.issue(real_session(PACKAGE_ID, {}))
    check = check_content(site.config(), site.data_dir)
    assert check.status is Status.FAIL and "not issued for this PC" in check.message("en")


def test_an_authority_key_a_user_could_have_written_is_refused(site: Site) -> None:
    [public] = site_content_keys_dir().glob("*.pub")
    public.chmod(0o646)
    error = refusal(site)
    assert error.code == "config.not_admin_only" and "operator.pub" in error.en
    public.chmod(0o644)
    site_content_keys_dir().chmod(0o777)
    assert refusal(site).code == "config.not_admin_only"
