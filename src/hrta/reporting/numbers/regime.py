"""Regime maps' tests: the paired tests of every cell (HRTA against ReLU and against the
control s = const throughout; the control against ReLU), adjusted for the number of tests of
each family, and the map's cells and verdict counts as the report reads them.

A cell is one (optimizer = family and learning rate, schedule, switch point, width); its
test compares the final compared loss over the seeds (hrta.reporting.numbers.paired.compare, which
counts a diverged run as the worst outcome). The three comparisons are three families,
each adjusted over all of its cells of the map (``regime.adjust``: Holm or BH). A verdict
holds or is contradicted when the test's own direction says so and the ADJUSTED p-value
is below ``regime.alpha``; the raw p-values are kept beside.
"""

import numpy as np
import xarray as xr

from hrta.reporting.facts import compared_loss
from hrta.reporting.numbers import paired

ADJUST = {"holm": paired.holm, "bh": paired.benjamini_hochberg}
ADJUST_NAMES = {"holm": "Holm", "bh": "Benjamini-Hochberg"}
FIELDS = ("median_ratio", "estimate", "ci_low", "ci_high", "p_value", "n_tested")
COMPARISONS = {  # name -> (baseline variable prefix, method variable prefix)
    "vs_relu": ("relu_", ""),
    "vs_control": ("control_", ""),
    "control_vs_relu": ("relu_", "control_"),
}


def _values(ds: xr.Dataset, prefix: str) -> tuple[xr.DataArray, xr.DataArray]:
    view = ds[[f"{prefix}final_loss", f"{prefix}diverged"]].rename(
        {f"{prefix}final_loss": "final_loss", f"{prefix}diverged": "diverged"})
    return compared_loss(view.assign_coords(loss_is_gap=ds["loss_is_gap"]), "final_loss"), view["diverged"]


def _compare(ds, base_prefix, method_prefix, alpha) -> xr.Dataset:
    base, base_div = _values(ds, base_prefix)
    method, method_div = _values(ds, method_prefix)
    base, base_div, method, method_div = xr.broadcast(base, base_div, method, method_div)
    dims = [d for d in method.dims if d != "seed"] + ["seed"]
    arrays = [a.transpose(*dims).values for a in (base, base_div, method, method_div)]
    cells = arrays[0].shape[:-1]
    out = {f: np.full(cells, np.nan) for f in FIELDS}
    verdict = np.empty(cells, dtype=object)
    for idx in np.ndindex(cells):
        res = paired.compare(*(a[idx] for a in arrays), alpha=alpha)
        for f in FIELDS:
            out[f][idx] = getattr(res, f)
        verdict[idx] = res.verdict
    coords = {d: method[d] for d in dims[:-1]}
    ds_out = xr.Dataset({f: (dims[:-1], v) for f, v in out.items()}, coords=coords)
    ds_out["raw_verdict"] = (dims[:-1], verdict.astype(str))
    return ds_out


def map_tests(ds: xr.Dataset, alpha: float, adjust: str) -> xr.Dataset:
    """Every comparison's fields as variables ``<comparison>_<field>``, with the adjusted
    p-value and the verdict after adjustment."""
    out = xr.Dataset()
    for name, (base_prefix, method_prefix) in COMPARISONS.items():
        res = _compare(ds, base_prefix, method_prefix, alpha)
        adjusted = ADJUST[adjust](res["p_value"].values).reshape(res["p_value"].shape)
        decided = (res["raw_verdict"] != "undecided") & (adjusted < alpha)
        res["p_adjusted"] = (res["p_value"].dims, adjusted)
        res["verdict"] = xr.where(decided, res["raw_verdict"], "undecided")
        for var in res.data_vars:
            out[f"{name}_{var}"] = res[var]
    out.attrs.update(alpha=alpha, adjust=ADJUST_NAMES[adjust], test=paired.WILCOXON,
                     families="each comparison over all of its cells of the map")
    return out


def with_tests(ds: xr.Dataset, alpha: float, adjust: str) -> xr.Dataset:
    """The map with its tests (map_tests) added as variables."""
    return ds.merge(map_tests(ds, alpha, adjust), compat="no_conflicts", combine_attrs="drop_conflicts")


def verdict_counts(verdicts) -> dict:
    """{verdict: how many of these cells have it}, every verdict named (0 where none)."""
    v = [str(x) for x in np.ravel(verdicts)]
    return {k: v.count(k) for k in paired.VERDICTS}


def hrta_cells(ds, schedule=None):
    """Every HRTA cell as a dict of its coordinates and test fields."""
    out = []
    sel = ds if schedule is None else ds.sel(schedule=[schedule])
    for o in sel["optimizer"].values:
        for sch in sel["schedule"].values:
            for sw in sel["switch"].values:
                for w in sel["width"].values:
                    c = sel.sel(optimizer=o, schedule=sch, switch=sw, width=w)
                    out.append({"optimizer": str(o), "family": str(c["family"].values),
                                "setting": str(c["setting"].values),
                                "schedule": str(sch), "label": str(c["schedule_label"].values), "switch": float(sw),
                                "width": int(w), **{f: float(c[f"vs_relu_{f}"]) for f in (*FIELDS, "p_adjusted")},
                                "verdict": str(c["vs_relu_verdict"].values)})
    return out
