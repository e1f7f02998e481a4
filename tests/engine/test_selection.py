from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pixdesk.engine.bank import Bank, ChoiceSolution, Item, ItemType
from pixdesk.engine.framework import COMPETENCE_COUNT
from pixdesk.engine.irt import information
from pixdesk.engine.selection import _PRUNE_FROM, _candidates, _pick, admissible, select_next
from pixdesk.engine.synthetic import synthetic_bank
from pixdesk.engine.version import PRESETS, CertificationVersion

PIX = PRESETS["pix-v3"]
PRECISE = PRESETS["precise"]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return synthetic_bank(600, seed=11)


def with_selection(version: CertificationVersion, **changes: object) -> CertificationVersion:
    return replace(version, selection=replace(version.selection, **changes))


def run_test(version: CertificationVersion, bank: Bank, seed: int, **kwargs: object) -> list[int]:
    rng = np.random.default_rng(seed)
    asked: list[int] = []
    theta = float(rng.normal())
    for step in range(version.length):
        row = select_next(version, bank, asked=asked, theta=theta, rng=rng, step=step, **kwargs)
        assert row is not None
        asked.append(row)
        theta += float(rng.normal(0, 0.3))
    return asked


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_selected_item_is_never_asked_or_excluded(bank: Bank, preset: str) -> None:
    excluded = set(range(0, 600, 7))
    for seed in range(20):
        asked = run_test(PRESETS[preset], bank, seed, excluded=excluded)
        assert len(set(asked)) == len(asked)
        assert not excluded & set(asked)


def test_one_item_per_tube_and_all_competences_in_the_first_sixteen(bank: Bank) -> None:
    for seed in range(20):
        asked = run_test(PIX, bank, seed)
        assert len({int(bank.tube[r]) for r in asked}) == 32
        assert len({int(bank.competence[r]) for r in asked[:16]}) == COMPETENCE_COUNT


def test_no_competence_repeats_within_the_last_two_answers(bank: Bank) -> None:
    for seed in range(20):
        competences = [int(bank.competence[r]) for r in run_test(PIX, bank, seed)]
        for k in range(2, 32):
            assert competences[k] not in competences[k - 2 : k]


def test_accessible_only_serves_only_accessible_items(bank: Bank) -> None:
    asked = run_test(PIX, bank, 3, accessible_only=True)
    assert bank.accessible[asked].all()


def tiny_bank() -> Bank:
    """Two competences: 1.1 with one tube of three items, 1.2 with one item."""
    def item(i: int, competence: str, tube: str, b: float) -> Item:
        return Item(id=f"i{i}", competence=competence, tube=tube, skill=f"{tube}{i}", level=3,
                    type=ItemType.QCU, prompt="p", solution=ChoiceSolution(frozenset({1})),
                    discriminant=1.0, difficulty=b)
    return Bank([item(0, "1.1", "t1", 0.0), item(1, "1.1", "t1", 0.1), item(2, "1.1", "t1", 0.2),
                 item(3, "1.2", "t2", 0.0)])


def test_rules_fall_back_when_a_competence_or_tube_is_exhausted() -> None:
    bank = tiny_bank()
    rng = np.random.default_rng(0)
    asked: list[int] = []
    while (row := select_next(PRECISE, bank, asked=asked, theta=0.0, rng=rng)) is not None:
        assert row not in asked
        asked.append(row)
    # 1.1 then 1.2 (competence not yet asked), then the tube and recency rules give way.
    assert asked[:2] == [0, 3] and sorted(asked) == [0, 1, 2, 3]


def test_nothing_admissible_gives_none() -> None:
    bank = tiny_bank()
    rng = np.random.default_rng(0)
    assert select_next(PIX, bank, asked=[0, 1], theta=0.0, rng=rng, excluded={2, 3}) is None


