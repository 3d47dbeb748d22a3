"""Result files that cannot lie (issue 35): every netCDF file carries a checksum of its
contents; a reader refuses a file that is truncated, altered, of the wrong shape or written
under another config, naming the file and the cure."""

import json
import os
import shutil

import netCDF4
import numpy as np
import pytest
import xarray as xr

from hrta.pipeline.aggregate import check_runs
from hrta.pipeline.files import CHECKSUM, ResultFileError, check_config, checksum, main, read_netcdf, write_netcdf

CURE = "delete it and rerun snakemake, or run `snakemake --forcerun"


def _run_file(seed=0, loss=(1.0, 0.5, 0.25)) -> xr.Dataset:
    dims = ("optimizer", "method", "width", "seed", "epoch")
    loss = np.array(loss).reshape(1, 1, 1, 1, -1)
    ds = xr.Dataset({"loss": (dims, loss), "final_loss": (dims[:4], loss[..., -1]),
                     "diverged": (dims[:4], np.zeros((1, 1, 1, 1), np.int64)),
                     "odd": ("epoch", [np.nan, -np.nan, -0.0])},
                    coords={"optimizer": ["adam"], "method": ["relu"], "width": [20], "seed": [seed],
                            "epoch": np.arange(loss.shape[-1]), "label": ("method", ["ReLU→"]),
                            "is_baseline": ("method", [True]), "experiment": "sin1d", "loss_is_gap": np.int8(0)},
                    attrs={"config": json.dumps({"runs": [_recorded(seed)]}), "list": [1, 2], "one": [3]})
    ds["loss"].attrs["long_name"] = "training loss"
    return ds


def _recorded(seed=0, lr=0.01, fraction=None):
    return {"experiment": "sin1d", "method": "relu", "schedule": [{"s": 1.0, "epochs": 2}], "width": 20,
            "seed": seed, "optimizer": {"name": "adam", "algorithm": "adam", "lr": lr,
                                        "stability_fraction": fraction}}


@pytest.fixture
def run_file(tmp_path):
    path = tmp_path / "results" / "runs" / "sin1d" / "adam" / "m20.nc"
    write_netcdf(_run_file(), path)
    return path


def test_written_files_verify_and_the_same_data_give_the_same_checksum(tmp_path, run_file):
    back = read_netcdf(run_file)
    assert back.attrs[CHECKSUM] == checksum(back)
    again = tmp_path / "again" / run_file.relative_to(tmp_path)
    write_netcdf(_run_file(), again)
    xr.testing.assert_identical(back, read_netcdf(again))
    assert checksum(_run_file(seed=1)) != checksum(_run_file())


