"""Claims report on synthetic aggregates whose answer is known, under one reading."""

import json
import math

import numpy as np
import pytest
import xarray as xr

from conftest import final_losses, with_facts, with_history
from hrta.reporting.numbers import claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.words.claims import markdown

SCHEDULES = {"relu": [{"s": 1.0, "epochs": 10}], "hrta": [{"s": 1.0, "epochs": 5}, {"s": 1.5, "epochs": 5}]}
READING = Reading(alpha=0.05, adjust="bh", min_pairs=6)


def aggregate(base, hrta, widths=(100,), reference=0.0, base_div=None, hrta_div=None):
    """An aggregate with final losses base[w][seed], hrta[w][seed]; NaN where diverged."""
    base, hrta = np.atleast_2d(base).astype(float), np.atleast_2d(hrta).astype(float)
    n_w, n_s = base.shape
    div = np.zeros((1, 2, n_w, n_s), dtype="int64")
    if base_div is not None:
        div[0, 0] = base_div
    if hrta_div is not None:
        div[0, 1] = hrta_div
    final = np.stack([base, hrta])[None].copy()
    final[div.astype(bool)] = np.nan
    dims = ("optimizer", "method", "width", "seed")
    ds = xr.Dataset(
        {"final_loss": (dims, final), "diverged": (dims, div),
         "diverged_epoch": (dims, np.where(div, 7, -1))},
        coords={"optimizer": ["adam"], "method": ["relu", "hrta"], "width": list(widths),
                "seed": list(range(n_s))})
    return with_history(with_facts(ds, SCHEDULES, reference=reference, gap=reference != 0))


def _c1(agg, reading=READING):
    (row,) = claims.c1({"exp": agg}, reading)
    return row


RNG = np.random.default_rng(0)
BASE8 = 10 ** RNG.uniform(-3, -2, 8)
NOISE = np.array([1.0, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98, 1.07, 0.93, 1.01])


def test_clearly_better_holds():
    row = _c1(aggregate(BASE8, BASE8 / 10 * 10 ** RNG.normal(0, 0.1, 8)))
    assert row["verdict"] == "holds" and row["p_adjusted"] == row["p_value"] < 0.01 and row["statistic"] == 36
    assert row["n_lower"] == 8 and 5 < row["median_ratio"] < 20 and row["compared"] == 8
    assert 0 < row["ci_low"] < row["estimate"] < row["ci_high"]
    assert (row["epochs"], row["baseline_tail"]) == (10, pytest.approx(2 ** 0.1))


def test_clearly_worse_is_contradicted():
    row = _c1(aggregate(BASE8, BASE8 * 10 * 10 ** RNG.normal(0, 0.1, 8)))
    assert row["verdict"] == "contradicted"
    assert row["n_lower"] == 0 and row["median_ratio"] < 0.2 and row["ci_high"] < 0


def test_no_difference_is_undecided():
    hrta = BASE8 * 10 ** np.array([0.1, -0.1, 0.05, -0.05, 0.02, -0.02, 0.08, -0.08])
    row = _c1(aggregate(BASE8, hrta))
    assert row["verdict"] == "undecided" and row["reason"] == "not significant after Benjamini-Hochberg"
    assert row["p_value"] > 0.5


def test_fewer_seeds_than_the_reading_needs_give_no_verdict():
    three = _c1(aggregate([1e-2, 2e-2, 3e-2], [1e-3, 2.2e-3, 2.9e-3]))
    assert three["verdict"] == "no verdict" and three["reason"].startswith("3 compared pairs, fewer than the 6")
    assert three["n_lower"] == 3 and 9 < three["mean_ratio"] < 11
    assert _c1(aggregate([1e-2, 2e-2, 3e-2], [1e-3, 2.2e-3, 2.9e-3]), Reading(min_pairs=3))["verdict"] == "undecided"


def test_diverged_runs_are_counted_not_dropped():
    hrta_div = np.zeros(8, dtype=int)
    hrta_div[[1, 4]] = 1
    agg = aggregate(BASE8, BASE8 / 10, hrta_div=hrta_div[None])
    row = _c1(agg)
    assert row["only_method_diverged"] == 2 and row["only_baseline_diverged"] == 0
    assert row["n_lower"] == 6 and row["n_seeds"] == 8 and row["n_tested"] == 8  # a diverged HRTA run is not lower
    assert row["verdict"] == "undecided" and row["statistic"] == 21 - 15  # the two divergences rank top
    rep = claims.report({"exp": agg}, READING)
    assert [(r["seed"], r["epoch"]) for r in rep["diverged"]] == [(1, 7), (4, 7)]
    assert "2 runs diverged" in markdown(rep)
    base_div = np.zeros(8, dtype=int)
    base_div[0] = 1
    row = _c1(aggregate(BASE8, BASE8 * 10, base_div=base_div[None]))
    assert row["n_lower"] == 1  # HRTA finished where ReLU diverged


