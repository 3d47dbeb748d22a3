"""HomotopySchedule inside a real Trainer.fit, on a LightningModule the test writes (automatic
optimization, Adam, a homotopized MLP with ReLU and GELU): s switches at the stage
boundaries of epochs or steps, Adam's state is cleared at a switch when asked, s is logged."""

import re
import warnings

import lightning as L
import numpy as np
import pytest
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from hrta import HomotopySchedule, homotopize
from hrta.model.homotopy import homotopy_activations
from hrta.model.schedule import Schedule

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


@pytest.mark.filterwarnings("ignore:HomotopySchedule. the schedule lasts")  # shorter than the fit, on purpose
def test_switches_at_the_stage_boundaries_of_epochs():
    model, trainer = fit(HomotopySchedule([(0.5, 2), (1.0, 1), (1.5, 1)]), max_epochs=5)
    by_epoch = {r["epoch"]: r["s"] for r in model.records}
    assert by_epoch == {0: [0.5, 0.5], 1: [0.5, 0.5], 2: [1.0, 1.0], 3: [1.5, 1.5], 4: [1.5, 1.5]}
    assert all(r["s"] == by_epoch[r["epoch"]] for r in model.records)  # within an epoch too
    assert trainer.callback_metrics["homotopy_s"].item() == 1.5
    # the default keeps Adam's state across a switch: its step count runs on
    assert [r["adam_step"] for r in model.records] == list(range(5 * BATCHES))


@pytest.mark.filterwarnings("ignore:HomotopySchedule. the schedule lasts")
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


# --- real training around the schedule: resume, several optimizers, accumulation, lengths


class Repeated(Regressor):
    """Every batch the same 8 points, so that a fit resumed mid-epoch (whose data loader
    Lightning starts again from the epoch's first batch) sees the data of the uninterrupted
    one; it also records the s seen by validation (the sanity check's included)."""

    def train_dataloader(self):
        g = torch.Generator().manual_seed(0)
        x = torch.randn(8, 2, generator=g).repeat(BATCHES, 1)
        return DataLoader(TensorDataset(x, x.sum(1, keepdim=True).sin()), batch_size=8)

    def validation_step(self, batch, batch_idx):
        self.val_s = getattr(self, "val_s", []) + [[a.s for a in homotopy_activations(self)]]

    def val_dataloader(self):
        return self.train_dataloader()


def run(callback, max_epochs, module=Repeated, ckpt_path=None, callbacks=(), **trainer_kw):
    model = module()
    homotopize(model, (nn.ReLU, nn.GELU))
    trainer_kw = {"enable_checkpointing": False, "limit_val_batches": 0, **trainer_kw}
    trainer = L.Trainer(max_epochs=max_epochs, logger=False, enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, callbacks=[callback, *callbacks], **trainer_kw)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(num_workers|LeafSpec|schedule lasts|log_every_n_steps"
                                                  "|ckpt_path|resuming from a checkpoint)")
        trainer.fit(model, ckpt_path=ckpt_path)
    return model, trainer


def same_parameters(a: nn.Module, b: nn.Module) -> bool:
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.parametrize("unit, stages", [("epochs", [(0.5, 2), (1.5, 2)]), ("steps", [(0.5, 8), (1.5, 8)])])
def test_a_fit_resumed_exactly_at_a_switch_resets_there_as_the_uninterrupted_one(unit, stages, tmp_path):
    """Stopped at the end of epoch 1, the switch (and Adam's reset) is the first thing the
    resumed fit does; bit for bit the uninterrupted fit's weights, s saved with the model."""
    def schedule():
        return HomotopySchedule(stages, unit=unit, reset_optimizer=True)

    whole, _ = run(schedule(), 4)
    first, trainer = run(schedule(), 2)
    trainer.save_checkpoint(tmp_path / "switch.ckpt")
    resumed, _ = run(schedule(), 4, ckpt_path=tmp_path / "switch.ckpt")
    assert resumed.records[0]["s"] == [1.5, 1.5] and resumed.records[0]["adam_step"] == 0  # reset at the switch
    assert [r["adam_step"] for r in resumed.records] == [r["adam_step"] for r in whole.records[8:]]
    assert same_parameters(resumed, whole)
    assert torch.load(tmp_path / "switch.ckpt", weights_only=False)["state_dict"]["net.1.homotopy_s"] == 0.5


def test_a_fit_resumed_just_past_a_switch_does_not_reset_again(tmp_path):
    """A checkpoint saved inside the switch's epoch (after its reset): the resumed fit goes on
    with Adam's state, as the uninterrupted fit did."""
    stages = [(0.5, 2), (1.5, 2)]
    whole, _ = run(HomotopySchedule(stages, reset_optimizer=True), 4)
    saver = ModelCheckpoint(dirpath=tmp_path, every_n_train_steps=10, save_top_k=-1)
    run(HomotopySchedule(stages, reset_optimizer=True), 4, callbacks=[saver], enable_checkpointing=True)
    resumed, _ = run(HomotopySchedule(stages, reset_optimizer=True), 4, ckpt_path=tmp_path / "epoch=2-step=10.ckpt")
    assert [r["adam_step"] for r in resumed.records] == list(range(2, 8))
    assert same_parameters(resumed, whole)


