"""HRTA on a model this project did not write: a plain PyTorch MLP on real data, its ReLUs
homotopized (``hrta.homotopize``), trained by an ordinary LightningModule with the
``HomotopySchedule`` callback, the public API of README "Use HRTA in your own model".

Full batch: one optimizer step per epoch on the whole training split, cross-entropy loss;
the held-out error (1 - accuracy) is evaluated every ``eval_every`` epochs. A run's history
has the form of the two-layer runs' (hrta.training.history), so the aggregate, Table 1
and the claims read it as one more experiment.
"""

import math
import time
import warnings

import lightning as L
import numpy as np
import torch
import xarray as xr
from torch import nn
from torch.nn import functional as F

from hrta.model.homotopy import homotopize, homotopy_activations
from hrta.model.network import DTYPES
from hrta.model.optimizers import make_lr_scheduler, make_optimizer
from hrta.model.run import Optimizer, Run
from hrta.training.callback import HomotopySchedule
from hrta.training.history import describe_run, method_facts
from hrta.training.trainer import plain_trainer, quiet_lightning


def mlp(n_in: int, width: int, n_out: int, seed: int) -> nn.Sequential:
    """Two hidden layers of ``width`` ReLUs, torch's default initialisation drawn from ``seed``
    (the same seed gives every method the same initial parameters)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(n_in, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                         nn.Linear(width, n_out))


def held_out_error(net: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of points whose predicted class (argmax of the logits) is wrong."""
    with torch.no_grad():
        return float((net(x).argmax(dim=1) != y).double().mean())


class FullBatch:
    """The training 'data loader': the whole training split as the one batch of an epoch."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor):
        self.batch = (x, y)

    def __len__(self):
        return 1

    def __iter__(self):
        return iter([self.batch])


class Classifier(L.LightningModule):
    """Full-batch cross-entropy training of ``net`` with one optimizer config; keeps the loss
    at the start of every epoch (entry E: after the last step; logged as ``train_loss``, what
    a plateau stage of the schedule monitors), the learning rate and the s of the network's
    homotopy activations at every epoch, and the held-out error at ``eval_epochs``. A
    non-finite loss stops the fit and is recorded."""

    def __init__(self, net: nn.Module, data: dict, optimizer: Optimizer, epochs: int, eval_every: int):
        super().__init__()
        self.net, self.optimizer_cfg, self.epochs, self.eval_every = net, optimizer, epochs, eval_every
        for key, value in data.items():  # buffers: they follow the module to its device
            self.register_buffer(key, value, persistent=False)
        self.eval_epochs = list(range(0, epochs, eval_every)) + [epochs]
        self.loss_history = np.full(epochs + 1, math.nan)
        self.error_history = np.full(len(self.eval_epochs), math.nan)
        self.s_history = np.full(epochs + 1, math.nan)
        self.lr_history = np.full(epochs + 1, math.nan)
        self.diverged_at = -1

    def configure_optimizers(self):
        opt = make_optimizer(self.net.parameters(), self.optimizer_cfg)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": make_lr_scheduler(opt, self.optimizer_cfg),
                                                   "interval": "epoch"}}

    def train_dataloader(self):
        return FullBatch(self.x_train, self.y_train)

    def _s(self) -> float:
        return homotopy_activations(self.net)[0].s

    def training_step(self, batch, batch_idx):
        x, y = batch
        epoch = self.current_epoch
        loss = F.cross_entropy(self.net(x), y)
        self.loss_history[epoch] = float(loss.detach())
        self.log("train_loss", loss.detach(), on_step=False, on_epoch=True)
        self.s_history[epoch] = self._s()
        self.lr_history[epoch] = self.optimizers().param_groups[0]["lr"]
        if epoch % self.eval_every == 0:
            self.error_history[epoch // self.eval_every] = held_out_error(self.net, self.x_test, self.y_test)
        if not math.isfinite(self.loss_history[epoch]):
            self.diverged_at = epoch
            self.trainer.should_stop = True
            return None  # no step from a non-finite loss
        return loss

    def on_train_end(self):
        if self.diverged_at >= 0:
            return
        with torch.no_grad():
            loss = float(F.cross_entropy(self.net(self.x_train), self.y_train))
        self.loss_history[self.epochs], self.s_history[self.epochs] = loss, self._s()
        self.error_history[-1] = held_out_error(self.net, self.x_test, self.y_test)
        if not math.isfinite(loss):
            self.diverged_at = self.epochs


def tensors(dataset: xr.Dataset, dtype: str) -> dict:
    """The dataset's arrays as tensors: features in ``dtype``, class indices as int64."""
    return {k: torch.as_tensor(dataset[k].values, dtype=DTYPES[dtype] if k.startswith("x") else torch.int64)
            for k in ("x_train", "y_train", "x_test", "y_test")}


