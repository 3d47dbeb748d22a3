"""Combining runs into job files, and job files into an experiment's aggregate."""

import numpy as np
import xarray as xr

from hrta.aggregate import RUN_DIMS, combine, with_run_dims
from hrta.provenance import write_netcdf


def _history(epochs, value, diverged=0):
    return xr.Dataset({"loss": ("epoch", np.full(epochs + 1, value)),
                       "diverged": ((), diverged), "diverged_epoch": ((), -1)},
                      coords={"epoch": np.arange(epochs + 1)}, attrs={"config": "{}"})


def _run(optimizer, method, width=10):
    return {"optimizer": optimizer, "method": method, "width": width, "seed": 0}


def test_runs_of_different_lengths_are_nan_padded():
    job = combine([with_run_dims(_run("adam", "relu"), _history(4, 1.0)),
                   with_run_dims(_run("adam", "hrta"), _history(2, 2.0, diverged=1))])
    assert job["loss"].dims == RUN_DIMS + ("epoch",) and job.sizes["epoch"] == 5
    short = job["loss"].sel({"method": "hrta"}).values.ravel()
    assert (short[:3] == 2.0).all() and np.isnan(short[3:]).all()
    assert job["diverged"].dtype == np.int64 and int(job["diverged"].sum()) == 1
    assert job.attrs == {}


def test_job_files_read_back_keep_long_names(tmp_path):
    """netCDF gives fixed-width names ('<U4' for 'adam'); neither combining nor writing the
    aggregate may cut 'gd_huge' to that width."""
    jobs = []
    for optimizer in ("adam", "gd_huge"):
        write_netcdf(combine([with_run_dims(_run(optimizer, "relu"), _history(2, 1.0))]),
                     tmp_path / f"{optimizer}.nc")
        with xr.open_dataset(tmp_path / f"{optimizer}.nc") as ds:
            jobs.append(ds.load())
    write_netcdf(combine(jobs), tmp_path / "agg.nc")
    with xr.open_dataset(tmp_path / "agg.nc") as agg:
        assert list(agg.optimizer.values) == ["adam", "gd_huge"]
        assert agg["loss"].shape == (2, 1, 1, 1, 3)
