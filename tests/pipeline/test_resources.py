"""Cluster resources of the train rule: estimates, and their wiring into the workflow."""

import re
import subprocess
import sys

import pytest
import yaml

import hrta.pipeline.resources
from conftest import ROOT, TRAINING, make_run
from hrta.training.populations import population_bytes, populations

LIMIT = TRAINING["population_mb"]


def test_memory_grows_with_width_and_points():
    small, wide = make_run(width=100), make_run(width=100_000)
    assert hrta.pipeline.resources.mem_mb([small], LIMIT) >= hrta.pipeline.resources.PROCESS_MB
    assert hrta.pipeline.resources.mem_mb([wide], LIMIT) > hrta.pipeline.resources.mem_mb([small], LIMIT)
    more_points = make_run(width=100_000, problem={**small.problem, "n_train": 2_000_000})
    assert hrta.pipeline.resources.mem_mb([more_points], LIMIT) > hrta.pipeline.resources.mem_mb([wide], LIMIT)


def test_runtime_grows_with_epochs_and_width():
    base = make_run(width=1000, schedule=[{"s": 1.0, "epochs": 1000}])
    longer = make_run(width=1000, schedule=[{"s": 0.5, "epochs": 1000}, {"s": 1.0, "epochs": 9000}])
    wider = make_run(width=100_000, schedule=[{"s": 1.0, "epochs": 1000}])
    runtime = hrta.pipeline.resources.runtime_min
    assert runtime([base], LIMIT) >= hrta.pipeline.resources.START_MIN
    assert runtime([longer], LIMIT) > runtime([base], LIMIT)
    assert runtime([wider], LIMIT) > runtime([base], LIMIT)
    assert runtime([base] * 40, LIMIT) > runtime([base], LIMIT)


def test_a_job_needs_the_memory_of_its_largest_population():
    small, wide = make_run(width=100), make_run(width=100_000)
    mem_mb = hrta.pipeline.resources.mem_mb
    assert mem_mb([small, wide, small], LIMIT) == mem_mb([wide], LIMIT)
    more = [make_run(width=100_000, seed=s) for s in range(12)]
    assert mem_mb(more, LIMIT) > mem_mb([wide], LIMIT)


def test_the_fused_bound_holds_the_chunk_not_every_members_slopes():
    fused = [make_run(width=10_000, seed=s) for s in range(12)]
    auto = [make_run(width=10_000, seed=s, training={**TRAINING, "slopes": "autograd"}) for s in range(12)]
    assert population_bytes(fused[0], 12) < population_bytes(auto[0], 12)
    assert populations(fused, LIMIT) == [list(range(12))]
    per = 100 * 2**20 // population_bytes(auto[0], 1)  # members under a 100 MB bound
    assert per >= 1 and populations(auto, 100) == [list(range(i, min(12, i + per))) for i in range(0, 12, per)]


@pytest.mark.parametrize("accelerator, gpus", [("cpu", 0), ("gpu", 1), ("auto", 0)])
def test_gpu_requested_only_for_gpu_accelerator(accelerator, gpus):
    run = make_run(training={**TRAINING, "accelerator": accelerator})
    assert hrta.pipeline.resources.gpus([run]) == gpus


@pytest.mark.slow
def test_train_rule_declares_gpu_when_accelerator_is_gpu(tmp_path):
    config = yaml.safe_load((ROOT / "workflow/configs/ci.yaml").read_text())
    config["training"]["accelerator"] = "gpu"  # applied over config.yaml like the profile
    (tmp_path / "gpu.yaml").write_text(yaml.safe_dump(config))
    exp = next(iter(config["experiments"]))
    out = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--jobs", "10", f"results/aggregate/{exp}.nc",  # as a cluster
         "-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path / "run"),
         "--configfile", str(tmp_path / "gpu.yaml")],
        capture_output=True, text=True, check=True).stdout
    train = re.findall(r"rule train:(?:\n .*)*?\n\s+resources: (.*)", out)
    assert train, out[-3000:]
    assert all(re.search(r"\bgpu=1\b", r) and re.search(r"\bruntime=\d+", r) for r in train)
