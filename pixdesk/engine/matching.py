"""Answer checking: is a candidate's answer to an item right or wrong?

The rules are Pix's (see docs/matching.md): choices compare as sets, free text is normalised
(NFC, non-breaking spaces) and then softened by the item's tolerances t1/t2/t3, number blanks
compare as exact decimals. The treatment follows the rule version the attempt was sat under
(``version.RULES``); the only leniency beyond Pix, spelling out œ, æ, ß… under t1, is an
explicit, signed option of the certification version (``MatchingSettings.fold_letters``).

Input is checked before anything else, because answers come from a text box: a malformed
answer raises ``AnswerError`` with a stable code, and a 10 MB paste is refused by its length
alone, without being normalised or compared.

Timers, focus loss and skips belong to the attempt layer; this module only says OK or KO.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from numbers import Integral
from typing import TypeGuard

from pixdesk.engine.bank import (
    Answer,
    BlankFormat,
    BlankSolution,
    ChoiceSolution,
    GroupSolution,
    Item,
    ItemType,
    Tolerances,
)
from pixdesk.engine.status import AnswerStatus
from pixdesk.engine.version import RULES, MatchingSettings
from pixdesk.errors import AnswerError

WRONG_SHAPE = "answer.wrong_shape"
EMPTY = "answer.empty"
TOO_LONG = "answer.too_long"
CONTROL_CHARS = "answer.control_chars"
OUT_OF_RANGE = "answer.out_of_range"

MAX_BLANK_LENGTH = 500
"""Longest text accepted in one blank; it also bounds the Levenshtein work per comparison."""

_NON_BREAKING_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})

# Tab is the one C0 character a keyboard can put in a field harmlessly. Line and paragraph
# separators are refused with the newlines they stand for, and lone surrogates because they
# cannot be stored as UTF-8.
_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

# Letters that carry a stroke or are ligatures have no Unicode decomposition, so removing
# combining marks leaves them alone. Pix's t1 keeps them (and t2 deletes them); PixDesk
# spells them out only under ``MatchingSettings.fold_letters`` (or under rules 1).
_UNDECOMPOSABLE = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)

_OUTSIDE_ASCII_ALNUM_SPACE = re.compile("[^A-Za-z0-9 ]+")
_SPACE_RUN = re.compile("  +")
_COMBINING_DIACRITICS = re.compile("[\u0300-\u036f]")
"""The block of combining marks Pix's t1 removes after NFD (and only that block)."""
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def _wrong_shape(fr: str, en: str) -> AnswerError:
    return AnswerError(WRONG_SHAPE, fr, en)


@dataclass(frozen=True, slots=True)
class _BlankSpec:
    key: str
    format: BlankFormat


# --------------------------------------------------------------------------- validation


def _is_int(value: object) -> TypeGuard[Integral]:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _check_text(text: str) -> None:
    """Length first, so an enormous paste costs O(1); then the characters."""
    if len(text) > MAX_BLANK_LENGTH:
        raise AnswerError(
            TOO_LONG,
            f"Réponse trop longue : {MAX_BLANK_LENGTH} caractères au maximum.",
            f"Answer too long: at most {MAX_BLANK_LENGTH} characters.",
        )
    if _FORBIDDEN.search(text):
        raise AnswerError(
            CONTROL_CHARS,
            "La réponse contient des caractères non autorisés (retour à la ligne, contrôle).",
            "The answer contains forbidden characters (line break, control character).",
        )


def _is_blank(text: str) -> bool:
    return text == "" or text.isspace()


def _index_in_range(index: int, proposal_count: int) -> int:
    """The message leaves the index out: a huge int cannot even be formatted as text."""
    if not 1 <= index <= proposal_count:
        raise AnswerError(
            OUT_OF_RANGE,
            f"Choix inexistant : les choix vont de 1 à {proposal_count}.",
            f"No such choice: choices go from 1 to {proposal_count}.",
        )
    return index


def _parse_single_choice(item: Item, raw: object) -> frozenset[int]:
    if isinstance(raw, str):
        _check_text(raw)
        if _is_blank(raw):
            raise AnswerError(EMPTY, "Aucun choix n'a été fait.", "No choice was made.")
        if not raw.isascii() or not raw.isdigit():
            raise _wrong_shape(
                "Un seul choix est attendu, donné par son numéro.",
                "A single choice is expected, given by its number.",
            )
        return frozenset({_index_in_range(int(raw), len(item.proposals))})
    if not _is_int(raw):
        raise _wrong_shape(
            "Un seul choix est attendu, donné par son numéro.",
            "A single choice is expected, given by its number.",
        )
    return frozenset({_index_in_range(int(raw), len(item.proposals))})


