"""Gather run histories into datasets with dims (optimizer, method, width, seed, ...), and
check that a training job's file holds the runs of the config in force."""

import json

import xarray as xr

from hrta.pipeline.files import ResultFileError, cure, recorded_config
from hrta.pipeline.grid import RUN_DIMS

# The coordinates a run history records about its method (hrta.training.run.method_facts):
# on the method dim here, the other facts (experiment, reference loss) stay scalar.
METHOD_FACTS = ("label", "is_baseline", "stage_s", "stage_start")


def with_run_dims(run: dict, history: xr.Dataset) -> xr.Dataset:
    """One run's history on length-1 run dims taken from ``run``, its method's facts on
    the method dim."""
    ds = history.expand_dims({d: [run[d]] for d in RUN_DIMS})
    return ds.assign_coords({f: history[f].expand_dims(method=[run["method"]]) for f in METHOD_FACTS})


def combine(pieces: list[xr.Dataset]) -> xr.Dataset:
    """Merge datasets that carry the run dims (single runs or whole training jobs) into one
    grid; shorter histories and schedules are padded (NaN, -1). Global attrs are dropped
    (callers stamp theirs); the facts the runs carry as coordinates are kept."""
    # xr.merge, not combine_by_coords: given histories of different lengths, the latter
    # broadcast the scalar variables over epochs.
    bare = [ds.copy(deep=False) for ds in pieces]
    for ds in bare:
        ds.attrs = {}  # variables keep theirs (long_name, description)
    out = xr.merge(bare, join="outer", compat="no_conflicts", combine_attrs="drop_conflicts")
    out = out.transpose(*RUN_DIMS, ...)
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
