"""The bundled demo (package + session) is what the sources say, and opens offline."""

from __future__ import annotations

from pathlib import Path

from pixdesk import crypto
from pixdesk.content.package import build_package, open_package, read_key_file
from pixdesk.demo import load_demo, package_path

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_demo_package_matches_the_readable_sources(tmp_path: Path) -> None:
    signing = crypto.signing_key_from_bytes(
        read_key_file(ROOT / "resources/keys/demo-content-authority.key")
    )
    content_key = read_key_file(ROOT / "pixdesk/resources/demo/demo-content.key")
    rebuilt = build_package(ROOT / "resources/content", tmp_path / "demo.pixpkg", signing,
                            content_key)
    shipped = open_package(package_path())
    assert rebuilt.plaintext_sha256 == shipped.manifest.plaintext_sha256, (
        "resources/content changed: run `make content` and commit the rebuilt demo package"
    )


def test_demo_session_opens_with_its_package_and_has_the_required_candidates() -> None:
    demo = load_demo()
    assert demo.session.demo and demo.package.demo
    assert demo.session.package_id == demo.package.manifest.package_id
    assert demo.session.version_id in demo.package.versions
    candidates = demo.session.candidates
    assert len(candidates) >= 4
    assert any(c.extra_time_percentage == 33 for c in candidates)
    assert any(c.accessibility_adjustment for c in candidates)
    assert demo.session.check_access_code(demo.session.demo_access_code)
    assert demo.session.check_invigilator_password(demo.session.demo_invigilator_password)
    assert not demo.session.check_invigilator_password("WRONG1")


def test_demo_bank_has_twelve_items_per_competence_and_every_answer_type() -> None:
    package = load_demo().package
    assert len(package.items) >= 192
    assert min(package.bank.counts_by_competence()) >= 12
    assert {str(i.type) for i in package.items} == {
        "QCU", "QCM", "QROC", "QROCM-ind", "QROCM-dep"
    }
    assert any(i.timer for i in package.items) and any(i.focused for i in package.items)
    assert any(i.illustration for i in package.items)
    assert sum(i.accessible for i in package.items) >= 100
