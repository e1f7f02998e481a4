"""The CRCN framework: 16 competences in 5 domains, in the order Pix reports them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Competence:
    id: str
    domain: str
    name: str

    @property
    def index(self) -> int:
        return COMPETENCE_INDEX[self.id]


DOMAINS: tuple[Domain, ...] = (
    Domain("1", "Information et données"),
    Domain("2", "Communication et collaboration"),
    Domain("3", "Création de contenus"),
    Domain("4", "Protection et sécurité"),
    Domain("5", "Environnement numérique"),
)

COMPETENCES: tuple[Competence, ...] = (
    Competence("1.1", "1", "Mener une recherche et une veille d'information"),
    Competence("1.2", "1", "Gérer des données"),
    Competence("1.3", "1", "Traiter des données"),
    Competence("2.1", "2", "Interagir"),
    Competence("2.2", "2", "Partager et publier"),
    Competence("2.3", "2", "Collaborer"),
    Competence("2.4", "2", "S'insérer dans le monde numérique"),
    Competence("3.1", "3", "Développer des documents textuels"),
    Competence("3.2", "3", "Développer des documents multimédia"),
    Competence("3.3", "3", "Adapter les documents à leur finalité"),
    Competence("3.4", "3", "Programmer"),
    Competence("4.1", "4", "Sécuriser l'environnement numérique"),
    Competence("4.2", "4", "Protéger les données personnelles et la vie privée"),
    Competence("4.3", "4", "Protéger la santé, le bien-être et l'environnement"),
    Competence("5.1", "5", "Résoudre des problèmes techniques"),
    Competence("5.2", "5", "Évoluer dans un environnement numérique"),
)

COMPETENCE_IDS: tuple[str, ...] = tuple(c.id for c in COMPETENCES)
COMPETENCE_INDEX: dict[str, int] = {cid: i for i, cid in enumerate(COMPETENCE_IDS)}
COMPETENCE_COUNT = len(COMPETENCES)


def competence(competence_id: str) -> Competence:
    return COMPETENCES[COMPETENCE_INDEX[competence_id]]


def competences_of(domain_id: str) -> tuple[Competence, ...]:
    return tuple(c for c in COMPETENCES if c.domain == domain_id)
