"""Model answers: what a right (or a wrong) answer to an item looks like.

Trainers see the model answer in review mode; ``pixdesk rehearse`` and the tests use both
to drive a real exam through the real answer checking.
"""

from __future__ import annotations

from pixdesk.engine.bank import (
    Answer,
    BlankFormat,
    BlankSolution,
    ChoiceSolution,
    GroupSolution,
    Item,
    ItemType,
)


def model_answer(item: Item) -> Answer:
    """An answer the item accepts: the first accepted text of each blank, the right choices."""
    solution = item.solution
    if isinstance(solution, ChoiceSolution):
        choices = sorted(solution.correct)
        return choices[0] if item.type is ItemType.QCU else choices
    if isinstance(solution, BlankSolution):
        return {blank.key: solution.accepted[blank.key][0] for blank in item.blanks}
    if isinstance(solution, GroupSolution):
        pairs = zip(item.blanks, solution.groups, strict=False)
        return {blank.key: group[0] for blank, group in pairs}
    raise TypeError(f"unknown solution for {item.id}")


def wrong_answer(item: Item) -> Answer:
    """A well-formed answer the item refuses."""
    solution = item.solution
    if isinstance(solution, ChoiceSolution):
        proposals = range(1, len(item.proposals) + 1)
        if item.type is ItemType.QCU:
            return next(i for i in proposals if i not in solution.correct)
        return [i for i in proposals if i not in solution.correct] or [min(solution.correct)]
    return {
        blank.key: "999999" if blank.format is BlankFormat.NUMBER else "zzqxw qxwzz"
        for blank in item.blanks
    }
