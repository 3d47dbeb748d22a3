"""Regime maps: a sweep over the protocol choices the paper does not state, generated into
an ordinary experiment (its optimizers and methods), and the map's coordinates.

A map ``regimes.<name>`` borrows the problem and data seed of ``experiments.<name>`` and
declares optimizer families with their learning rates (Adam: typed; GD: fractions of the
kernel's stability limit 2n / lambda_max, computed from the NTK spectra by the train job),
switch points (fractions of the epochs) and two-stage s pairs. Every (optimizer, learning
rate) gets the ReLU baseline, the control "s = control_s throughout" and every (s pair,
switch) schedule. The generated experiment is named ``<name>_regime``. Imports no torch.
"""

import copy

import numpy as np

from hrta.model.schedule import Schedule

BASELINE, CONTROL = "relu", "control"
SUFFIX = "_regime"


def experiment_name(regime: str) -> str:
    """The generated experiment of a regime map."""
    return regime + SUFFIX


def _tag(value: float) -> str:
    return f"{value:g}".replace("+", "")


def optimizers(regime: dict) -> list[dict]:
    """The map's optimizer configs, one per (family, learning rate or stability fraction)."""
    out = []
    for fam in regime["optimizers"]:
        decay = copy.deepcopy(fam.get("decay", {"kind": "none"}))
        for lr in fam.get("lrs", []):
            out.append({"name": f"{fam['family']}_lr{_tag(lr)}", "algorithm": fam["family"],
                        "lr": lr, "decay": decay})
        for frac in fam.get("stability_fractions", []):
            out.append({"name": f"{fam['family']}_f{_tag(frac)}", "algorithm": fam["family"],
                        "stability_fraction": frac, "stability_s": visited_s(regime), "decay": decay})
    return out


def visited_s(regime: dict) -> list[float]:
    """Every s that a method of the map uses: one GD learning rate serves them all."""
    return sorted({1.0, regime["control_s"], *(s for pair in regime["schedules"] for s in pair)})


def schedule_name(pair) -> str:
    return f"hrta_{_tag(pair[0])}-{_tag(pair[1])}"


def methods(regime: dict) -> list[dict]:
    """Baseline, control, then every (s pair, switch) two-stage schedule."""
    epochs = regime["epochs"]
    out = [{"name": BASELINE, "schedule": [{"s": 1.0, "epochs": epochs}]},
           {"name": CONTROL, "schedule": [{"s": regime["control_s"], "epochs": epochs}]}]
    for pair in regime["schedules"]:
        for frac in regime["switches"]:
            first = switch_epoch(epochs, frac)
            out.append({"name": f"{schedule_name(pair)}_at{_tag(frac)}",
                        "schedule": [{"s": pair[0], "epochs": first}, {"s": pair[1], "epochs": epochs - first}]})
    return out


def switch_epoch(epochs: int, fraction: float) -> int:
    """The first epoch of the second stage: round(fraction * epochs), inside (0, epochs)."""
    return min(max(int(round(fraction * epochs)), 1), epochs - 1)


def expand(config: dict) -> None:
    """Add the generated experiment of every regime map to ``config['experiments']``."""
    for name, regime in config.get("regimes", {}).items():
        source = config["experiments"][name]
        config["experiments"][experiment_name(name)] = {
            "problem": copy.deepcopy(source["problem"]), "data_seed": source["data_seed"],
            "widths": list(regime["widths"]), "seeds": list(regime["seeds"]),
            "eval_every": regime["eval_every"], "figures": [],
            "optimizers": optimizers(regime), "methods": methods(regime), "regime": name,
        }


def paper_experiments(config: dict) -> list[str]:
    """The experiments of the paper's figures, tables and theory checks (no regime maps, no
    generated architectures: hrta.pipeline.architectures)."""
    return [name for name, exp in config["experiments"].items() if "regime" not in exp and "architecture" not in exp]


