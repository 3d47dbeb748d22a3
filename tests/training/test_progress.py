"""Training logs: a line per run's start and end, progress lines every training.log_every_s
seconds, no third-party warnings, and no effect on any number."""

import logging
import os
import re
import warnings

import numpy as np
import pytest
import xarray as xr

from conftest import TRAINING, make_run
from hrta.training.module import EPOCHS_PER_STEP
from hrta.training.run import train, train_runs

QUIET, EVERY_EPOCH = 1e9, 0.0  # training.log_every_s


def _job():
    gd = {"name": "gd", "algorithm": "gd", "lr": 0.05, "decay": {"kind": "none"}}
    return [make_run(seed=0, method="relu", schedule=[{"s": 1.0, "epochs": 120}]),
            make_run(seed=1),
            make_run(seed=0, optimizer=gd),
            make_run(seed=1, optimizer={**gd, "name": "gd_huge", "lr": 1e6})]


@pytest.mark.slow
def test_start_end_and_progress_lines(sin_dataset, caplog):
    with caplog.at_level(logging.INFO, logger="hrta.training"):
        histories, times = train_runs(sin_dataset, _job(), TRAINING["population_mb"], EVERY_EPOCH)
    lines = [r.getMessage() for r in caplog.records if r.name == "hrta.training"]
    assert lines[0] == "population 1/2: 2 runs, width 64, adam, 120 epochs"
    assert lines[1] == "start test adam relu m=64 seed=0 (population 1, member 1/2)"
    assert lines[2] == "start test adam hrta m=64 seed=1 (population 1, member 2/2)"
    progress = [line for line in lines if line.startswith("epoch ")]
    steps = 120 // EPOCHS_PER_STEP
    assert len(progress) == 2 * steps  # log_every_s = 0: after every Lightning step of both populations
    first = re.fullmatch(rf"epoch {EPOCHS_PER_STEP}/120: loss (\S+) \[(\S+), (\S+)\], s 0\.5, 1, elapsed \S+ s,"
                         r" left ~\S+ s", progress[0])
    assert first, progress[0]
    losses = sorted(float(h.loss[EPOCHS_PER_STEP - 1]) for h in histories[:2])
    assert [float(first[2]), float(first[3])] == [float(f"{v:.3e}") for v in losses]
    assert re.fullmatch(r"epoch 120/120: .*, s 1, .*left ~0\.0 s", progress[steps - 1])
    assert any("(1 of 2 live)" in line for line in progress[steps:])  # the huge step diverged
    ends = [line for line in lines if line.startswith("end ")]
    assert len(ends) == 4
    wall = times[0]["wall_s"] * 2
    assert ends[0] == (f"end test adam relu m=64 seed=0: final loss {float(histories[0].final_loss):.4e},"
                       f" {wall / 2:.1f} s (population {wall:.1f} s / 2 runs)")
    assert re.fullmatch(rf"end test gd_huge hrta m=64 seed=1: diverged at epoch {int(histories[3].diverged_epoch)},"
                        r" \S+ s \(population \S+ s / 2 runs\)", ends[3])


@pytest.mark.slow
def test_the_log_interval_changes_no_number(sin_dataset):
    quiet, _ = train_runs(sin_dataset, _job(), TRAINING["population_mb"], QUIET)
    chatty, _ = train_runs(sin_dataset, _job(), TRAINING["population_mb"], EVERY_EPOCH)
    for a, b in zip(quiet, chatty):
        xr.testing.assert_identical(a, b)


def test_training_raises_no_third_party_warning(sin_dataset, tmp_path, monkeypatch):
    """Lightning's LeafSpec FutureWarning (every fit) and its srun hint (where an srun exists
    outside a SLURM job step: a fake one on PATH here) are filtered at their source."""
    srun = tmp_path / "srun"
    srun.write_text("#!/bin/sh\n")
    srun.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.delenv("SLURM_NTASKS", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h = train(sin_dataset, make_run(schedule=[{"s": 1.0, "epochs": 5}]))
    assert np.isfinite(float(h.final_loss))
    assert not caught, [f"{w.category.__name__}: {w.message}" for w in caught]
