"""Result files: netCDF read into memory, and atomic writes of netCDF and text (temporary
file in the same folder, then rename: an interrupted job leaves no half-written file)."""

import os
import tempfile
from pathlib import Path

import xarray as xr


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
