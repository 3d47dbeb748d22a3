"""What made a result: package versions, git commit and config, stamped on its attrs (for
people: reporting reads the facts the data carry, never these)."""

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import xarray as xr

PACKAGES = ("hrta", "torch", "lightning", "snakemake", "xarray", "numpy", "netCDF4", "scikit-learn")


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
