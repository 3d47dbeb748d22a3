"""The claims report: does HRTA end with a lower training loss than ReLU (C1), more so at larger width (C2)?

Runs are paired by seed (the same seed gives the same initial parameters to every method).
The loss compared is the final training loss minus the exact solution's (0 for regression,
E(u*) for a Ritz energy), called the gap. A diverged run (non-finite loss) is never dropped:
it counts as a loss above every finite one in the fractions and medians, and the pairs it
is in are left out of the tests and counted beside them.
"""

import json
import math

import numpy as np
from scipy import stats

from hrta.reporting.facts import baseline, compared_loss, method_labels


def _gaps(agg, opt, method, width):
    where = {"optimizer": opt, "method": method, "width": width}
    gap = compared_loss(agg, "final_loss").sel(where).values
    return gap, agg["diverged"].sel(where).values.astype(bool)


def paired(base: np.ndarray, base_div: np.ndarray, hrta: np.ndarray, hrta_div: np.ndarray,
           alpha: float, min_pairs_wilcoxon: int) -> dict:
    """Compare per-seed final gaps of the baseline and an HRTA schedule (same seed order)."""
    b = np.where(base_div, np.inf, base)
    h = np.where(hrta_div, np.inf, hrta)
    lower = h < b
    ratio, ok = seed_ratios(base, base_div, hrta, hrta_div)
    log_b, log_h = np.log(b[ok]), np.log(h[ok])
    d = log_b - log_h
    out = {
        "n_seeds": int(len(b)), "n_lower": int(lower.sum()),
        "fraction_lower": float(lower.mean()) if len(b) else math.nan,
        "median_ratio": _median(ratio),
        "diverged_baseline": int(base_div.sum()), "diverged_hrta": int(hrta_div.sum()),
        "n_pairs_tested": int(ok.sum()), "n_nonpositive_gap": int((~base_div & ~hrta_div & ~ok).sum()),
        "test": None, "statistic": math.nan, "p_value": math.nan, "note": "",
    }
    out.update(_test(log_b, log_h, min_pairs_wilcoxon))
    out["verdict"] = _verdict(out, d, alpha)
    return out


def seed_ratios(base, base_div, hrta, hrta_div) -> tuple[np.ndarray, np.ndarray]:
    """Per-seed ratio baseline/HRTA (inf: only the baseline diverged, 0: only HRTA did, NaN:
    both did or a gap is not positive) and the mask of pairs with two positive finite gaps."""
    ok = ~base_div & ~hrta_div & (base > 0) & (hrta > 0)
    ratio = np.full(len(base), np.nan)
    ratio[ok] = base[ok] / hrta[ok]
    ratio[base_div & ~hrta_div] = np.inf
    ratio[hrta_div & ~base_div] = 0.0
    return ratio, ok


def _median(ratio: np.ndarray) -> float:
    kept = ratio[~np.isnan(ratio)]
    return float(np.median(kept)) if kept.size else math.nan


def _test(log_b: np.ndarray, log_h: np.ndarray, min_pairs_wilcoxon: int) -> dict:
    d, n = log_b - log_h, len(log_b)
    if n < 3:
        return {"note": f"n = {n} pairs: too few for a meaningful p-value"}
    if np.all(d == 0):
        return {"note": "all pairs equal: no test"}
    if n >= min_pairs_wilcoxon:
        res = stats.wilcoxon(log_b, log_h, alternative="two-sided")
        return {"test": "Wilcoxon signed-rank on log losses (two-sided)",
                "statistic": float(res.statistic), "p_value": float(res.pvalue)}
    res = stats.ttest_rel(log_b, log_h, alternative="two-sided")
    return {"test": "paired t-test on log losses (two-sided)",
            "statistic": float(res.statistic), "p_value": float(res.pvalue),
            "note": f"n = {n} pairs: the p-value rests on normal log ratios, which {n} seeds cannot check"}


def _verdict(row: dict, d: np.ndarray, alpha: float) -> str:
    if not np.isfinite(row["p_value"]):
        return "not testable"
    if row["p_value"] < alpha:
        return "holds" if np.median(d) > 0 else "contradicted"
    return "not shown"


def c1(aggregates: dict, alpha: float, min_pairs_wilcoxon: int) -> list[dict]:
    """One row per experiment, optimizer, width and HRTA schedule, compared with ReLU."""
    rows = []
    for exp, agg in aggregates.items():
        labels, base = method_labels(agg), baseline(agg)
        for opt in agg.optimizer.values:
            for width in agg.width.values:
                for method, label in labels.items():
                    if base is None or method == base:
                        continue
                    row = {"experiment": exp, "optimizer": str(opt), "width": int(width),
                           "method": method, "label": label, "baseline": base}
                    row.update(paired(*_gaps(agg, opt, base, width), *_gaps(agg, opt, method, width),
                                      alpha, min_pairs_wilcoxon))
                    rows.append(row)
    return rows


