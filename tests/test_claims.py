"""Claims report on synthetic aggregates whose answer is known (issue 3)."""

import json
import math

import numpy as np
import pytest
import xarray as xr

from conftest import with_facts
from hrta.reporting import claims

SCHEDULES = {"relu": [{"s": 1.0, "epochs": 10}], "hrta": [{"s": 1.0, "epochs": 5}, {"s": 1.5, "epochs": 5}]}


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
    return with_facts(ds, SCHEDULES, reference=reference, gap=reference != 0)


def _c1(agg, **kw):
    (row,) = claims.c1({"exp": agg}, kw.get("alpha", 0.05), kw.get("min_pairs", 6))
    return row


RNG = np.random.default_rng(0)
BASE8 = 10 ** RNG.uniform(-3, -2, 8)


def test_clearly_better_holds_with_wilcoxon():
    row = _c1(aggregate(BASE8, BASE8 / 10 * 10 ** RNG.normal(0, 0.1, 8)))
    assert row["verdict"] == "holds"
    assert row["test"].startswith("Wilcoxon") and row["p_value"] < 0.01
    assert row["fraction_lower"] == 1.0 and row["n_lower"] == 8
    assert 5 < row["median_ratio"] < 20


def test_clearly_worse_is_contradicted():
    row = _c1(aggregate(BASE8, BASE8 * 10 * 10 ** RNG.normal(0, 0.1, 8)))
    assert row["verdict"] == "contradicted"
    assert row["fraction_lower"] == 0.0 and row["median_ratio"] < 0.2


def test_no_difference_is_not_shown():
    hrta = BASE8 * 10 ** np.array([0.1, -0.1, 0.05, -0.05, 0.02, -0.02, 0.08, -0.08])
    row = _c1(aggregate(BASE8, hrta))
    assert row["verdict"] == "not shown" and row["p_value"] > 0.5


def test_few_seeds_use_the_t_test_and_two_seeds_none():
    three = _c1(aggregate([1e-2, 2e-2, 3e-2], [1e-3, 2.2e-3, 2.9e-3]))
    assert three["test"].startswith("paired t-test") and three["p_value"] < 0.05
    assert "cannot check" in three["note"]
    two = _c1(aggregate([1e-2, 2e-2], [1e-3, 2e-3]))
    assert two["test"] is None and math.isnan(two["p_value"]) and two["verdict"] == "not testable"
    assert "too few" in two["note"]


def test_diverged_runs_are_counted_not_dropped():
    hrta_div = np.zeros(8, dtype=int)
    hrta_div[[1, 4]] = 1
    agg = aggregate(BASE8, BASE8 / 10, hrta_div=hrta_div[None])
    row = _c1(agg)
    assert row["diverged_hrta"] == 2 and row["diverged_baseline"] == 0
    assert row["n_lower"] == 6 and row["n_seeds"] == 8  # a diverged HRTA run is not lower
    assert row["n_pairs_tested"] == 6
    rep = claims.report({"exp": agg})
    assert [(r["seed"], r["epoch"]) for r in rep["diverged"]] == [(1, 7), (4, 7)]
    md = claims.markdown(rep)
    assert "2 runs diverged" in md
    base_div = np.zeros(8, dtype=int)
    base_div[0] = 1
    row = _c1(aggregate(BASE8, BASE8 * 10, base_div=base_div[None]))
    assert row["n_lower"] == 1  # HRTA finished where ReLU diverged


def test_reference_is_subtracted_before_the_ratio():
    """A Ritz energy: the gap E - E(u*) is compared, not the (negative) energy."""
    ref = -2.5
    row = _c1(aggregate(ref + np.array([0.4, 0.5, 0.6]), ref + np.array([0.2, 0.26, 0.29]),
                        reference=ref))
    assert row["median_ratio"] == pytest.approx(2.0)


def test_trend_over_widths():
    widths = (100, 1000, 10000)
    base = np.tile(BASE8[:4], (3, 1))
    growing = base / np.array(widths)[:, None] ** 0.5 * 10 ** RNG.normal(0, 0.05, (3, 4))
    (row,) = claims.c2({"exp": aggregate(base, growing, widths)}, 0.05)
    assert row["verdict"] == "grows with width"
    assert row["slope"] == pytest.approx(0.5, abs=0.1) and row["spearman_rho"] == pytest.approx(1.0)
    shrinking = base * np.array(widths)[:, None] ** 0.3 * 10 ** RNG.normal(0, 0.05, (3, 4))
    (row,) = claims.c2({"exp": aggregate(base, shrinking, widths)}, 0.05)
    assert row["verdict"] == "shrinks with width" and "behind ReLU" in row["note"]
    (row,) = claims.c2({"exp": aggregate(BASE8, BASE8 / 2)}, 0.05)
    assert row["verdict"] == "not testable"


def test_report_json_and_theory():
    rep = claims.report({"exp": aggregate([1e-2, 2e-2], [1e-3, 2e-3])},
                        theory=[{"source": "theorem1.json", "data": {"claim": "T1", "verdict": "holds"}}])
    parsed = json.loads(claims.to_json(rep))
    assert parsed["C1"][0]["p_value"] is None and parsed["summary"]["C1"] == {"not testable": 1}
    md = claims.markdown(rep)
    assert "## Theory checks" in md and "- `verdict`: holds" in md and "theorem1.json" in md


def test_a_caveat_shared_by_rows_is_written_once_under_the_table():
    three = 10 ** RNG.uniform(-3, -2, (3, 3))
    md = claims.markdown(claims.report({"exp": aggregate(three, three / 10, widths=(10, 100, 1000))}))
    caveat = "the p-value rests on normal log ratios, which 3 seeds cannot check"
    assert md.count(caveat) == 1 and md.count("(two-sided) [1] |") == 3
    assert "- [1] n = 3 pairs: " + caveat in md
