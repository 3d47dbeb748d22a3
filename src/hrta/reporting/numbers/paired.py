"""Paired comparison of a method with its baseline over seeds, under the one statistical
reading of the whole report (``Reading``), and the multiple-testing adjustment.

Every pair (one seed, the same initial parameters for both) has a fate: *compared* (its
difference enters the test), *diverged* on one side (the worst outcome for that side: a
difference beyond every finite one), *both diverged* (a tie, left out of the test like a
zero difference), or *left out* with its reason: *missing* (a run not trained),
*non-finite* (NaN or infinite without the diverged flag) or *non-positive* (a value <= 0,
which has no log ratio). On the log scale d = log(baseline) - log(method) (> 0: the method
ended lower); a cell where a quantity that may legitimately be <= 0 (a Ritz energy gap) is
so is compared on the difference baseline - method of the quantity itself instead.

The test is Wilcoxon's signed-rank test (two-sided, exact), the estimate the Hodges-Lehmann
median of the Walsh averages with its distribution-free interval at confidence 1 - alpha
(exp() of it is the ratio baseline / method on the log scale). The p-values of a family of
comparisons are adjusted together (``adjust``: Benjamini-Hochberg or Holm) and only the
adjusted p decides. A verdict needs at least ``min_pairs`` compared pairs and no pair left
out (missing, non-finite, non-positive: any of them could change it); it is *holds* (the
method lower) or *contradicted* (higher) when the adjusted p is below alpha, the statistic
points that way and the other side never diverged alone, else *undecided* with the reason.
With fewer pairs there is *no verdict*: the row gives k of n seeds lower and the
geometric-mean ratio with its t interval, as a description.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

VERDICTS = ("holds", "contradicted", "undecided", "no verdict")
WILCOXON = "Wilcoxon signed-rank test (two-sided, exact)"
LEFT_OUT = ("missing", "non_finite", "non_positive")  # fates that block a verdict


@dataclass(frozen=True)
class Reading:
    """The one statistical reading of the report: level, adjustment and fewest pairs."""

    alpha: float = 0.05
    adjust: str = "bh"
    min_pairs: int = 6

    def __post_init__(self):
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must lie in (0, 1), got {self.alpha}")
        if self.adjust not in ADJUST:
            raise ValueError(f"adjust must be one of {sorted(ADJUST)}, got {self.adjust!r}")

    @property
    def adjust_name(self) -> str:
        return ADJUST_NAMES[self.adjust]

    def adjusted(self, p_values) -> np.ndarray:
        return ADJUST[self.adjust](p_values)


@dataclass(frozen=True)
class Paired:
    """One paired comparison before adjustment (differences: baseline - method, on ``scale``)."""

    n_seeds: int  # pairs planned
    compared: int
    only_baseline_diverged: int
    only_method_diverged: int
    both_diverged: int
    missing: int
    non_finite: int
    non_positive: int
    n_lower: int  # seeds where the method ended lower (a divergence is the worst outcome)
    scale: str  # "log ratio" or "difference"
    statistic: float  # W+ - W-
    p_value: float
    estimate: float  # Hodges-Lehmann estimate of the difference on the scale
    ci_low: float
    ci_high: float
    median_ratio: float  # median of baseline / method over the compared pairs (log scale)
    mean_ratio: float  # geometric mean of baseline / method over the finite pairs
    mean_low: float  # its t interval
    mean_high: float

    @property
    def n_tested(self) -> int:
        return self.compared + self.only_baseline_diverged + self.only_method_diverged

    @property
    def left_out(self) -> int:
        return self.missing + self.non_finite + self.non_positive

    def as_dict(self) -> dict:
        return asdict(self) | {"n_tested": self.n_tested, "left_out": self.left_out}


def fates(base, base_diverged, method, method_diverged, trained=None, scale: str = "log ratio"):
    """(d, counts): per pair the difference on the scale (+-inf for a one-sided divergence,
    NaN where there is none) and the count of each fate."""
    b, m = np.asarray(base, dtype=float), np.asarray(method, dtype=float)
    bd, md = np.asarray(base_diverged, dtype=bool), np.asarray(method_diverged, dtype=bool)
    tr = np.ones(b.shape, dtype=bool) if trained is None else np.asarray(trained, dtype=bool)
    if not (b.shape == m.shape == bd.shape == md.shape == tr.shape) or b.ndim != 1:
        raise ValueError(f"paired values, diverged flags and trained marks must be 1-d of one length, got shapes "
                         f"{b.shape}, {bd.shape}, {m.shape}, {md.shape}, {tr.shape}")
    run = tr & ~bd & ~md
    finite = run & np.isfinite(b) & np.isfinite(m)
    positive = finite & (b > 0) & (m > 0) if scale == "log ratio" else finite
    d = np.full(b.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        d[positive] = np.log(b[positive]) - np.log(m[positive]) if scale == "log ratio" else b[positive] - m[positive]
    d[tr & bd & ~md] = np.inf
    d[tr & md & ~bd] = -np.inf
    counts = {"compared": int(positive.sum()), "only_baseline_diverged": int((tr & bd & ~md).sum()),
              "only_method_diverged": int((tr & md & ~bd).sum()), "both_diverged": int((tr & bd & md).sum()),
              "missing": int((~tr).sum()), "non_finite": int((run & ~finite).sum()),
              "non_positive": int((finite & ~positive).sum())}
    return d, counts


def compare(base, base_diverged, method, method_diverged, trained=None, reading: Reading | None = None,
            scale: str = "log ratio") -> Paired:
    """Compare paired final values of a baseline and a method (same seed order)."""
    reading = reading or Reading()
    d, counts = fates(base, base_diverged, method, method_diverged, trained, scale)
    kept = d[~np.isnan(d)]
    finite = kept[np.isfinite(kept)]
    test = _wilcoxon(kept, reading.alpha)
    mean, low, high = _mean_interval(finite, reading.alpha) if scale == "log ratio" else (math.nan,) * 3
    return Paired(n_seeds=len(d), **counts, n_lower=int((kept > 0).sum()), scale=scale, **test,
                  median_ratio=float(np.exp(np.median(kept))) if kept.size and scale == "log ratio" else math.nan,
                  mean_ratio=mean, mean_low=low, mean_high=high)


def verdict(row: dict, p_adjusted: float, reading: Reading) -> tuple[str, str]:
    """(verdict, reason) of a comparison (``Paired.as_dict()``) with its adjusted p-value."""
    if row["n_tested"] < reading.min_pairs:
        return "no verdict", f"{row['n_tested']} compared pairs, fewer than the {reading.min_pairs} a verdict needs"
    if row["left_out"]:
        why = ", ".join(f"{row[f]} {f.replace('_', '-')}" for f in LEFT_OUT if row[f])
        return "undecided", f"pairs left out that could change it ({why})"
    if not p_adjusted < reading.alpha:
        return "undecided", f"not significant after {reading.adjust_name}"
    if row["statistic"] > 0:
        if row["only_method_diverged"]:
            return "undecided", f"the method diverged alone on {_seeds(row['only_method_diverged'])}"
        return "holds", ""
    if row["only_baseline_diverged"]:
        return "undecided", f"the baseline diverged alone on {_seeds(row['only_baseline_diverged'])}"
    return "contradicted", ""


def decide(rows: list[dict], reading: Reading) -> list[dict]:
    """The rows of one family with the adjusted p-value and the verdict added (in place)."""
    for row, p_adj in zip(rows, reading.adjusted([r["p_value"] for r in rows])):
        row["p_adjusted"] = float(p_adj)
        row["verdict"], row["reason"] = verdict(row, p_adj, reading)
    return rows


def _seeds(n: int) -> str:
    return f"{n} seed" + ("" if n == 1 else "s")


def _wilcoxon(d: np.ndarray, alpha: float) -> dict:
    """Signed-rank test on d (+-inf allowed), W+ - W-, Hodges-Lehmann estimate and interval;
    where every pair ties, no difference (estimate and interval 0, p 1); NaN where none is left."""
    nonzero = d[d != 0]
    if len(nonzero) == 0:
        value = math.nan if len(d) == 0 else 0.0
        return {"statistic": value, "p_value": math.nan if len(d) == 0 else 1.0, "estimate": value,
                "ci_low": value, "ci_high": value}
    ranks = stats.rankdata(np.abs(nonzero))  # +-inf rank above every finite |d|
    w_plus, w_minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    finite_scale = np.abs(nonzero[np.isfinite(nonzero)])
    top = 2.0 * (finite_scale.max() if finite_scale.size else 1.0) + 1.0
    res = stats.wilcoxon(np.clip(d, -top, top), alternative="two-sided")  # the order of d, not its value
    est, low, high = _hodges_lehmann(d, alpha)
    return {"statistic": float(w_plus - w_minus), "p_value": float(res.pvalue), "estimate": est, "ci_low": low,
            "ci_high": high}


def _hodges_lehmann(d: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Median of the Walsh averages (d_i + d_j)/2, i <= j, and the order-statistic interval
    that inverts the signed-rank test (exact null distribution up to 50 pairs, normal beyond).
    A divergence on each side of one Walsh average cancels to 0."""
    i, j = np.triu_indices(len(d))
    with np.errstate(invalid="ignore"):
        walsh = (d[i] + d[j]) / 2
    walsh = np.sort(np.nan_to_num(walsh, nan=0.0, posinf=np.inf, neginf=-np.inf))
    k = _rank_bound(len(d), alpha)
    low, high = (walsh[k - 1], walsh[-k]) if k >= 1 else (-math.inf, math.inf)
    return float(np.median(walsh)), float(low), float(high)