def train(dataset: xr.Dataset, run: Run) -> xr.Dataset:
    """Train one run (its width is the MLP's h); its history. Torch's thread count is the
    caller's."""
    numerics = run.numerics
    data = tensors(dataset, numerics.dtype)
    net = mlp(dataset.sizes["feature"], run.width, int(dataset.attrs["n_classes"]), run.seed)
    net = net.to(DTYPES[numerics.dtype])
    homotopize(net)  # nn.ReLU -> HomotopyActivation(nn.ReLU()), s = 1: the same function
    callback = HomotopySchedule(run.schedule, log_name=None, monitor="train_loss" if run.schedule.has_plateau else None)
    module = Classifier(net, data, run.optimizer, run.epochs, run.eval_every)
    with warnings.catch_warnings():
        quiet_lightning()
        warnings.filterwarnings("ignore", message=r"`training_step` returned `None`")  # a diverged run's skip
        plain_trainer(numerics.accelerator, numerics.dtype, run.epochs, [callback]).fit(module)
    return history(module, run, callback.course.starts)


def train_runs(dataset: xr.Dataset, runs: list[Run]) -> list[xr.Dataset]:
    """Train the runs one after the other; print a line per run (final values, seconds)."""
    out = []
    for i, run in enumerate(runs):
        start = time.perf_counter()
        out.append(train(dataset, run))
        print(f"run {i + 1}/{len(runs)} {run.optimizer.name} {run.method} h={run.width} seed={run.seed}: loss"
              f" {float(out[-1]['final_loss']):.4g}, held-out error {float(out[-1]['final_test_error']):.4g},"
              f" {time.perf_counter() - start:.2f} s", flush=True)
    return out


def history(module: Classifier, run: Run, starts: list[int]) -> xr.Dataset:
    """The run's record (epoch 0..E, eval_epoch) with its method's and experiment's facts as
    coordinates, as in hrta.training.history (``starts``: the first epoch of each stage)."""
    diverged = module.diverged_at >= 0
    ds = xr.Dataset(
        {
            "loss": ("epoch", module.loss_history),
            "test_error": ("eval_epoch", module.error_history),
            "final_loss": ((), math.nan if diverged else module.loss_history[-1]),
            "final_test_error": ((), math.nan if diverged else module.error_history[-1]),
            "s": ("epoch", module.s_history),
            "switch_epoch": ("stage", np.array(starts, dtype=np.int64)),
            "lr": ("epoch", module.lr_history),
            "diverged": ((), np.int8(diverged)),
            "diverged_epoch": ((), np.int64(module.diverged_at)),
        },
        coords={"epoch": np.arange(module.epochs + 1), "eval_epoch": np.array(module.eval_epochs),
                "experiment": run.experiment, "reference_loss": 0.0, "loss_is_gap": False},
    )
    ds = ds.assign_coords(method_facts(run.schedule))
    ds["loss"].attrs.update(long_name="cross-entropy training loss",
                            description="mean cross-entropy on the training split at the start of each epoch;"
                                        " entry E is after training")
    ds["test_error"].attrs.update(long_name="held-out classification error",
                                  description="1 - accuracy on the held-out split")
    ds["s"].attrs["long_name"] = "s of the network's homotopy activations (set by HomotopySchedule)"
    return describe_run(ds, "held-out error")
