"""The claims report's numbers: does an HRTA schedule end with a lower training loss than its
baseline (C1; C5 on real data, also for the held-out error), more so at larger width (C2),
and how did the runs train (the switch, the minimum, the budget)?

Runs are paired by seed (the same seed gives the same initial parameters to every method).
The loss compared is the final training loss minus the exact solution's (0 for regression,
E(u*) for a Ritz energy), the gap. Every comparison follows the one reading of
hrta.reporting.numbers.paired (``Reading``); its families, each adjusted together: C1 per
experiment (every optimizer, width and schedule), C1 at the minimum per experiment, C2 per
experiment, C5 per real-data experiment and quantity (and C3, C4 per claim:
hrta.reporting.numbers.architectures).
"""

import json
import math

import numpy as np
import xarray as xr

from hrta.reporting.facts import baseline, compared_loss, method_labels, s_path, schedule_kind
from hrta.reporting.numbers import paired, trend
from hrta.reporting.numbers.dynamics import DRIFT, dynamics
from hrta.reporting.numbers.dynamics import drifting as drifting_runs

C5_QUANTITIES = ("final_loss", "final_test_error")  # real data: the training loss, as C1, and the held-out error


_MEASURES = {}  # id(aggregate) -> (aggregate, its measures)


def measures(agg):
    """The run measures of an aggregate (hrta.reporting.numbers.dynamics), computed once per dataset."""
    held = _MEASURES.get(id(agg))
    if held is None or held[0] is not agg:
        held = _MEASURES[id(agg)] = (agg, dynamics(agg))
    return held[1]


def trained(agg):
    """Which runs were trained (all, for aggregates that do not record it)."""
    return agg["trained"].astype(bool) if "trained" in agg else agg["diverged"] >= 0


def values(agg, quantity: str):
    """A run quantity as compared: final_loss (the gap), min_loss (the gap's minimum over the
    run), final_test_error."""
    if quantity == "final_loss":
        return compared_loss(agg, "final_loss")
    if quantity == "min_loss":
        return measures(agg)["min_loss"]
    return agg[quantity]


def seed_pairs(agg, opt, base, method, width, quantity="final_loss", cache=None) -> tuple:
    """(baseline values, baseline diverged, method values, method diverged, both trained) per
    seed the config plans at this width (``planned``: a width of max_seeds has fewer)."""
    vals = values(agg, quantity) if cache is None else cache
    div, done = agg["diverged"].astype(bool), trained(agg)
    plan = agg["planned"].astype(bool) if "planned" in agg else xr.ones_like(div)

    def one(m):
        where = {"optimizer": opt, "method": m, "width": width}
        return vals.sel(where).values, div.sel(where).values, done.sel(where).values, plan.sel(where).values

    b, bd, bt, bp = one(base)
    h, hd, ht, hp = one(method)
    keep = bp & hp
    return b[keep], bd[keep], h[keep], hd[keep], (bt & ht)[keep]


def _compared(aggregates: dict):
    """(experiment, aggregate, optimizer, baseline, method, label, baseline label) of every HRTA schedule."""
    for exp, agg in aggregates.items():
        labels, base = method_labels(agg), baseline(agg)
        if base is None:
            continue
        for opt in agg.optimizer.values:
            for method, label in labels.items():
                if method != base:
                    yield exp, agg, str(opt), base, method, label, labels[base]


def _scale(agg, pairs) -> str:
    """'difference' where a gap that may be <= 0 is so on some trained pair, else 'log ratio'."""
    b, bd, h, hd, done = pairs
    run = done & ~bd & ~hd
    if bool(agg["loss_is_gap"]) and ((b[run] <= 0) | (h[run] <= 0)).any():
        return "difference"
    return "log ratio"


def budget(agg, opt, base, width) -> dict:
    """The epochs and how converged the baseline is there: its median tail (the fall over the
    last 10% of the epochs) and drift (final over minimum)."""
    dyn = measures(agg).sel({"optimizer": opt, "method": base, "width": width})
    return {"epochs": int(agg.sizes["epoch"] - 1), "baseline_tail": float(np.nanmedian(dyn["tail"].values)),
            "baseline_drift": float(np.nanmedian(dyn["drift"].values))}