def _rank_bound(n: int, alpha: float) -> int:
    """The largest k with P(W+ <= k - 1) <= alpha / 2 under the null (0: no finite interval)."""
    total = n * (n + 1) // 2
    if n <= 50:
        counts = np.zeros(total + 1)
        counts[0] = 1.0
        for r in range(1, n + 1):
            counts[r:] = counts[r:] + counts[:-r].copy()
        cdf = np.cumsum(counts) / 2.0**n
        return int(np.searchsorted(cdf, alpha / 2, side="right"))
    mean, sd = total / 2, math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    return max(0, int(math.floor(mean - stats.norm.ppf(1 - alpha / 2) * sd)))


def _mean_interval(d: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Geometric-mean ratio exp(mean d) with its t interval (descriptive; NaN below 2 pairs)."""
    if len(d) == 0:
        return math.nan, math.nan, math.nan
    mean = float(d.mean())
    if len(d) < 2 or np.all(d == d[0]):
        return math.exp(mean), math.nan, math.nan
    half = stats.t.ppf(1 - alpha / 2, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d))
    return math.exp(mean), math.exp(mean - half), math.exp(mean + half)


def median_ratio(base, base_diverged, method, method_diverged, trained=None) -> float:
    """Median of baseline/method over the pairs with a comparison (inf: the baseline diverged
    alone, 0: the method did); NaN when there is none."""
    d, _ = fates(base, base_diverged, method, method_diverged, trained)
    d = d[~np.isnan(d)]
    return float(np.exp(np.median(d))) if d.size else math.nan


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment (family-wise error); NaN entries stay NaN and are not counted."""
    p, out = _valid(p_values)
    order = np.argsort(p[1])
    m = len(order)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[1][order])
    out[p[0][order]] = np.minimum(adjusted, 1.0)
    return out


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg step-up adjustment (false discovery rate); NaN entries stay NaN."""
    p, out = _valid(p_values)
    order = np.argsort(p[1])[::-1]
    m = len(order)
    adjusted = np.minimum.accumulate(m / (m - np.arange(m)) * p[1][order])
    out[p[0][order]] = np.minimum(adjusted, 1.0)
    return out


def _valid(p_values) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    p = np.asarray(p_values, dtype=float).ravel()
    where = np.flatnonzero(~np.isnan(p))
    if ((p[where] < 0) | (p[where] > 1)).any():
        raise ValueError(f"p-values must lie in [0, 1], got {p[where].min()} to {p[where].max()}")
    return (where, p[where]), np.full(p.shape, np.nan)


ADJUST = {"bh": benjamini_hochberg, "holm": holm}
ADJUST_NAMES = {"bh": "Benjamini-Hochberg", "holm": "Holm"}
