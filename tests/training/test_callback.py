"""HomotopySchedule inside a real Trainer.fit, on a LightningModule the test writes (automatic
optimization, Adam, a homotopized MLP with ReLU and GELU): s switches at the stage
boundaries of epochs or steps, Adam's state is cleared at a switch when asked, s is logged."""

import math
import re
import warnings

import lightning as L
import numpy as np
import pytest
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from conftest import make_run
from hrta import HomotopySchedule, homotopize
from hrta.model.homotopy import homotopy_activations
from hrta.model.schedule import Schedule
from hrta.training.run import train

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


# --- ramps and plateaus: one semantics with the population trainer


def test_a_ramp_per_step_is_the_closed_form_at_every_step_and_resets_at_its_start():
    stages = [{"s": 0.5, "steps": 3}, {"ramp": 1.5, "steps": 6, "shape": "cosine"}, {"s": 1.5}]
    model, _ = fit(HomotopySchedule(stages, unit="steps", reset_optimizer=True), max_epochs=3)
    cosine = [0.5 + (1.5 - 0.5) * (1 - math.cos(math.pi * (u + 1) / 6)) / 2 for u in range(6)]
    assert [r["s"][0] for r in model.records] == pytest.approx([0.5] * 3 + cosine + [1.5] * 3, abs=1e-15)
    assert [r["adam_step"] for r in model.records] == list(range(3)) + list(range(9))  # reset at the ramp's start


@pytest.mark.filterwarnings("ignore:HomotopySchedule. the schedule lasts")  # shorter than the fit, on purpose
def test_a_ramp_per_epoch_moves_s_at_each_epoch_and_s_stays_at_its_end():
    model, _ = fit(HomotopySchedule([(0.5, 1), {"ramp": 1.5, "epochs": 2}]), max_epochs=5)
    assert [r["s"] for r in model.records[::BATCHES]] == [[s, s] for s in (0.5, 1.0, 1.5, 1.5, 1.5)]
    assert all(r["s"] == model.records[r["epoch"] * BATCHES]["s"] for r in model.records)  # held within an epoch


class Replay(Regressor):
    """Full batch (one batch an epoch) and a training loss logged as ``train_loss`` from a
    given curve, one value an epoch (each epoch's loss at its start, as the population
    trainer records it); it records the s of every epoch."""

    curve = ()

    def training_step(self, batch, batch_idx):
        self.log("train_loss", torch.tensor(self.curve[self.current_epoch], dtype=torch.float64), on_epoch=True)
        return super().training_step(batch, batch_idx)

    def train_dataloader(self):
        return DataLoader(super().train_dataloader().dataset, batch_size=8 * BATCHES)


def replayed(callback, curve, max_epochs, **kw):
    Replay.curve = tuple(curve)
    model, trainer = run(callback, max_epochs, module=Replay, **kw)
    return [r["s"][0] for r in model.records], model, trainer


PLATEAU = {"tol": 0.01, "window": 3, "min_epochs": 4, "max_epochs": 20}
STAGES = [(0.5, 5), {"s": 0.5, "plateau": PLATEAU}, {"ramp": 1.0, "epochs": 2}, (1.0, 3)]  # 30 epochs
# the loss falls 10% an epoch until epoch 14, then 0.1%: epochs 14 and 17 are within 1%, the
# plateau fires at the end of 17 (it started at 5, 13 epochs before) and the ramp starts at 18
FLATTENS = [0.9 ** t for t in range(15)] + [0.9 ** 14 * 0.999 ** (t - 14) for t in range(15, 30)]


@pytest.mark.parametrize("curve, min_epochs, switch", [(FLATTENS, 4, 18), (FLATTENS, 16, 21), ([1.0] * 30, 4, 9)])
def test_a_plateau_fires_on_the_monitored_loss_where_expected_and_not_before_min_epochs(curve, min_epochs, switch):
    stages = [*STAGES[:1], {"s": 0.5, "plateau": {**PLATEAU, "min_epochs": min_epochs}}, *STAGES[2:]]
    callback = HomotopySchedule(stages, monitor="train_loss", reset_optimizer=True)
    s, model, _ = replayed(callback, curve, 30)
    assert s == [0.5] * switch + [0.75] + [1.0] * (29 - switch)
    assert callback.course.starts == [0, 5, switch, switch + 2]
    assert [r["adam_step"] for r in model.records][switch - 1:switch + 2] == [switch - 1, 0, 1]  # reset as it fires