def test_a_run_not_trained_leaves_its_setting_undecided():
    agg = aggregate(BASE8, BASE8 / 10)
    assert _c1(agg)["verdict"] == "holds"
    trained = xr.ones_like(agg["diverged"], dtype=bool)
    trained[0, 1, 0, 3] = False
    row = _c1(agg.assign(trained=trained))
    assert (row["missing"], row["compared"], row["verdict"]) == (1, 7, "undecided")
    assert row["reason"] == "pairs left out that could change it (1 missing)"


def test_reference_is_subtracted_before_the_ratio():
    """A Ritz energy: the gap E - E(u*) is compared, not the (negative) energy."""
    ref = -2.5
    row = _c1(aggregate(ref + np.array([0.4, 0.5, 0.6]), ref + np.array([0.2, 0.26, 0.29]), reference=ref))
    assert row["median_ratio"] == pytest.approx(2.0) and row["scale"] == "log ratio"


def test_a_gap_below_zero_is_compared_on_the_difference():
    """A Ritz energy below E(u*) on its points (a quadrature that undershoots): the gap has no
    log ratio there, so the whole setting is compared on the difference of the gaps."""
    ref = -2.5
    base, hrta = ref + 0.1 * NOISE[:8], ref + 0.01 * NOISE[:8]
    hrta[3] = ref - 0.001
    row = _c1(aggregate(base, hrta, reference=ref))
    assert row["scale"] == "difference" and row["non_positive"] == 0 and row["compared"] == 8
    assert row["verdict"] == "holds" and row["estimate"] == pytest.approx(0.09, rel=0.1)


def test_trend_over_widths_grows_only_where_hrta_is_ahead_at_the_largest():
    widths = (100, 1000, 10000)
    base = np.tile(BASE8, (3, 1))
    growing = base / np.array(widths)[:, None] ** 0.5 * 10 ** RNG.normal(0, 0.05, (3, 8))
    agg = aggregate(base, growing, widths)
    (row,) = claims.c2({"exp": agg}, READING, claims.c1({"exp": agg}, READING))
    assert row["verdict"] == "grows" and row["tau"] > 0.5 and row["largest_verdict"] == "holds"
    assert math.log10(math.exp(row["slope"])) == pytest.approx(0.5, abs=0.1)
    assert row["ci_low"] < row["slope"] < row["ci_high"]
    catching_up = base * 100 / np.array(widths)[:, None] ** 0.3 * 10 ** RNG.normal(0, 0.05, (3, 8))
    agg = aggregate(base, catching_up, widths)  # the ratio rises, but HRTA is still behind at 10000
    (row,) = claims.c2({"exp": agg}, READING, claims.c1({"exp": agg}, READING))
    assert row["verdict"] == "rises, HRTA not ahead" and row["largest_verdict"] == "contradicted"
    shrinking = base * np.array(widths)[:, None] ** 0.3 * 10 ** RNG.normal(0, 0.05, (3, 8))
    agg = aggregate(base, shrinking, widths)
    (row,) = claims.c2({"exp": agg}, READING, claims.c1({"exp": agg}, READING))
    assert row["verdict"] == "shrinks"
    agg = aggregate(BASE8, BASE8 / 2)
    (row,) = claims.c2({"exp": agg}, READING, claims.c1({"exp": agg}, READING))
    assert row["verdict"] == "undecided" and "two widths" in row["reason"]


def test_report_settings_summary_and_json():
    rep = claims.report({"exp": aggregate([1e-2, 2e-2], [1e-3, 2e-3])}, READING)
    assert rep["settings"] | {"compared": None} == {
        "alpha": 0.05, "adjust": "Benjamini-Hochberg", "min_pairs": 6, "test": "Wilcoxon signed-rank test"
        " (two-sided, exact)", "compared": None, "pairing": "by seed (same initial parameters)", "drift": 1.05}
    parsed = json.loads(claims.to_json(rep))
    assert parsed["summary"]["C1"] == {"no verdict": 1}
    assert parsed["C1"][0]["ci_low"] == "-inf" and parsed["C2"][0]["tau"] is None  # 2 pairs: no finite interval


def test_a_drifting_baseline_adds_c1_at_the_minimum():
    agg = aggregate(BASE8, BASE8 / 2)
    assert claims.report({"exp": agg}, READING)["C1_minimum"] == []
    loss = agg["loss"].copy()
    loss[dict(method=0, epoch=slice(6, None))] = loss.isel(method=0, epoch=5) * 1.5  # ReLU rises after epoch 5
    rep = claims.report({"exp": agg.assign(loss=loss)}, READING)
    (row,) = rep["C1_minimum"]
    assert row["quantity"] == "min_loss" and row["verdict"] == "holds"  # HRTA's minimum is its final loss,
    assert math.exp(row["estimate"]) == pytest.approx(2 * 2 ** 0.5)  # ReLU's its loss at epoch 5
    drift = [r for r in rep["drifts"] if r["method"] == "relu"][0]
    assert drift["min_epoch"] == 5 and drift["drift"] == pytest.approx(1.5)


