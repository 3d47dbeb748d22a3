"""Toward the kernel limit: the ratio ReLU/HRTA of the final GD training loss against width,
measured and predicted by the linearised network (hrta.theory.linearised.width_series),
per seed."""

import xarray as xr

from hrta.reporting.facts import method_labels

KINDS = {"measured": "measured_final_loss", "kernel": "predicted_final_loss"}


def ratios(ds: xr.Dataset) -> xr.Dataset:
    """Per-seed ratio baseline / method of the final loss, measured and predicted (HRTA
    methods only)."""
    base = ds["method"].values[ds["is_baseline"].values][0]
    hrta = [m for m, b in zip(ds["method"].values, ds["is_baseline"].values) if not b]
    out = xr.Dataset({kind: ds[var].sel({"method": base}, drop=True) / ds[var].sel({"method": hrta})
                      for kind, var in KINDS.items()})
    return out.assign_coords(label=("method", [method_labels(ds)[str(m)] for m in hrta]))
