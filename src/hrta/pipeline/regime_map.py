"""A regime map's dataset from its generated experiment's aggregate: the runs on the map's
axes (optimizer, schedule, switch, width, seed), ReLU and the control beside them."""

import xarray as xr

from hrta.model.schedule import Schedule
from hrta.pipeline.methods import switch_epoch
from hrta.pipeline.regimes import BASELINE, CONTROL, coords, method_name, schedule_name

RUN_VARS = ("final_loss", "final_test_error", "diverged")


def map_dataset(agg, name: str, regime: dict):
    """The map of a regime's aggregate: HRTA runs on dims (optimizer, schedule, switch, width,
    seed), the baseline and the control on (optimizer, width, seed), with each optimizer's
    family, setting and learning rate (as trained) as coordinates; ``name`` is the map's."""
    axes = coords(regime)
    names = list(axes["optimizer"])
    agg = agg.sel(optimizer=names)
    pairs, switches = list(regime["schedules"]), list(regime["switches"])
    hrta = {}
    for var in RUN_VARS:
        cells = [[agg[var].sel({"method": method_name(pair, frac)}, drop=True) for frac in switches]
                 for pair in pairs]
        hrta[var] = xr.concat([xr.concat(row, "switch") for row in cells], "schedule").transpose(
            "optimizer", "schedule", "switch", "width", "seed")
    ds = xr.Dataset(hrta)
    for role in (BASELINE, CONTROL):
        for var in RUN_VARS:
            ds[f"{role}_{var}"] = agg[var].sel({"method": role}, drop=True)
    two_stage = [Schedule([{"s": a, "epochs": 1}, {"s": b, "epochs": 1}]) for a, b in regime["schedules"]]
    lr0 = agg["lr"].sel({"method": BASELINE}).isel(epoch=0, width=0, seed=0, drop=True)
    ds = ds.assign_coords(
        optimizer=names, schedule=[schedule_name(p) for p in pairs], switch=switches,
        family=("optimizer", [axes["optimizer"][n][0] for n in names]),
        setting=("optimizer", [axes["optimizer"][n][1] for n in names]),
        lr=("optimizer", lr0.values),
        schedule_label=("schedule", [sched.label() for sched in two_stage]),
        monotone=("schedule", [sched.is_monotone for sched in two_stage]),
        switch_epoch=("switch", [switch_epoch(regime["epochs"], f) for f in switches]),
        control_s=regime["control_s"],
    )
    for fact in ("reference_loss", "loss_is_gap", "experiment"):
        ds = ds.assign_coords({fact: agg[fact]})
    ds = ds.drop_vars([c for c in ("label", "is_baseline", "stage_s", "stage_start", "stage") if c in ds.coords])
    ds.attrs["regime"] = name
    ds["lr"].attrs["long_name"] = "learning rate of the first epoch, as trained"
    ds["switch"].attrs["long_name"] = "switch point (fraction of the epochs)"
    return ds
