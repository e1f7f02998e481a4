from __future__ import annotations

import numpy as np
import pytest

from pixdesk.engine.bank import Bank
from pixdesk.engine.irt import Estimator, EstimatorState
from pixdesk.engine.scoring import competence_levels, final_result, score_theta
from pixdesk.engine.selection import select_next
from pixdesk.engine.status import AnswerStatus, EndReason, ResultStatus
from pixdesk.engine.synthetic import synthetic_bank
from pixdesk.engine.version import PRESETS

PIX = PRESETS["pix-v3"]
OK, KO, SKIP = AnswerStatus.OK, AnswerStatus.KO, AnswerStatus.SKIPPED


@pytest.mark.parametrize(
    ("theta", "score", "level"),
    [
        # band 2 [−0.519, 0.6), w 128, c 1: 128·(2 − 0.6/1.119) = 128·1.463807 = 187.37
        (0.0, 187, 2),
        # band 0 [−4.67, −1.4), w 64, c 0: 64·(1 − 0.6/3.27) = 64·0.816514 = 52.26
        (-2.0, 52, 0),
        # band 3 [0.6, 1.5), w 128, c 2: 128·(3 − 0.5/0.9) = 128·2.444444 = 312.89
        (1.0, 312, 3),
        # band 1 starts at −1.4: 64·(2 − 0.881/0.881) = 64
        (-1.4, 64, 1),
        # band 6 [3.1, 4), w 128, c 5: 128·(6 − 0.001/0.9) = 128·5.998889 = 767.86
        (3.999, 767, 6),
        # band 7 starts at 4: 128·(7 − 4/4) = 768
        (4.0, 768, 7),
        (8.0, 895, 7),  # at or above the last max: 895
        (12.0, 895, 7),
        (-4.68, 0, 0),  # below the first band: 0, no level
    ],
)
def test_score_follows_the_band_mesh(theta: float, score: int, level: int) -> None:
    assert score_theta(PIX.scoring, theta) == (score, level)


def test_competence_levels_count_the_thresholds_reached() -> None:
    # 1.1: 0.6 is the 4th threshold; 2.1 is shifted by −0.1, so 0.5 is reached at θ = 0.55.
    levels = competence_levels(PIX.scoring, 0.55)
    assert (levels["1.1"], levels["2.1"]) == (3, 4)
    assert set(competence_levels(PIX.scoring, 9.0).values()) == {7}
    assert set(competence_levels(PIX.scoring, -9.0).values()) == {0}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return synthetic_bank(600, seed=21)


def answered_test(bank: Bank, statuses: list[AnswerStatus]) -> list[tuple[int, AnswerStatus]]:
    rng = np.random.default_rng(4)
    estimator = Estimator(PIX.estimation, bank)
    state = estimator.start(PIX.estimation.start_theta)
    answers: list[tuple[int, AnswerStatus]] = []
    for status in statuses:
        row = select_next(PIX, bank, asked=[r for r, _ in answers], theta=state.theta, rng=rng)
        assert row is not None
        answers.append((row, status))
        state = estimator.update(state, row, status.correct)
    return answers


MOSTLY_RIGHT = [OK, OK, KO, OK] * 8


@pytest.mark.parametrize(
    ("answers", "end", "fraud", "jury", "expected"),
    [
        (MOSTLY_RIGHT, EndReason.COMPLETED, True, True, ResultStatus.CANCELLED),
        (MOSTLY_RIGHT, EndReason.COMPLETED, True, False, ResultStatus.REJECTED),
        (MOSTLY_RIGHT[:19], EndReason.TECHNICAL, False, False, ResultStatus.CANCELLED),
        (MOSTLY_RIGHT[:19], EndReason.CANDIDATE, False, False, ResultStatus.REJECTED),
        (MOSTLY_RIGHT[:19], EndReason.TIME_UP, False, False, ResultStatus.REJECTED),
        ([KO] * 32, EndReason.COMPLETED, False, False, ResultStatus.REJECTED),
        (MOSTLY_RIGHT, EndReason.COMPLETED, False, False, ResultStatus.VALIDATED),
        (MOSTLY_RIGHT[:20], EndReason.TECHNICAL, False, False, ResultStatus.VALIDATED),
    ],
)
def test_outcome_rules_apply_in_order(
    bank: Bank,
    answers: list[AnswerStatus],
    end: EndReason,
    fraud: bool,
    jury: bool,
    expected: ResultStatus,
) -> None:
    result = final_result(PIX, bank, answered_test(bank, answers), end_reason=end, fraud=fraud,
                          cancelled_by_jury=jury)
    assert result.status is expected
    assert result.answered == len(answers)
    if expected is ResultStatus.VALIDATED:
        assert result.score > 0 and result.level_name == PIX.scoring.level_names[result.level]
    else:
        assert result.score == 0 and set(result.competence_levels.values()) == {0}


