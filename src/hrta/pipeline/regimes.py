"""Regime maps: a sweep over the protocol choices the paper does not state, generated into
an ordinary experiment (its optimizers and methods), and the map's coordinates.

A map ``regimes.<name>`` borrows the problem and data seed of ``experiments.<name>`` and
declares optimizer families with their learning rates (Adam: typed; GD: fractions of the
kernel's stability limit 2n / lambda_max, computed from the NTK spectra by the train job),
switch points (fractions of the epochs) and two-stage s pairs. Every (optimizer, learning
rate) gets the ReLU baseline, the control "s = control_s throughout" and every (s pair,
switch) schedule, and with ``paths`` the path variants of one pair and switch (path_methods:
ramps, on plateau, the optimizer state reset). The generated experiment is named
``<name>_regime``; its map is built by hrta.pipeline.regime_map. Imports no torch.
"""

import copy

from hrta.pipeline.methods import switch_epoch

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
    pairs = [*regime["schedules"], *([regime["paths"]["pair"]] if regime.get("paths") else [])]
    return sorted({1.0, regime["control_s"], *(s for pair in pairs for s in pair)})


def schedule_name(pair) -> str:
    return f"hrta_{_tag(pair[0])}-{_tag(pair[1])}"


def method_name(pair, fraction: float) -> str:
    """The generated method of an s pair switching at a fraction of the epochs."""
    return f"{schedule_name(pair)}_at{_tag(fraction)}"


def epochs(regime: dict) -> int:
    """The map's runs train for its largest budget; the others are read along them."""
    return max(regime["budgets"])


def switch_at(regime: dict, fraction: float) -> int:
    """The epoch of a switch point: a fraction of the map's first (smallest) budget, so that
    every budget reads the same runs."""
    return switch_epoch(min(regime["budgets"]), fraction)


def _two_stage(pair, first: int, total: int) -> list[dict]:
    return [{"s": pair[0], "epochs": first}, {"s": pair[1], "epochs": total - first}]


def methods(regime: dict) -> list[dict]:
    """Baseline, control, every (s pair, switch) two-stage schedule, then the path variants
    that are not already among them (path_methods)."""
    total = epochs(regime)
    out = [{"name": BASELINE, "schedule": [{"s": 1.0, "epochs": total}]},
           {"name": CONTROL, "schedule": [{"s": regime["control_s"], "epochs": total}]}]
    for pair in regime["schedules"]:
        for frac in regime["switches"]:
            out.append({"name": method_name(pair, frac), "schedule": _two_stage(pair, switch_at(regime, frac), total)})
    names = {m["name"] for m in out}
    return out + [m for m in path_methods(regime).values() if m["name"] not in names]


JUMP, PLATEAU, RESET = "jump", "plateau", "reset"  # path variants (and 'ramp <fraction>')


def ramp_path(fraction: float) -> str:
    return f"ramp {fraction:g}"


def ramp_epochs(regime: dict, fraction: float) -> int:
    """A ramp's length: a fraction of the smallest budget (rounded, at least one epoch)."""
    return max(1, int(round(fraction * min(regime["budgets"]))))


def path_methods(regime: dict) -> dict:
    """The path axis of ``regimes.<name>.paths`` (empty without one): path variant -> its
    method. The jump is the two-stage method of the pair and switch (the map's own when they
    are on its axes); each ramp starts at the switch epoch and moves s over its fraction of
    the smallest budget; the plateau holds s1 until the loss plateaus, at most until the
    switch epoch (every plateau member has switched by the jump's epoch); reset is the jump
    with the optimizer state reset at the switch (generated under every optimizer: under GD,
    which keeps no state, it trains as the jump)."""
    paths = regime.get("paths")
    if not paths:
        return {}
    pair, frac, total = paths["pair"], paths["switch"], epochs(regime)
    first = switch_at(regime, frac)
    jump = method_name(pair, frac)
    out = {JUMP: {"name": jump, "schedule": _two_stage(pair, first, total)}}
    for ramp in paths.get("ramps", []):
        length = ramp_epochs(regime, ramp)
        out[ramp_path(ramp)] = {"name": f"{jump}_ramp{_tag(ramp)}", "schedule": [
            {"s": pair[0], "epochs": first}, {"ramp": pair[1], "epochs": length, "shape": paths.get("shape", "linear")},
            {"s": pair[1], "epochs": total - first - length}]}
    if paths.get("plateau"):
        plateau = {**paths["plateau"], "max_epochs": first}
        out[PLATEAU] = {"name": f"{jump}_plateau", "schedule": [
            {"s": pair[0], "plateau": plateau}, {"s": pair[1], "epochs": total - first}]}
    if paths.get("reset"):
        out[RESET] = {"name": f"{jump}_reset", "schedule": _two_stage(pair, first, total), "reset": True}
    return out


def expand(config: dict) -> None:
    """Add the generated experiment of every regime map to ``config['experiments']``."""
    for name, regime in config.get("regimes", {}).items():
        source = config["experiments"][name]
        config["experiments"][experiment_name(name)] = {
            "problem": copy.deepcopy(source["problem"]), "data_seed": source["data_seed"],
            "widths": list(regime["widths"]), "seeds": list(regime["seeds"]),
            "eval_every": regime["eval_every"], "figures": [], "epochs": epochs(regime),
            "optimizers": optimizers(regime), "methods": methods(regime), "regime": name,
        }


def paper_experiments(config: dict) -> list[str]:
    """The experiments of the paper's figures, tables and theory checks (no regime maps, no
    generated architectures: hrta.pipeline.architectures)."""
    return [name for name, exp in config["experiments"].items() if "regime" not in exp and "architecture" not in exp]


def views(regime: dict) -> list[str]:
    """A map's figures: a heat map per budget (b<budget>), the verdict against the budget,
    and the path axis where the map has one."""
    return [f"b{b}" for b in sorted(regime["budgets"])] + ["budget"] + (["paths"] if regime.get("paths") else [])


def coords(regime: dict) -> dict:
    """How the generated names map onto the map's axes: optimizer -> (family, setting),
    method -> (schedule label, switch fraction) for the HRTA methods, path variant -> method."""
    opt = {}
    for fam in regime["optimizers"]:
        for lr in fam.get("lrs", []):
            opt[f"{fam['family']}_lr{_tag(lr)}"] = (fam["family"], f"lr {lr:g}")
        for frac in fam.get("stability_fractions", []):
            opt[f"{fam['family']}_f{_tag(frac)}"] = (fam["family"], f"{frac:g} × 2n/λmax")
    meth = {method_name(pair, frac): (schedule_name(pair), frac)
            for pair in regime["schedules"] for frac in regime["switches"]}
    return {"optimizer": opt, "method": meth, "path": {path: m["name"] for path, m in path_methods(regime).items()}}
