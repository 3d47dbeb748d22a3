"""Gather run histories into datasets with dims (optimizer, method, width, seed, ...)."""

import xarray as xr

from hrta.config import RUN_DIMS


def with_run_dims(run: dict, history: xr.Dataset) -> xr.Dataset:
    """One run's history on length-1 run dims taken from ``run``."""
    return history.expand_dims({d: [run[d]] for d in RUN_DIMS})


def combine(pieces: list[xr.Dataset]) -> xr.Dataset:
    """Merge datasets that carry the run dims (single runs or whole training jobs) into one
    grid; shorter histories are NaN-padded. Global attrs are dropped (callers stamp theirs)."""
    # xr.merge, not combine_by_coords: given histories of different lengths, the latter
    # broadcast the scalar variables over epochs.
    bare = [ds.copy(deep=False) for ds in pieces]
    for ds in bare:
        ds.attrs = {}  # variables keep theirs (long_name, description)
    out = xr.merge(bare, join="outer", compat="no_conflicts", combine_attrs="drop_conflicts")
    out = out.transpose(*RUN_DIMS, ...)
    for name in ("diverged", "diverged_epoch"):
        out[name] = out[name].fillna(-1 if name == "diverged_epoch" else 0).astype("int64")
    return out
