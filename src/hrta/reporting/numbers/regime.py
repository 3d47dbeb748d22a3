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

from hrta.pipeline.regime_map import PATH
from hrta.pipeline.regimes import JUMP
from hrta.reporting.facts import compared_loss
from hrta.reporting.numbers import paired
from hrta.reporting.numbers.dynamics import RUN_DIMS, dynamics, excursion

FIELDS = ("median_ratio", "estimate", "ci_low", "ci_high", "p_value", "n_tested", "left_out", "n_lower", "n_seeds")
PATH_FIELDS = (*FIELDS, "mean_ratio", "mean_low", "mean_high")  # the path figure draws the geometric mean
SHOCK_MEASURES = {  # dynamics measure -> what it is
    "shock": "loss just after the switch over the loss just before it",
    "peak": "highest loss from the switch until it is back below its value before the switch (or the end) over"
            " that value; for a ramp over its whole window and after",
    "recovery": "epochs from the switch until the loss is below its value before the switch (for a ramp: from its"
                " last epoch on; NaN: never)",
    "switch_epoch": "epoch of the switch (first epoch of the new s; on plateau: where it fired)",
}
COMPARISONS = {  # name -> (baseline variable prefix, method variable prefix)
    "vs_relu": ("relu_", ""),
    "vs_control": ("control_", ""),
    "control_vs_relu": ("relu_", "control_"),
}


def _values(ds: xr.Dataset, prefix: str) -> tuple[xr.DataArray, xr.DataArray]:
    view = ds[[f"{prefix}final_loss", f"{prefix}diverged"]].rename(
        {f"{prefix}final_loss": "final_loss", f"{prefix}diverged": "diverged"})
    return compared_loss(view.assign_coords(loss_is_gap=ds["loss_is_gap"]), "final_loss"), view["diverged"]


def _compare(ds, base_prefix, method_prefix, reading, fields=FIELDS) -> xr.Dataset:
    return _compare_values(ds, *_values(ds, base_prefix), *_values(ds, method_prefix), reading, fields)


