"""Paired comparison of a method with a baseline over seeds, and multiple-testing adjustment.

The quantity compared is the per-seed log ratio d = log(baseline) - log(method) of two
positive final values (losses or loss gaps): d > 0 means the method ended lower. A diverged
run is the worst outcome: d = +inf when only the baseline diverged, -inf when only the
method did. A pair where both diverged carries no comparison (counted, not tested), and so
does a pair with a non-finite or non-positive value that did not diverge (no log ratio).

With at least ``min_pairs_wilcoxon`` comparable pairs the test is Wilcoxon's signed-rank
test (two-sided), which ranks |d| and so takes a divergence as a difference larger than
any finite one; the estimate is the Hodges-Lehmann median of the Walsh averages with its
distribution-free confidence interval, and the direction is the sign of W+ - W-. With 3 to
``min_pairs_wilcoxon - 1`` pairs it is the paired t-test on the finite pairs (a divergence
has no value there), the estimate the mean log ratio with its t interval, the direction the
sign of that mean. Fewer than 3 pairs: no test.

The verdict is "holds" (method lower) or "contradicted" (method higher) when p < alpha and
the test's own statistic points that way, and the other side never diverged alone: the
method cannot "hold" while it diverged on a seed where the baseline finished, nor be
"contradicted" while the baseline diverged on a seed where it finished. Otherwise it is
"undecided". The confidence level of the intervals is 1 - alpha.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

VERDICTS = ("holds", "contradicted", "undecided")
WILCOXON = "Wilcoxon signed-rank test on log ratios (two-sided)"
T_TEST = "paired t-test on log ratios (two-sided)"
MIN_PAIRS = 3


@dataclass(frozen=True)
class Paired:
    """The outcome of one paired comparison (log ratios: log baseline - log method)."""

    n_seeds: int  # pairs given
    n_tested: int  # pairs that entered the test
    only_baseline_diverged: int
    only_method_diverged: int
    both_diverged: int
    not_comparable: int  # finite pairs with a value <= 0 or NaN (no log ratio)
    test: str | None  # WILCOXON, T_TEST or None
    statistic: float  # W+ - W- (Wilcoxon) or t (t-test)
    p_value: float
    estimate: float  # Hodges-Lehmann estimate or mean of d; exp(estimate) is a ratio baseline/method
    ci_low: float
    ci_high: float
    median_ratio: float  # median of baseline/method over the pairs with a comparison
    verdict: str  # one of VERDICTS
    reason: str  # why the verdict is "undecided" ("" otherwise)

    def as_dict(self) -> dict:
        return asdict(self)


def log_ratios(base, base_diverged, method, method_diverged) -> tuple[np.ndarray, dict]:
    """Per-pair log(base / method) with +-inf for a one-sided divergence, NaN where there is no
    comparison, and the counts of each kind of pair."""
    b, m = np.asarray(base, dtype=float), np.asarray(method, dtype=float)
    bd, md = np.asarray(base_diverged, dtype=bool), np.asarray(method_diverged, dtype=bool)
    if not (b.shape == m.shape == bd.shape == md.shape) or b.ndim != 1:
        raise ValueError(f"paired values and diverged flags must be 1-d of one length, got shapes "
                         f"{b.shape}, {bd.shape}, {m.shape}, {md.shape}")
    finite = ~bd & ~md
    ok = finite & np.isfinite(b) & np.isfinite(m) & (b > 0) & (m > 0)
    d = np.full(b.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        d[ok] = np.log(b[ok]) - np.log(m[ok])
    d[bd & ~md] = np.inf
    d[md & ~bd] = -np.inf
    counts = {"only_baseline_diverged": int((bd & ~md).sum()), "only_method_diverged": int((md & ~bd).sum()),
              "both_diverged": int((bd & md).sum()), "not_comparable": int((finite & ~ok).sum())}
    return d, counts


def compare(base, base_diverged, method, method_diverged, alpha: float = 0.05,
            min_pairs_wilcoxon: int = 6) -> Paired:
    """Compare paired final values of a baseline and a method (same seed order); see the module."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    d, counts = log_ratios(base, base_diverged, method, method_diverged)
    kept = d[~np.isnan(d)]
    if len(kept) >= min_pairs_wilcoxon:
        test = _wilcoxon(kept, alpha)
    else:
        test = _t_test(kept[np.isfinite(kept)], alpha)
    reason = test.pop("why", "") or _undecided_reason(test, counts, alpha)
    if reason:
        verdict = "undecided"
    else:
        verdict = "holds" if test["statistic"] > 0 else "contradicted"
    return Paired(n_seeds=len(d), **counts, **test, median_ratio=_median_of(kept),
                  verdict=verdict, reason=reason)


def _undecided_reason(test: dict, counts: dict, alpha: float) -> str:
    if not test["p_value"] < alpha:
        return "not significant"
    if test["statistic"] > 0 and counts["only_method_diverged"]:
        return f"the method diverged alone on {_seeds(counts['only_method_diverged'])}"
    if test["statistic"] < 0 and counts["only_baseline_diverged"]:
        return f"the baseline diverged alone on {_seeds(counts['only_baseline_diverged'])}"
    return ""


def _seeds(n: int) -> str:
    return f"{n} seed" + ("" if n == 1 else "s")


def _no_test(why: str) -> dict:
    return {"test": None, "statistic": math.nan, "p_value": math.nan, "estimate": math.nan,
            "ci_low": math.nan, "ci_high": math.nan, "n_tested": 0, "why": why}


def _t_test(d: np.ndarray, alpha: float) -> dict:
    n = len(d)
    if n < MIN_PAIRS:
        return _no_test(f"{n} comparable pairs, fewer than the {MIN_PAIRS} a test needs")
    if np.all(d == d[0]):
        return _no_test("every pair has the same log ratio, no spread to test against")
    res = stats.ttest_1samp(d, 0.0)
    ci = res.confidence_interval(1 - alpha)
    return {"test": T_TEST, "statistic": float(res.statistic), "p_value": float(res.pvalue),
            "estimate": float(d.mean()), "ci_low": float(ci.low), "ci_high": float(ci.high), "n_tested": n}


def _wilcoxon(d: np.ndarray, alpha: float) -> dict:
    """Signed-rank test on d (+-inf allowed), W+ - W-, Hodges-Lehmann estimate and interval."""
    nonzero = d[d != 0]
    if len(nonzero) == 0:
        return _no_test("every pair is tied")
    ranks = stats.rankdata(np.abs(nonzero))  # +-inf rank above every finite |d|
    w_plus, w_minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    finite_scale = np.abs(nonzero[np.isfinite(nonzero)])
    top = 2.0 * (finite_scale.max() if finite_scale.size else 1.0) + 1.0
    ranked = np.clip(d, -top, top)  # same ranks as d: the test sees the order, not the value
    res = stats.wilcoxon(ranked, alternative="two-sided")
    est, low, high = _hodges_lehmann(d, alpha)
    return {"test": WILCOXON, "statistic": float(w_plus - w_minus), "p_value": float(res.pvalue),
            "estimate": est, "ci_low": low, "ci_high": high, "n_tested": len(d)}


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


def median_ratio(base, base_diverged, method, method_diverged) -> float:
    """Median of baseline/method over the pairs with a comparison (inf: the baseline diverged
    alone, 0: the method did); NaN when there is none."""
    d, _ = log_ratios(base, base_diverged, method, method_diverged)
    return _median_of(d[~np.isnan(d)])


def _median_of(d: np.ndarray) -> float:
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
