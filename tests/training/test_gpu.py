"""Training with accelerator gpu gives the CPU's numbers to rounding, and the same numbers
again when run again: every slope method, a population of several members, a switch of s,
and a Ritz problem whose points are redrawn every epoch. In float64, so that what is
compared is the computation, not float32's rounding grown over the epochs. Skipped where
torch sees no CUDA device (the project never needs one; docs/benchmarks.md records where
it ran)."""

import numpy as np
import pytest
import torch

from conftest import PROBLEM, TRAINING, make_run
from hrta.problems import make_problem
from hrta.training.run import train_population

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")

RITZ = {"name": "poisson_neumann", "dim": 2, "n_train": 256, "train_points": "sobol", "n_test": 400,
        "test_points": "grid", "resample": True}
RTOL = 1e-9  # float64: a different summation order, over 120 epochs


def histories(problem: dict, slopes: str, accelerator: str):
    training = {**TRAINING, "dtype": "float64", "slopes": slopes, "accelerator": accelerator}
    runs = [make_run(problem=problem, seed=seed, width=64, training=training) for seed in range(3)]
    return train_population(make_problem(problem).make_dataset(0), runs)


@pytest.mark.parametrize("problem, slopes", [(PROBLEM, "sorted"), (PROBLEM, "fused"), (PROBLEM, "autograd"),
                                             (RITZ, "fused")], ids=["sorted", "fused", "autograd", "ritz"])
def test_gpu_training_gives_the_cpu_numbers_and_the_same_again(problem, slopes):
    cpu = histories(problem, slopes, "cpu")
    torch.cuda.reset_peak_memory_stats()
    gpu = histories(problem, slopes, "gpu")
    assert torch.cuda.max_memory_allocated() > 0, "the gpu run left the device unused"
    for a, b in zip(gpu, histories(problem, slopes, "gpu")):
        np.testing.assert_array_equal(b["loss"].values, a["loss"].values)
    for a, b in zip(cpu, gpu):
        for name in ("loss", "test_error") + (("test_gap",) if "test_gap" in a else ()):
            assert np.isfinite(b[name].values).all(), name
            np.testing.assert_allclose(b[name].values, a[name].values, rtol=RTOL, err_msg=name)
        np.testing.assert_array_equal(b["s"].values, a["s"].values)