def _compare_values(ds, base, base_div, method, method_div, reading, fields=FIELDS) -> xr.Dataset:
    """The paired test of every cell (the dims of ``method`` but seed), adjusted per optimizer
    family and budget."""
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
    out = xr.Dataset({f: (dims[:-1], np.vectorize(lambda r, f=f: r[f], otypes=[float])(rows)) for f in fields},
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


def path_tests(ds: xr.Dataset, reading: paired.Reading) -> xr.Dataset:
    """The path variants' tests (a map with ``path``; else empty) as variables
    ``path_<comparison>_<field>``, dims (budget, optimizer, path, width): against ReLU, against
    the control and against the jump (the baseline: the jump; NaN and verdict '' at the jump
    itself). Their families, each adjusted together: each comparison, optimizer family and
    budget over the path cells alone (apart from the map's own families)."""
    out = xr.Dataset()
    if "path" not in ds.dims:
        return out
    method, method_div = _values(ds, PATH)
    others = [p for p in ds["path"].values if p != JUMP]
    tests = {"vs_relu": _compare_values(ds, *_values(ds, "relu_"), method, method_div, reading, PATH_FIELDS),
             "vs_control": _compare_values(ds, *_values(ds, "control_"), method, method_div, reading, PATH_FIELDS)}
    if JUMP in ds["path"].values and others:
        jump, jump_div = (a.sel({"path": JUMP}, drop=True) for a in (method, method_div))
        sub = {"path": others}
        tests["vs_jump"] = _compare_values(ds, jump, jump_div, method.sel(sub), method_div.sel(sub), reading,
                                           PATH_FIELDS).reindex(path=ds["path"].values)
        tests["vs_jump"]["verdict"] = tests["vs_jump"]["verdict"].fillna("").astype(str)
    for name, res in tests.items():
        for var, values in res.data_vars.items():
            out[f"{PATH}{name}_{var}"] = values.transpose("budget", "optimizer", "path", "width")
    return out


def shocks(agg: xr.Dataset, ds: xr.Dataset) -> xr.Dataset:
    """Per run of each path variant (a map with ``path``; else empty), dims (optimizer, path,
    width, seed), at its first switch (hrta.reporting.numbers.dynamics, over the whole run):
    the shock (the loss just after over just before), the peak (the highest loss from the
    switch until the loss is back below its value before it, or the end, over that value: for
    a ramp its whole window and after), the epochs to recover (NaN: never) and the epoch of the
    switch (a plateau's: where it fired)."""
    if "path" not in ds.dims:
        return xr.Dataset()
    methods = [str(m) for m in ds["path_method"].values]
    sub = agg.sel({"optimizer": list(ds["optimizer"].values), "method": methods})
    dyn = dynamics(sub)
    loss = compared_loss(sub).transpose(*RUN_DIMS, "epoch").values
    div = sub["diverged_epoch"].transpose(*RUN_DIMS).values
    live = np.where(np.arange(loss.shape[-1]) < np.where(div >= 0, div, loss.shape[-1])[..., None], loss, np.nan)
    at = dyn["switch_epoch"].isel(switch=0).transpose(*RUN_DIMS).values
    for k, length in enumerate(ds["path_ramp_epochs"].values):  # a ramp: its whole window and after
        if length > 1:
            for pos in np.ndindex(at[:, k].shape):
                run = (pos[0], k, *pos[1:])
                if np.isfinite(at[run]):
                    _, rec, peak = excursion(live[run], int(at[run]), int(length))
                    dyn["recovery"].values[(*run, 0)], dyn["peak"].values[(*run, 0)] = rec, peak
    out = xr.Dataset()
    for measure in SHOCK_MEASURES:
        arr = dyn[measure].isel(switch=0, drop=True).rename(method="path").assign_coords(path=ds["path"].values)
        out[f"{PATH}{measure}"] = arr.transpose("optimizer", "path", "width", "seed").drop_vars(
            [c for c in arr.coords if c not in ("optimizer", "path", "width", "seed")])
        out[f"{PATH}{measure}"].attrs = {"long_name": f"{SHOCK_MEASURES[measure]} (the path variant's runs, its"
                                                      " first switch)", "units": dyn[measure].attrs["units"]}
    return out


def with_tests(ds: xr.Dataset, reading: paired.Reading, agg: xr.Dataset | None = None) -> xr.Dataset:
    """The map with its tests (map_tests, path_tests) added as variables, and the path
    variants' per-run shocks (``shocks``) where the aggregate is given."""
    out = ds.merge(map_tests(ds, reading), compat="no_conflicts", combine_attrs="drop_conflicts")
    extra = path_tests(ds, reading)
    if agg is not None:
        extra = extra.merge(shocks(agg, ds))
    return out.merge(extra, compat="no_conflicts", combine_attrs="override")


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


PATH_COMPARISONS = ("vs_relu", "vs_control", "vs_jump")


def _median(values) -> float:
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else float("nan")


def _shock_fields(sub: xr.Dataset) -> dict:
    """The switch shock of a path variant's runs (every setting, width and seed given)."""
    shock, peak, rec = (sub[f"{PATH}{m}"].values.ravel() for m in ("shock", "peak", "recovery"))
    ran = np.isfinite(shock)
    return {"shock": _median(shock), "shock_max": float(np.nanmax(shock)) if ran.any() else float("nan"),
            "peak": _median(peak), "peak_max": float(np.nanmax(peak)) if ran.any() else float("nan"),
            "switch_epoch": _median(sub[f"{PATH}switch_epoch"].values), "runs": int(ran.sum()),
            "recovered": int(np.isfinite(rec).sum()), "recovery": _median(rec)}


def _cell(sub: xr.Dataset) -> dict:
    """One cell (setting and width) of a path variant: its shock and its tests' fields."""
    one = sub.isel(optimizer=0, width=0)
    out = {"optimizer": str(one["optimizer"].values), "setting": str(one["setting"].values),
           "width": int(one["width"]), **_shock_fields(sub)}
    for comp in PATH_COMPARISONS:
        for f in ("median_ratio", "mean_ratio", "mean_low", "mean_high", "p_adjusted", "verdict"):
            value = one[f"{PATH}{comp}_{f}"].values
            out[f"{comp}_{f}"] = str(value) if f == "verdict" else float(value)
    return out


def paths_summary(ds: xr.Dataset) -> list[dict]:
    """A tested map's path variants for the report (empty without a path axis): per budget,
    optimizer family and path variant, the switch shock of its runs (medians over settings,
    widths and seeds; the largest; the runs that got back below the loss before the switch
    within the largest budget), and per comparison (vs_relu, vs_control, vs_jump) the verdict
    counts over its cells (setting x width), the median ratio over them and, against ReLU and
    the control, the cells whose verdict differs from the jump's; ReLU's convergence there
    (relu_tail: its median over the family's settings and widths); and every cell."""
    if "path" not in ds.dims or f"{PATH}shock" not in ds:
        return []
    rows = []
    for budget in ds["budget"].values:
        at = ds.sel(budget=budget)
        for fam in dict.fromkeys(str(f) for f in at["family"].values):
            opts = [o for o in at["optimizer"].values if str(at["family"].sel(optimizer=o).values) == fam]
            cells = at.sel(optimizer=opts)
            common = {"budget": int(budget), "family": fam, "relu_tail": _median(cells["relu_tail"].values),
                      "seeds": int(ds.sizes["seed"]), "cells": len(opts) * int(ds.sizes["width"]),
                      "pair": str(ds.attrs.get("paths", ""))}
            jump = cells.sel({"path": JUMP}) if JUMP in cells["path"].values else None
            for path in cells["path"].values:
                sub = cells.sel({"path": path})
                row = {**common, "path": str(path), "label": str(sub["path_label"].values),
                       "method": str(sub["path_method"].values), **_shock_fields(sub)}
                for comp in PATH_COMPARISONS:
                    verdicts = sub[f"{PATH}{comp}_verdict"].values
                    if comp == "vs_jump" and path == JUMP:
                        continue
                    part = {"median_ratio": _median(sub[f"{PATH}{comp}_median_ratio"].values),
                            **verdict_counts(verdicts)}
                    if comp != "vs_jump" and jump is not None:
                        part["differs_from_jump"] = int((verdicts != jump[f"{PATH}{comp}_verdict"].values).sum())
                    row[comp] = part
                row["by_cell"] = [_cell(sub.sel(optimizer=[o], width=[w])) for o in sub["optimizer"].values
                                  for w in sub["width"].values]
                rows.append(row)
    return rows
