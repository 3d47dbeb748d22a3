"""The LightningModule that trains a network full batch under a homotopy schedule."""

import math

import lightning as L
import numpy as np
import torch

from hrta.model.network import TwoLayerNet
from hrta.model.optimizers import make_lr_scheduler, make_optimizer
from hrta.model.schedule import Schedule


class EpochIndices:
    """The training 'data loader': one full-batch step per item, the item being the epoch."""

    def __init__(self, epochs: int):
        self.epochs = epochs

    def __len__(self):
        return self.epochs

    def __iter__(self):
        return iter(range(self.epochs))


class HomotopyModule(L.LightningModule):
    """Trains an injected network full batch, switching s at the schedule's stage boundaries.

    One Lightning step is one epoch (one full-batch gradient step). The training loss of
    every epoch and the test error every ``eval_every`` epochs are kept in preallocated
    buffers, so logging costs no synchronisation; divergence (a non-finite loss) is checked
    at the evaluation epochs and stops the run.

    Per-step cost of the Trainer (profiled in docs/benchmarks.md), cut with its own means:
    the step takes ``dataloader_iter`` and draws its one batch (the epoch number) itself,
    which spares the Trainer's per-batch transfer hooks and signature inspection;
    ``_current_fx_name``, which the Trainer sets twice around each hook call, is stored
    directly rather than through nn.Module's parameter/buffer checks; the raw optimizer
    (``use_pl_optimizer=False``), the scheduler and the tensors a step touches are looked up
    once per fit; s is switched and divergence stops the run (``trainer.should_stop``)
    inside the step, so no batch hook is overridden; ``hrta.training.run.train`` passes a profiler without a
    per-call generator and ``log_every_n_steps=0`` (nothing is logged), and runs the
    ``IdentityStageTrainer``.
    """

    def __setattr__(self, name, value):
        if name == "_current_fx_name":
            self.__dict__[name] = value
        else:
            super().__setattr__(name, value)

    def __init__(self, net: TwoLayerNet, problem, schedule: Schedule, optimizer: dict,
                 data: dict, eval_every: int, reset_optimizer_at_switch: bool = False,
                 resample=None):
        super().__init__()
        self.resample = resample  # epoch -> fresh (x, target) training points, or None
        self.automatic_optimization = False
        self.net, self.problem, self.schedule = net, problem, schedule
        self.optimizer_cfg, self.eval_every = optimizer, eval_every
        self.reset_optimizer_at_switch = reset_optimizer_at_switch
        for key, value in data.items():
            self.register_buffer(key, value, persistent=False)
        epochs = schedule.total_epochs
        self.register_buffer("loss_history", torch.full((epochs + 1,), math.nan), persistent=False)
        self.eval_epochs = list(range(0, epochs, eval_every)) + [epochs]
        self.register_buffer("error_history", torch.full((len(self.eval_epochs),), math.nan),
                             persistent=False)
        self.lr_history = np.full(epochs, math.nan)
        self.s_of_epoch = [schedule.s_at(e) for e in range(epochs)]
        self.diverged_at = -1

    def configure_optimizers(self):
        opt = make_optimizer(self.net.parameters(), self.optimizer_cfg)
        return {"optimizer": opt, "lr_scheduler": make_lr_scheduler(opt, self.optimizer_cfg)}

    def train_dataloader(self):
        return EpochIndices(self.schedule.total_epochs)

    def on_train_start(self):
        # Plain attributes (not nn.Module lookups) for what every step touches; the buffers
        # are already on the training device here.
        self.step_refs = (self.net, self.problem, self.optimizers(use_pl_optimizer=False),
                          self.lr_schedulers(), self.loss_history)

    def training_step(self, dataloader_iter):
        epoch, _, _ = next(dataloader_iter)  # exactly one batch per step: the epoch number
        net, problem, opt, sched, losses = self.step_refs
        s = self.s_of_epoch[epoch]
        if s != net.s:
            net.set_s(s)
            if self.reset_optimizer_at_switch:
                opt.state.clear()
        if self.resample is not None:
            self.x_train, self.y_train = (torch.as_tensor(v).to(self.x_train)
                                          for v in self.resample(epoch))
        loss = problem.loss(net, self.x_train, self.y_train)
        losses[epoch] = loss.detach()
        self.lr_history[epoch] = sched.get_last_lr()[0]
        if epoch % self.eval_every == 0:
            self._evaluate(epoch // self.eval_every, loss)
            if self.diverged_at >= 0:
                self.trainer.should_stop = True  # Lightning ends the run after this step
                return
        opt.zero_grad(set_to_none=True)
        loss.backward()  # = manual_backward at 32/64-bit precision on one device
        opt.step()
        sched.step()

    def _evaluate(self, slot: int, loss: torch.Tensor) -> None:
        with torch.no_grad():
            self.error_history[slot] = self.problem.test_error(self.net, self.x_test, self.y_test)
        if not torch.isfinite(loss).item():
            first = torch.nonzero(~torch.isfinite(self.loss_history)).min().item()
            self.diverged_at = int(first)

    def on_train_end(self):
        epochs = self.schedule.total_epochs
        if self.diverged_at < 0:
            with torch.enable_grad():
                loss = self.problem.loss(self.net, self.x_train, self.y_train).detach()
            self.loss_history[epochs] = loss
            self._evaluate(len(self.eval_epochs) - 1, loss)
        if self.diverged_at < 0 and not bool(torch.isfinite(self.loss_history).all()):
            self.diverged_at = int(torch.nonzero(~torch.isfinite(self.loss_history)).min())
