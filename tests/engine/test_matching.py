"""Answer checking: what a candidate types, and whether Pix's rules call it right or wrong."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pixdesk.engine.bank import (
    Answer,
    Blank,
    BlankFormat,
    BlankSolution,
    ChoiceSolution,
    GroupSolution,
    Item,
    ItemType,
    Tolerances,
)
from pixdesk.engine.matching import (
    CONTROL_CHARS,
    EMPTY,
    OUT_OF_RANGE,
    TOO_LONG,
    WRONG_SHAPE,
    check,
    levenshtein,
    treat,
    validate_answer,
)
from pixdesk.engine.status import AnswerStatus
from pixdesk.engine.version import MatchingSettings
from pixdesk.errors import AnswerError

OK = AnswerStatus.OK
KO = AnswerStatus.KO
TEXT = BlankFormat.TEXT
NUMBER = BlankFormat.NUMBER


def tol(enabled: str) -> Tolerances:
    """``tol("13")`` switches on t1 and t3 only; ``tol("")`` switches everything off."""
    return Tolerances(t1="1" in enabled, t2="2" in enabled, t3="3" in enabled)


def _item(kind: ItemType, solution: object, **extra: object) -> Item:
    return Item(
        id=f"rec{kind}",
        competence="1.1",
        tube="tube",
        skill="@skill1",
        level=1,
        type=kind,
        prompt="?",
        solution=solution,  # type: ignore[arg-type]
        discriminant=1.0,
        difficulty=0.0,
        **extra,  # type: ignore[arg-type]
    )


def qcu(correct: int = 2, proposals: int = 4) -> Item:
    return _item(
        ItemType.QCU,
        ChoiceSolution(frozenset({correct})),
        proposals=tuple(f"choice {i}" for i in range(1, proposals + 1)),
    )


def qcm(*correct: int, proposals: int = 4) -> Item:
    return _item(
        ItemType.QCM,
        ChoiceSolution(frozenset(correct)),
        proposals=tuple(f"choice {i}" for i in range(1, proposals + 1)),
    )


def qroc(*accepted: str, t: str = "123", fmt: BlankFormat = TEXT) -> Item:
    return _item(
        ItemType.QROC,
        BlankSolution({"r": accepted}),
        blanks=(Blank("r", "Réponse", fmt),),
        tolerances=tol(t),
    )


def ind(accepted: Mapping[str, tuple[str, ...]], t: str = "123", **formats: BlankFormat) -> Item:
    return _item(
        ItemType.QROCM_IND,
        BlankSolution(dict(accepted)),
        blanks=tuple(Blank(k, k, formats.get(k, TEXT)) for k in accepted),
        tolerances=tol(t),
    )


def dep(keys: str, *groups: tuple[str, ...], t: str = "123", fmt: BlankFormat = TEXT) -> Item:
    return _item(
        ItemType.QROCM_DEP,
        GroupSolution(tuple(groups)),
        blanks=tuple(Blank(k, k, fmt) for k in keys),
        tolerances=tol(t),
    )


CITIES = (("Paris",), ("Lyon",), ("Marseille",))
CAPITALS = ind({"fr": ("Paris",), "it": ("Rome",)})

VALID_CASES = [
    # QCU
    pytest.param(qcu(2), 2, OK, id="qcu-right-index"),
    pytest.param(qcu(2), 3, KO, id="qcu-wrong-index"),
    pytest.param(qcu(2), "2", OK, id="qcu-digit-string"),
    pytest.param(qcu(2), "1", KO, id="qcu-wrong-digit-string"),
    pytest.param(qcu(4, proposals=4), 4, OK, id="qcu-last-proposal"),
    # QCM
    pytest.param(qcm(1, 3), [1, 3], OK, id="qcm-exact"),
    pytest.param(qcm(1, 3), [3, 1], OK, id="qcm-order-irrelevant"),
    pytest.param(qcm(1, 3), (1, 3), OK, id="qcm-tuple"),
    pytest.param(qcm(1, 3), {3, 1}, OK, id="qcm-set"),
    pytest.param(qcm(1, 3), [1], KO, id="qcm-missing-one"),
    pytest.param(qcm(1, 3), [1, 2, 3], KO, id="qcm-one-too-many"),
    pytest.param(qcm(1, 3), [2, 4], KO, id="qcm-disjoint"),
    pytest.param(qcm(1, 2, 3, 4), [4, 2, 3, 1], OK, id="qcm-all-proposals"),
    # QROC, every tolerance on
    pytest.param(qroc("Paris"), "Paris", OK, id="text-exact"),
    pytest.param(qroc("Paris"), "paris", OK, id="text-lowercase"),
    pytest.param(qroc("Paris"), "PARIS", OK, id="text-capitals"),
    pytest.param(qroc("Paris"), "  Pa ris ", OK, id="text-extra-spaces"),
    pytest.param(qroc("Paris"), "Pa\tris", OK, id="text-tab-is-whitespace"),
    pytest.param(qroc("élève"), "eleve", OK, id="text-accents-forgotten"),
    pytest.param(qroc("eleve"), "Élève", OK, id="text-accents-added"),
    pytest.param(qroc("l'élève"), "l’eleve", OK, id="text-curly-vs-straight-apostrophe"),
    pytest.param(qroc("cœur"), "coeur", KO, id="text-oe-ligature-is-not-folded-as-in-pix"),
    pytest.param(qroc("Wikipédia"), "Wikipedai", OK, id="text-typo-within-25pc"),
    pytest.param(qroc("Wikipédia"), "Wkpdai", KO, id="text-typo-beyond-25pc"),
    pytest.param(qroc("chat"), "chats", OK, id="text-distance-1-over-length-5"),
    pytest.param(qroc("chats"), "chat", OK, id="text-distance-1-over-length-4-is-exactly-25pc"),
    pytest.param(qroc("chat"), "cha", KO, id="text-ratio-divides-by-answer-length"),
    pytest.param(
        qroc("Tim Berners-Lee", "Berners-Lee"), "berners lee", OK, id="text-second-accepted"
    ),
    pytest.param(qroc("Paris"), "Lyon", KO, id="text-wrong"),
    pytest.param(qroc("Paris"), "!!!", KO, id="text-only-punctuation-is-wrong"),
    pytest.param(qroc("?"), "!", KO, id="text-empty-after-treatment-never-matches"),
    pytest.param(qroc("Paris"), {"r": "paris"}, OK, id="text-as-mapping"),
    pytest.param(qroc("Paris"), "p" * 500, KO, id="text-at-length-limit-is-checked"),
    # Normalisation applies with every tolerance off
    pytest.param(qroc("Ada Lovelace", t=""), "Ada\u202fLovelace", OK, id="off-narrow-nbsp"),
    pytest.param(qroc("Ada Lovelace", t=""), "Ada\u00a0Lovelace", OK, id="off-nbsp"),
    pytest.param(qroc("Ada Lovelace", t=""), "Ada\u2007Lovelace", OK, id="off-figure-space"),
    pytest.param(qroc("élève", t=""), "e\u0301le\u0300ve", OK, id="off-decomposed-accents-nfc"),
    pytest.param(qroc("Paris", t=""), "Paris", OK, id="off-exact"),
    pytest.param(qroc("Paris", t=""), "paris", KO, id="off-case-counts"),
    pytest.param(qroc("Paris", t=""), " Paris", KO, id="off-spaces-count"),
    # t1 off
    pytest.param(qroc("Paris", t="2"), "paris", KO, id="t1-off-case-counts"),
    pytest.param(qroc("élève", t="2"), "eleve", KO, id="t1-off-t2-on-accented-letters-vanish"),
    pytest.param(qroc("élève", t="2"), "lve", OK, id="t1-off-t2-on-only-ascii-left"),
    pytest.param(qroc("élève", t="2"), "èlève", OK, id="t1-off-t2-on-wrong-accent-vanishes-too"),
    pytest.param(qroc("Paris", t="23"), "paris", OK, id="t1-off-t3-forgives-one-capital"),
    # t2 off
    pytest.param(qroc("l'élève", t="1"), "l’eleve", KO, id="t2-off-apostrophes-differ"),
    pytest.param(qroc("l'élève", t="1"), "L'Eleve", OK, id="t2-off-t1-still-applies"),
    pytest.param(qroc("Berners-Lee", t="1"), "berners lee", KO, id="t2-off-hyphen-counts"),
    pytest.param(qroc("Berners-Lee", t="12"), "Berners Lee!", OK, id="t2-on-punctuation-ignored"),
    # t3 off / alone
    pytest.param(qroc("Wikipédia", t="12"), "Wikipedai", KO, id="t3-off-typo-refused"),
    pytest.param(qroc("Wikipedia", t="3"), "Wikipedai", OK, id="t3-alone-typo-accepted"),
    pytest.param(qroc("Wikipedia", t="3"), "WIKIPEDIA", KO, id="t3-alone-capitals-too-far"),
    # Number blanks
    pytest.param(qroc("3.5", fmt=NUMBER), "3,5", OK, id="num-french-comma"),
    pytest.param(qroc("3,5", fmt=NUMBER), "3.5", OK, id="num-dot"),
    pytest.param(qroc("3.5", fmt=NUMBER), "3,50", OK, id="num-trailing-zero"),
    pytest.param(qroc("3500", fmt=NUMBER), "3 500", OK, id="num-thousands-space"),
    pytest.param(qroc("3500", fmt=NUMBER), "3500,0", OK, id="num-decimal-zero"),
    pytest.param(qroc("1234.5", fmt=NUMBER), "1 234,5", OK, id="num-space-and-comma"),
    pytest.param(qroc("1234.5", fmt=NUMBER), "1\u202f234,5", OK, id="num-narrow-nbsp"),
    pytest.param(qroc("1234", fmt=NUMBER), "1\u2009234", OK, id="num-thin-space"),
    pytest.param(qroc("-2", fmt=NUMBER), "-2", OK, id="num-negative"),
    pytest.param(qroc("-2", fmt=NUMBER), "\u22122", OK, id="num-unicode-minus"),
    pytest.param(qroc("2", fmt=NUMBER), "+2", OK, id="num-plus-sign"),
    pytest.param(qroc("0.5", fmt=NUMBER), ",5", OK, id="num-no-leading-zero"),
    pytest.param(qroc("2", fmt=NUMBER), "-2", KO, id="num-sign-matters"),
    pytest.param(qroc("3,5", fmt=NUMBER), "3,6", KO, id="num-different-value"),
    pytest.param(qroc("3", fmt=NUMBER), "trois", KO, id="num-words-are-wrong-not-errors"),
    pytest.param(qroc("350", fmt=NUMBER), "3,5,0", KO, id="num-two-separators"),
    pytest.param(qroc("3,5", fmt=NUMBER), "35", KO, id="num-no-text-tolerance"),
    pytest.param(qroc("3.5", fmt=NUMBER), "3.5 m", KO, id="num-unit-not-a-number"),
    # QROCM-ind
    pytest.param(CAPITALS, {"fr": "paris", "it": "Rome"}, OK, id="ind-both-right"),
    pytest.param(CAPITALS, {"it": "Rome", "fr": "Paris"}, OK, id="ind-key-order-irrelevant"),
    pytest.param(CAPITALS, {"fr": "Paris", "it": "Milan"}, KO, id="ind-one-wrong"),
    pytest.param(CAPITALS, {"fr": "Paris", "it": ""}, KO, id="ind-one-empty"),
    pytest.param(CAPITALS, {"fr": "Rome", "it": "Paris"}, KO, id="ind-swapped"),
    pytest.param(
        ind({"n": ("12,5",), "u": ("mètres",)}, n=NUMBER),
        {"n": "12.50", "u": "metres"},
        OK,
        id="ind-number-and-text",
    ),
    pytest.param(
        ind({"a": ("Wikipédia",), "b": ("Linux",)}, t="12"),
        {"a": "wikipedia", "b": "Linus"},
        KO,
        id="ind-tolerances-per-item",
    ),
    # QROCM-dep
    pytest.param(dep("ab", *CITIES), {"a": "Paris", "b": "Lyon"}, OK, id="dep-two-groups"),
    pytest.param(dep("ab", *CITIES), {"a": "Lyon", "b": "paris"}, OK, id="dep-any-order"),
    pytest.param(dep("ab", *CITIES), {"a": "Paris", "b": "Paris"}, KO, id="dep-same-answer-twice"),
    pytest.param(dep("ab", *CITIES), {"a": "Paris", "b": "PARIS"}, KO, id="dep-same-group-twice"),
    pytest.param(dep("ab", *CITIES), {"a": "Paris", "b": ""}, KO, id="dep-blank-left-empty"),
    pytest.param(dep("ab", *CITIES), {"a": "Paris", "b": "Nice"}, KO, id="dep-one-wrong"),
    pytest.param(
        dep("ab", ("Tim Berners-Lee", "TBL"), ("Vinton Cerf", "Vint Cerf")),
        {"a": "vint cerf", "b": "tbl"},
        OK,
        id="dep-synonyms-in-groups",
    ),
    pytest.param(
        dep("ab", ("Paris", "Lutèce"), ("Paris",)),
        {"a": "Paris", "b": "Lutece"},
        KO,
        id="dep-first-unused-group-greedily",
    ),
    pytest.param(
        dep("ab", ("Paris", "Lutèce"), ("Paris",)),
        {"a": "Lutece", "b": "Paris"},
        OK,
        id="dep-greedy-order-follows-blanks",
    ),
    pytest.param(
        dep("ab", ("2",), ("3",), fmt=NUMBER),
        {"a": "3,0", "b": "2"},
        OK,
        id="dep-number-groups",
    ),
]


@pytest.mark.parametrize(("item", "answer", "expected"), VALID_CASES)
def test_check_grades_answers_like_pix(item: Item, answer: Answer, expected: AnswerStatus) -> None:
    assert check(item, answer) is expected


@pytest.mark.parametrize(("item", "answer", "expected"), VALID_CASES)
def test_validate_answer_accepts_every_gradable_answer(
    item: Item, answer: Answer, expected: AnswerStatus
) -> None:
    validate_answer(item, answer)


ERROR_CASES = [
    # QCU
    pytest.param(qcu(), "abc", WRONG_SHAPE, id="qcu-letters"),
    pytest.param(qcu(), "２", WRONG_SHAPE, id="qcu-fullwidth-digit"),
    pytest.param(qcu(), True, WRONG_SHAPE, id="qcu-bool"),
    pytest.param(qcu(), 2.0, WRONG_SHAPE, id="qcu-float"),
    pytest.param(qcu(), None, WRONG_SHAPE, id="qcu-none"),
    pytest.param(qcu(), [2], WRONG_SHAPE, id="qcu-list"),
    pytest.param(qcu(), {"r": "2"}, WRONG_SHAPE, id="qcu-mapping"),
    pytest.param(qcu(), 0, OUT_OF_RANGE, id="qcu-zero"),
    pytest.param(qcu(proposals=4), 5, OUT_OF_RANGE, id="qcu-past-last"),
    pytest.param(qcu(), -1, OUT_OF_RANGE, id="qcu-negative"),
    pytest.param(qcu(), 10**5000, OUT_OF_RANGE, id="qcu-gigantic-int"),
    pytest.param(qcu(), "9", OUT_OF_RANGE, id="qcu-digit-string-out-of-range"),
    pytest.param(qcu(), "", EMPTY, id="qcu-empty-string"),
    pytest.param(qcu(), "2\n", CONTROL_CHARS, id="qcu-newline"),
    pytest.param(qcu(), "2" * 501, TOO_LONG, id="qcu-long-digit-string"),
    # QCM
    pytest.param(qcm(1, 3), "1,3", WRONG_SHAPE, id="qcm-string"),
    pytest.param(qcm(1, 3), 1, WRONG_SHAPE, id="qcm-bare-int"),
    pytest.param(qcm(1, 3), {"a": 1}, WRONG_SHAPE, id="qcm-mapping"),
    pytest.param(qcm(1, 3), [1, 1], WRONG_SHAPE, id="qcm-duplicate"),
    pytest.param(qcm(1, 3), [1, True], WRONG_SHAPE, id="qcm-bool-inside"),
    pytest.param(qcm(1, 3), ["1", "3"], WRONG_SHAPE, id="qcm-digit-strings"),
    pytest.param(qcm(1, 3), [1, 2, 3, 4, 1], WRONG_SHAPE, id="qcm-more-than-proposals"),
    pytest.param(qcm(1, 3), range(10**12), WRONG_SHAPE, id="qcm-enormous-selection"),
    pytest.param(qcm(1, 3), [], EMPTY, id="qcm-nothing-selected"),
    pytest.param(qcm(1, 3), [1, 5], OUT_OF_RANGE, id="qcm-past-last"),
    pytest.param(qcm(1, 3), [0], OUT_OF_RANGE, id="qcm-zero"),
    # QROC
    pytest.param(qroc("Paris"), 3, WRONG_SHAPE, id="qroc-int"),
    pytest.param(qroc("Paris"), ["Paris"], WRONG_SHAPE, id="qroc-list"),
    pytest.param(qroc("Paris"), {"x": "Paris"}, WRONG_SHAPE, id="qroc-unknown-key"),
    pytest.param(qroc("Paris"), {"r": "Paris", "x": ""}, WRONG_SHAPE, id="qroc-extra-key"),
    pytest.param(qroc("Paris"), {}, WRONG_SHAPE, id="qroc-missing-key"),
    pytest.param(qroc("Paris"), {"r": 3}, WRONG_SHAPE, id="qroc-non-str-value"),
    pytest.param(qroc("Paris"), {"r": None}, WRONG_SHAPE, id="qroc-none-value"),
    pytest.param(qroc("Paris"), {1: "Paris"}, WRONG_SHAPE, id="qroc-non-str-key"),
    pytest.param(qroc("Paris"), b"Paris", WRONG_SHAPE, id="qroc-bytes"),
    pytest.param(qroc("Paris"), "", EMPTY, id="qroc-empty"),
    pytest.param(qroc("Paris"), "   ", EMPTY, id="qroc-only-spaces"),
    pytest.param(qroc("Paris"), "\u00a0\t", EMPTY, id="qroc-only-nbsp-and-tab"),
    pytest.param(qroc("3", fmt=NUMBER), " ", EMPTY, id="qroc-number-empty"),
    pytest.param(qroc("Paris"), "a" * 501, TOO_LONG, id="qroc-501-chars"),
    pytest.param(qroc("Paris"), "Paris\n", CONTROL_CHARS, id="qroc-newline"),
    pytest.param(qroc("Paris"), "Paris\r", CONTROL_CHARS, id="qroc-carriage-return"),
    pytest.param(qroc("Paris"), "Pa\x00ris", CONTROL_CHARS, id="qroc-nul"),
    pytest.param(qroc("Paris"), "Pa\x1bris", CONTROL_CHARS, id="qroc-escape"),
    pytest.param(qroc("Paris"), "Pa\x7fris", CONTROL_CHARS, id="qroc-delete"),
    pytest.param(qroc("Paris"), "Pa\x85ris", CONTROL_CHARS, id="qroc-c1-next-line"),
    pytest.param(qroc("Paris"), "Pa\u2028ris", CONTROL_CHARS, id="qroc-line-separator"),
    pytest.param(qroc("Paris"), "Pa\ud800ris", CONTROL_CHARS, id="qroc-lone-surrogate"),
    # QROCM
    pytest.param(CAPITALS, "Paris", WRONG_SHAPE, id="ind-plain-string"),
    pytest.param(CAPITALS, {"fr": "Paris"}, WRONG_SHAPE, id="ind-missing-blank"),
    pytest.param(CAPITALS, {"fr": "Paris", "de": "Berlin"}, WRONG_SHAPE, id="ind-wrong-key"),
    pytest.param(CAPITALS, {"fr": "Paris", "it": 7}, WRONG_SHAPE, id="ind-non-str-value"),
    pytest.param(CAPITALS, {"fr": "", "it": " "}, EMPTY, id="ind-all-blanks-empty"),
    pytest.param(CAPITALS, {"fr": "Paris", "it": "x" * 501}, TOO_LONG, id="ind-one-too-long"),
    pytest.param(CAPITALS, {"fr": "Paris", "it": "Ro\nme"}, CONTROL_CHARS, id="ind-newline"),
    pytest.param(dep("ab", *CITIES), "Paris", WRONG_SHAPE, id="dep-plain-string"),
    pytest.param(dep("ab", *CITIES), {"a": "", "b": ""}, EMPTY, id="dep-all-empty"),
    pytest.param(dep("ab", *CITIES), {"a": "Paris", "c": "Lyon"}, WRONG_SHAPE, id="dep-wrong-key"),
]


@pytest.mark.parametrize(("item", "answer", "code"), ERROR_CASES)
def test_check_refuses_malformed_answers_with_a_stable_code(
    item: Item, answer: object, code: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        check(item, answer)  # type: ignore[arg-type]
    assert caught.value.code == code


@pytest.mark.parametrize(("item", "answer", "code"), ERROR_CASES)
def test_validate_answer_refuses_what_check_refuses(item: Item, answer: object, code: str) -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answer(item, answer)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.fr and caught.value.en and caught.value.fr != caught.value.en
    assert "\n" not in caught.value.fr + caught.value.en


def test_error_table_covers_every_code() -> None:
    codes = {case.values[2] for case in ERROR_CASES}
    assert codes == {WRONG_SHAPE, EMPTY, TOO_LONG, CONTROL_CHARS, OUT_OF_RANGE}


def test_ten_megabyte_answer_is_refused_before_any_processing() -> None:
    pasted = "é\n" * 5_000_000
    cases: list[tuple[Item, Answer]] = [
        (qroc("Paris"), pasted),
        (CAPITALS, {"fr": "Paris", "it": pasted}),
        (qcu(), pasted),
    ]
    for item, answer in cases:
        with pytest.raises(AnswerError) as caught:
            check(item, answer)
        assert caught.value.code == TOO_LONG


def test_choice_item_with_a_text_solution_is_a_content_bug_not_an_answer_error() -> None:
    broken = _item(ItemType.QCU, BlankSolution({"r": ("1",)}), proposals=("a", "b"))
    with pytest.raises(ValueError, match="choice solution"):
        check(broken, 1)


@pytest.mark.parametrize(
    ("text", "tolerances", "expected"),
    [
        pytest.param("L’Élève  Cœur", "1", "l’elevecœur", id="t1"),
        pytest.param("L’Élève  Cœur", "2", "Llve Cur", id="t2"),
        pytest.param("L’Élève  Cœur", "12", "lelevecur", id="t1-t2"),
        pytest.param("Straße", "12", "strae", id="t1-sharp-s"),
        pytest.param("x\u0483y", "1", "x\u0483y", id="t1-only-the-combining-diacritics-block"),
        pytest.param("İstanbul", "1", "istanbul", id="t1-dotted-capital-i"),
    ],
)
def test_treatment_of_text(text: str, tolerances: str, expected: str) -> None:
    assert treat(text, tol(tolerances)) == expected


# --- fidelity to Pix's treatments (issue #17) ----------------------------------------------

FOLDING = MatchingSettings(fold_letters=True)


def test_t2_alone_collapses_the_spaces_left_by_deleted_characters() -> None:
    """"Jean - Paul" → t2 deletes "-" → "Jean  Paul" → one space: "Jean Paul"."""
    item = qroc("Jean Paul", t="2")
    assert treat("Jean - Paul", tol("2")) == "Jean Paul"
    assert check(item, "Jean - Paul") is OK
    assert check(item, "Jean   Paul") is OK
    assert check(item, "Jean-Paul") is KO


def test_t1_keeps_ligatures_and_t2_deletes_them_so_coeur_is_wrong_for_cœur() -> None:
    """Solution "cœur" treats to "cur", answer "coeur" to "coeur": distance 2 over 5 letters
    is above t3's 25 %."""
    assert treat("cœur", tol("1")) == "cœur"
    assert treat("cœur", tol("123")) == "cur"
    assert check(qroc("cœur"), "coeur") is KO
    assert check(qroc("cœur"), "cœur") is OK
    assert check(qroc("cœur", "coeur"), "coeur") is OK