def coords(regime: dict) -> dict:
    """How the generated names map onto the map's axes: optimizer -> (family, setting),
    method -> (schedule label, switch fraction) for the HRTA methods."""
    opt = {}
    for fam in regime["optimizers"]:
        for lr in fam.get("lrs", []):
            opt[f"{fam['family']}_lr{_tag(lr)}"] = (fam["family"], f"lr {lr:g}")
        for frac in fam.get("stability_fractions", []):
            opt[f"{fam['family']}_f{_tag(frac)}"] = (fam["family"], f"{frac:g} × 2n/λmax")
    meth = {f"{schedule_name(pair)}_at{_tag(frac)}": (schedule_name(pair), frac)
            for pair in regime["schedules"] for frac in regime["switches"]}
    return {"optimizer": opt, "method": meth}


def stability_limit(spectra, s_values, kernel: dict | None = None) -> float:
    """2 n / lambda_max of the infinite-width NTK, the smallest over the s a run visits: full-
    batch GD on the loss 0.5 * mean (phi - y)^2 is stable in the kernel regime below it.
    ``spectra``: an experiment's spectra (hrta.theory.spectra; lambda_max on n_used points),
    or with ``kernel`` = {experiment, network} the Theorem-1-beyond spectra
    (hrta.theory.beyond), of which that experiment's network is taken."""
    if kernel is None:
        lam, n_used = spectra["lambda_max"].sel(part="ntk"), int(spectra.attrs["n_used"])
    else:
        sel = spectra.sel(experiment=kernel["experiment"], network=kernel["network"])
        lam, n_used = sel["lambda_max"].sel(part="ntk"), int(sel["n_used"])
    worst = max(float(lam.sel(s=s, method="nearest")) for s in np.atleast_1d(s_values))
    return 2.0 * n_used / worst


def resolve_lr(spec: dict, spectra) -> dict:
    """The run spec with a stability fraction turned into a learning rate (others unchanged):
    the fraction of the limit over every s of the map, the same for all its methods."""
    opt = spec["optimizer"]
    if "stability_fraction" not in opt:
        return spec
    lr = opt["stability_fraction"] * stability_limit(spectra, opt["stability_s"], opt.get("kernel"))
    return {**spec, "optimizer": {**opt, "lr": lr}}


RUN_VARS = ("final_loss", "final_test_error", "diverged")


def map_dataset(agg, regime: dict):
    """The map of a regime's aggregate: HRTA runs on dims (optimizer, schedule, switch, width,
    seed), the baseline and the control on (optimizer, width, seed), with each optimizer's
    family, setting and learning rate (as trained) as coordinates."""
    import xarray as xr

    axes = coords(regime)
    names = list(axes["optimizer"])
    agg = agg.sel(optimizer=names)
    pairs, switches = [schedule_name(p) for p in regime["schedules"]], list(regime["switches"])
    hrta = {}
    for var in RUN_VARS:
        cells = [[agg[var].sel({"method": f"{pair}_at{_tag(frac)}"}, drop=True) for frac in switches]
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
        optimizer=names, schedule=pairs, switch=switches,
        family=("optimizer", [axes["optimizer"][n][0] for n in names]),
        setting=("optimizer", [axes["optimizer"][n][1] for n in names]),
        lr=("optimizer", lr0.values),
        schedule_label=("schedule", [sched.label() for sched in two_stage]),
        monotone=("schedule", [sched.is_monotone for sched in two_stage]),
        switch_epoch=("switch", [switch_epoch(regime["epochs"], f) for f in switches]),
        control_s=regime["control_s"],
    )
    for name in ("reference_loss", "loss_is_gap", "experiment"):
        ds = ds.assign_coords({name: agg[name]})
    ds = ds.drop_vars([c for c in ("label", "is_baseline", "stage_s", "stage_start", "stage") if c in ds.coords])
    ds.attrs["regime"] = str(agg["experiment"].values).removesuffix(SUFFIX)
    ds["lr"].attrs["long_name"] = "learning rate of the first epoch, as trained"
    ds["switch"].attrs["long_name"] = "switch point (fraction of the epochs)"
    return ds