def c1(aggregates: dict, reading: paired.Reading, quantities=("final_loss",)) -> list[dict]:
    """One row per quantity, experiment, optimizer, width and HRTA schedule against the
    baseline, adjusted per experiment and quantity."""
    rows = []
    for quantity in quantities:
        for exp in aggregates:
            family = []
            cache = values(aggregates[exp], quantity)
            for _, agg, opt, base, method, label, plain in _compared({exp: aggregates[exp]}):
                for width in agg.width.values:
                    pairs = seed_pairs(agg, opt, base, method, width, quantity, cache)
                    scale = _scale(agg, pairs) if quantity in ("final_loss", "min_loss") else "log ratio"
                    res = paired.compare(*pairs, reading=reading, scale=scale)
                    family.append({"experiment": exp, "quantity": quantity, "optimizer": opt, "width": int(width),
                                   "method": method, "label": label, "baseline": base, "plain": plain,
                                   **budget(agg, opt, base, width), **res.as_dict()})
            rows += paired.decide(family, reading)
    return rows


def drifting(aggregates: dict) -> list[str]:
    """The experiments whose baseline drifts up after its minimum (median drift above DRIFT in
    some optimizer and width): their C1 is also given at the minimum."""
    out = []
    for exp, agg in aggregates.items():
        base = baseline(agg)
        if base is not None and bool(drifting_runs(measures(agg)).sel({"method": base}).notnull().any()):
            out.append(exp)
    return out


def c2(aggregates: dict, reading: paired.Reading, c1_rows: list[dict]) -> list[dict]:
    """One row per experiment, optimizer and HRTA schedule: the trend of the paired log ratios
    over widths, adjusted per experiment; grows only where HRTA ends ahead at the largest width."""
    verdicts = {(r["experiment"], r["optimizer"], r["method"], r["width"]): r["verdict"] for r in c1_rows
                if r["quantity"] == "final_loss"}
    rows = []
    for exp in aggregates:
        family, ahead = [], []
        for _, agg, opt, base, method, label, plain in _compared({exp: aggregates[exp]}):
            pairs = {int(w): seed_pairs(agg, opt, base, method, w) for w in agg.width.values}
            largest = max(pairs)
            family.append({"experiment": exp, "optimizer": opt, "method": method, "label": label, "plain": plain,
                           "median_ratio_by_width": {w: paired.median_ratio(*p) for w, p in pairs.items()},
                           "largest_width": largest, "largest_verdict": verdicts.get((exp, opt, method, largest)),
                           **budget(agg, opt, base, largest), **trend.width_trend(pairs, reading.alpha).as_dict()})
            ahead.append(family[-1]["largest_verdict"] == "holds")
        rows += trend.decide(family, reading, ahead)
    return rows


def switches(aggregates: dict) -> list[dict]:
    """Per experiment, optimizer, HRTA schedule, width and switch: the median shock, the runs
    that recovered (k of n) and their median recovery, beside the schedule's paired outcome."""
    rows = []
    for exp, agg in aggregates.items():
        dyn = measures(agg)
        base = baseline(agg)
        for opt in agg.optimizer.values:
            for method, label in method_labels(agg).items():
                if method == base:
                    continue
                for width in agg.width.values:
                    cell = dyn.sel({"optimizer": opt, "method": method, "width": width})
                    for k in cell.switch.values:
                        shock, rec = cell["shock"].sel(switch=k).values, cell["recovery"].sel(switch=k).values
                        peak = cell["peak"].sel(switch=k).values
                        if not np.isfinite(shock).any():
                            continue
                        rows.append({"experiment": exp, "optimizer": str(opt), "method": method, "label": label,
                                     "width": int(width), "switch": int(k),
                                     "epoch": float(np.nanmedian(cell["switch_epoch"].sel(switch=k).values)),
                                     "shock": float(np.nanmedian(shock)), "shock_max": float(np.nanmax(shock)),
                                     "peak": float(np.nanmedian(peak)), "peak_max": float(np.nanmax(peak)),
                                     "recovered": int(np.isfinite(rec).sum()), "runs": int(np.isfinite(shock).sum()),
                                     "recovery": float(np.nanmedian(rec)) if np.isfinite(rec).any() else math.nan})
    return rows


