"""The demo bank does not give its answers away: single-choice right answers are spread
over the positions, and no question repeats another (issue 16)."""

from __future__ import annotations

import difflib
import itertools
from collections import Counter

from pixdesk.demo import load_demo
from pixdesk.engine.bank import Item, ItemType


def test_single_choice_right_answers_are_spread_across_positions() -> None:
    items = [i for i in load_demo().package.items if i.type is ItemType.QCU]
    positions = Counter(i.solution for i in items)  # type: ignore[attr-defined]
    share = {position: count / len(items) for position, count in positions.items()}
    assert len(share) == 4, share
    assert max(share.values()) < 0.4, share
    assert min(share.values()) > 0.15, share


def expected_words(item: Item) -> set[str]:
    """What a candidate may give: the proposals, or every accepted answer of the blanks."""
    if item.proposals:
        return {p.casefold() for p in item.proposals}
    solution = item.solution
    groups = getattr(solution, "groups", None) or tuple(
        getattr(solution, "accepted", {}).values()
    )
    return {answer.casefold() for group in groups for answer in group}


def test_no_question_nearly_repeats_another() -> None:
    """Near-duplicates: much the same wording and at least two of the same answers."""
    items = load_demo().package.items
    close = [
        (a.id, b.id)
        for a, b in itertools.combinations(items, 2)
        if difflib.SequenceMatcher(None, a.prompt, b.prompt).quick_ratio() > 0.7
        and difflib.SequenceMatcher(None, a.prompt, b.prompt).ratio() > 0.7
        and len(expected_words(a) & expected_words(b)) >= 2
    ]
    assert close == []
