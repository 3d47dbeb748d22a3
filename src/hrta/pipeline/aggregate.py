"""Gather run histories into datasets with dims (optimizer, method, width, seed, ...), every
run marked as planned by the config and as trained (its history present), and check that a
training job's file holds the runs of the config in force."""

import json

import numpy as np
import xarray as xr

from hrta.pipeline.errors import ConfigError
from hrta.pipeline.files import ResultFileError, cure, recorded_config
from hrta.pipeline.grid import RUN_DIMS, seeds_at

# The coordinates a run history records about its method (hrta.training.run.method_facts):
# on the method dim here, the other facts (experiment, reference loss) stay scalar.
METHOD_FACTS = ("label", "is_baseline", "stage_s", "stage_start")


def with_run_dims(run: dict, history: xr.Dataset) -> xr.Dataset:
    """One run's history on length-1 run dims taken from ``run``, its method's facts on
    the method dim."""
    ds = history.expand_dims({d: [run[d]] for d in RUN_DIMS})
    ds["trained"] = xr.ones_like(ds["diverged"], dtype=bool)
    ds["trained"].attrs["long_name"] = "whether the run was trained (its history is present)"
    return ds.assign_coords({f: history[f].expand_dims(method=[run["method"]]) for f in METHOD_FACTS})


def combine(pieces: list[xr.Dataset]) -> xr.Dataset:
    """Merge datasets that carry the run dims (single runs or whole training jobs) into one
    grid; shorter histories and schedules are padded (NaN, -1). Global attrs are dropped
    (callers stamp theirs); the facts the runs carry as coordinates are kept."""
    # xr.merge, not combine_by_coords: given histories of different lengths, the latter
    # broadcast the scalar variables over epochs. Merged in pairs, then pairs of pairs: one
    # merge of every piece aligns each to the whole grid at once (memory: pieces x grid).
    bare = [ds.copy(deep=False) for ds in pieces]
    for ds in bare:
        ds.attrs = {}  # variables keep theirs (long_name, description)
    while len(bare) > 1:
        bare = [xr.merge(bare[i:i + 2], join="outer", compat="no_conflicts", combine_attrs="drop_conflicts")
                for i in range(0, len(bare), 2)]
    out = bare[0].transpose(*RUN_DIMS, ...)
    for name, fill in (("diverged", 0), ("diverged_epoch", -1), ("switch_epoch", -1)):
        if name in out:  # switch_epoch: not in run files written before it was recorded
            out[name] = out[name].fillna(fill).astype("int64")
    return out.assign_coords(stage_start=out["stage_start"].fillna(-1).astype("int64"),
                             is_baseline=out["is_baseline"].astype(bool))


def _key(run: dict) -> tuple:
    return run["optimizer"]["name"], run["method"], run["width"], run["seed"]


def _same(recorded: dict, expected: dict) -> str | None:
    """The first field of a recorded run that differs from the run in force; a learning rate
    the train job computed from a stability fraction is compared as that fraction."""
    for field in sorted(expected):
        want, have = expected[field], recorded.get(field)
        if field == "optimizer" and want.get("lr") is None and isinstance(have, dict):
            have, want = ({k: v for k, v in d.items() if k != "lr"} for d in (have, want))
        if have != want:
            return f"{field} recorded {have!r}, in force {want!r}"
    return None


def check_runs(ds: xr.Dataset, path, expected: list[dict]) -> None:
    """ResultFileError if a training job's file does not hold exactly the runs of the config
    in force (Run.as_dict, as the train job recorded them) on its run dims."""
    recorded = {_key(run): run for run in recorded_config(ds, path).get("runs", [])}
    wanted = {_key(run): json.loads(json.dumps(run)) for run in expected}
    problem = None
    if set(recorded) != set(wanted):
        missing, extra = sorted(set(wanted) - set(recorded)), sorted(set(recorded) - set(wanted))
        problem = (f"runs {missing[:3]} of the config in force are missing" if missing else
                   f"it holds runs {extra[:3]} that the config in force does not have")
    else:
        for key, run in wanted.items():
            differs = _same(recorded[key], run)
            if differs:
                problem = f"run {key}: {differs}"
                break
    labels = {d: sorted({k[i] for k in wanted}) for i, d in enumerate(RUN_DIMS)}
    for dim, values in labels.items():
        if problem is None and sorted(ds[dim].values.tolist()) != values:
            problem = f"{dim} {sorted(ds[dim].values.tolist())} on the file, {values} in force"
    if problem:
        raise ResultFileError(f"result file '{path}': inconsistent with the config in force ({problem}); it was"
                              f" written under another config or altered; {cure(path)}")


def planned(experiment: dict) -> xr.DataArray:
    """Which runs the experiment's config asks for: every optimizer, method, width and seed,
    but at a width of ``max_seeds`` only its first seeds."""
    dims = {"optimizer": [o["name"] for o in experiment["optimizers"]],
            "method": [m["name"] for m in experiment["methods"]],
            "width": list(experiment["widths"]), "seed": list(experiment["seeds"])}
    allowed = np.array([[seed in seeds_at(experiment, width) for seed in dims["seed"]] for width in dims["width"]])
    shape = tuple(len(v) for v in dims.values())
    out = xr.DataArray(np.broadcast_to(allowed, shape), dims=RUN_DIMS, coords=dims)
    out.attrs["long_name"] = "whether the config asks for the run"
    return out


def complete(agg: xr.Dataset, experiment: dict, allow_gaps: bool = False) -> xr.Dataset:
    """The aggregate on the experiment's whole grid in config order, with ``planned`` and
    ``trained`` per run; a planned run that was not trained is refused (ConfigError naming
    the runs and how to make them) unless ``allow_gaps`` (aggregate.allow_gaps)."""
    want = planned(experiment)
    agg = agg.reindex({d: want[d].values for d in RUN_DIMS})
    agg["trained"] = agg["trained"].fillna(False).astype(bool) if "trained" in agg else xr.ones_like(want)
    agg["diverged"] = agg["diverged"].fillna(0).astype("int64")
    agg["diverged_epoch"] = agg["diverged_epoch"].fillna(-1).astype("int64")
    missing = want & ~agg["trained"]
    if bool(missing.any()) and not allow_gaps:
        runs = missing.where(missing, drop=True).to_dataframe(name="m").reset_index()[list(RUN_DIMS)]
        names = "; ".join(" ".join(f"{d}={v}" for d, v in row.items()) for row in runs.head(10).to_dict("records"))
        raise ConfigError(f"experiment {experiment['experiment']!r}: {len(runs)} planned runs have no history in the"
                          f" job files ({names}{'; ...' if len(runs) > 10 else ''}); rerun the train jobs that make"
                          " them (snakemake --forcerun train), or set aggregate.allow_gaps: true to aggregate with"
                          " gaps, shown as gaps")
    agg["planned"] = want
    return agg