def c2(aggregates: dict, alpha: float) -> list[dict]:
    """Trend over widths of log(baseline / HRTA): least-squares slope against log width."""
    rows = []
    for exp, agg in aggregates.items():
        labels, base = method_labels(agg), baseline(agg)
        widths = [int(w) for w in agg.width.values]
        for opt in agg.optimizer.values:
            for method, label in labels.items():
                if base is None or method == base:
                    continue
                xs, ys, medians = [], [], {}
                for w in widths:
                    (b, bd), (h, hd) = _gaps(agg, opt, base, w), _gaps(agg, opt, method, w)
                    ratio, ok = seed_ratios(b, bd, h, hd)
                    xs += [math.log10(w)] * int(ok.sum())
                    ys += list(np.log10(ratio[ok]))
                    medians[w] = _median(ratio)
                rows.append({"experiment": exp, "optimizer": str(opt), "method": method,
                             "label": label, "baseline": base, "median_ratio_by_width": medians,
                             **_trend(np.array(xs), np.array(ys), medians, alpha)})
    return rows


def _trend(x: np.ndarray, y: np.ndarray, medians: dict, alpha: float) -> dict:
    out = {"n_points": int(len(x)), "slope": math.nan, "slope_p_value": math.nan,
           "spearman_rho": math.nan, "verdict": "not testable", "note": ""}
    finite = {w: r for w, r in medians.items() if np.isfinite(r)}
    if len(finite) >= 2:
        rho = stats.spearmanr(list(finite), list(finite.values())).statistic
        out["spearman_rho"] = float(rho) if np.isfinite(rho) else math.nan
    if len(np.unique(x)) < 2 or len(x) < 3:
        out["note"] = "needs at least two widths and three finite pairs"
        return out
    fit = stats.linregress(x, y)
    out.update(slope=float(fit.slope), slope_p_value=float(fit.pvalue))
    if fit.pvalue < alpha:
        out["verdict"] = "grows with width" if fit.slope > 0 else "shrinks with width"
    else:
        out["verdict"] = "no clear trend"
    largest = finite.get(max(finite)) if finite else math.nan
    if np.isfinite(largest) and largest < 1:
        out["note"] = "HRTA is behind ReLU (median ratio < 1) at the largest width"
    return out


def diverged_runs(aggregates: dict) -> list[dict]:
    """Every run whose loss became non-finite, with the epoch where it did."""
    rows = []
    for exp, agg in aggregates.items():
        div = agg["diverged"].to_dataframe().reset_index()
        at = agg["diverged_epoch"].to_dataframe().reset_index()
        for (_, r), (_, e) in zip(div.iterrows(), at.iterrows()):
            if r["diverged"]:
                rows.append({"experiment": exp, "optimizer": str(r["optimizer"]),
                             "method": str(r["method"]), "width": int(r["width"]),
                             "seed": int(r["seed"]), "epoch": int(e["diverged_epoch"])})
    return rows


def report(aggregates: dict, alpha: float = 0.05, min_pairs_wilcoxon: int = 6,
           theory: list | None = None) -> dict:
    """The machine-readable claims report (results/claims.json)."""
    rows1, rows2 = c1(aggregates, alpha, min_pairs_wilcoxon), c2(aggregates, alpha)
    return {
        "settings": {"alpha": alpha, "min_pairs_wilcoxon": min_pairs_wilcoxon,
                     "compared": "final training loss minus the exact solution's (the gap)",
                     "pairing": "by seed (same initial parameters)"},
        "experiments": list(aggregates),
        "C1": rows1, "C2": rows2, "diverged": diverged_runs(aggregates),
        "summary": {"C1": _count(rows1), "C2": _count(rows2)},
        "theory": theory or [],
    }


def _count(rows):
    out = {}
    for r in rows:
        out[r["verdict"]] = out.get(r["verdict"], 0) + 1
    return out


def to_json(rep: dict) -> str:
    """JSON with NaN and infinities written as null and strings ('inf')."""
    def clean(v):
        if isinstance(v, float):
            return None if math.isnan(v) else ("inf" if v == math.inf else v)
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v
    return json.dumps(clean(rep), indent=2, ensure_ascii=False) + "\n"


def _num(v, fmt=".3g"):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return "∞" if v == math.inf else format(v, fmt)


def markdown(rep: dict) -> str:
    """The human-readable claims report (results/claims.md)."""
    s = rep["settings"]
    out = ["# Claims of the paper, checked against these results", "",
           f"Compared: {s['compared']}, paired {s['pairing']}. Significance level {s['alpha']}; "
           "p-values are two-sided and not adjusted for the number of tests. A diverged run "
           "counts as worse than any finished one; pairs with a diverged run are left out of "
           "the tests and counted.", ""]
    out += _c1_section(rep) + _c2_section(rep) + _diverged_section(rep) + _theory_section(rep)
    return "\n".join(out)


