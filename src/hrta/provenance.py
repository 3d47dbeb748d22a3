"""What made a result: package versions, git commit, config; and atomic netCDF writes."""

import json
import os
import platform
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

import xarray as xr

PACKAGES = ("hrta", "torch", "lightning", "snakemake", "xarray", "numpy", "netCDF4")


def versions() -> dict:
    """Python and package versions ('absent' for a package that is not installed)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def git_commit(start: Path | None = None) -> str:
    """The commit of the checkout holding ``start`` (default: this file), or 'unknown'."""
    where = Path(start or __file__).resolve()
    where = where if where.is_dir() else where.parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                             text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def stamp(ds: xr.Dataset, config: dict, **seeds) -> xr.Dataset:
    """Record config (JSON), versions, git commit and seeds as netCDF-safe global attrs."""
    ds.attrs["config"] = json.dumps(config, sort_keys=True)
    ds.attrs["versions"] = json.dumps(versions(), sort_keys=True)
    ds.attrs["git_commit"] = git_commit()
    for key, value in seeds.items():
        ds.attrs[key] = int(value)
    return ds


def read_netcdf(path) -> xr.Dataset:
    """A netCDF file's contents, loaded into memory (the file is closed again)."""
    with xr.open_dataset(path) as ds:
        return ds.load()


def write_netcdf(ds: xr.Dataset, path) -> None:
    """Write to a temporary file in the same folder, then rename: no half-written output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        # Encodings carried over from files read earlier are stale: a name coordinate read
        # as '<U4' ('adam') would cut a longer name merged into it ('gd_huge' -> 'gd_h').
        ds = ds.drop_encoding()
        encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars
                    if ds[name].dtype.kind in "fiu" and ds[name].ndim}
        ds.to_netcdf(tmp, engine="netcdf4", encoding=encoding)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(text: str, path) -> None:
    """Atomic text write (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
