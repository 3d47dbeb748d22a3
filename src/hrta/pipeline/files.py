"""Result files: netCDF read into memory and checked, and atomic writes of netCDF and text
(temporary file in the same folder, then rename: an interrupted job leaves no half-written
file).

Every netCDF file the workflow writes describes itself (hrta.pipeline.descriptions: names,
units, statistics, CF global attributes; strings as CF character arrays) and carries a
checksum of its contents, descriptions included (attribute ``hrta_checksum``: SHA-256 over
every variable's name, dims, type, attributes and values and the global attributes; the same
data give the same checksum). Every reader goes through
:func:`read_netcdf`, which refuses a file that cannot be read, whose contents no longer match
its checksum, or that lacks the dims and variables of its kind (a run, aggregate or spectra
file), naming the file and the cure. A file whose modification time was kept is caught when
it is next read, or by

    python -m hrta.pipeline.files verify [results]     # every netCDF file below: exit 1 on a bad one
"""

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import xarray as xr

from hrta.pipeline import descriptions, provenance

CHECKSUM = "hrta_checksum"
RUN_DIMS = ("optimizer", "method", "width", "seed")  # hrta.pipeline.grid.RUN_DIMS
KINDS = {  # path pattern -> (kind, dims, variables) that every file of the kind has
    r"(^|/)results/runs/.+\.nc$": ("run file", (*RUN_DIMS, "epoch"), ("loss", "final_loss", "diverged")),
    r"(^|/)results/aggregate/[^/]+\.nc$": ("aggregate", RUN_DIMS, ("loss", "final_loss", "diverged")),
    r"(^|/)results/theory/beyond_spectra\.nc$": ("spectra", ("experiment", "network", "part", "s"),
                                                  ("lambda_min", "lambda_max")),
    r"(^|/)results/theory/(?!beyond_spectra)[^/]+_spectra\.nc$": ("spectra", ("part", "s"),
                                                                   ("lambda_min", "lambda_max")),
}


class ResultFileError(ValueError):
    """A result file is unreadable, changed since it was written, or inconsistent; the
    message names the file and how to rebuild it."""


def cure(path) -> str:
    return (f"delete it and rerun snakemake, or run `snakemake --forcerun {path}`: either rebuilds it and"
            " everything made from it (files made from it before, such as results/claims.md, are stale until then)")


