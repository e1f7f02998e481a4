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
from pixdesk.session import Candidate, Session, load_session, sign_session
from pixdesk.trust import Role, shipped_keys

DEMO_ACCESS_CODE = "BKQT47"
DEMO_INVIGILATOR_PASSWORD = "SURV26"

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


def write_demo_session(out: Path, server_key: Ed25519PrivateKey, date: str) -> None:
    import json

    document = sign_session(demo_session(open_package(package_path()), date), server_key)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
