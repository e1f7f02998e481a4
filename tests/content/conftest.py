"""Small but complete content sources written to temp dirs, and the keys to package them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.engine.framework import COMPETENCE_IDS
from pixdesk.engine.version import PRESETS

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>\n'


def demo_version() -> dict[str, Any]:
    version = PRESETS["pix-v3"]
    scoring = dataclasses.replace(version.scoring, show_score_to_candidate=True)
    return dataclasses.replace(version, id="v3-demo", scoring=scoring).to_dict()


def make_item(competence: str, n: int) -> dict[str, Any]:
    """A valid item of competence ``competence``; ``n`` cycles through the five types."""
    prefix = "c" + competence.replace(".", "")
    level = 1 + n % 7
    tube = f"@sujet{prefix.title()}N{n}"
    item: dict[str, Any] = {
        "id": f"{prefix}-q{n}",
        "tube": tube,
        "level": level,
        "skill": f"{tube}{level}",
        "prompt": f"Question {n} de la compétence {competence} ?",
        "accessibility": {"blind": True, "colour_blind": n % 2 == 0},
        "calibration": {
            "discriminant": 0.8 + 0.1 * (n % 5),
            "difficulty": round(-3.2 + 0.95 * level + 0.1 * (n % 3 - 1), 3),
        },
        "rationale": "Parce que c'est la bonne réponse.",
    }
    kind = n % 5
    if kind == 0:
        item |= {"type": "QCU", "proposals": ["Oui", "Non", "Peut-être"], "solution": [2]}
    elif kind == 1:
        item |= {"type": "QCM", "proposals": ["A", "B", "C", "D"], "solution": [1, 3]}
    elif kind == 2:
        item |= {
            "type": "QROC",
            "blanks": [{"key": "r", "label": "Votre réponse", "format": "number"}],
            "solution": {"r": ["42", "42,0"]},
            "tolerances": {"t3": False},
            "timer": 60,
        }
    elif kind == 3:
        item |= {
            "type": "QROCM-ind",
            "blanks": [{"key": "nom", "label": "Nom"}, {"key": "ext", "label": "Extension"}],
            "solution": {"nom": ["rapport"], "ext": ["pdf", ".pdf"]},
            "focused": True,
        }
    else:
        item |= {
            "type": "QROCM-dep",
            "blanks": [{"key": "a", "label": "Premier"}, {"key": "b", "label": "Second"}],
            "solution": [["Firefox"], ["Chrome", "Google Chrome"], ["Edge"]],
        }
    return item


def write_mini_source(root: Path, per_competence: int = 5) -> Path:
    """A valid 16-competence source tree with one illustrated item."""
    (root / "competences").mkdir(parents=True)
    (root / "illustrations").mkdir()
    (root / "illustrations" / "schema.svg").write_bytes(SVG)
    meta = {
        "id": "test-bank-1",
        "title": "Banque de test",
        "demo": False,
        "created": "2026-03-01",
        "versions": [demo_version()],
        "default_version": "v3-demo",
    }
    write_json(root / "package.json", meta)
    for cid in COMPETENCE_IDS:
        items = [make_item(cid, n) for n in range(per_competence)]
        if cid == "3.2":
            items[0]["illustration"] = {"file": "illustrations/schema.svg", "alt": "Un carré"}
            items[0]["accessibility"] = {"blind": False, "colour_blind": False}
        write_json(root / "competences" / f"{cid}.json", {"competence": cid, "items": items})
    return root


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def mini_source(tmp_path: Path) -> Path:
    return write_mini_source(tmp_path / "src")


@pytest.fixture
def authority() -> Ed25519PrivateKey:
    return crypto.new_signing_key()


@pytest.fixture
def trusted(authority: Ed25519PrivateKey) -> dict[str, bytes]:
    public = crypto.public_key_bytes(authority)
    return {crypto.key_id(public): public}


@pytest.fixture
def content_key() -> bytes:
    return crypto.random_key()
