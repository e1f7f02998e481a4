"""A reproducible synthetic 2PL bank shaped like Pix's, for simulations and benchmarks.

Slopes and difficulties follow the distributions catsim and the literature use
(a ~ N(1.2, 0.25) clipped at 0.3, b ~ N(0, 1)), so figures compare with published ones;
the content labels (16 competences, several tubes each, skill = tube + level) make the
content rules bite as they do on real content.
"""

from __future__ import annotations

import numpy as np

from pixdesk.engine.bank import Bank, ChoiceSolution, Item, ItemType
from pixdesk.engine.framework import COMPETENCE_COUNT, COMPETENCE_IDS

_ITEMS_PER_TUBE = 8
_MIN_TUBES_PER_COMPETENCE = 3


def level_of_difficulty(b: float) -> int:
    """Pix levels 1..8 from b: ~0.75 logit per level, level 5 around b = 0."""
    return int(np.clip(np.floor((b + 3.0) / 0.75) + 1, 1, 8))


def synthetic_bank(n_items: int, seed: int) -> Bank:
    """``n_items`` QCU items over the 16 competences, the same bank for the same seed."""
    if n_items < 1:
        raise ValueError("a bank needs at least one item")
    rng = np.random.default_rng(seed)
    a = np.clip(rng.normal(1.2, 0.25, n_items), 0.3, None)
    b = rng.normal(0.0, 1.0, n_items)
    competence = rng.permutation(np.arange(n_items) % COMPETENCE_COUNT)
    per_competence = max(_MIN_TUBES_PER_COMPETENCE, n_items // (COMPETENCE_COUNT * _ITEMS_PER_TUBE))
    tube = rng.integers(0, per_competence, n_items)
    accessible = rng.random(n_items) < 0.5
    items = []
    for row in range(n_items):
        competence_id = COMPETENCE_IDS[competence[row]]
        tube_id = f"@{competence_id}-t{tube[row]:03d}"
        level = level_of_difficulty(float(b[row]))
        items.append(
            Item(
                id=f"syn{seed}-{row:06d}",
                competence=competence_id,
                tube=tube_id,
                skill=f"{tube_id}-{level}",
                level=level,
                type=ItemType.QCU,
                prompt="synthetic",
                proposals=("oui", "non"),
                solution=ChoiceSolution(frozenset({1})),
                discriminant=float(a[row]),
                difficulty=float(b[row]),
                blind_compatible=bool(accessible[row]),
                colour_blind_compatible=bool(accessible[row]),
            )
        )
    return Bank(items)
