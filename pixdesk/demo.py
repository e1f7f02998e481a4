"""The embedded demo: bundled content package, demo session and demo server key.

Everything here is public on purpose and marked demo; a real server refuses demo results.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.bundle import ExamBundle
from pixdesk.content.package import OpenedPackage, open_package
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.exam import ExamContent
from pixdesk.paths import resource_path
from pixdesk.room.keys import new_room_trust
from pixdesk.session import Candidate, Session, load_session, sign_session
from pixdesk.trust import Role, read_key_file, shipped_keys, write_key_file

DEMO_ACCESS_CODE = "BKQT47"
DEMO_INVIGILATOR_PASSWORD = "SURV26"

DEMO_PCS = tuple(f"demo-pc-{n}" for n in range(1, 7))
"""The demo room's PCs: the demo session lists their signing keys, shipped as
``resources/demo/<id>.key`` and public like the demo server key, so a demo PC can report to
``pixdesk room --demo``; only the demo session (itself trusted in demo mode only) names them."""

DEMO_CANDIDATES = (
    Candidate("demo-1", "Martin", "Léa", "2009-03-14", "Lyon", "ELEVE-0001",
              v2_profile={"1.1": 3, "1.2": 2, "2.1": 4, "2.2": 3, "3.1": 2, "4.2": 3,
                          "5.2": 2},
              v2_pix_scores={"1.1": 29, "1.2": 17, "2.1": 35, "2.2": 24, "3.1": 20,
                             "4.2": 27, "5.2": 16}),
    Candidate("demo-2", "Dubois", "Hugo", "2008-11-02", "Lille", "ELEVE-0002",
              extra_time_percentage=33,
              v2_profile={"1.1": 2, "1.3": 3, "2.3": 2, "3.2": 3, "4.3": 2, "5.1": 3},
              v2_pix_scores={"1.1": 18, "1.3": 26, "2.3": 21, "3.2": 30, "4.3": 16,
                             "5.1": 25}),
    Candidate("demo-3", "Nguyen", "Inès", "2009-06-21", "Marseille", "ELEVE-0003",
              accessibility_adjustment=True,
              v2_profile={"1.2": 4, "2.1": 3, "2.4": 2, "3.3": 3, "4.2": 5, "5.2": 3},
              v2_pix_scores={"1.2": 36, "2.1": 28, "2.4": 19, "3.3": 24, "4.2": 44,
                             "5.2": 31}),
    Candidate("demo-4", "Moreau", "Théo", "2008-01-30", "Nantes", "ELEVE-0004",
              v2_profile=dict.fromkeys(COMPETENCE_IDS, 6),
              v2_pix_scores=dict.fromkeys(COMPETENCE_IDS, 52)),
    Candidate("demo-5", "Bernard", "Chloé", "1990-05-05", "Paris", "ADULTE-0005",
              v2_profile={"1.1": 5, "1.2": 4, "1.3": 4, "2.1": 5, "2.2": 3, "3.1": 4,
                          "3.4": 1, "4.1": 4, "4.2": 5, "5.1": 3, "5.2": 4},
              v2_pix_scores={"1.1": 41, "1.2": 38, "1.3": 32, "2.1": 46, "2.2": 27,
                             "3.1": 35, "3.4": 9, "4.1": 33, "4.2": 40, "5.1": 30,
                             "5.2": 37}),
    Candidate("demo-6", "Petit", "Lucas", "2009-09-09", "Rennes", "ELEVE-0006",
              v2_profile={"1.1": 2, "2.1": 1, "3.1": 2, "5.2": 1, "4.1": 0},
              v2_pix_scores={"1.1": 20, "2.1": 11, "3.1": 17, "5.2": 8, "4.1": 3}),
)
"""Every demo candidate has a v2 profile with the Pix score behind each level (level L
means L·8 to L·8 + 7 Pix); demo-6's holds only 4 competences at level ≥ 1,
to show the refusal of a profile that is not certifiable."""


def package_path() -> Path:
    return resource_path("demo", "demo.pixpkg")


def session_path() -> Path:
    return resource_path("demo", "demo-session.pixsession")


def load_demo() -> ExamBundle:
    package = open_package(package_path())
    session = load_session(session_path(), shipped_keys(Role.SERVER))
    content = ExamContent(package.manifest.package_id, package.bank, package.versions)
    return ExamBundle(session, package, content)


def demo_session(package: OpenedPackage, date: str) -> Session:
    return Session(
        id="DEMO-0001",
        centre_id="DEMO",
        centre_name="Lycée de démonstration",
        date=date,
        room="Salle 101",
        access_code_hash=crypto.hash_secret(DEMO_ACCESS_CODE),
        invigilator_password_hash=crypto.hash_secret(DEMO_INVIGILATOR_PASSWORD),
        version_id=package.default_version,
        package_id=package.manifest.package_id,
        candidates=DEMO_CANDIDATES,
        demo=True,
        demo_access_code=DEMO_ACCESS_CODE,
        demo_invigilator_password=DEMO_INVIGILATOR_PASSWORD,
    )


def demo_pc_key(device_id: str) -> Ed25519PrivateKey:
    """The signing key of a demo PC (``DEMO_PCS``)."""
    return crypto.signing_key_from_bytes(read_key_file(resource_path("demo", f"{device_id}.key")))


def _demo_pc_keys() -> dict[str, bytes]:
    """The demo PCs' public keys, drawing the key files the first time."""
    keys = {}
    for device_id in DEMO_PCS:
        path = resource_path("demo", f"{device_id}.key")
        if not path.is_file():
            write_key_file(path, crypto.signing_key_to_bytes(crypto.new_signing_key()),
                           "DEMO ONLY: public demo PC signing key (pixdesk room --demo)")
        keys[device_id] = crypto.public_key_bytes(demo_pc_key(device_id))
    return keys


def write_demo_session(out: Path, server_key: Ed25519PrivateKey, date: str) -> None:
    """The demo session, with a fresh room command key sealed under the public demo
    invigilator password and the demo PCs' keys, so ``pixdesk room --demo`` runs it."""
    import json
    from dataclasses import replace

    session = demo_session(open_package(package_path()), date)
    session = replace(session, room_console=new_room_trust(
        session.id, DEMO_INVIGILATOR_PASSWORD, _demo_pc_keys()))
    document = sign_session(session, server_key)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