class TwoOptimizers(Repeated):
    """Manual optimization with two Adams (one per linear layer pair): global_step moves by
    two a batch. It records both optimizers' step counts."""

    def __init__(self):
        super().__init__()
        self.automatic_optimization = False

    def training_step(self, batch, batch_idx):
        x, y = batch
        opts = self.optimizers()
        counts = [int(o.optimizer.state[p]["step"]) if p in o.optimizer.state else 0
                  for o, p in zip(opts, (self.net[0].weight, self.net[4].weight))]
        self.records.append({"step": self.global_step, "s": [a.s for a in homotopy_activations(self)],
                             "adam_step": counts})
        loss = nn.functional.mse_loss(self.net(x), y)
        for opt in opts:
            opt.zero_grad()
        self.manual_backward(loss)
        for opt in opts:
            opt.step()

    def configure_optimizers(self):
        first = [*self.net[0].parameters(), *self.net[2].parameters()]
        return torch.optim.Adam(first, lr=1e-2), torch.optim.Adam(self.net[4].parameters(), lr=1e-2)


def test_steps_under_two_optimizers_count_batches_and_hit_an_odd_boundary():
    model, trainer = run(HomotopySchedule([(0.5, 3), (1.5, 3)], unit="steps", reset_optimizer=True), 2,
                         module=TwoOptimizers)
    assert trainer.global_step == 2 * 2 * BATCHES  # two optimizer steps a batch
    assert [r["s"][0] for r in model.records] == [0.5] * 3 + [1.5] * 5
    assert [r["adam_step"] for r in model.records] == [[i, i] for i in [0, 1, 2, 0, 1, 2, 3, 4]]  # both reset


def test_steps_under_gradient_accumulation_count_optimizer_steps():
    model, trainer = run(HomotopySchedule([(0.5, 3), (1.5, 3)], unit="steps", reset_optimizer=True), 3,
                         accumulate_grad_batches=2)
    assert trainer.global_step == 6
    assert [r["step"] for r in model.records] == [b // 2 for b in range(12)]
    assert [r["s"][0] for r in model.records] == [0.5] * 6 + [1.5] * 6  # the accumulation window of step 3
    assert [r["adam_step"] for r in model.records] == [b // 2 for b in range(6)] + [b // 2 for b in range(6)]


@pytest.mark.parametrize("epochs, expected", [
    (3, "schedule lasts 4 epochs but the fit runs 3 epochs: its stages from epochs 3 on never start and the fit"
        " ends at s = 1, not the last stage's 1.5"),
    (6, "schedule lasts 4 epochs but the fit runs 6 epochs: its last stage's s = 1.5 holds for the remaining 2"),
])
def test_a_schedule_longer_or_shorter_than_the_fit_is_warned_of(epochs, expected):
    with pytest.warns(UserWarning, match=re.escape(expected)):
        fit(HomotopySchedule([(0.5, 2), (1.0, 1), (1.5, 1)]), max_epochs=epochs)
    with pytest.warns(UserWarning, match="schedule lasts 20 steps but the fit runs 12 steps"):
        fit(HomotopySchedule([(0.5, 10), (1.0, 10)], unit="steps"), max_epochs=3)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*schedule lasts")
        fit(HomotopySchedule([(0.5, 2), (1.0, 2)]), max_epochs=4)  # as long as the fit: nothing to say


def test_sanity_check_validation_runs_at_the_first_stage_s():
    model, _ = run(HomotopySchedule([(0.5, 1), (1.5, 1)]), 2, limit_val_batches=1, num_sanity_val_steps=1)
    assert model.val_s == [[0.5, 0.5], [0.5, 0.5], [1.5, 1.5]]  # sanity check, then after epochs 0 and 1


@pytest.mark.parametrize("kwargs, match", [
    ({"stages": [(0.5, 1)], "reset_optimizer": "no"}, "reset_optimizer must be True or False, got 'no'"),
    ({"stages": [(1.5, 1), (1.0, 1)]}, r"s decreases from 1.5 \(stage 0\) to 1 \(stage 1\).*allow_decreasing=True"),
    ({"stages": [(0.5, 1)], "log_name": True}, "log_name must be a string or None"),
    ({"stages": Schedule([(0.5, 1)]), "unit": "steps"}, "a Schedule brings its own unit.*unit='steps'"),
    ({"stages": [(0.5, 1.0)]}, "epochs must be a positive integer, got 1.0"),
    ({"stages": [("0.5", 1)]}, "must be a number"),
])
def test_bad_arguments_are_refused_with_their_reason(kwargs, match):
    with pytest.raises(ValueError, match=match):
        HomotopySchedule(**kwargs)


def test_numpy_lengths_and_a_deliberately_decreasing_schedule_are_accepted():
    cb = HomotopySchedule([(np.float64(1.5), np.int64(1)), {"s": 1.0, "epochs": np.int32(1)}], allow_decreasing=True,
                          reset_optimizer=np.bool_(True))
    assert cb.schedule.total == 2 and cb.schedule.reset_at_switch is True
    assert HomotopySchedule(Schedule([(1.5, 1), (1.0, 1)])).schedule.label() == "HRTA 1.5→1 (s decreasing)"
    model, _ = fit(cb, max_epochs=2)
    assert [r["s"][0] for r in model.records] == [1.5] * BATCHES + [1.0] * BATCHES