def _parse_multiple_choice(item: Item, raw: object) -> frozenset[int]:
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence | Set):
        raise _wrong_shape(
            "Une liste de numéros de choix est attendue.",
            "A list of choice numbers is expected.",
        )
    if len(raw) == 0:
        raise AnswerError(EMPTY, "Aucun choix n'a été fait.", "No choice was made.")
    if len(raw) > len(item.proposals):
        raise _wrong_shape(
            "Plus de choix donnés qu'il n'y a de propositions.",
            "More choices given than there are proposals.",
        )
    chosen: set[int] = set()
    for value in raw:
        if not _is_int(value):
            raise _wrong_shape(
                "Chaque choix doit être un numéro de proposition.",
                "Each choice must be a proposal number.",
            )
        index = _index_in_range(int(value), len(item.proposals))
        if index in chosen:
            raise _wrong_shape(
                f"Le choix {index} est donné deux fois.",
                f"Choice {index} is given twice.",
            )
        chosen.add(index)
    return frozenset(chosen)


def _blank_specs(item: Item) -> tuple[_BlankSpec, ...]:
    """The blanks an answer must fill, in the item's order (answers are matched in it)."""
    if item.blanks:
        return tuple(_BlankSpec(b.key, b.format) for b in item.blanks)
    if isinstance(item.solution, BlankSolution):
        return tuple(_BlankSpec(key, BlankFormat.TEXT) for key in item.solution.accepted)
    return ()


def _parse_blanks(item: Item, raw: object) -> dict[str, str]:
    """Returns the answer as {key: text} in the item's blank order."""
    specs = _blank_specs(item)
    keys = [spec.key for spec in specs]
    if isinstance(raw, str):
        if item.type is not ItemType.QROC or len(keys) != 1:
            raise _wrong_shape(
                "Une réponse par champ est attendue.",
                "One answer per field is expected.",
            )
        raw = {keys[0]: raw}
    if not isinstance(raw, Mapping):
        raise _wrong_shape(
            "Une réponse en texte est attendue.",
            "A text answer is expected.",
        )
    if len(raw) != len(keys) or not all(isinstance(k, str) for k in raw) or set(raw) != set(keys):
        raise _wrong_shape(
            "Les champs remplis ne correspondent pas à ceux de la question.",
            "The fields given do not match the question's fields.",
        )
    answers: dict[str, str] = {}
    for key in keys:
        text = raw[key]
        if not isinstance(text, str):
            raise _wrong_shape(
                "Chaque champ doit contenir du texte.",
                "Each field must contain text.",
            )
        _check_text(text)
        answers[key] = text
    if all(_is_blank(text) for text in answers.values()):
        raise AnswerError(EMPTY, "La réponse est vide.", "The answer is empty.")
    return answers


def _parse(item: Item, answer: Answer) -> frozenset[int] | dict[str, str]:
    raw: object = answer
    if item.type is ItemType.QCU:
        return _parse_single_choice(item, raw)
    if item.type is ItemType.QCM:
        return _parse_multiple_choice(item, raw)
    return _parse_blanks(item, raw)


def validate_answer(item: Item, answer: Answer) -> None:
    """Raises ``AnswerError`` exactly when ``check`` would, so the UI can refuse bad input
    before it is submitted and recorded."""
    _parse(item, answer)


# --------------------------------------------------------------------------- comparison


def normalise(text: str) -> str:
    """The treatment every answer and solution gets, whatever the tolerances."""
    return unicodedata.normalize("NFC", text).translate(_NON_BREAKING_SPACES)


def treat(
    text: str,
    tolerances: Tolerances,
    *,
    matching: MatchingSettings | None = None,
    rules: int = RULES,
) -> str:
    """Normalise, then apply t1 (case, accents, whitespace) and t2 (keep [A-Za-z0-9 ], then
    one space for each run of spaces), as Pix does; ``matching`` may add letter folding to
    t1. Under rules 1 t1 always folded letters and removed every non-spacing mark, and t2
    kept runs of spaces."""
    text = normalise(text)
    if tolerances.t1:
        if rules < 2:
            decomposed = unicodedata.normalize("NFD", text.translate(_UNDECOMPOSABLE))
            text = "".join(
                c for c in decomposed if not c.isspace() and unicodedata.category(c) != "Mn"
            ).lower()
        else:
            if matching is not None and matching.fold_letters:
                text = text.translate(_UNDECOMPOSABLE)
            decomposed = unicodedata.normalize("NFD", text.lower())
            text = "".join(c for c in _COMBINING_DIACRITICS.sub("", decomposed) if not c.isspace())
    if tolerances.t2:
        text = _OUTSIDE_ASCII_ALNUM_SPACE.sub("", text)
        if rules >= 2:
            text = _SPACE_RUN.sub(" ", text)
    return text