def test_top_one_picks_the_most_informative_admissible_item(bank: Bank) -> None:
    rng = np.random.default_rng(0)
    row = select_next(PRECISE, bank, asked=[], theta=0.7, rng=rng)
    assert row == int(np.argmax(information(bank.a, bank.b, 0.7)))


def test_pix_draw_follows_the_pick_probabilities(bank: Bank) -> None:
    rng = np.random.default_rng(1)
    ranked = np.argsort(-information(bank.a, bank.b, 0.0))
    draws = Counter(select_next(PIX, bank, asked=[], theta=0.0, rng=rng) for _ in range(4000))
    share_best = draws[int(ranked[0])] / 4000
    share_fifth = draws[int(ranked[4])] / 4000
    assert set(draws) <= {int(r) for r in ranked[:5]}
    # Normalised: 0.51 / 1.0001 and 0.0576 / 1.0001; 4,000 draws → SD ≈ 0.008 and 0.004.
    assert share_best == pytest.approx(0.51, abs=0.03)
    assert share_fifth == pytest.approx(0.0576, abs=0.015)


def test_progressive_is_random_at_first_and_max_information_at_the_end(bank: Bank) -> None:
    version = with_selection(PRECISE, exposure="progressive")
    rng = np.random.default_rng(2)
    first = {select_next(version, bank, asked=[], theta=0.0, rng=rng, step=0) for _ in range(50)}
    last = {select_next(version, bank, asked=[], theta=0.0, rng=rng, step=32) for _ in range(50)}
    assert len(first) > 30
    assert last == {int(np.argmax(information(bank.a, bank.b, 0.0)))}


def test_sympson_hetter_never_serves_an_item_whose_k_is_zero(bank: Bank) -> None:
    best = int(np.argmax(information(bank.a, bank.b, 0.0)))
    version = with_selection(
        PRECISE, exposure="sympson-hetter", sympson_hetter_k=((bank.items[best].id, 0.0),)
    )
    rng = np.random.default_rng(3)
    picks = {select_next(version, bank, asked=[], theta=0.0, rng=rng) for _ in range(200)}
    assert best not in picks and len(picks) == 1


def test_an_item_that_loses_the_tests_lottery_stays_aside_for_the_whole_test(
    bank: Bank,
) -> None:
    """Sympson & Hetter's rule: one draw per item and test, not one per question, so a
    held-back item cannot win a second chance later in the same test."""
    best = int(np.argmax(information(bank.a, bank.b, 0.0)))
    version = with_selection(
        PRECISE, exposure="sympson-hetter", sympson_hetter_k=((bank.items[best].id, 0.5),)
    )
    rng = np.random.default_rng(4)
    lottery = np.zeros(len(bank))
    assert select_next(version, bank, asked=[], theta=0.0, rng=rng, lottery=lottery) == best
    lottery[best] = 0.5
    picks = {select_next(version, bank, asked=[], theta=0.0, rng=rng, step=step,
                         lottery=lottery) for step in range(32)}
    assert best not in picks and len(picks) == 1
    fresh = {select_next(version, bank, asked=[], theta=0.0, rng=rng) for _ in range(200)}
    assert best in fresh and len(fresh) == 2


@given(st.integers(0, 2**32 - 1), st.integers(1, 300))
@settings(max_examples=300, deadline=None)
def test_rank_first_draw_serves_what_a_full_sort_of_the_top_k_would(seed: int, size: int) -> None:
    # The draw looks only for the rank it drew; with distinct scores that must be the item
    # a descending sort of the top k puts at that rank, for the same random number.
    scores = np.random.default_rng(seed).permutation(size).astype(float)
    probabilities = PIX.selection.pick_probabilities
    k = min(PIX.selection.top_k, len(probabilities), size)
    top = np.argsort(scores)[::-1][:k]
    cumulative = np.cumsum(probabilities[:k])
    draw = np.random.default_rng(seed + 1)
    expected_rank = min(int(np.searchsorted(cumulative, draw.random() * cumulative[-1],
                                            side="right")), k - 1)
    chosen = _pick(PIX.selection, scores, np.random.default_rng(seed + 1))
    assert chosen == (top[expected_rank] if k > 1 else int(scores.argmax()))


