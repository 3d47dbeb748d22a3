"""The CI profile's netCDF results describe themselves (issue 33): every variable and
coordinate named, numbers with units or flags, CF's global attributes, one git state of the
run's checkout in every file and page, and the CF checker finding no error and only the
warnings docs/data.md explains."""

import contextlib
import io
import json
import os
import re

import pytest

from conftest import ROOT
from hrta.pipeline.descriptions import describe
from hrta.pipeline.files import read_netcdf
from hrta.pipeline.provenance import checkout_state, described

pytestmark = pytest.mark.slow
GLOBALS = ("Conventions", "title", "history", "source", "references")
GIT = ("git_commit", "git_dirty", "git_diff_sha256")
EMPTY_TABLE = '<?xml version="1.0"?>\n<table><version_number>0</version_number>{date}</table>\n'


def _netcdf_files(ci_run):
    files = sorted((ci_run / "results").rglob("*.nc"))
    assert len(files) > 20
    return files


def test_every_variable_and_coordinate_is_described_and_every_file_names_one_checkout(ci_run):
    states = set()
    for path in _netcdf_files(ci_run):
        ds = read_netcdf(path)
        unnamed = [str(name) for name, var in ds.variables.items() if not var.attrs.get("long_name")]
        assert not unnamed, f"{path}: no long_name on {unnamed}"
        for name, var in ds.variables.items():
            found = describe(str(name), ds.attrs)
            assert found is not None, f"{path}: {name} is not in hrta.pipeline.descriptions"
            if var.dtype.kind in "biuf" and found[1] is not None:
                assert "units" in var.attrs or "flag_values" in var.attrs, f"{path}: {name} has no units"
        assert all(ds.attrs.get(key) for key in GLOBALS), f"{path}: {ds.attrs.keys()}"
        states.add(tuple(ds.attrs[key] for key in GIT))
    assert len(states) == 1, states
    state = dict(zip(GIT, states.pop()))
    assert state["git_commit"] == checkout_state(ROOT)["git_commit"]  # the checkout's, whatever is installed
    claims = json.loads((ci_run / "results" / "claims.json").read_text())
    assert {key: claims["provenance"][key] for key in GIT} == state
    assert described(state) in (ci_run / "results" / "report" / "provenance.rst").read_text()


def _cf_findings(path, tables) -> list[tuple[str, str, str]]:
    """(level, message, variable) of every error and warning of the CF checker on a file."""
    from cfchecker import cfchecks

    checker = cfchecks.CFChecker(cfStandardNamesXML=str(tables / "names.xml"),
                                 cfAreaTypesXML=str(tables / "areas.xml"),
                                 cfRegionNamesXML=str(tables / "regions.xml"), version=cfchecks.CFVersion(),
                                 silent=True)
    with contextlib.redirect_stdout(io.StringIO()):
        results = checker.checker(str(path))
    places = [("(global)", results["global"]), *results["variables"].items()]
    return [(level, message, name) for name, found in places for level in ("FATAL", "ERROR", "WARN")
            for message in found.get(level, [])]


def test_the_cf_checker_finds_no_error_and_only_the_explained_warnings(ci_run, tmp_path):
    """cfchecker (PyPI, with libudunits2) on every netCDF file: tables of standard names, area
    types and regions left empty (no file uses them; the checker would download them)."""
    try:
        import cfchecker.cfchecks  # noqa: F401  (needs libudunits2 at import)
    except (ImportError, OSError) as err:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"the CF checker is not installed: {err}")
    (tmp_path / "names.xml").write_text(EMPTY_TABLE.format(date="<last_modified>-</last_modified>")
                                        .replace("table>", "standard_name_table>"))
    for name in ("areas.xml", "regions.xml"):
        (tmp_path / name).write_text(EMPTY_TABLE.format(date="<date>-</date>"))
    docs = (ROOT / "docs" / "data.md").read_text()
    explained = {line.split("|")[1].strip().strip("`"): set(re.findall(r"`(\w+)`", line.split("|")[2]))
                 for line in docs.splitlines() if line.startswith("| `(")}
    unexplained = []
    for path in _netcdf_files(ci_run):
        for level, message, name in _cf_findings(path, tmp_path):
            if level != "WARN" or name not in explained.get(message, ()):
                unexplained.append(f"{path.relative_to(ci_run)}: {level} {name}: {message}")
    assert not unexplained, "\n".join(unexplained)
