"""Combining runs into job files, and job files into an experiment's aggregate."""

import numpy as np
import pytest
import xarray as xr

from hrta.model.schedule import Schedule
from hrta.pipeline.aggregate import combine, complete, with_run_dims
from hrta.pipeline.errors import ConfigError
from hrta.pipeline.files import write_netcdf
from hrta.pipeline.grid import RUN_DIMS
from hrta.training.history import method_facts

SCHEDULES = {"relu": [{"s": 1.0, "epochs": 4}],
             "hrta": [{"s": 0.5, "epochs": 1}, {"s": 1.0, "epochs": 1}]}


def _history(method, value, diverged=0):
    """A run history as hrta.training.history.history lays it out (method dim and facts)."""
    schedule = Schedule(SCHEDULES[method])
    epochs = schedule.total
    ds = xr.Dataset({"loss": ("epoch", np.full(epochs + 1, value)),
                     "diverged": ((), diverged), "diverged_epoch": ((), -1)},
                    coords={"epoch": np.arange(epochs + 1), "experiment": "exp",
                            "reference_loss": 0.0, "loss_is_gap": np.int8(0)},
                    attrs={"config": "{}"})
    return ds.assign_coords(method_facts(schedule))


def _run(optimizer, method, width=10):
    return {"optimizer": optimizer, "method": method, "width": width, "seed": 0}


def test_runs_of_different_lengths_are_nan_padded():
    job = combine([with_run_dims(_run("adam", "relu"), _history("relu", 1.0)),
                   with_run_dims(_run("adam", "hrta"), _history("hrta", 2.0, diverged=1))])
    assert job["loss"].dims == RUN_DIMS + ("epoch",) and job.sizes["epoch"] == 5
    short = job["loss"].sel({"method": "hrta"}).values.ravel()
    assert (short[:3] == 2.0).all() and np.isnan(short[3:]).all()
    assert job["diverged"].dtype == np.int64 and int(job["diverged"].sum()) == 1
    assert job.attrs == {}


def test_method_facts_survive_combining_runs_of_different_schedules():
    job = combine([with_run_dims(_run("adam", "relu"), _history("relu", 1.0)),
                   with_run_dims(_run("adam", "hrta"), _history("hrta", 2.0))])
    facts = job.sel({"method": ["relu", "hrta"]})
    assert list(facts["label"].values) == ["ReLU", "HRTA 0.5→1"]
    assert list(facts["is_baseline"].values) == [True, False]
    assert facts["stage_start"].values.tolist() == [[0, -1], [0, 1]]
    np.testing.assert_array_equal(facts["stage_s"].values, [[1.0, np.nan], [0.5, 1.0]])
    assert str(job["experiment"].values) == "exp" and float(job["reference_loss"]) == 0.0


def test_job_files_read_back_keep_long_names(tmp_path):
    """netCDF gives fixed-width names ('<U4' for 'adam'); neither combining nor writing the
    aggregate may cut 'gd_huge' to that width."""
    jobs = []
    for optimizer in ("adam", "gd_huge"):
        write_netcdf(combine([with_run_dims(_run(optimizer, "relu"), _history("relu", 1.0))]),
                     tmp_path / f"{optimizer}.nc")
        with xr.open_dataset(tmp_path / f"{optimizer}.nc") as ds:
            jobs.append(ds.load())
    write_netcdf(combine(jobs), tmp_path / "agg.nc")
    with xr.open_dataset(tmp_path / "agg.nc") as agg:
        assert list(agg.optimizer.values) == ["adam", "gd_huge"]
        assert agg["loss"].shape == (2, 1, 1, 1, 5)
        assert agg["is_baseline"].dtype == bool and list(agg["label"].values) == ["ReLU"]


def _experiment(seeds):
    return {"experiment": "exp", "optimizers": [{"name": "adam"}], "widths": [10],
            "methods": [{"name": m} for m in SCHEDULES], "seeds": seeds}


def test_a_missing_run_is_refused_by_name_or_kept_as_a_gap():
    job = combine([with_run_dims(_run("adam", "relu"), _history("relu", 1.0)),
                   with_run_dims(_run("adam", "hrta"), _history("hrta", 2.0))])
    job["trained"] = xr.ones_like(job["diverged"], dtype=bool)
    assert bool(complete(job, _experiment([0]))["trained"].all())
    with pytest.raises(ConfigError, match=r"experiment 'exp': 2 planned runs have no history in the job files "
                                          r"\(optimizer=adam method=relu width=10 seed=1; optimizer=adam "
                                          r"method=hrta width=10 seed=1\); rerun the train jobs"):
        complete(job, _experiment([0, 1]))
    gaps = complete(job, _experiment([0, 1]), allow_gaps=True)
    assert gaps["trained"].sel(seed=1).values.tolist() == [[[False], [False]]]
    assert np.isnan(gaps["loss"].sel(seed=1).values).all() and bool(gaps["planned"].all())