def _c1_section(rep):
    rows = rep["C1"]
    out = ["## C1: each HRTA schedule ends with a lower training loss than ReLU", ""]
    if not rows:
        return out + ["No experiment has a ReLU baseline (a single stage with s = 1): C1 not assessed.", ""]
    counts = rep["summary"]["C1"]
    out += [f"Verdicts over {len(rows)} settings (experiment × optimizer × width × schedule): "
            + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + ".", ""]
    for exp in rep["experiments"]:
        sub = [r for r in rows if r["experiment"] == exp]
        if not sub:
            continue
        won = [r for r in sub if r["median_ratio"] > 1]
        lost = [r for r in sub if r["median_ratio"] < 1]
        out += [f"### {exp}", "",
                f"The median ratio ReLU/HRTA of the final losses is above 1 (HRTA lower) in "
                f"{len(won)} of {len(sub)} settings and below 1 (HRTA higher) in {len(lost)}"
                + (": " + "; ".join(f"{r['label']} at m = {r['width']} ({r['optimizer']}), ratio "
                                    f"{_num(r['median_ratio'])}" for r in lost) if lost else "") + ".", "",
                "| optimizer | m | schedule | HRTA lower | median ratio ReLU/HRTA | test | p "
                "| diverged (ReLU, HRTA) | verdict |",
                "|---|---|---|---|---|---|---|---|---|"]
        notes = []  # each caveat once, under the table, referenced by number
        for r in sub:
            test, mark = r["test"] or "none", ""
            if r["note"]:
                notes += [r["note"]] if r["note"] not in notes else []
                mark = f" [{notes.index(r['note']) + 1}]"
            out.append(f"| {r['optimizer']} | {r['width']} | {r['label']} | {r['n_lower']}/{r['n_seeds']} | "
                       f"{_num(r['median_ratio'])} | {test}{mark} | {_num(r['p_value'])} | "
                       f"{r['diverged_baseline']}, {r['diverged_hrta']} | {r['verdict']} |")
        out += [""] + [f"- [{i}] {note}" for i, note in enumerate(notes, 1)] + ([""] if notes else [])
    return out


def _c2_section(rep):
    rows = rep["C2"]
    out = ["## C2: the benefit grows with width", "",
           "Slope of log10(ReLU/HRTA final loss) against log10(width) by least squares over all "
           "finite seed pairs (n of them; p: t-test of the slope); Spearman's rho of the "
           "per-width median ratios (descriptive only: with four widths or fewer it cannot "
           "reach p < 0.05).", ""]
    if not rows:
        return out + ["Not assessed (no ReLU baseline).", ""]
    out += ["| experiment | optimizer | schedule | median ratio by width | n | slope | p | Spearman rho | verdict |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        by_w = ", ".join(f"{w}: {_num(v)}" for w, v in r["median_ratio_by_width"].items())
        note = f" ({r['note']})" if r["note"] else ""
        out.append(f"| {r['experiment']} | {r['optimizer']} | {r['label']} | {by_w} | {r['n_points']} | "
                   f"{_num(r['slope'])} | "
                   f"{_num(r['slope_p_value'])} | {_num(r['spearman_rho'])} | {r['verdict']}{note} |")
    return out + [""]


def _diverged_section(rep):
    rows = rep["diverged"]
    out = ["## Diverged runs", ""]
    if not rows:
        return out + ["None: every run finished with a finite loss.", ""]
    out += [f"{len(rows)} runs diverged (counted above, never dropped):", "",
            "| experiment | optimizer | method | m | seed | first non-finite epoch |", "|---|---|---|---|---|---|"]
    out += [f"| {r['experiment']} | {r['optimizer']} | {r['method']} | {r['width']} | {r['seed']} | {r['epoch']} |"
            for r in rows]
    return out + [""]


def _theory_section(rep):
    if not rep["theory"]:
        return []
    out = ["## Theory checks", "",
           "Values read from the theory helpers' files (lists shortened; full data in the files).", ""]
    for item in rep["theory"]:
        out += [f"From `{item['source']}`:", ""]
        out += [f"- `{path}`: {value}" for path, value in _leaves(item["data"])]
        out.append("")
    return out


def _leaves(data, path=""):
    """(dotted path, value) of every scalar in nested JSON; long lists summarised, provenance skipped."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "provenance":
                yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list) and (len(data) > 8 or any(isinstance(v, (dict, list)) for v in data)):
        yield path, f"({len(data)} values)"
    else:
        yield path, data
