"""Gather per-run histories into one dataset per experiment: dims (optimizer, method, width, seed, ...)."""

import xarray as xr

RUN_DIMS = ("optimizer", "method", "width", "seed")


def combine(runs: list[tuple[dict, xr.Dataset]]) -> xr.Dataset:
    """Stack (wildcards, history) pairs on the run dims; shorter histories are NaN-padded."""
    pieces = []
    for wc, ds in runs:
        ds = ds.drop_attrs() if hasattr(ds, "drop_attrs") else ds.assign_attrs({})
        pieces.append(ds.expand_dims({d: [wc[d]] for d in RUN_DIMS}))
    out = xr.combine_by_coords(pieces, join="outer", combine_attrs="drop_conflicts",
                               data_vars="all")
    out = out.transpose(*RUN_DIMS, ...)
    for name in ("diverged", "diverged_epoch"):
        out[name] = out[name].fillna(-1 if name == "diverged_epoch" else 0).astype("int64")
    return out