def test_the_callback_and_the_population_trainer_give_one_s_sequence_for_one_loss_curve(sin_dataset):
    """A member trained by the pipeline (a plateau that fires on its criterion, then a ramp);
    its own loss curve, logged by a LightningModule, makes the callback switch where the
    member did, with the same s at every epoch."""
    stages = [{"s": 0.5, "plateau": {"tol": 0.05, "window": 5, "min_epochs": 8, "max_epochs": 25}},
              {"ramp": 1.0, "epochs": 4, "shape": "cosine"}, {"s": 1.0, "epochs": 6}]
    hist = train(sin_dataset, make_run(width=32, schedule=stages))
    assert 8 < int(hist["switch_epoch"][1]) < 25  # fired on its criterion
    callback = HomotopySchedule(stages, monitor="train_loss")
    s, _, _ = replayed(callback, hist["loss"].values, 35)
    assert s == hist["s"].values[:35].tolist() and callback.course.starts == hist["switch_epoch"].values.tolist()


def test_a_fit_resumed_inside_a_plateau_fires_where_the_uninterrupted_one_did(tmp_path):
    """The checkpoint of epoch 15 (mid-plateau) holds the losses the plateau has seen."""
    def schedule():
        return HomotopySchedule(STAGES, monitor="train_loss", reset_optimizer=True)

    whole, model, _ = replayed(schedule(), FLATTENS, 30)
    saver = ModelCheckpoint(dirpath=tmp_path, every_n_epochs=1, save_top_k=-1)
    replayed(schedule(), FLATTENS, 16, callbacks=[saver], enable_checkpointing=True)
    state = torch.load(tmp_path / "epoch=15-step=16.ckpt", weights_only=False)["callbacks"]["HomotopySchedule"]
    assert state["course"] == {"fired": {}, "losses": list(FLATTENS[12:16])}
    resumed, again, _ = replayed(schedule(), FLATTENS, 30, ckpt_path=tmp_path / "epoch=15-step=16.ckpt")
    assert resumed == whole[16:] and same_parameters(again, model)


@pytest.mark.parametrize("kwargs, match", [
    ({"stages": STAGES}, "a plateau stage needs monitor"),
    ({"stages": [(0.5, 1), (1.0, 1)], "monitor": "train_loss"}, "read by plateau stages only"),
    ({"stages": STAGES, "monitor": 3}, "monitor must be a string or None"),
    ({"stages": [{"s": 0.5, "plateau": PLATEAU}, (1.0, 1)], "unit": "steps", "monitor": "x"}, "in steps has none"),
])
def test_bad_plateau_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        HomotopySchedule(**kwargs)


def test_a_monitor_that_is_not_logged_is_named_with_the_logged_ones():
    with pytest.raises(ValueError, match=r"monitor='val_loss' is not a logged metric \(logged: \[.*'train_loss'"):
        replayed(HomotopySchedule(STAGES, monitor="val_loss"), FLATTENS, 30)


def test_an_open_last_stage_lasts_to_the_end_of_the_fit_and_a_plateau_length_is_warned_of_at_its_max():
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*schedule")
        model, _ = fit(HomotopySchedule([(0.5, 1), {"ramp": 1.5, "epochs": 2}, {"s": 1.5}]), max_epochs=6)
    assert model.records[-1]["s"] == [1.5, 1.5]
    with pytest.warns(UserWarning, match=r"reaches its last stage at epochs 3 but the fit runs 2 epochs"):
        fit(HomotopySchedule([(0.5, 1), {"ramp": 1.5, "epochs": 2}, {"s": 1.5}]), max_epochs=2)
    with pytest.warns(UserWarning, match=r"lasts 30 epochs \(every plateau at its max_epochs\) but the fit runs 3"):
        fit(HomotopySchedule(STAGES, monitor="train_loss"), max_epochs=3)  # ends before the plateau