def without_jump(aggregates: dict, reading: paired.Reading) -> list[dict]:
    """Every ramp or switch on plateau against the schedule through the same s values with
    the jump (hrta.reporting.facts.s_path), per optimizer and width, adjusted per experiment
    (ratio: jump/path, above 1 when the path without the jump ends lower)."""
    rows = []
    for exp, agg in aggregates.items():
        labels, family = method_labels(agg), []
        jumps = {s_path(label): m for m, label in labels.items() if schedule_kind(label) == "stages"}
        cache = values(agg, "final_loss")
        for method, label in labels.items():
            sibling = jumps.get(s_path(label))
            if schedule_kind(label) == "stages" or sibling is None:
                continue
            for opt in agg.optimizer.values:
                for width in agg.width.values:
                    pairs = seed_pairs(agg, str(opt), sibling, method, width, cache=cache)
                    res = paired.compare(*pairs, reading=reading, scale=_scale(agg, pairs))
                    family.append({"experiment": exp, "optimizer": str(opt), "width": int(width), "method": method,
                                   "label": label, "kind": schedule_kind(label), "baseline": sibling,
                                   "plain": labels[sibling], **res.as_dict()})
        rows += paired.decide(family, reading)
    return rows


def drifts(aggregates: dict) -> list[dict]:
    """Per experiment, optimizer, method and width: the median epoch of the minimum of the
    training loss, the median drift after it and the median tail."""
    rows = []
    for exp, agg in aggregates.items():
        dyn = measures(agg)
        for opt in agg.optimizer.values:
            for method, label in method_labels(agg).items():
                for width in agg.width.values:
                    cell = dyn.sel({"optimizer": opt, "method": method, "width": width})
                    rows.append({"experiment": exp, "optimizer": str(opt), "method": method, "label": label,
                                 "width": int(width), "epochs": int(agg.sizes["epoch"] - 1),
                                 "min_epoch": float(np.median(cell["min_epoch"].values)),
                                 "drift": float(np.nanmedian(cell["drift"].values)),
                                 "tail": float(np.nanmedian(cell["tail"].values))})
    return rows


def diverged_runs(aggregates: dict) -> list[dict]:
    """Every run whose loss became non-finite, with the epoch where it did."""
    rows = []
    for exp, agg in aggregates.items():
        at = agg["diverged_epoch"].where(agg["diverged"].astype(bool))
        for pos in zip(*np.nonzero(np.isfinite(at.values))):
            run = dict(zip(at.dims, pos))
            rows.append({"experiment": exp, **{d: _plain(agg[d].values[i]) for d, i in run.items()},
                         "epoch": int(at.values[pos])})
    return rows


def _plain(v):
    return int(v) if isinstance(v, np.integer) else str(v)


def _compared_words(aggregates: dict) -> str:
    """What the tests compare, in words, for the experiments at hand."""
    gaps = [name for name, ds in aggregates.items() if bool(ds["loss_is_gap"])]
    plain = [name for name in aggregates if name not in gaps]
    parts = ([f"the final training loss ({', '.join(plain)})"] if plain else []) + (
        [f"the final Ritz energy gap E(u) − E(u*) on the same points ({', '.join(gaps)})"] if gaps else [])
    return " and ".join(parts)


def report(aggregates: dict, reading: paired.Reading, theory: dict | None = None,
           real_data: dict | None = None) -> dict:
    """The machine-readable claims report (results/claims.json); theory: Theorem 1's verdict
    file or None; real_data: the real-data experiments' aggregates by name (C5)."""
    real_data = real_data or {}
    rows1 = c1(aggregates, reading)
    again = drifting(aggregates)
    at_minimum = c1({e: aggregates[e] for e in again}, reading, ("min_loss",))
    rows5 = c1(real_data, reading, C5_QUANTITIES)
    rows2 = c2(aggregates, reading, rows1)
    return {
        "settings": {"alpha": reading.alpha, "adjust": reading.adjust_name, "min_pairs": reading.min_pairs,
                     "test": paired.WILCOXON, "compared": _compared_words(aggregates),
                     "pairing": "by seed (same initial parameters)", "drift": DRIFT},
        "experiments": list(aggregates), "real_data": list(real_data),
        "C1": rows1, "C1_minimum": at_minimum, "C2": rows2, "C5": rows5,
        "switches": switches({**aggregates, **real_data}), "drifts": drifts({**aggregates, **real_data}),
        "without_jump": without_jump(aggregates, reading),
        "diverged": diverged_runs({**aggregates, **real_data}),
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
