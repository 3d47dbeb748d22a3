"""Gather run histories into datasets with dims (optimizer, method, width, seed, ...)."""

import xarray as xr

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