def test_all_wrong_falls_below_the_first_band(bank: Bank) -> None:
    result = final_result(PIX, bank, answered_test(bank, [KO] * 32),
                          end_reason=EndReason.COMPLETED)
    assert result.theta < PIX.scoring.bands[0].theta_min


def test_candidate_stop_counts_missing_questions_as_skipped(bank: Bank) -> None:
    answers = answered_test(bank, MOSTLY_RIGHT[:25])
    walked_out = final_result(PIX, bank, answers, end_reason=EndReason.CANDIDATE)
    crashed = final_result(PIX, bank, answers, end_reason=EndReason.TECHNICAL)
    assert walked_out.theta < crashed.theta and walked_out.score < crashed.score
    # Same as answering the 7 most informative admissible items wrong, one after the other.
    padded = final_result(PIX, bank, padded_by_hand(bank, answers),
                          end_reason=EndReason.COMPLETED)
    assert walked_out.theta == pytest.approx(padded.theta)
    assert walked_out.answered == 25
    again = final_result(PIX, bank, answers, end_reason=EndReason.CANDIDATE)
    assert again == walked_out


def padded_by_hand(
    bank: Bank, answers: list[tuple[int, AnswerStatus]]
) -> list[tuple[int, AnswerStatus]]:
    from pixdesk.engine.selection import admissible

    estimator = Estimator(PIX.estimation, bank)
    padded = list(answers)
    while len(padded) < PIX.length:
        theta = estimator.replay((r, s.correct) for r, s in padded).theta
        mask = admissible(PIX.selection, bank, [r for r, _ in padded])
        info = np.where(mask, bank.a**2 / (4 * np.cosh(bank.a * (theta - bank.b) / 2) ** 2), -1)
        padded.append((int(np.argmax(info)), SKIP))
    return padded


def test_final_theta_is_the_replayed_estimate(bank: Bank) -> None:
    answers = answered_test(bank, MOSTLY_RIGHT)
    result = final_result(PIX, bank, answers, end_reason=EndReason.COMPLETED)
    state = Estimator(PIX.estimation, bank).replay((r, s.correct) for r, s in answers)
    assert (result.theta, result.sd) == (state.theta, state.error_rate)
    assert (result.score, result.level) == score_theta(PIX.scoring, state.theta)


def _folded(bank: Bank, answers: list[tuple[int, AnswerStatus]]) -> EstimatorState:
    """What an attempt's replay holds: one update per answer from the start θ."""
    estimator = Estimator(PIX.estimation, bank)
    state = estimator.start(PIX.estimation.start_theta)
    for row, status in answers:
        state = estimator.update(state, row, status.correct)
    return state


@pytest.mark.parametrize(("length", "end"), [(32, EndReason.COMPLETED),
                                             (25, EndReason.CANDIDATE),
                                             (25, EndReason.TECHNICAL)])
def test_a_reached_state_gives_the_very_same_result_as_re_estimating(
    bank: Bank, length: int, end: EndReason
) -> None:
    answers = answered_test(bank, MOSTLY_RIGHT[:length])
    estimator = Estimator(PIX.estimation, bank)
    plain = final_result(PIX, bank, answers, end_reason=end, estimator=estimator)
    reused = final_result(PIX, bank, answers, end_reason=end, estimator=estimator,
                          reached=_folded(bank, answers))
    assert reused == plain


def test_the_reached_state_is_used_only_when_it_folded_every_answer(bank: Bank) -> None:
    answers = answered_test(bank, MOSTLY_RIGHT)
    plain = final_result(PIX, bank, answers, end_reason=EndReason.COMPLETED)
    short = _folded(bank, answers[:-1])
    assert final_result(PIX, bank, answers, end_reason=EndReason.COMPLETED,
                        reached=short) == plain
    all_wrong = _folded(bank, [(row, KO) for row, _ in answers])
    used = final_result(PIX, bank, answers, end_reason=EndReason.COMPLETED, reached=all_wrong)
    assert used.theta == all_wrong.theta != plain.theta


def test_a_result_without_any_answer_reports_pix_s_default_error_rate(bank: Bank) -> None:
    result = final_result(PIX, bank, [], end_reason=EndReason.TECHNICAL)
    assert (result.status, result.sd) == (ResultStatus.CANCELLED, 5.0)
    sat_under_rules_1 = final_result(PIX, bank, [], end_reason=EndReason.TECHNICAL, rules=1)
    assert sat_under_rules_1.sd == pytest.approx(1.5 ** 0.5)
