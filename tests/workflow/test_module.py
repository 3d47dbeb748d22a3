"""The workflow deployed as a Snakemake module of another workflow (as snakedeploy and the
workflow catalog's standardized usage deploy it): its own files found, the config it is
handed in force, and its outputs recording the commit of its own checkout."""

import subprocess
import sys

import pytest
import yaml

from conftest import CI_PROFILE, workflow_copy
from hrta.pipeline.files import read_netcdf, recorded_config

pytestmark = pytest.mark.slow

OUTER = """\
configfile: "{profile}"


module hrta:
    snakefile:
        "{snakefile}"
    config:
        config


use rule * from hrta as hrta_*
"""


def _git(where, *args) -> str:
    return subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, check=True).stdout.strip()


def test_the_workflow_as_a_module_uses_the_handed_config_and_records_its_own_commit(tmp_path):
    checkout = workflow_copy(tmp_path / "hrta")  # a checkout of its own, another commit than the package's
    _git(checkout, "init", "-q")
    _git(checkout, "add", ".")
    _git(checkout, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "deployed")
    commit = _git(checkout, "rev-parse", "HEAD")
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "profile.yaml").write_text(CI_PROFILE.read_text())
    (outer / "Snakefile").write_text(OUTER.format(profile="profile.yaml", snakefile=checkout / "Snakefile"))
    target, page = "results/aggregate/sin3d.nc", "results/report/provenance.rst"
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", target, page], cwd=outer,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    ds = read_netcdf(outer / target)
    ci_sin3d = yaml.safe_load(CI_PROFILE.read_text())["experiments"]["sin3d"]
    assert ds.sizes["width"] == len(ci_sin3d["widths"])  # the handed profile, not config.yaml's grid
    assert recorded_config(ds, target)["problem"]["n_train"] == ci_sin3d["problem"]["n_train"]
    assert (ds.attrs["git_commit"], ds.attrs["git_dirty"]) == (commit, "no")
    assert commit in ds.attrs["history"]
    said = (outer / page).read_text()  # the report's provenance page: the same commit, the handed config
    assert f"with the config handed over it (--config, or a using workflow's)`` at git commit ``{commit}``" in said
    assert not (outer / "config.yaml").exists()  # nothing of the workflow's was copied next to the user's