def test_truncated_file_is_named_with_the_cure(run_file):
    size = run_file.stat().st_size
    with open(run_file, "r+b") as fh:
        fh.truncate(size // 2)
    with pytest.raises(ResultFileError) as err:
        read_netcdf(run_file)
    message = str(err.value)
    assert message.startswith(f"result file '{run_file}': unreadable, damaged or incomplete")
    assert f"{CURE} {run_file}`" in message and "results/claims.md" in message


@pytest.mark.parametrize("change", ["value", "coordinate", "attribute"])
def test_readable_but_altered_file_is_refused(run_file, change):
    with netCDF4.Dataset(run_file, "r+") as nc:
        if change == "value":
            nc["loss"][0, 0, 0, 0, 2] = 0.2  # a plausible number
        elif change == "coordinate":
            nc["seed"][0] = 7
        else:
            nc.setncattr("config", json.dumps({"runs": []}))
    with pytest.raises(ResultFileError, match=r"its contents changed after it was written") as err:
        read_netcdf(run_file)
    assert str(run_file) in str(err.value) and CURE in str(err.value)


def test_file_of_the_wrong_shape_is_inconsistent(tmp_path):
    path = tmp_path / "results" / "aggregate" / "sin1d.nc"
    write_netcdf(_run_file().isel(epoch=-1).drop_vars("loss"), path)
    with pytest.raises(ResultFileError, match=r"inconsistent, a aggregate without \['loss'\]"):
        read_netcdf(path)
    spectra = tmp_path / "results" / "theory" / "sin1d_spectra.nc"
    write_netcdf(xr.Dataset({"lambda_min": ("s", [1.0])}, coords={"s": [0.5]}), spectra)
    with pytest.raises(ResultFileError, match=r"a spectra without \['part', 'lambda_max'\]"):
        read_netcdf(spectra)


def test_file_without_a_checksum_is_read(tmp_path):
    """Files written before checksums were recorded."""
    _run_file().to_netcdf(tmp_path / "old.nc")
    assert CHECKSUM not in read_netcdf(tmp_path / "old.nc").attrs


def test_run_file_of_another_config_is_refused(run_file):
    ds = read_netcdf(run_file)
    check_runs(ds, run_file, [_recorded()])
    check_runs(ds, run_file, [_recorded(lr=None, fraction=None) | {"optimizer": {  # lr from a fraction: the
        "name": "adam", "algorithm": "adam", "lr": None, "stability_fraction": None}}])  # fraction is compared
    with pytest.raises(ResultFileError, match=r"runs \[\('adam', 'relu', 20, 1\)\] of the config in force are"
                                              r" missing") as err:
        check_runs(ds, run_file, [_recorded(seed=1)])
    assert str(run_file) in str(err.value) and CURE in str(err.value)
    with pytest.raises(ResultFileError, match=r"run \('adam', 'relu', 20, 0\): optimizer recorded .* in force"):
        check_runs(ds, run_file, [_recorded(lr=0.02)])


def test_recorded_config_against_the_config_in_force(tmp_path):
    ds = xr.Dataset(attrs={"config": json.dumps({"experiment": "sin1d", "widths": [20, 200], "epochs": 200})})
    check_config(ds, "agg.nc", {"experiment": "sin1d", "widths": [20, 200], "epochs": 200})
    with pytest.raises(ResultFileError, match=r"'agg\.nc': inconsistent, it records widths\[1\] = 200, the config in"
                                              r" force has 2000"):
        check_config(ds, "agg.nc", {"experiment": "sin1d", "widths": [20, 2000], "epochs": 200})


def test_verify_names_every_bad_file(tmp_path, run_file, capsys):
    assert main(["verify", str(tmp_path)]) == 0
    shutil.copy(run_file, run_file.with_name("m200.nc"))
    with netCDF4.Dataset(run_file.with_name("m200.nc"), "r+") as nc:
        nc["loss"][0, 0, 0, 0, 0] = 2.0
    stat = os.stat(run_file)
    os.utime(run_file.with_name("m200.nc"), ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old time: no rerun
    capsys.readouterr()
    assert main(["verify", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"result file '{run_file.with_name('m200.nc')}': its contents changed after it was written (they no longer"
        " match the checksum it records); delete it and rerun snakemake, or run `snakemake --forcerun"
        f" {run_file.with_name('m200.nc')}`: either rebuilds it and everything made from it (files made from it"
        " before, such as results/claims.md, are stale until then)"]


def test_written_files_describe_themselves_to_cf_tools(run_file):
    """Every variable named (a long_name set where it was made kept), units or CF flags,
    strings as character arrays, the CF global attributes; the caller's dataset unchanged."""
    ds = _run_file()
    back = read_netcdf(run_file)
    unnamed = {name for name, var in back.variables.items() if not var.attrs.get("long_name")}
    assert unnamed == {"odd"}  # a name the table lacks stays undescribed (the CI-profile test names it)
    assert back["loss"].attrs == {"long_name": "training loss", "units": "1"}
    assert back["width"].attrs["units"] == "1" and "units" not in back["seed"].attrs
    assert list(back["diverged"].attrs["flag_values"]) == [0, 1] and "units" not in back["diverged"].attrs
    assert back.attrs["Conventions"].startswith("CF-") and "sin1d" in back.attrs["title"]
    assert "git commit" in back.attrs["history"]
    with netCDF4.Dataset(run_file) as nc:
        assert nc["method"].dtype == np.dtype("S1") and nc["label"].dimensions[-1].startswith("string")
    assert str(back["label"].values[0]) == "ReLU→"
    assert ds["width"].attrs == {} and "title" not in ds.attrs


def test_statistics_say_their_direction_level_and_test(tmp_path):
    ds = xr.Dataset({"vs_relu_estimate": ("width", [0.1]), "vs_relu_ci_low": ("width", [0.0]),
                     "vs_relu_p_adjusted": ("width", [0.01]), "relu_final_loss": ("width", [1.0])},
                    coords={"width": [20]}, attrs={"alpha": 0.05, "test": "Wilcoxon test", "adjust": "Holm"})
    write_netcdf(ds, tmp_path / "results" / "regime" / "map.nc")
    back = read_netcdf(tmp_path / "results" / "regime" / "map.nc")
    assert "> 0: HRTA ended lower" in back["vs_relu_estimate"].attrs["long_name"]
    assert "alpha = 0.05" in back["vs_relu_ci_low"].attrs["long_name"]
    assert "Holm" in back["vs_relu_p_adjusted"].attrs["long_name"]
    assert back["relu_final_loss"].attrs["long_name"].startswith("the ReLU baseline's")
    assert back.attrs["title"] == "HRTA regime map map: final losses and paired tests per cell"
