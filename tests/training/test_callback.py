"""HomotopySchedule inside a real Trainer.fit, on a LightningModule the test writes (automatic
optimization, Adam, a homotopized MLP with ReLU and GELU): s switches at the stage
boundaries of epochs or steps, Adam's state is cleared at a switch when asked, s is logged."""

import warnings

import lightning as L
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from hrta import HomotopySchedule, homotopize
from hrta.model.homotopy import homotopy_activations

BATCHES = 4  # per epoch


class Regressor(L.LightningModule):
    """A plain LightningModule; it records, at each training step, the epoch, the global step,
    the s of each homotopy activation and Adam's step count before the update."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 1))
        self.records = []

    def training_step(self, batch, batch_idx):
        x, y = batch
        opt = self.optimizers().optimizer
        state = opt.state.get(self.net[0].weight, {})
        self.records.append({"epoch": self.current_epoch, "step": self.global_step,
                             "s": [a.s for a in homotopy_activations(self)],
                             "adam_step": int(state["step"]) if state else 0})
        return nn.functional.mse_loss(self.net(x), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-2)

    def train_dataloader(self):
        g = torch.Generator().manual_seed(0)
        x = torch.randn(8 * BATCHES, 2, generator=g)
        return DataLoader(TensorDataset(x, x.sum(1, keepdim=True).sin()), batch_size=8)


def fit(callback, max_epochs=5, homotopized=True, **trainer_kw) -> tuple[Regressor, L.Trainer]:
    model = Regressor()
    if homotopized:
        homotopize(model, (nn.ReLU, nn.GELU))
    trainer = L.Trainer(max_epochs=max_epochs, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                        enable_model_summary=False, accelerator="cpu", devices=1, callbacks=[callback], **trainer_kw)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(num_workers|LeafSpec)")  # the test's loader is small
        trainer.fit(model)
    return model, trainer


def test_switches_at_the_stage_boundaries_of_epochs():
    model, trainer = fit(HomotopySchedule([(0.5, 2), (1.0, 1), (1.5, 1)]), max_epochs=5)
    by_epoch = {r["epoch"]: r["s"] for r in model.records}
    assert by_epoch == {0: [0.5, 0.5], 1: [0.5, 0.5], 2: [1.0, 1.0], 3: [1.5, 1.5], 4: [1.5, 1.5]}
    assert all(r["s"] == by_epoch[r["epoch"]] for r in model.records)  # within an epoch too
    assert trainer.callback_metrics["homotopy_s"].item() == 1.5
    # the default keeps Adam's state across a switch: its step count runs on
    assert [r["adam_step"] for r in model.records] == list(range(5 * BATCHES))


def test_switches_at_a_step_inside_an_epoch_and_resets_adam():
    stages = [{"s": 0.5, "steps": 6}, {"s": 1.5, "steps": 3}]
    model, _ = fit(HomotopySchedule(stages, unit="steps", reset_optimizer=True), max_epochs=3)
    assert [r["step"] for r in model.records] == list(range(3 * BATCHES))
    assert [r["s"][0] for r in model.records] == [0.5] * 6 + [1.5] * 6  # the switch is mid-epoch 1
    # Adam's state is empty at the switch's step (step count 0 before its update), then counts again
    assert [r["adam_step"] for r in model.records] == list(range(6)) + list(range(6))


def test_equal_s_boundary_is_no_switch_and_resets_nothing():
    model, _ = fit(HomotopySchedule([(1.0, 1), (1.0, 1)], reset_optimizer=True), max_epochs=2)
    assert [r["adam_step"] for r in model.records] == list(range(2 * BATCHES))


def test_a_module_without_homotopy_activations_is_refused():
    with pytest.raises(ValueError, match="no HomotopyActivation.*homotopize"):
        fit(HomotopySchedule([(0.5, 1), (1.0, 1)]), homotopized=False)


@pytest.mark.parametrize("stages, unit, match", [
    ([{"s": 0.5, "epochs": 2}], "steps", "keys s and steps"),
    ([(0.5, 0)], "steps", "steps must be a positive integer"),
    ([(0.5, 2)], "batches", "unit must be one of"),
])
def test_bad_stages_are_refused_when_built(stages, unit, match):
    with pytest.raises(ValueError, match=match):
        HomotopySchedule(stages, unit=unit)
