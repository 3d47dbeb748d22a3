"""Regime maps' tests: the paired tests of every cell (HRTA against ReLU and against the
control s = const throughout; the control against ReLU), under the report's one reading
(hrta.reporting.numbers.paired.Reading), and the map's cells and verdict counts.

A cell is one (budget, optimizer = family and learning rate, schedule, switch point,
width); its test compares the compared loss at the budget over the seeds. The families,
each adjusted together: every comparison, optimizer family and budget (e.g. HRTA against
ReLU under Adam at 2000 epochs: every learning rate, schedule, switch point and width).
"""

import numpy as np
import xarray as xr

from hrta.reporting.facts import compared_loss
from hrta.reporting.numbers import paired

FIELDS = ("median_ratio", "estimate", "ci_low", "ci_high", "p_value", "n_tested", "left_out", "n_lower", "n_seeds")
COMPARISONS = {  # name -> (baseline variable prefix, method variable prefix)
    "vs_relu": ("relu_", ""),
    "vs_control": ("control_", ""),
    "control_vs_relu": ("relu_", "control_"),
}


def _values(ds: xr.Dataset, prefix: str) -> tuple[xr.DataArray, xr.DataArray]:
    view = ds[[f"{prefix}final_loss", f"{prefix}diverged"]].rename(
        {f"{prefix}final_loss": "final_loss", f"{prefix}diverged": "diverged"})
    return compared_loss(view.assign_coords(loss_is_gap=ds["loss_is_gap"]), "final_loss"), view["diverged"]


def _compare(ds, base_prefix, method_prefix, reading) -> xr.Dataset:
    base, base_div = _values(ds, base_prefix)
    method, method_div = _values(ds, method_prefix)
    base, base_div, method, method_div = xr.broadcast(base, base_div, method, method_div)
    dims = [d for d in method.dims if d != "seed"] + ["seed"]
    arrays = [a.transpose(*dims).values for a in (base, base_div, method, method_div)]
    cells = arrays[0].shape[:-1]
    rows = np.empty(cells, dtype=object)
    for idx in np.ndindex(cells):
        rows[idx] = paired.compare(*(a[idx] for a in arrays), reading=reading).as_dict()
    fam = ds["family"].broadcast_like(method.isel(seed=0, drop=True)).transpose(*dims[:-1]).values
    budget = method["budget"].broadcast_like(method.isel(seed=0, drop=True)).transpose(*dims[:-1]).values
    for key in set(zip(fam.ravel(), budget.ravel())):  # a family: one optimizer family at one budget
        where = (fam == key[0]) & (budget == key[1])
        paired.decide(list(rows[where]), reading)
    coords = {d: method[d] for d in dims[:-1]}
    out = xr.Dataset({f: (dims[:-1], np.vectorize(lambda r, f=f: r[f], otypes=[float])(rows)) for f in FIELDS},
                     coords=coords)
    out["p_adjusted"] = (dims[:-1], np.vectorize(lambda r: r["p_adjusted"], otypes=[float])(rows))
    out["verdict"] = (dims[:-1], np.vectorize(lambda r: r["verdict"], otypes=[str])(rows))
    return out


def map_tests(ds: xr.Dataset, reading: paired.Reading) -> xr.Dataset:
    """Every comparison's fields as variables ``<comparison>_<field>``, with the adjusted
    p-value and the verdict."""
    out = xr.Dataset()
    for name, (base_prefix, method_prefix) in COMPARISONS.items():
        for var, values in _compare(ds, base_prefix, method_prefix, reading).data_vars.items():
            out[f"{name}_{var}"] = values
    out.attrs.update(alpha=reading.alpha, adjust=reading.adjust_name, test=paired.WILCOXON,
                     min_pairs=reading.min_pairs, families="each comparison, optimizer family and budget")
    return out


def with_tests(ds: xr.Dataset, reading: paired.Reading) -> xr.Dataset:
    """The map with its tests (map_tests) added as variables."""
    return ds.merge(map_tests(ds, reading), compat="no_conflicts", combine_attrs="drop_conflicts")


def verdict_counts(verdicts) -> dict:
    """{verdict: how many of these cells have it}, every verdict named (0 where none)."""
    v = [str(x) for x in np.ravel(verdicts)]
    return {k: v.count(k) for k in paired.VERDICTS}


def hrta_cells(ds, comparison: str = "vs_relu"):
    """Every HRTA cell (of one budget's map) as a dict of its coordinates and test fields."""
    out = []
    for o in ds["optimizer"].values:
        for sch in ds["schedule"].values:
            for sw in ds["switch"].values:
                for w in ds["width"].values:
                    c = ds.sel(optimizer=o, schedule=sch, switch=sw, width=w)
                    out.append({"optimizer": str(o), "family": str(c["family"].values),
                                "setting": str(c["setting"].values), "schedule": str(sch),
                                "label": str(c["schedule_label"].values), "switch": float(sw),
                                "switch_epoch": int(c["switch_epoch"]), "width": int(w),
                                **{f: float(c[f"{comparison}_{f}"]) for f in (*FIELDS, "p_adjusted")},
                                "verdict": str(c[f"{comparison}_verdict"].values)})
    return out


def summary(ds: xr.Dataset) -> list[dict]:
    """A tested map's rows for the report: per budget, optimizer family and comparison (HRTA
    against ReLU and against the control, per schedule; the control against ReLU), the
    verdict counts over its cells, the median ratio over them, the best cell, and ReLU's
    convergence there (its median tail over the family's settings and widths)."""
    rows = []
    for budget in ds["budget"].values:
        at = ds.sel(budget=budget)
        for fam in dict.fromkeys(str(f) for f in at["family"].values):
            cells = at.where(at["family"] == fam, drop=True)
            tail = float(cells["relu_tail"].median())
            common = {"budget": int(budget), "family": fam, "relu_tail": tail, "seeds": int(ds.sizes["seed"])}
            for comparison in ("vs_relu", "vs_control"):
                for sch in cells["schedule"].values:
                    sub = cells.sel(schedule=sch)
                    ratio = sub[f"{comparison}_median_ratio"].values
                    best = max(hrta_cells(sub.expand_dims(schedule=[sch]), comparison),
                               key=lambda c: c["median_ratio"] if np.isfinite(c["median_ratio"]) else -np.inf)
                    rows.append({**common, "comparison": comparison, "schedule": str(sch),
                                 "label": str(sub["schedule_label"].values), "cells": int(ratio.size),
                                 "median_ratio": float(np.nanmedian(ratio)), "best": best,
                                 **verdict_counts(sub[f"{comparison}_verdict"].values)})
            ratio = cells["control_vs_relu_median_ratio"].values
            rows.append({**common, "comparison": "control_vs_relu", "schedule": "control",
                         "label": f"s = {float(ds['control_s']):g} throughout", "cells": int(ratio.size),
                         "median_ratio": float(np.nanmedian(ratio)), "best": None,
                         **verdict_counts(cells["control_vs_relu_verdict"].values)})
    return rows
