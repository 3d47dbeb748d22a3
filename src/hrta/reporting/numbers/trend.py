"""Does a method's advantage over its baseline change with width (or depth)? A rank test on
paired log ratios.

The points are the per-seed log ratios d = log(baseline) - log(method) of every width
(hrta.reporting.numbers.paired.fates), against log10(width) (against the number of hidden
layers for ``depth_trend``). A one-sided divergence is the worst outcome (d = +-inf), as in
the paired test; a pair both of whose runs diverged is a tie without a point; a pair left
out (a run missing, a value non-finite or <= 0) is counted and leaves the verdict
undecided, as in the paired test. The test is Kendall's tau-b between log10(width) and d,
which uses only the order of d, so a divergence enters as a value beyond every finite one;
its direction is the sign of tau. The estimate is the Theil-Sen slope of d against log10(width)
(median of the slopes between points at different widths; two divergences on the same side
give the slope 0) with Sen's interval at confidence 1 - alpha.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

from hrta.reporting.numbers.paired import LEFT_OUT, fates

KENDALL = "Kendall's tau-b of log ratio against log width (two-sided)"
KENDALL_DEPTH = "Kendall's tau-b of log ratio against depth (two-sided)"
VERDICTS = ("grows", "rises, HRTA not ahead", "shrinks", "undecided")


@dataclass(frozen=True)
class Trend:
    """The outcome of one trend test, before adjustment."""

    n_points: int  # (width, seed) pairs in the test
    n_widths: int
    both_diverged: int  # pairs without a comparison, a tie
    left_out: int  # pairs left out: missing, non-finite, non-positive (any blocks a verdict)
    test: str | None
    tau: float
    p_value: float
    slope: float  # Theil-Sen slope of log ratio per decade of width (per added layer)
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict:
        return asdict(self)


def width_trend(pairs: dict, alpha: float = 0.05) -> Trend:
    """pairs: {width: (base, base_diverged, method, method_diverged[, trained])} per-seed
    arrays; the slope is per tenfold width."""
    return _trend(pairs, alpha, math.log10, KENDALL)


def depth_trend(pairs: dict, alpha: float = 0.05) -> Trend:
    """pairs: {hidden layers: (base, base_diverged, method, method_diverged[, trained])}; the
    slope is per added hidden layer."""
    return _trend(pairs, alpha, float, KENDALL_DEPTH)


def decide(rows: list[dict], reading, ahead: list[bool]) -> list[dict]:
    """The trend rows of one family with their adjusted p and verdict (in place): *grows* only
    where the ratio rises significantly and HRTA ends ahead at the largest width (``ahead``:
    its paired verdict there holds), *rises, HRTA not ahead* where it rises but is not,
    *shrinks*, or *undecided* with the reason."""
    for row, p_adj, front in zip(rows, reading.adjusted([r["p_value"] for r in rows]), ahead):
        row["p_adjusted"] = float(p_adj)
        if row["test"] is None:
            row["verdict"], row["reason"] = "undecided", "needs two widths (depths) and three comparable pairs"
        elif row["n_points"] < reading.min_pairs:
            row["verdict"], row["reason"] = "undecided", f"{row['n_points']} pairs, fewer than {reading.min_pairs}"
        elif row["left_out"]:
            row["verdict"], row["reason"] = "undecided", f"{row['left_out']} pairs left out that could change it"
        elif not p_adj < reading.alpha:
            row["verdict"], row["reason"] = "undecided", f"not significant after {reading.adjust_name}"
        elif row["tau"] < 0:
            row["verdict"], row["reason"] = "shrinks", ""
        else:
            row["verdict"], row["reason"] = ("grows", "") if front else ("rises, HRTA not ahead", "")
    return rows


def _trend(pairs: dict, alpha: float, x_of, test: str) -> Trend:
    xs, ys, both, left_out = [], [], 0, 0
    for key, arrays in pairs.items():
        d, counts = fates(*arrays)
        kept = d[~np.isnan(d)]
        xs += [x_of(key)] * len(kept)
        ys += list(kept)
        both += counts["both_diverged"]
        left_out += sum(counts[f] for f in LEFT_OUT)
    x, y = np.array(xs), np.array(ys)
    n_widths = len(np.unique(x))
    base = {"n_points": len(x), "n_widths": n_widths, "both_diverged": both, "left_out": left_out}
    if n_widths < 2 or len(x) < 3:
        return Trend(**base, test=None, tau=math.nan, p_value=math.nan, slope=math.nan, ci_low=math.nan,
                     ci_high=math.nan)
    finite = np.abs(y[np.isfinite(y)])
    top = 2.0 * (finite.max() if finite.size else 1.0) + 1.0
    res = stats.kendalltau(x, np.clip(y, -top, top))  # the order of y, divergences beyond all
    slope, low, high = _theil_sen(x, y, alpha)
    return Trend(**base, test=test, tau=float(res.statistic), p_value=float(res.pvalue), slope=slope, ci_low=low,
                 ci_high=high)


def _theil_sen(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, float, float]:
    i, j = np.triu_indices(len(x), 1)
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    with np.errstate(invalid="ignore"):
        slopes = (y[j] - y[i]) / (x[j] - x[i])
    slopes = np.sort(np.nan_to_num(slopes, nan=0.0, posinf=np.inf, neginf=-np.inf))
    n, total = len(x), len(slopes)
    _, ties = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18.0
    half = stats.norm.ppf(1 - alpha / 2) * math.sqrt(var)
    low = slopes[max(int(round((total - half) / 2)) - 1, 0)]
    high = slopes[min(int(round((total + half) / 2)), total - 1)]
    return float(np.median(slopes)), float(low), float(high)
