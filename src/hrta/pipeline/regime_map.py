"""A regime map's dataset from its generated experiment's aggregate: the runs on the map's
axes (budget, optimizer, schedule, switch, width, seed), ReLU and the control beside them,
and the path variants of one pair and switch (regimes.<name>.paths) on their own dim path.

Every budget is read along the same runs, which train for the largest: a run's value at
budget b is its loss after b epochs (its test error at b, which the evaluation interval
divides), and it counts as diverged there when its loss became non-finite by then.
"""

import xarray as xr

from hrta.model.schedule import Schedule
from hrta.pipeline.regimes import (
    BASELINE,
    CONTROL,
    JUMP,
    PLATEAU,
    RESET,
    coords,
    method_name,
    ramp_epochs,
    schedule_name,
    switch_at,
)

RUN_VARS = {  # name -> what it is at a budget, of whose runs (their own attributes are of the whole history)
    "final_loss": "{runs} training loss after the budget's epochs (NaN if diverged by then)",
    "final_test_error": "{runs} test error at the budget (NaN if diverged by then)",
    "diverged": "whether {runs} loss became non-finite by the budget",
}
PATH = "path_"  # the path variants' variables (regimes.<name>.paths), on the dim path
ROLES = {"": "HRTA's", f"{BASELINE}_": "ReLU's", f"{CONTROL}_": "the control's",
         PATH: "the path variant's"}  # variable prefix -> runs


def paths_s(regime: dict) -> str:
    a, b = regime["paths"]["pair"]
    return f"{a:g}→{b:g}"


def path_ramp(regime: dict, path: str) -> int:
    """The epochs over which path variant ``path`` ('ramp 0.1', ...) ramps s; 0 for the others."""
    return ramp_epochs(regime, float(path.removeprefix("ramp "))) if path.startswith("ramp ") else 0


def path_label(regime: dict, path: str) -> str:
    """A path variant in words: 'jump at 500', 'ramp over 100 epochs from 500', 'on plateau
    (by 500)', 'jump at 500, optimizer state reset'."""
    at = switch_at(regime, regime["paths"]["switch"])
    if path == JUMP:
        return f"jump at {at}"
    if path == PLATEAU:
        return f"on plateau (by {at})"
    if path == RESET:
        return f"jump at {at}, optimizer state reset"
    return f"ramp over {path_ramp(regime, path)} epochs from {at}"


def at_budgets(agg: xr.Dataset, budgets: list[int]) -> xr.Dataset:
    """The run variables of RUN_VARS (and the Ritz reference of each budget's points) at
    every budget, on a new leading dim ``budget``."""
    parts = []
    for b in budgets:
        div = (agg["diverged_epoch"] >= 0) & (agg["diverged_epoch"] <= b)
        part = xr.Dataset({"final_loss": agg["loss"].sel(epoch=b, drop=True).where(~div),
                           "final_test_error": agg["test_error"].sel(eval_epoch=b, drop=True).where(~div),
                           "diverged": div.astype("int8")})
        if "loss_reference" in agg:
            part["loss_reference"] = agg["loss_reference"].sel(epoch=b, drop=True)
        parts.append(part.expand_dims(budget=[b]))
    return xr.concat(parts, "budget")


def tail(agg: xr.Dataset, budgets: list[int]) -> xr.DataArray:
    """How converged the baseline is at each budget: the median over seeds of its loss at 90%
    of the budget over its loss at the budget (the fall over the budget's last 10%)."""
    loss = agg["loss"].sel({"method": BASELINE}, drop=True)
    out = xr.concat([(loss.sel(epoch=int(round(0.9 * b)), drop=True) / loss.sel(epoch=b, drop=True))
                     .median("seed") for b in budgets], "budget").assign_coords(budget=list(budgets))
    out.attrs = {"long_name": "ReLU's loss at 90% of the budget over its loss at the budget (median over seeds)"}
    return out


