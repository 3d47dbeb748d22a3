"""The claims report: does HRTA end with a lower training loss than ReLU (C1), more so at larger width (C2)?
Does it help on real data (C5: C1's comparison on the real-data experiments, for the final
training loss and the final held-out error)?

Runs are paired by seed (the same seed gives the same initial parameters to every method).
The loss compared is the final training loss minus the exact solution's (0 for regression,
E(u*) for a Ritz energy), called the gap. A diverged run (non-finite loss) is never dropped:
it is the worst outcome inside the rank tests (hrta.reporting.numbers.paired, hrta.reporting.numbers.trend),
and a schedule cannot "hold" while it diverged on a seed where ReLU finished. The Markdown
text is written by hrta.reporting.words.claims.
"""

import json
import math

import numpy as np

from hrta.reporting.facts import baseline, compared_loss, method_labels
from hrta.reporting.numbers import paired, trend

# What C5 compares on real data: the final training loss, as C1, and the final held-out error.
C5_QUANTITIES = ("final_loss", "final_test_error")


def _gaps(agg, opt, method, width, quantity="final_loss"):
    where = {"optimizer": opt, "method": method, "width": width}
    values = compared_loss(agg, quantity) if quantity == "final_loss" else agg[quantity]
    return values.sel(where).values, agg["diverged"].sel(where).values.astype(bool)


def seed_pairs(agg, opt, base, method, width, quantity="final_loss") -> tuple:
    """(baseline gaps, baseline diverged, method gaps, method diverged) per seed."""
    return (*_gaps(agg, opt, base, width, quantity), *_gaps(agg, opt, method, width, quantity))


def _compared(aggregates: dict):
    """(experiment, aggregate, optimizer, baseline, method, label) of every HRTA schedule."""
    for exp, agg in aggregates.items():
        labels, base = method_labels(agg), baseline(agg)
        if base is None:
            continue
        for opt in agg.optimizer.values:
            for method, label in labels.items():
                if method != base:
                    yield exp, agg, str(opt), base, method, label, labels[base]


def c1(aggregates: dict, alpha: float, min_pairs_wilcoxon: int, quantities=("final_loss",)) -> list[dict]:
    """One row per quantity (final_loss: the gap; final_test_error), experiment, optimizer,
    width and HRTA schedule, compared with ReLU (hrta.reporting.numbers.paired.compare), with Holm's
    adjustment over all rows."""
    rows = []
    for quantity in quantities:
        for exp, agg, opt, base, method, label, plain in _compared(aggregates):
            for width in agg.width.values:
                b, bd, h, hd = seed_pairs(agg, opt, base, method, width, quantity)
                lower = np.where(hd, np.inf, h) < np.where(bd, np.inf, b)
                rows.append({"experiment": exp, "quantity": quantity, "optimizer": opt, "width": int(width),
                             "method": method, "label": label, "baseline": base, "plain": plain,
                             "n_lower": int(lower.sum()),
                             **paired.compare(b, bd, h, hd, alpha, min_pairs_wilcoxon).as_dict()})
    for row, p_holm in zip(rows, paired.holm([r["p_value"] for r in rows])):
        row["p_holm"] = float(p_holm)
    return rows


def c2(aggregates: dict, alpha: float) -> list[dict]:
    """One row per experiment, optimizer and HRTA schedule: the trend of the paired log
    ratios over widths (hrta.reporting.numbers.trend.width_trend)."""
    rows = []
    for exp, agg, opt, base, method, label, _ in _compared(aggregates):
        pairs = {int(w): seed_pairs(agg, opt, base, method, w) for w in agg.width.values}
        medians = {w: paired.median_ratio(*p) for w, p in pairs.items()}
        row = {"experiment": exp, "optimizer": opt, "method": method, "label": label, "baseline": base,
               "median_ratio_by_width": medians, **trend.width_trend(pairs, alpha).as_dict()}
        largest = medians[max(medians)]
        row["behind_at_largest_width"] = bool(np.isfinite(largest) and largest < 1)
        rows.append(row)
    return rows


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


def _compared_words(aggregates: dict) -> str:
    """What the tests compare, in words, for the experiments at hand."""
    gaps = [name for name, ds in aggregates.items() if bool(ds["loss_is_gap"])]
    plain = [name for name in aggregates if name not in gaps]
    parts = ([f"the final training loss ({', '.join(plain)})"] if plain else []) + (
        [f"the final Ritz energy gap E(u) − E(u*) on the same points ({', '.join(gaps)})"] if gaps else [])
    return " and ".join(parts)


def report(aggregates: dict, alpha: float = 0.05, min_pairs_wilcoxon: int = 6,
           theory: dict | None = None, real_data: dict | None = None) -> dict:
    """The machine-readable claims report (results/claims.json); theory: Theorem 1's verdict
    file (results/theory/theorem1.json) or None; real_data: the real-data experiments'
    aggregates by name (C5; Holm's adjustment over C5's rows alone)."""
    rows1, rows2 = c1(aggregates, alpha, min_pairs_wilcoxon), c2(aggregates, alpha)
    rows5 = c1(real_data or {}, alpha, min_pairs_wilcoxon, C5_QUANTITIES)
    return {
        "settings": {"alpha": alpha, "min_pairs_wilcoxon": min_pairs_wilcoxon,
                     "compared": _compared_words(aggregates),
                     "pairing": "by seed (same initial parameters)"},
        "experiments": list(aggregates), "real_data": list(real_data or {}),
        "C1": rows1, "C2": rows2, "C5": rows5, "diverged": diverged_runs({**aggregates, **(real_data or {})}),
        "summary": {"C1": count(rows1), "C2": count(rows2), "C5": count(rows5)},
        "theory": theory,
    }


def count(rows) -> dict:
    """{verdict: rows with it}."""
    out = {}
    for r in rows:
        out[r["verdict"]] = out.get(r["verdict"], 0) + 1
    return out


def to_json(rep: dict) -> str:
    """JSON with NaN written as null and infinities as the strings 'inf' and '-inf'."""
    def clean(v):
        if isinstance(v, float):
            return None if math.isnan(v) else (("inf" if v > 0 else "-inf") if math.isinf(v) else v)
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v
    return json.dumps(clean(rep), indent=2, ensure_ascii=False) + "\n"