@pytest.fixture(scope="module")
def large_bank() -> Bank:
    """A bank the selector prunes, with exact duplicates of calibration (another id, tube and
    competence) so that ties in information are real, as between a skill's variants."""
    base = synthetic_bank(_PRUNE_FROM + 500, seed=5)
    copies = [replace(base.items[row], id=f"copy-{row}", tube=base.items[row + 1].tube,
                      competence=base.items[row + 1].competence)
              for row in range(0, len(base) - 1, 9)]
    return Bank(list(base.items) + copies)


def full_scan(version: CertificationVersion, bank: Bank, asked: list[int], theta: float,
              rng: np.random.Generator, lottery: np.ndarray | None = None) -> float:
    """The information of what a scan of every admissible item would serve."""
    mask = admissible(version.selection, bank, asked)
    if lottery is not None:
        k = np.ones(len(bank))
        for item_id, value in version.selection.sympson_hetter_k:
            k[bank.row(item_id)] = value
        if (mask & (lottery < k)).any():
            mask &= lottery < k
    rows = mask.nonzero()[0]
    scores = information(bank.a[rows], bank.b[rows], theta)
    return float(scores[_pick(version.selection, scores, rng)])


@given(st.integers(0, 2**32 - 1), st.floats(-7.0, 7.0), st.integers(0, 31))
@settings(max_examples=150, deadline=None)
def test_a_pruned_large_bank_serves_what_a_full_scan_would(
    large_bank: Bank, seed: int, theta: float, asked_count: int
) -> None:
    rng = np.random.default_rng(seed)
    asked = [int(r) for r in rng.choice(len(large_bank), asked_count, replace=False)]
    row = select_next(PRECISE, large_bank, asked=asked, theta=theta, rng=rng)
    assert row is not None
    mask = admissible(PRECISE.selection, large_bank, asked)
    rows = mask.nonzero()[0]
    expected = int(rows[np.argmax(information(large_bank.a[rows], large_bank.b[rows], theta))])
    assert row == expected  # the same row, ties included: the lowest one
    for version in (PIX, with_selection(PIX, exposure="sympson-hetter", sympson_hetter_k=tuple(
            (large_bank.items[r].id, 0.3) for r in range(0, len(large_bank), 3)))):
        lottery = rng.random(len(large_bank))
        chosen = select_next(version, large_bank, asked=asked, theta=theta,
                             rng=np.random.default_rng(seed), lottery=lottery)
        assert chosen is not None and chosen not in asked
        served = float(information(large_bank.a[[chosen]], large_bank.b[[chosen]], theta)[0])
        assert served == full_scan(version, large_bank, asked, theta,
                                   np.random.default_rng(seed), lottery)


def test_a_large_bank_scores_only_the_items_that_could_rank(large_bank: Bank) -> None:
    mask = admissible(PRECISE.selection, large_bank, [])
    scored = [_candidates(large_bank, mask, theta, 5)[0].size for theta in (-1.0, 0.0, 0.4, 1.5)]
    assert max(scored) < len(large_bank) // 4
    small = synthetic_bank(600, seed=11)
    assert _candidates(small, admissible(PRECISE.selection, small, []), 0.0, 1)[0].size == 600


def strata_version(*triples: tuple[str, int, float]) -> CertificationVersion:
    """PRECISE with Sympson-Hetter conditional on 3 θ̂ bands × 2 stages (from question 9)."""
    return with_selection(PRECISE, exposure="sympson-hetter", sympson_hetter_bands=(-0.5, 0.5),
                          sympson_hetter_stages=(8,), sympson_hetter_strata_k=triples)


