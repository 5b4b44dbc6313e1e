"""ivigkit.evidence: effect measures and pooling, checked against statsmodels and worked examples."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions

from ivigkit import evidence


def test_aims_relapse_rate_reduction_is_58_7_percent():
    # AIMS annualised relapse rates 0.52 (IVIG) vs 1.26 (placebo): 1 - 0.52/1.26.
    assert evidence.rate_ratio(0.52, 1.26).ratio == pytest.approx(0.4127, abs=1e-4)
    assert round(evidence.relative_reduction_pct(0.52, 1.26), 1) == 58.7


def test_nnt_of_the_cis_trial_is_about_four():
    # Achiron 2004: 26 % vs 50 % converted within a year; the POEM reports NNT 4.
    assert evidence.nnt(risk_control_pct=50, risk_ivig_pct=26) == pytest.approx(4.17, abs=0.01)
    assert evidence.nnt(26, 50) < 0  # IVIG worse: a number needed to harm


@pytest.mark.parametrize("statistic, function", [("risk-ratio", evidence.risk_ratio),
                                                 ("odds-ratio", evidence.odds_ratio)])
@pytest.mark.parametrize("counts", [(11, 17, 6, 17), (6, 20, 0, 20), (19, 159, 39, 159)])
def test_ratios_from_counts_equal_statsmodels(statistic, function, counts):
    a, n1, c, n2 = counts
    corrected = 0 in (a, n1 - a, c, n2 - c)
    log, var = effectsize_2proportions(np.array([a]), np.array([n1]), np.array([c]), np.array([n2]),
                                       statistic=statistic, zero_correction=0.5 if corrected else None)
    effect = function(*counts)
    assert effect.log_ratio == pytest.approx(log[0], rel=1e-12)
    assert effect.se_log ** 2 == pytest.approx(var[0], rel=1e-12)
    assert effect.corrected is corrected
    assert effect.ci_low < effect.ratio < effect.ci_high


def test_danish_crossover_counts_give_a_risk_ratio_of_1_83():
    effect = evidence.risk_ratio(11, 17, 6, 17)  # relapse-free periods, IVIG vs placebo
    assert effect.ratio == pytest.approx(11 / 6)
    assert effect.ci_low < 1 < effect.ci_high  # p = 0.05 in the trial: the CI just spans 1


def test_risk_ratio_from_percentages_keeps_fractional_patients():
    # AIMS relapse-free 53 % of 75 vs 36 % of 73: no rounding to whole patients.
    effect = evidence.risk_ratio_from_pct(53, 75, 36, 73)
    assert effect.ratio == pytest.approx(0.53 / 0.36)
    expected_var = (1 - 0.53) / (75 * 0.53) + (1 - 0.36) / (73 * 0.36)
    assert effect.se_log ** 2 == pytest.approx(expected_var)


def test_a_reported_ci_gives_back_its_standard_error():
    effect = evidence.risk_ratio(19, 159, 39, 159)
    again = evidence.from_ci("risk_ratio", effect.ratio, effect.ci_low, effect.ci_high)
    assert again.se_log == pytest.approx(effect.se_log)
    cis = evidence.from_ci("rate_ratio", 0.36, 0.15, 0.88)  # Achiron 2004 CIS
    assert cis.se_log == pytest.approx((math.log(0.88) - math.log(0.15)) / (2 * 1.959964), rel=1e-6)


@pytest.mark.parametrize("method, row, weights", [("random", "random effect", "w_re"),
                                                  ("fixed", "fixed effect", "w_fe")])
def test_pool_equals_statsmodels_dersimonian_laird(method, row, weights):
    logs, ses = np.log([0.41, 1.11, 0.36, 0.7]), np.array([0.3, 0.16, 0.45, 0.25])
    frame = combine_effects(logs, ses ** 2, method_re="dl").summary_frame()
    result = combine_effects(logs, ses ** 2, method_re="dl")
    assert result.tau2 > 0  # heterogeneous inputs: no truncation involved
    pooled = evidence.pool(logs, ses, method=method)
    assert math.log(pooled.ratio) == pytest.approx(frame.loc[row, "eff"], rel=1e-12)
    assert math.log(pooled.ci_low) == pytest.approx(frame.loc[row, "ci_low"], rel=1e-12)
    assert math.log(pooled.ci_high) == pytest.approx(frame.loc[row, "ci_upp"], rel=1e-12)
    assert pooled.i2_pct == pytest.approx(100 * result.i2)
    assert pooled.tau2 == pytest.approx(result.tau2)
    assert sum(pooled.weights_pct) == pytest.approx(100)
    assert pooled.weights_pct[0] == pytest.approx(100 * frame[weights].iloc[0])


def test_random_effects_fall_back_to_fixed_when_studies_agree_more_than_chance():
    # Q < k - 1: DerSimonian-Laird truncates tau² at 0 (statsmodels 0.15 leaves it negative).
    logs, ses = [-0.70, -0.69], [0.3, 0.4]
    with pytest.warns(RuntimeWarning):  # statsmodels takes the square root of a negative variance
        assert combine_effects(np.array(logs), np.array(ses) ** 2, method_re="dl").tau2 < 0
    random, fixed = evidence.pool(logs, ses, "random"), evidence.pool(logs, ses, "fixed")
    assert random.tau2 == 0 and random.i2_pct == 0
    assert (random.ratio, random.ci_low, random.ci_high) == pytest.approx(
        (fixed.ratio, fixed.ci_low, fixed.ci_high))
    assert random.weights_pct == pytest.approx(fixed.weights_pct)


@pytest.mark.parametrize("call, message", [
    (lambda: evidence.risk_ratio(18, 17, 6, 17), "between 0 and 17"),
    (lambda: evidence.risk_ratio(-1, 17, 6, 17), "between 0 and 17"),
    (lambda: evidence.risk_ratio(2.5, 17, 6, 17), "whole numbers"),
    (lambda: evidence.odds_ratio("many", 17, 6, 17), "must be a number"),
    (lambda: evidence.rate_ratio(0.5, 0), "cannot be formed"),
    (lambda: evidence.from_ci("risk_ratio", 2.0, 0.5, 1.5), "must surround"),
    (lambda: evidence.from_ci("mean_difference", 2.0, 0.5, 3.0), "is not a ratio"),
    (lambda: evidence.nnt(30, 30), "equal"),
    (lambda: evidence.pool([0.1], [0.2]), "at least two"),
    (lambda: evidence.pool([0.1, 0.2], [0.2]), "one standard error"),
    (lambda: evidence.pool([0.1, 0.2], [0.2, 0.0]), "above 0"),
    (lambda: evidence.pool([0.1, 0.2], [0.2, 0.3], "bayes"), "'fixed' or 'random'"),
    (lambda: evidence.risk_ratio_from_pct(0, 75, 36, 73), "above 0 and below 100"),
])
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


studies = st.lists(st.tuples(st.floats(-2, 2), st.floats(0.05, 1.5)), min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(studies)
def test_pooled_estimates_behave(data):
    logs, ses = zip(*data)
    fixed, random = evidence.pool(logs, ses, "fixed"), evidence.pool(logs, ses, "random")
    for pooled in (fixed, random):
        assert min(logs) - 1e-9 <= math.log(pooled.ratio) <= max(logs) + 1e-9
        assert pooled.ci_low <= pooled.ratio <= pooled.ci_high
        assert 0 <= pooled.i2_pct < 100 and pooled.tau2 >= 0
        assert sum(pooled.weights_pct) == pytest.approx(100)
    # Random effects add between-study variance: never a narrower interval.
    assert math.log(random.ci_high / random.ci_low) >= math.log(fixed.ci_high / fixed.ci_low) - 1e-9


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels' own, on degenerate inputs
@settings(max_examples=80, deadline=None)
@given(studies, st.sampled_from(["fixed", "random"]))
def test_pooling_equals_statsmodels_wherever_dersimonian_laird_needs_no_truncation(data, method):
    """The workbook writes the pooling formulas out (statsmodels and scipy would cost every
    notebook-03 kernel about 57 MiB); statsmodels stays their referee."""
    logs, ses = (np.array(x, dtype=float) for x in zip(*data))
    result = combine_effects(logs, ses ** 2, method_re="dl")
    pooled = evidence.pool(logs, ses, method)
    if result.tau2 <= 0 and method == "random":
        return  # statsmodels leaves tau² negative there (tested above)
    row = result.summary_frame().loc["random effect" if method == "random" else "fixed effect"]
    assert math.log(pooled.ratio) == pytest.approx(row["eff"], rel=1e-9, abs=1e-12)
    assert math.log(pooled.ci_low) == pytest.approx(row["ci_low"], rel=1e-9, abs=1e-12)
    assert math.log(pooled.ci_high) == pytest.approx(row["ci_upp"], rel=1e-9, abs=1e-12)
    assert pooled.tau2 == pytest.approx(max(0.0, result.tau2), rel=1e-9, abs=1e-12)


arms = st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=80, deadline=None)
@given(arms, arms, st.sampled_from([("risk-ratio", evidence.risk_ratio), ("odds-ratio", evidence.odds_ratio)]))
def test_two_by_two_ratios_equal_statsmodels_for_any_counts(ivig, control, kind):
    (a, n1), (c, n2), (statistic, function) = ivig, control, kind
    corrected = 0 in (a, n1 - a, c, n2 - c)
    log, var = effectsize_2proportions(np.array([a]), np.array([n1]), np.array([c]), np.array([n2]),
                                       statistic=statistic, zero_correction=0.5 if corrected else None)
    effect = function(a, n1, c, n2)
    assert effect.log_ratio == pytest.approx(log[0], rel=1e-9, abs=1e-12)
    assert effect.se_log ** 2 == pytest.approx(var[0], rel=1e-9, abs=1e-12)
