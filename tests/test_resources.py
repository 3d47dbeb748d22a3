"""Cluster resources of the train rule: estimates, and their wiring into the workflow."""

import re
import subprocess
import sys

import pytest
import yaml

import hrta.pipeline.resources
from conftest import ROOT, make_spec
from hrta.training.populations import population_bytes, populations


def test_memory_grows_with_width_and_points():
    small, wide = make_spec(width=100), make_spec(width=100_000)
    assert hrta.pipeline.resources.mem_mb([small]) >= hrta.pipeline.resources.PROCESS_MB
    assert hrta.pipeline.resources.mem_mb([wide]) > hrta.pipeline.resources.mem_mb([small])
    more_points = make_spec(width=100_000, problem={**small["problem"], "n_train": 2_000_000})
    assert hrta.pipeline.resources.mem_mb([more_points]) > hrta.pipeline.resources.mem_mb([wide])


def test_runtime_grows_with_epochs_and_width():
    base = make_spec(width=1000, schedule=[{"s": 1.0, "epochs": 1000}])
    longer = make_spec(width=1000, schedule=[{"s": 0.5, "epochs": 1000}, {"s": 1.0, "epochs": 9000}])
    wider = make_spec(width=100_000, schedule=[{"s": 1.0, "epochs": 1000}])
    assert hrta.pipeline.resources.runtime_min([base]) >= hrta.pipeline.resources.START_MIN
    assert hrta.pipeline.resources.runtime_min([longer]) > hrta.pipeline.resources.runtime_min([base])
    assert hrta.pipeline.resources.runtime_min([wider]) > hrta.pipeline.resources.runtime_min([base])
    assert hrta.pipeline.resources.runtime_min([base] * 40) > hrta.pipeline.resources.runtime_min([base])


def test_a_job_needs_the_memory_of_its_largest_population():
    small, wide = make_spec(width=100), make_spec(width=100_000)
    assert hrta.pipeline.resources.mem_mb([small, wide, small]) == hrta.pipeline.resources.mem_mb([wide])
    more = [make_spec(width=100_000, seed=s) for s in range(12)]
    assert hrta.pipeline.resources.mem_mb(more) > hrta.pipeline.resources.mem_mb([wide])


def test_the_fused_bound_holds_the_chunk_not_every_members_slopes():
    fused = [make_spec(width=10_000, seed=s) for s in range(12)]
    auto = [make_spec(width=10_000, seed=s, training={**fused[0]["training"], "kernel": "autograd"})
            for s in range(12)]
    assert population_bytes(fused[0], 12) < population_bytes(auto[0], 12)
    assert populations(fused) == [list(range(12))]
    auto = [{**spec, "training": {**spec["training"], "population_mb": 100}} for spec in auto]
    per = 100 * 2**20 // population_bytes(auto[0], 1)  # members under the bound
    assert per >= 1 and populations(auto) == [list(range(i, min(12, i + per))) for i in range(0, 12, per)]


@pytest.mark.parametrize("accelerator, gpus", [("cpu", 0), ("gpu", 1), ("auto", 0)])
def test_gpu_requested_only_for_gpu_accelerator(accelerator, gpus):
    spec = make_spec()
    spec["training"]["accelerator"] = accelerator
    assert hrta.pipeline.resources.gpus([spec]) == gpus


@pytest.mark.slow
def test_train_rule_declares_gpu_when_accelerator_is_gpu(tmp_path):
    config = yaml.safe_load((ROOT / "workflow/configs/ci.yaml").read_text())
    config["training"]["accelerator"] = "gpu"
    (tmp_path / "gpu.yaml").write_text(yaml.safe_dump(config))
    exp = next(iter(config["experiments"]))
    out = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", f"results/aggregate/{exp}.nc",
         "-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path / "run"),
         "--configfile", str(tmp_path / "gpu.yaml")],
        capture_output=True, text=True, check=True).stdout
    train = re.findall(r"rule train:(?:\n .*)*?\n\s+resources: (.*)", out)
    assert train, out[-3000:]
    assert all(re.search(r"\bgpu=1\b", r) and re.search(r"\bruntime=\d+", r) for r in train)