def test_the_report_opens_with_the_answer_and_one_reading():
    three = 10 ** RNG.uniform(-3, -2, (3, 8))
    rep = claims.report({"exp": aggregate(three, three / 10 * NOISE[:8], widths=(10, 100, 1000))}, READING)
    md = markdown(rep)
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## The answer", "## How to read this", "## Bottom line"]
    assert md.count("Wilcoxon signed-rank test") == 1 and "Benjamini-Hochberg" in md
    assert "| C1 | exp | adam | 3 | 3 | 0 | 0 | 0 | HRTA lower with HRTA 1→1.5 at m = 10/100/1000 |" in md
    assert "<" not in md.replace("p < ", "")  # plain Markdown, no HTML
    rows = [line for line in md.splitlines() if line.startswith("| adam | ")]
    assert len(rows) == 3 and all(line.endswith("| holds |") for line in rows)


# Constructed cases: a verdict must not "hold" on runs that diverged or on a median that
# points the other way from the test, and the mirror images must not be "contradicted".
def _diverging(n_seeds, n_diverged):
    """The method 2x better than the baseline on the seeds where it did not diverge."""
    base = 1e-2 * NOISE[:n_seeds]
    div = np.zeros(n_seeds, dtype=int)
    div[:n_diverged] = 1
    return base, base / 2 * NOISE[:n_seeds][::-1], div


@pytest.mark.parametrize("n_seeds, n_diverged", [(10, 4), (5, 2)])
def test_a_schedule_that_diverged_does_not_hold(n_seeds, n_diverged):
    base, better, div = _diverging(n_seeds, n_diverged)
    row = _c1(aggregate(base, better, hrta_div=div[None]))
    assert row["verdict"] != "holds" and row["only_method_diverged"] == n_diverged


@pytest.mark.parametrize("n_seeds, n_diverged", [(10, 4), (5, 2)])
def test_mirror_a_baseline_that_diverged_does_not_contradict(n_seeds, n_diverged):
    base, better, div = _diverging(n_seeds, n_diverged)
    row = _c1(aggregate(better, base, base_div=div[None]))
    assert row["verdict"] != "contradicted" and row["only_baseline_diverged"] == n_diverged


def _skewed():
    """26 seeds 1% apart one way, 24 seeds 10-20x apart the other."""
    base = 1e-2 * 10 ** np.linspace(-0.5, 0.5, 50)
    other = base.copy()
    other[:26] /= 1.01
    other[26:] *= np.linspace(10, 20, 24)
    return base, other


def test_the_direction_is_the_tests_not_the_medians():
    base, hrta = _skewed()  # HRTA 1% better on 26 seeds, 10-20x worse on 24
    row = _c1(aggregate(base, hrta))
    assert row["verdict"] == "contradicted"
    assert row["median_ratio"] > 1 and row["statistic"] < 0 and row["estimate"] < 0 < row["p_value"] < 0.05
    mirror = _c1(aggregate(hrta, base))
    assert mirror["verdict"] == "holds" and mirror["median_ratio"] < 1 and mirror["statistic"] > 0


def test_trend_counts_a_divergence_at_the_largest_width():
    """The ratio grows from 1x to 3x over the two smaller widths and HRTA diverged on every
    seed at the largest: not "grows"; mirror: not "shrinks"."""
    widths = (10, 100, 1000)
    base = np.tile(1e-2 * NOISE[:4], (3, 1))
    hrta = base / np.array([1.0, 3.0, 3.0])[:, None] * NOISE[4:8]
    div = np.zeros((3, 4), dtype=int)
    div[2] = 1
    agg = aggregate(base, hrta, widths, hrta_div=div)
    (row,) = claims.c2({"exp": agg}, READING, claims.c1({"exp": agg}, READING))
    assert "grows" not in row["verdict"] and "rises" not in row["verdict"]
    assert row["tau"] < 0 and row["n_points"] == 12
    agg = aggregate(hrta, base, widths, base_div=div)
    (mirror,) = claims.c2({"exp": agg}, READING, claims.c1({"exp": agg}, READING))
    assert "shrinks" not in mirror["verdict"] and mirror["tau"] > 0


def test_seeds_a_width_does_not_plan_are_no_pairs_at_all():
    """At a width of max_seeds the aggregate holds the other seeds as unplanned (NaN): they
    are neither compared nor counted missing."""
    agg = final_losses({10: np.full(8, 2.0), 100: np.full(8, 2.0)})
    planned = xr.ones_like(agg["diverged"], dtype=bool)
    planned.loc[{"width": 100, "seed": [3, 4, 5, 6, 7]}] = False
    loss = agg["final_loss"].where(planned)
    agg = agg.assign(planned=planned, final_loss=loss, trained=planned)
    small, large = claims.report({"exp": agg}, Reading())["C1"]
    assert (small["n_seeds"], small["compared"], small["verdict"]) == (8, 8, "holds")
    assert (large["n_seeds"], large["compared"], large["missing"], large["verdict"]) == (3, 3, 0, "no verdict")
