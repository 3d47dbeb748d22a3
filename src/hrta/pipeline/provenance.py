"""What made a result: package versions, the checkout's git state and config, stamped on its
attrs (for people: reporting reads the facts the data carry, never these).

The git state is the one of the checkout the workflow runs from (the folder of its
Snakefile), not of wherever the package is installed: the Snakefile reads it once
(:func:`publish`) and hands it to every job through the environment variable ``HRTA_GIT``,
so that every file of a run records the same commit, dirty flag and diff hash.
"""

import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import xarray as xr

PACKAGES = ("hrta", "torch", "lightning", "snakemake", "xarray", "numpy", "netCDF4", "scikit-learn")
ENV = "HRTA_GIT"  # the checkout's git state, as JSON, set by the Snakefile for its jobs
UNKNOWN = {"git_commit": "unknown", "git_dirty": "unknown", "git_diff_sha256": ""}


def versions() -> dict:
    """Python and package versions ('absent' for a package that is not installed)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def _git(where: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=where, capture_output=True, timeout=30, check=True).stdout


def checkout_state(where) -> dict:
    """The git state of the checkout holding ``where``: its commit, whether the work tree
    differs from it ('yes'/'no': tracked changes or untracked files that git does not
    ignore) and, when it does, the SHA-256 of that difference (``git diff HEAD`` and the
    untracked files' names and contents); UNKNOWN outside a git checkout."""
    where = Path(where).resolve()
    where = where if where.is_dir() else where.parent
    try:
        commit = _git(where, "rev-parse", "HEAD").decode().strip()
        top = Path(_git(where, "rev-parse", "--show-toplevel").decode().strip())
        diff = _git(top, "diff", "--binary", "HEAD")
        untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z").split(b"\0")
    except (OSError, subprocess.SubprocessError):
        return dict(UNKNOWN)
    untracked = [name for name in untracked if name]
    if not diff and not untracked:
        return {"git_commit": commit, "git_dirty": "no", "git_diff_sha256": ""}
    digest = hashlib.sha256(diff)
    for name in sorted(untracked):
        path = top / name.decode()
        digest.update(b"\0" + name + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return {"git_commit": commit, "git_dirty": "yes", "git_diff_sha256": digest.hexdigest()}


def publish(checkout) -> dict:
    """Read the checkout's git state once and hand it to this process's jobs (ENV)."""
    state = checkout_state(checkout)
    os.environ[ENV] = json.dumps(state, sort_keys=True)
    return state


def run_state() -> dict:
    """The git state the workflow published (:func:`publish`); UNKNOWN outside a workflow run."""
    try:
        state = json.loads(os.environ[ENV])
    except (KeyError, ValueError):
        return dict(UNKNOWN)
    return {key: str(state.get(key, default)) for key, default in UNKNOWN.items()}


def described(state: dict) -> str:
    """The git state in one phrase: the commit, and the diff's hash when the tree is dirty."""
    if state["git_dirty"] == "yes":
        return f"{state['git_commit']} plus uncommitted changes (diff SHA-256 {state['git_diff_sha256']})"
    if state["git_dirty"] == "unknown":
        return f"{state['git_commit']} (not known whether the tree had uncommitted changes)"
    return state["git_commit"]


def stamp(ds: xr.Dataset, config: dict, **seeds) -> xr.Dataset:
    """Record config (JSON), versions, the run's git state and seeds as netCDF-safe global attrs."""
    ds.attrs["config"] = json.dumps(config, sort_keys=True)
    ds.attrs["versions"] = json.dumps(versions(), sort_keys=True)
    ds.attrs.update(run_state())
    for key, value in seeds.items():
        ds.attrs[key] = int(value)
    return ds
