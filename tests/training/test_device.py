"""Device placement of training: the full-batch data travel with the LightningModule.

The data are buffers of the module, so Lightning's move of the module to the accelerator
carries them once, before the first step; no step copies or recreates them. CPU is the
tested path; the same property is what makes accelerator=gpu copy the data only once.
"""

import lightning as L
import numpy as np
import pytest
import torch

from conftest import TRAINING, make_run
from hrta.training.run import train

DATA = ("x_train", "y_train", "x_test", "y_test")


@pytest.mark.slow
def test_full_batch_data_are_module_buffers_never_copied(sin_dataset, monkeypatch):
    seen = {}
    fit = L.Trainer.fit

    def recording_fit(trainer, module, *args, **kwargs):
        buffers = dict(module.named_buffers())
        seen["before"] = {k: buffers[k].data_ptr() for k in DATA}
        fit(trainer, module, *args, **kwargs)
        seen["after"] = {k: getattr(module, k).data_ptr() for k in DATA}
        seen["module"] = module

    monkeypatch.setattr(L.Trainer, "fit", recording_fit)
    train(sin_dataset, make_run())
    assert seen["after"] == seen["before"], "a training step replaced the data tensors"
    module = seen["module"].to(torch.float64)  # a move of the module moves the data with it
    assert all(getattr(module, k).dtype == torch.float64 for k in DATA)


@pytest.mark.skipif(torch.cuda.is_available(), reason="auto picks the GPU here (tests/training/test_gpu.py)")
@pytest.mark.parametrize("slopes", ["sorted", "fused", "autograd"])
def test_auto_without_a_gpu_gives_the_cpu_numbers_under_deterministic_algorithms(sin_dataset, slopes):
    """Off the CPU, training turns torch's deterministic algorithms on; 'auto' does so on a
    machine without a GPU too, where every kernel must still run and give the CPU's numbers."""
    before = torch.are_deterministic_algorithms_enabled()
    try:
        cpu, auto = (train(sin_dataset, make_run(training={**TRAINING, "slopes": slopes, "accelerator": accelerator}))
                     for accelerator in ("cpu", "auto"))
        assert torch.are_deterministic_algorithms_enabled()
    finally:
        torch.use_deterministic_algorithms(before)
    np.testing.assert_array_equal(auto["loss"].values, cpu["loss"].values)
    np.testing.assert_array_equal(auto["test_error"].values, cpu["test_error"].values)