def test_letter_folding_is_an_explicit_option_of_the_version() -> None:
    assert treat("L’Élève  Cœur", tol("12"), matching=FOLDING) == "lelevecoeur"
    assert check(qroc("cœur"), "coeur", matching=FOLDING) is OK
    assert check(qroc("Straße"), "strasse", matching=FOLDING) is OK
    assert check(qroc("Straße"), "strasse") is KO


def test_an_attempt_sat_under_rules_1_keeps_its_old_treatment() -> None:
    assert treat("L’Élève  Cœur", tol("12"), rules=1) == "lelevecoeur"
    assert treat("Jean - Paul", tol("2"), rules=1) == "Jean  Paul"
    assert check(qroc("cœur"), "coeur", rules=1) is OK
    assert check(qroc("Jean Paul", t="2"), "Jean - Paul", rules=1) is KO


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("kitten", "sitting", 3),
        ("", "abc", 3),
        ("abc", "", 3),
        ("wikipedai", "wikipedia", 2),
        ("same", "same", 0),
        ("flaw", "lawn", 2),
    ],
)
def test_levenshtein_known_distances(a: str, b: str, distance: int) -> None:
    assert levenshtein(a, b) == distance
    assert levenshtein(b, a) == distance


def _reference_distance(a: str, b: str) -> int:
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
    return table[len(a)][len(b)]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abcd", max_size=14),
    st.text(alphabet="abcd", max_size=14),
    st.integers(min_value=0, max_value=16),
)
def test_banded_levenshtein_agrees_with_the_full_table(a: str, b: str, limit: int) -> None:
    exact = _reference_distance(a, b)
    assert levenshtein(a, b) == exact
    assert levenshtein(a, b, limit) == min(exact, limit + 1)


def test_levenshtein_work_is_bounded_for_the_longest_answers() -> None:
    a = "ab" * 250
    b = "ba" * 250
    assert levenshtein(a, b, 125) == 2
    assert levenshtein(a, "c" * 500, 125) == 126


ANY_ANSWER = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-10, max_value=10)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(["r", "a", "b", "fr", "it"]) | st.integers(), inner, max_size=3
        )
    ),
    max_leaves=8,
)
ITEMS = [
    qcu(),
    qcm(1, 3),
    qroc("Paris"),
    qroc("3,5", fmt=NUMBER),
    CAPITALS,
    dep("ab", *CITIES),
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ITEMS), ANY_ANSWER)
def test_any_input_yields_a_status_or_an_answer_error(item: Item, answer: object) -> None:
    try:
        validate_answer(item, answer)  # type: ignore[arg-type]
    except AnswerError as refused:
        with pytest.raises(AnswerError) as again:
            check(item, answer)  # type: ignore[arg-type]
        assert again.value.code == refused.code
    else:
        assert check(item, answer) in (OK, KO)  # type: ignore[arg-type]
