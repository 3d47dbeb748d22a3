"""Gather run histories into datasets with dims (optimizer, method, width, seed, ...)."""

import xarray as xr

RUN_DIMS = ("optimizer", "method", "width", "seed")


def with_run_dims(run: dict, history: xr.Dataset) -> xr.Dataset:
    """One run's history on length-1 run dims taken from ``run``."""
    return history.expand_dims({d: [run[d]] for d in RUN_DIMS})


def combine(pieces: list[xr.Dataset]) -> xr.Dataset:
    """Merge datasets that carry the run dims (single runs or whole training jobs) into one
    grid; shorter histories are NaN-padded. Global attrs are dropped (callers stamp theirs)."""
    bare = [ds.copy(deep=False) for ds in pieces]
    for ds in bare:
        ds.attrs = {}  # variables keep theirs (long_name, description)
    out = xr.combine_by_coords(bare, join="outer", combine_attrs="drop_conflicts", data_vars="all")
    out = out.transpose(*RUN_DIMS, ...)
    for name in ("diverged", "diverged_epoch"):
        out[name] = out[name].fillna(-1 if name == "diverged_epoch" else 0).astype("int64")
    return out
