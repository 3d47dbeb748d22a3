"""hrta.pipeline.outputs.planned, which the config check uses, lists the files the rules write:
compared with the DAG Snakemake builds (a dry run) for each profile."""

import re

import pytest

from conftest import ROOT, SCHEMA
from hrta.pipeline.config import load
from hrta.pipeline.outputs import planned

PROFILES = [pytest.param("ci.yaml", id="ci"), pytest.param("smoke.yaml", id="smoke"),
            *[pytest.param(p, id=p.split(".")[0], marks=pytest.mark.slow)
              for p in ("config.yaml", "paper.yaml", "regime.yaml")]]
SPECTRA_ONLY = re.compile(r"results/(theory|logs/theory|benchmarks/theory)/.*_spectra\.(nc|log|tsv)$")


@pytest.mark.parametrize("profile", PROFILES)
def test_planned_outputs_are_the_dags(planned_dry_run, profile):
    path = ROOT / ("config.yaml" if profile == "config.yaml" else f"workflow/configs/{profile}")
    dry = planned_dry_run(path)  # -n --jobs 10: as a cluster (GPU profiles); shared with test_workflow's
    assert dry.returncode == 0, dry.stderr[-3000:]
    dag = set()
    for line in dry.stdout.splitlines():
        m = re.match(r"\s+(output|log|benchmark): (.*)$", line)
        if m:
            dag.update(p.strip() for p in m.group(2).split(","))
    plan = {p for p, _ in planned(load(path, SCHEMA, ROOT / "config.yaml"))}
    assert dag and dag <= plan, sorted(dag - plan)[:20]
    extra = plan - dag  # spectra are planned for every experiment, made where needed
    assert all(SPECTRA_ONLY.match(p) for p in extra), sorted(p for p in extra if not SPECTRA_ONLY.match(p))[:20]
