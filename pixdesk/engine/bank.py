"""Items (épreuves), their calibration, and the bank as arrays the selector can scan fast.

An ``Item`` is what a candidate sees plus what the engine needs to check and select it.
The ``Bank`` keeps the items in a fixed order and exposes their calibration and content
labels as numpy arrays, so that selection is a handful of vector operations per step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from pixdesk.engine.framework import COMPETENCE_COUNT, COMPETENCE_INDEX


class ItemType(StrEnum):
    QCU = "QCU"
    QCM = "QCM"
    QROC = "QROC"
    QROCM_IND = "QROCM-ind"
    QROCM_DEP = "QROCM-dep"


class BlankFormat(StrEnum):
    TEXT = "text"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Blank:
    """One free-text field of a QROC/QROCM item; ``key`` names it in answers and solutions."""

    key: str
    label: str
    format: BlankFormat = BlankFormat.TEXT


@dataclass(frozen=True, slots=True)
class Tolerances:
    """Pix's answer tolerances, each switchable per item (all on by default)."""

    t1: bool = True
    t2: bool = True
    t3: bool = True


@dataclass(frozen=True, slots=True)
class ChoiceSolution:
    """QCU/QCM: the 1-based indices of the right proposals (exactly one for a QCU)."""

    correct: frozenset[int]


@dataclass(frozen=True, slots=True)
class BlankSolution:
    """QROC/QROCM-ind: for each blank key, the accepted answers."""

    accepted: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class GroupSolution:
    """QROCM-dep: groups of accepted answers; each blank must take a distinct group."""

    groups: tuple[tuple[str, ...], ...]


Solution = ChoiceSolution | BlankSolution | GroupSolution

Answer = int | Sequence[int] | str | Mapping[str, str]
"""A raw candidate answer: QCU → index, QCM → indices, QROC → text or {key: text},
QROCM → {key: text}. Skips are not answers; the attempt records them as ``aband``."""


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    competence: str
    tube: str
    skill: str
    level: int
    type: ItemType
    prompt: str
    solution: Solution
    discriminant: float
    difficulty: float
    proposals: tuple[str, ...] = ()
    blanks: tuple[Blank, ...] = ()
    tolerances: Tolerances = field(default_factory=Tolerances)
    timer: int | None = None
    focused: bool = False
    blind_compatible: bool = False
    colour_blind_compatible: bool = False
    illustration: str | None = None
    illustration_alt: str = ""
    rationale: str = ""

    @property
    def accessible(self) -> bool:
        """Servable to a candidate with an accessibility adjustment."""
        return self.blind_compatible and self.colour_blind_compatible


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Bank:
    """An ordered, immutable set of items with their labels as arrays.

    Row ``i`` of every array describes ``items[i]``. Tubes and skills are numbered in order
    of first appearance; competences use the framework's order (0..15).
    """

    def __init__(self, items: Iterable[Item]) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        self._row: dict[str, int] = {}
        for row, item in enumerate(self.items):
            if item.id in self._row:
                raise ValueError(f"duplicate item id {item.id}")
            self._row[item.id] = row
        tubes: dict[str, int] = {}
        skills: dict[str, int] = {}
        self.a: FloatArray = np.array([i.discriminant for i in self.items], dtype=np.float64)
        self.b: FloatArray = np.array([i.difficulty for i in self.items], dtype=np.float64)
        self.competence: IntArray = np.array(
            [COMPETENCE_INDEX[i.competence] for i in self.items], dtype=np.int64
        )
        self.tube: IntArray = np.array(
            [tubes.setdefault(i.tube, len(tubes)) for i in self.items], dtype=np.int64
        )
        self.skill: IntArray = np.array(
            [skills.setdefault(i.skill, len(skills)) for i in self.items], dtype=np.int64
        )
        self.level: IntArray = np.array([i.level for i in self.items], dtype=np.int64)
        self.accessible: BoolArray = np.array([i.accessible for i in self.items], dtype=np.bool_)
        self.tube_count = len(tubes)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row

    def row(self, item_id: str) -> int:
        return self._row[item_id]

    def item(self, item_id: str) -> Item:
        return self.items[self._row[item_id]]

    def counts_by_competence(self) -> IntArray:
        return np.bincount(self.competence, minlength=COMPETENCE_COUNT).astype(np.int64)