def test_an_item_with_k_zero_in_one_stratum_is_never_served_there_but_is_in_another(
    bank: Bank,
) -> None:
    best = int(np.argmax(information(bank.a, bank.b, 0.0)))
    # θ̂ = 0 is band 1 of 3; stratum 1 is the first stage, stratum 4 the second.
    version = strata_version((bank.items[best].id, 1, 0.0))
    rng = np.random.default_rng(5)
    lottery = np.zeros(len(bank))
    early = {select_next(version, bank, asked=[], theta=0.0, rng=rng, step=step,
                         lottery=lottery) for step in range(8)}
    drawn_alone = {select_next(version, bank, asked=[], theta=0.0, rng=rng, step=3)
                   for _ in range(100)}
    late = {select_next(version, bank, asked=[], theta=0.0, rng=rng, step=step,
                        lottery=lottery) for step in range(8, 32)}
    assert best not in early and len(early) == 1
    assert best not in drawn_alone
    assert late == {best}


def test_the_stratum_follows_the_theta_band_and_the_stage(bank: Bank) -> None:
    from pixdesk.engine.selection import sympson_hetter_stratum

    rules = strata_version().selection
    assert rules.sympson_hetter_strata == 6
    assert [sympson_hetter_stratum(rules, theta, 0) for theta in (-2.0, -0.5, 0.0, 0.5, 3.0)] \
        == [0, 1, 1, 2, 2]
    assert [sympson_hetter_stratum(rules, 0.0, step) for step in (0, 7, 8, 31)] == [1, 1, 4, 4]


def test_strata_k_round_trip_through_the_version_json_and_bad_ones_are_refused() -> None:
    import json

    version = strata_version(("a", 0, 0.25), ("a", 5, 0.0), ("b", 3, 1))
    again = CertificationVersion.from_dict(json.loads(json.dumps(version.to_dict())))
    assert again == version
    assert again.selection.sympson_hetter_strata_k == (("a", 0, 0.25), ("a", 5, 0.0),
                                                         ("b", 3, 1.0))
    for bad in ((("a", 6, 0.5),), (("a", 0, 1.5),), (("a", 0, -0.1),),
                (("a", 1, 0.5), ("a", 1, 0.4)), (("a", 1.0, 0.5),)):
        with pytest.raises(ValueError):
            strata_version(*bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        with_selection(PRECISE, sympson_hetter_bands=(0.5, -0.5))
    with pytest.raises(ValueError):
        with_selection(PRECISE, sympson_hetter_stages=(0,))
    with pytest.raises(ValueError):
        with_selection(PRECISE, sympson_hetter_strata_k=(("a", 0, 0.5),))


def test_a_pruned_large_bank_folds_the_strata_k_as_a_full_scan_would(large_bank: Bank) -> None:
    triples = tuple((large_bank.items[r].id, s, 0.3)
                    for r in range(0, len(large_bank), 3) for s in (1, 4))
    version = with_selection(PIX, exposure="sympson-hetter", sympson_hetter_bands=(-0.5, 0.5),
                             sympson_hetter_stages=(8,), sympson_hetter_strata_k=triples)
    flat = with_selection(PIX, exposure="sympson-hetter", sympson_hetter_k=tuple(
        (large_bank.items[r].id, 0.3) for r in range(0, len(large_bank), 3)))
    for seed in range(30):
        rng = np.random.default_rng(seed)
        asked = [int(r) for r in rng.choice(len(large_bank), 10, replace=False)]
        lottery = rng.random(len(large_bank))
        for step, theta, same_as in ((3, 0.1, flat), (12, -0.2, flat), (3, 1.2, PIX)):
            chosen = select_next(version, large_bank, asked=asked, theta=theta,
                                 rng=np.random.default_rng(seed), step=step, lottery=lottery)
            assert chosen is not None and chosen not in asked
            served = float(information(large_bank.a[[chosen]], large_bank.b[[chosen]], theta)[0])
            assert served == full_scan(same_as, large_bank, asked, theta,
                                       np.random.default_rng(seed),
                                       lottery if same_as is flat else None)