def _plain(value):
    """An attribute value as netCDF gives it back: numpy scalars and arrays as Python values,
    a one-element list as its element."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (np.ndarray, list, tuple)):
        items = [_plain(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
        return items[0] if len(items) == 1 else items
    return value


def _attrs(attrs: dict) -> bytes:
    return json.dumps({k: _plain(v) for k, v in attrs.items() if k != CHECKSUM}, sort_keys=True).encode()


def _values(values: np.ndarray) -> bytes:
    kind = values.dtype.kind
    if kind in "USO":  # fixed-width in memory, variable-length strings read back
        return json.dumps([str(v) for v in values.ravel().tolist()]).encode()
    if kind == "b":
        return values.astype(np.uint8).tobytes()
    values = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
    if kind in "fc":  # one NaN (the sign and payload of a NaN do not survive netCDF's fill value)
        values = np.where(np.isnan(values), np.array(np.nan, values.dtype), values)
    return f"{kind}{values.dtype.itemsize}".encode() + values.tobytes()


def checksum(ds: xr.Dataset) -> str:
    """SHA-256 of a dataset's contents: every variable (coordinates too) with its dims,
    attributes and values, and the global attributes (but this checksum)."""
    digest = hashlib.sha256()
    for name in sorted(map(str, ds.variables)):
        var = ds.variables[name]
        head = [name, name in ds.coords, list(var.dims), list(var.shape)]
        for part in (json.dumps(head).encode(), _attrs(var.attrs), _values(np.asarray(var.values))):
            digest.update(len(part).to_bytes(8, "little") + part)
    digest.update(_attrs(ds.attrs))
    return digest.hexdigest()


def kind_of(path) -> tuple | None:
    """(kind, dims, variables) of a run, aggregate or spectra file, from its path."""
    text = Path(path).as_posix()
    return next((kind for pattern, kind in KINDS.items() if re.search(pattern, text)), None)


def check(ds: xr.Dataset, path) -> None:
    """ResultFileError if the contents differ from the checksum recorded in the file (files
    written before checksums were recorded have none), or if a run, aggregate or spectra file
    lacks the dims and variables of its kind."""
    recorded = ds.attrs.get(CHECKSUM)
    if recorded is not None and recorded != checksum(ds):
        raise ResultFileError(f"result file '{path}': its contents changed after it was written (they no longer"
                              f" match the checksum it records); {cure(path)}")
    kind = kind_of(path)
    if kind is not None:
        name, dims, variables = kind
        missing = [d for d in dims if d not in ds.dims] + [v for v in variables if v not in ds.data_vars]
        if missing:
            raise ResultFileError(f"result file '{path}': inconsistent, a {name} without {missing} (it has the dims"
                                  f" {list(ds.dims)}); {cure(path)}")


def read_netcdf(path) -> xr.Dataset:
    """A netCDF file's contents, loaded into memory (the file is closed again) and checked
    (:func:`check`); ResultFileError naming the file and the cure if it cannot be read."""
    try:
        with xr.open_dataset(path) as ds:
            ds = ds.load()
    except Exception as err:  # netCDF4, HDF5 and xarray raise OSError, RuntimeError, ValueError, KeyError
        raise ResultFileError(f"result file '{path}': unreadable, damaged or incomplete ({type(err).__name__}:"
                              f" {err}); {cure(path)}") from None
    check(ds, path)
    return ds


def recorded_config(ds: xr.Dataset, path) -> dict:
    """The config a result file records (hrta.pipeline.provenance.stamp)."""
    try:
        return json.loads(ds.attrs["config"])
    except (KeyError, ValueError):
        raise ResultFileError(f"result file '{path}': records no config; {cure(path)}") from None


def check_config(ds: xr.Dataset, path, in_force: dict) -> None:
    """ResultFileError if the config a result file records differs from the one in force
    (compared as JSON), naming the first key that differs."""
    recorded, expected = recorded_config(ds, path), json.loads(json.dumps(in_force))
    where = _first_difference(recorded, expected)
    if where is not None:
        key, have, want = where
        raise ResultFileError(f"result file '{path}': inconsistent, it records {key or 'a config'} = {have!r}, the"
                              f" config in force has {want!r} (written under another config); {cure(path)}")


def _first_difference(a, b, key=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for name in sorted(set(a) | set(b), key=str):
            found = _first_difference(a.get(name), b.get(name), f"{key}.{name}" if key else str(name))
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := _first_difference(x, y, f"{key}[{i}]"))),
                    None)
    return None if a == b else (key, a, b)


def history(ds: xr.Dataset) -> str:
    """CF's history of a result file: what wrote it, from which checkout (no date: the same
    run gives the same file; Snakemake's logs and benchmarks have the times)."""
    state = {key: ds.attrs.get(key, value) for key, value in provenance.run_state().items()}
    version = json.loads(ds.attrs.get("versions", "{}")).get("hrta") or provenance.versions()["hrta"]
    return f"written by hrta {version} (hrta.pipeline.files.write_netcdf) at git commit {provenance.described(state)}"


def write_netcdf(ds: xr.Dataset, path) -> None:
    """Write, described (hrta.pipeline.descriptions) and with the checksum of its contents,
    to a temporary file in the same folder, then rename: no half-written output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        # Encodings carried over from files read earlier are stale: a name coordinate read
        # as '<U4' ('adam') would cut a longer name merged into it ('gd_huge' -> 'gd_h').
        ds = ds.drop_encoding().copy()  # the caller's attrs stay as they were
        ds = descriptions.apply(ds, path, history(ds))
        ds.attrs[CHECKSUM] = checksum(ds)  # after the descriptions: they are part of the contents
        encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars
                    if ds[name].dtype.kind in "fiu" and ds[name].ndim}
        encoding |= {name: {"dtype": "S1"} for name, var in ds.variables.items()  # CF: strings as char arrays
                     if var.dtype.kind in "USO"}
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


def verify(paths) -> list[str]:
    """One line per netCDF file below ``paths`` that read_netcdf refuses."""
    files = [f for p in map(Path, paths) for f in (sorted(p.rglob("*.nc")) if p.is_dir() else [p])]
    bad = []
    for path in files:
        try:
            read_netcdf(path)
        except ResultFileError as err:
            bad.append(str(err))
    return bad


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["verify"])
    p.add_argument("paths", nargs="*", type=Path, default=[Path("results")], help="files or folders (results)")
    a = p.parse_args(argv)
    bad = verify(a.paths)
    print("\n".join(bad) if bad else f"every netCDF file below {', '.join(map(str, a.paths))} reads and matches"
                                     " its checksum")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