def map_dataset(agg, name: str, regime: dict):
    """The map of a regime's aggregate: HRTA runs on dims (budget, optimizer, schedule,
    switch, width, seed), the baseline and the control on (budget, optimizer, width, seed),
    the path variants (``paths``; variables path_*) on (budget, optimizer, path, width, seed),
    with each optimizer's family, setting and learning rate (as trained) and ReLU's
    convergence at each budget as coordinates; ``name`` is the map's."""
    axes = coords(regime)
    names = list(axes["optimizer"])
    budgets = sorted(regime["budgets"])
    agg = agg.sel(optimizer=names)
    runs = at_budgets(agg, budgets)
    pairs, switches = list(regime["schedules"]), list(regime["switches"])
    hrta = {}
    for var in RUN_VARS:
        cells = [[runs[var].sel({"method": method_name(pair, frac)}, drop=True) for frac in switches]
                 for pair in pairs]
        hrta[var] = xr.concat([xr.concat(row, "switch") for row in cells], "schedule").transpose(
            "budget", "optimizer", "schedule", "switch", "width", "seed")
    ds = xr.Dataset(hrta)
    for role in (BASELINE, CONTROL):
        for var in RUN_VARS:
            ds[f"{role}_{var}"] = runs[var].sel({"method": role}, drop=True)
    paths = axes["path"]
    for var in RUN_VARS if paths else ():
        ds[f"{PATH}{var}"] = xr.concat([runs[var].sel({"method": m}, drop=True) for m in paths.values()],
                                       "path").transpose("budget", "optimizer", "path", "width", "seed")
    if "loss_reference" in runs:
        ds["loss_reference"] = runs["loss_reference"].sel({"method": BASELINE}, drop=True)
    two_stage = [Schedule([{"s": a, "epochs": 1}, {"s": b, "epochs": 1}]) for a, b in regime["schedules"]]
    lr0 = agg["lr"].sel({"method": BASELINE}).isel(epoch=0, width=0, seed=0, drop=True)
    ds = ds.assign_coords(
        budget=budgets, optimizer=names, schedule=[schedule_name(p) for p in pairs], switch=switches,
        family=("optimizer", [axes["optimizer"][n][0] for n in names]),
        setting=("optimizer", [axes["optimizer"][n][1] for n in names]),
        lr=("optimizer", lr0.values),
        schedule_label=("schedule", [sched.label() for sched in two_stage]),
        monotone=("schedule", [sched.is_monotone for sched in two_stage]),
        switch_epoch=("switch", [switch_at(regime, f) for f in switches]),
        control_s=regime["control_s"],
        relu_tail=tail(agg, budgets),
    )
    if paths:
        ds = ds.assign_coords(path=list(paths), path_method=("path", list(paths.values())),
                              path_label=("path", [path_label(regime, p) for p in paths]),
                              path_ramp_epochs=("path", [path_ramp(regime, p) for p in paths]))
        ds["path_ramp_epochs"].attrs["long_name"] = "epochs over which the path variant's ramp moves s (0: none)"
        ds["path"].attrs["long_name"] = "path variant of one s pair and switch: the jump, ramps, on plateau, reset"
        ds["path_method"].attrs["long_name"] = "the generated method of the path variant"
        ds["path_label"].attrs["long_name"] = "display label of the path variant"
        ds.attrs["paths"] = f"s {paths_s(regime)} at epoch {switch_at(regime, regime['paths']['switch'])}"
    for fact in ("reference_loss", "loss_is_gap", "experiment"):
        ds = ds.assign_coords({fact: agg[fact]})
    ds = ds.drop_vars([c for c in ("label", "is_baseline", "stage_s", "stage_start", "stage") if c in ds.coords])
    ds.attrs["regime"] = name
    for prefix, runs_of in ROLES.items():
        for var, meaning in RUN_VARS.items():
            if f"{prefix}{var}" in ds:
                ds[f"{prefix}{var}"].attrs = {"long_name": meaning.format(runs=runs_of)}
    ds["lr"].attrs["long_name"] = "learning rate of the first epoch, as trained"
    ds["switch"].attrs["long_name"] = "switch point (fraction of the smallest budget)"
    ds["switch_epoch"].attrs["long_name"] = "epoch of the switch"  # units: hrta.pipeline.descriptions
    ds["budget"].attrs["long_name"] = "training budget: the epochs after which the runs are read"
    return ds
