"""Paired comparison and multiple-testing adjustment (hrta.reporting.numbers.paired, issue 16)."""

import math

import numpy as np
import pytest
from scipy import stats

from hrta.reporting.numbers import paired

NONE = np.zeros(20, dtype=bool)


def test_a_method_that_diverged_alone_cannot_hold_even_when_significant():
    base = 1e-2 * 10 ** np.linspace(0, 1, 20)
    better = base / 10
    worse_once = better.copy()
    worse_once[0] = base[0] * 3  # one finite seed worse: significant, holds
    assert paired.compare(base, NONE, worse_once, NONE).verdict == "holds"
    diverged = NONE.copy()
    diverged[0] = True  # the same seed diverged instead: as significant, but undecided
    res = paired.compare(base, NONE, better, diverged)
    assert res.p_value < 0.01 and res.statistic > 0
    assert res.verdict == "undecided" and res.reason == "the method diverged alone on 1 seed"
    mirror = paired.compare(better, diverged, base, NONE)
    assert mirror.statistic < 0 and mirror.verdict == "undecided"
    assert mirror.reason == "the baseline diverged alone on 1 seed"


def test_both_diverged_and_non_positive_pairs_are_counted_not_tested():
    base, method = np.full(8, 1e-2), np.full(8, 1e-3) * np.linspace(1, 2, 8)
    both = np.zeros(8, dtype=bool)
    both[:2] = True
    method[2] = -1e-4  # a gap below the exact solution's: no log ratio
    res = paired.compare(base, both, method, both)
    assert (res.both_diverged, res.not_comparable, res.n_tested) == (2, 1, 5)
    assert res.test == paired.T_TEST  # 5 comparable pairs: fewer than min_pairs_wilcoxon


@pytest.mark.parametrize("n, critical", [(8, 3), (10, 8), (20, 52)])  # tables of the signed-rank test
def test_hodges_lehmann_interval_is_the_signed_rank_tests(n, critical):
    d = np.random.default_rng(n).normal(0.5, 1.0, n)
    res = paired.compare(np.exp(d), np.zeros(n, bool), np.ones(n), np.zeros(n, bool), alpha=0.05)
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2)
    assert res.estimate == pytest.approx(np.median(walsh))
    assert (res.ci_low, res.ci_high) == pytest.approx((walsh[critical], walsh[-critical - 1]))
    assert res.p_value == pytest.approx(stats.wilcoxon(d).pvalue)


def test_t_test_estimate_is_the_mean_log_ratio_with_its_interval():
    d = np.array([0.3, 0.5, 0.4, 0.8])
    res = paired.compare(np.exp(d), np.zeros(4, bool), np.ones(4), np.zeros(4, bool))
    ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
    assert res.test == paired.T_TEST and res.estimate == pytest.approx(d.mean())
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high))
    assert res.median_ratio == pytest.approx(math.exp(0.45))


def test_holm_and_benjamini_hochberg():
    p = [0.01, 0.04, 0.03, float("nan"), 0.5]
    np.testing.assert_allclose(paired.holm(p), [0.04, 0.09, 0.09, np.nan, 0.5])
    np.testing.assert_allclose(paired.benjamini_hochberg(p), [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, np.nan, 0.5])
    assert paired.holm([0.9, 0.8]).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match=r"p-values must lie in \[0, 1\]"):
        paired.holm([0.5, 1.5])


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="1-d of one length"):
        paired.compare([1.0, 2.0], [False], [1.0, 2.0], [False, False])
    with pytest.raises(ValueError, match=r"alpha must lie in \(0, 1\)"):
        paired.compare([1.0], [False], [1.0], [False], alpha=0)