def levenshtein(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance between ``a`` and ``b`` (insert, delete, substitute, each costing 1).

    With ``limit``, only the diagonal band of width ``2 * limit + 1`` is computed and any
    distance above ``limit`` is reported as ``limit + 1``: tolerance t3 only needs to know
    whether the distance is small, and this keeps the work linear in the string length.
    """
    if limit is None:
        limit = max(len(a), len(b))
    far = limit + 1
    if abs(len(a) - len(b)) > limit:
        return far
    width = len(b)
    previous = [j if j <= limit else far for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        current = [far] * (width + 1)
        if i <= limit:
            current[0] = i
        low = max(1, i - limit)
        high = min(width, i + limit)
        char = a[i - 1]
        best = current[low - 1]
        for j in range(low, high + 1):
            cost = previous[j - 1] + (char != b[j - 1])
            cell = min(previous[j] + 1, current[j - 1] + 1, cost, far)
            current[j] = cell
            best = min(best, cell)
        if best > limit:
            return far
        previous = current
    return min(previous[width], far)


def _parse_number(text: str) -> Decimal | None:
    compact = "".join(c for c in normalise(text) if not c.isspace()).replace("\u2212", "-")
    if not _NUMBER.fullmatch(compact):
        return None
    return Decimal(compact.replace(",", "."))


@dataclass(frozen=True, slots=True)
class _Rules:
    """How text is compared in one attempt: the item's tolerances, the version's matching
    settings and the attempt's rule version."""

    tolerances: Tolerances
    matching: MatchingSettings
    rules: int

    def treat(self, text: str) -> str:
        return treat(text, self.tolerances, matching=self.matching, rules=self.rules)


def _accepts(answer: str, accepted: Sequence[str], fmt: BlankFormat, how: _Rules) -> bool:
    """Whether one blank's answer matches one of ``accepted`` under the item's rules."""
    if fmt is BlankFormat.NUMBER:
        value = _parse_number(answer)
        return value is not None and any(_parse_number(s) == value for s in accepted)
    tol = how.tolerances
    treated = how.treat(answer)
    if not treated:
        return False
    solutions = [how.treat(s) for s in accepted]
    if treated in solutions:
        return True
    if not tol.t3:
        return False
    allowed = len(treated) // 4
    return any(levenshtein(treated, s, allowed) <= allowed for s in solutions)


def _blank_answers_right(item: Item, answers: dict[str, str], how: _Rules) -> bool:
    specs = _blank_specs(item)
    solution = item.solution
    if isinstance(solution, BlankSolution):
        return all(
            _accepts(answers[s.key], solution.accepted.get(s.key, ()), s.format, how)
            for s in specs
        )
    if isinstance(solution, GroupSolution):
        unused = list(range(len(solution.groups)))
        for spec in specs:
            taken = next(
                (
                    g
                    for g in unused
                    if _accepts(answers[spec.key], solution.groups[g], spec.format, how)
                ),
                None,
            )
            if taken is None:
                return False
            unused.remove(taken)
        return True
    raise ValueError(f"item {item.id}: a {item.type} item needs a blank or group solution")


def check(
    item: Item,
    answer: Answer,
    *,
    matching: MatchingSettings | None = None,
    rules: int = RULES,
) -> AnswerStatus:
    """OK or KO for a submitted answer; ``AnswerError`` if it is not a well-formed answer.
    ``matching`` is the certification version's setting, ``rules`` the attempt's rule
    version.

    A ``ValueError`` means the item itself is inconsistent (a choice item without a choice
    solution or the reverse), which the content loader is expected to have refused.
    """
    parsed = _parse(item, answer)
    if isinstance(parsed, frozenset):
        if not isinstance(item.solution, ChoiceSolution):
            raise ValueError(f"item {item.id}: a {item.type} item needs a choice solution")
        right = parsed == item.solution.correct
    else:
        how = _Rules(item.tolerances, matching or MatchingSettings(), rules)
        right = _blank_answers_right(item, parsed, how)
    return AnswerStatus.OK if right else AnswerStatus.KO
