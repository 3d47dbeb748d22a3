"""Paired comparison under one reading, the fates of pairs, and the multiple-testing
adjustment (hrta.reporting.numbers.paired)."""

import math

import numpy as np
import pytest
from scipy import stats

from hrta.reporting.numbers import paired

READING = paired.Reading(alpha=0.05, adjust="bh", min_pairs=6)


def one(base, base_div, method, method_div, trained=None, reading=READING, scale="log ratio") -> dict:
    """A family of one comparison, decided."""
    row = paired.compare(base, base_div, method, method_div, trained, reading, scale).as_dict()
    return paired.decide([row], reading)[0]


def flags(n, *where):
    out = np.zeros(n, dtype=bool)
    out[list(where)] = True
    return out


def test_a_method_that_diverged_alone_cannot_hold_even_when_significant():
    base = 1e-2 * 10 ** np.linspace(0, 1, 20)
    better = base / 10
    worse_once = better.copy()
    worse_once[0] = base[0] * 3  # one finite seed worse: significant, holds
    assert one(base, flags(20), worse_once, flags(20))["verdict"] == "holds"
    row = one(base, flags(20), better, flags(20, 0))  # the same seed diverged instead
    assert row["p_adjusted"] < 0.01 and row["statistic"] > 0 and row["only_method_diverged"] == 1
    assert (row["verdict"], row["reason"]) == ("undecided", "the method diverged alone on 1 seed")
    mirror = one(better, flags(20, 0), base, flags(20))
    assert mirror["statistic"] < 0 and mirror["verdict"] == "undecided"
    assert mirror["reason"] == "the baseline diverged alone on 1 seed"


def test_every_pair_has_one_fate():
    base, method = np.full(10, 1e-2), 1e-3 * np.linspace(1, 2, 10)
    base_div, method_div, trained = flags(10, 0, 1, 2), flags(10, 0, 3), flags(10, *range(9))
    method[4], method[5], base[6] = -1e-4, np.nan, 0.0
    res = paired.compare(base, base_div, method, method_div, trained, READING)
    assert (res.compared, res.both_diverged, res.only_baseline_diverged, res.only_method_diverged) == (2, 1, 2, 1)
    assert (res.missing, res.non_finite, res.non_positive) == (1, 1, 2)
    assert res.n_seeds == 10 == sum(paired.fates(base, base_div, method, method_div, trained)[1].values())


@pytest.mark.parametrize("spoil, reason", [
    (lambda b, m, t: t.__setitem__(0, False), "1 missing"),
    (lambda b, m, t: m.__setitem__(0, np.inf), "1 non-finite"),
    (lambda b, m, t: m.__setitem__(0, -1.0), "1 non-positive"),
])
def test_a_pair_left_out_leaves_a_significant_comparison_undecided_with_its_reason(spoil, reason):
    base, method, trained = np.full(12, 1.0) * np.linspace(1, 2, 12), np.full(12, 0.1), np.ones(12, bool)
    assert one(base, flags(12), method, flags(12), trained)["verdict"] == "holds"
    spoil(base, method, trained)
    row = one(base, flags(12), method, flags(12), trained)
    assert row["p_adjusted"] < 0.05 and row["left_out"] == 1
    assert (row["verdict"], row["reason"]) == ("undecided", f"pairs left out that could change it ({reason})")


def test_fewer_pairs_than_the_reading_needs_give_no_verdict_but_a_description():
    d = np.array([0.3, 0.5, 0.4, 0.8])
    row = one(np.exp(d), flags(4), np.ones(4), flags(4))
    assert row["verdict"] == "no verdict" and "4 compared pairs, fewer than the 6" in row["reason"]
    ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
    assert row["n_lower"] == 4 and row["mean_ratio"] == pytest.approx(math.exp(d.mean()))
    assert (row["mean_low"], row["mean_high"]) == pytest.approx((math.exp(ci.low), math.exp(ci.high)))
    assert row["median_ratio"] == pytest.approx(math.exp(0.45))


@pytest.mark.parametrize("n, critical", [(8, 3), (10, 8), (20, 52)])  # tables of the signed-rank test
def test_hodges_lehmann_interval_is_the_signed_rank_tests(n, critical):
    d = np.random.default_rng(n).normal(0.5, 1.0, n)
    res = paired.compare(np.exp(d), flags(n), np.ones(n), flags(n), reading=READING)
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2)
    assert res.estimate == pytest.approx(np.median(walsh))
    assert (res.ci_low, res.ci_high) == pytest.approx((walsh[critical], walsh[-critical - 1]))
    assert res.p_value == pytest.approx(stats.wilcoxon(d).pvalue)


def test_a_quantity_that_may_be_negative_is_compared_on_its_difference():
    base, method = np.linspace(-1, 1, 8) + 0.5, np.linspace(-1, 1, 8)
    row = one(base, flags(8), method, flags(8), scale="difference")
    assert row["compared"] == 8 and row["non_positive"] == 0
    assert row["estimate"] == pytest.approx(0.5) and row["verdict"] == "holds"
    assert math.isnan(row["median_ratio"]) and math.isnan(row["mean_ratio"])


def test_a_family_is_adjusted_together_and_the_adjustment_can_undo_a_verdict():
    rng = np.random.default_rng(3)
    rows = []
    for shift in (0.3, 0.0, 0.0, 0.0, 0.0):
        d = rng.normal(shift, 0.3, 10) + (0.25 if shift else 0.0)
        rows.append(paired.compare(np.exp(d), flags(10), np.ones(10), flags(10), reading=READING).as_dict())
    raw = [r["p_value"] for r in rows]
    for name, adjust in (("bh", paired.benjamini_hochberg), ("holm", paired.holm)):
        reading = paired.Reading(adjust=name)
        decided = paired.decide([dict(r) for r in rows], reading)
        np.testing.assert_allclose([r["p_adjusted"] for r in decided], adjust(raw))
    lone = paired.decide([dict(rows[0])], READING)[0]
    assert lone["p_adjusted"] == raw[0] and lone["verdict"] == "holds"


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
        paired.Reading(alpha=0)
    with pytest.raises(ValueError, match="adjust must be one of"):
        paired.Reading(adjust="bonferroni")


def test_pairs_that_all_tie_show_no_difference_and_no_verdict_for_either_side():
    values = np.linspace(1.0, 2.0, 8)
    none = np.zeros(8, dtype=bool)
    row = paired.decide([paired.compare(values, none, values, none).as_dict()], paired.Reading())[0]
    assert (row["estimate"], row["ci_low"], row["ci_high"], row["p_value"]) == (0.0, 0.0, 0.0, 1.0)
    assert row["verdict"] == "undecided"
