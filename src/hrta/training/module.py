"""The LightningModule that trains a population full batch, each member under its own
homotopy schedule, learning rates and optimizer state."""

import math

import lightning as L
import numpy as np
import torch

from hrta.model.optimizers import MemberwiseOptimizer
from hrta.model.population import PopulationNet
from hrta.model.schedule import Course, Schedule

EPOCHS_PER_STEP = 10  # full-batch epochs per Lightning step: its per-step cost shared, no number changed


class EpochBlocks:
    """The training 'data loader': one item per Lightning step, the item being the first of
    the ``EPOCHS_PER_STEP`` epochs (full-batch steps) that the step trains."""

    def __init__(self, epochs: int):
        self.epochs = epochs

    def __len__(self):
        return math.ceil(self.epochs / EPOCHS_PER_STEP)

    def __iter__(self):
        return iter(range(0, self.epochs, EPOCHS_PER_STEP))


class PopulationModule(L.LightningModule):
    """Trains the K members of a population together, ``EPOCHS_PER_STEP`` epochs per
    Lightning step (the same operations in the same order as one epoch a step).

    Member k follows ``schedules[k]`` on its own ``Course`` (the machinery of the
    ``HomotopySchedule`` callback): its s is set before each epoch's loss where it changed
    (``s_history`` records it), its optimizer state is reset where the course says so, and
    a plateau of its schedule is given, at the end of each of its epochs, the member's
    training loss as compared (minus ``reference_loss``, or minus the loss of the exact
    solution on the epoch's points when they are redrawn: the gap of a Ritz energy), so
    that each member decides for itself when it fires. It trains with the learning rates
    ``lrs[k]`` (one per epoch). The step minimises the sum of the members' losses, whose
    gradient in member k's parameters is member k's own. The loss of every epoch and the
    test error every ``eval_every`` epochs are kept per member in buffers; a member whose
    loss is not finite at an evaluation epoch is recorded as diverged and frozen (its
    parameters zeroed, its learning rate 0); the others go on unaffected.
    ``resamplers`` (one per member, or None) draw fresh training points every epoch; the
    loss of the exact solution on each epoch's points is then kept too (``reference_history``)
    and, given ``test_gap`` = (source on the test points, loss of the exact solution there),
    so is the loss gap on the fixed test points every ``eval_every`` epochs.
    """

    def __init__(self, net: PopulationNet, problem, schedules: list[Schedule], algorithm: str,
                 lrs: np.ndarray, data: dict, eval_every: int, resamplers=None, test_gap=None,
                 reference_loss: float = 0.0):
        super().__init__()
        epochs = {sched.total for sched in schedules}
        if len(epochs) != 1 or None in epochs:
            raise ValueError(f"population members must train for the same epochs, got {epochs}")
        self.epochs = epochs.pop()
        self.automatic_optimization = False
        self.net, self.problem, self.algorithm = net, problem, algorithm
        self.courses = [Course(sched) for sched in schedules]
        self.reference_loss = reference_loss
        self.lrs, self.eval_every = np.asarray(lrs), eval_every
        self.resamplers = resamplers
        self.reference_history = np.full((self.epochs + 1, net.size), math.nan)
        k = net.size
        x_train = data.pop("x_train")
        self.register_buffer("x_train", x_train.expand(k, *x_train.shape).contiguous(), persistent=False)
        for key, value in data.items():
            self.register_buffer(key, value, persistent=False)
        self.register_buffer("loss_history", torch.full((self.epochs + 1, k), math.nan), persistent=False)
        self.eval_epochs = list(range(0, self.epochs, eval_every)) + [self.epochs]
        self.register_buffer("error_history", torch.full((len(self.eval_epochs), k), math.nan),
                             persistent=False)
        self.test_gap = test_gap is not None
        if self.test_gap:
            source, self.test_reference = test_gap
            x_test = self.x_test.expand(k, *self.x_test.shape).contiguous()
            self.register_buffer("x_test_members", x_test, persistent=False)
            self.register_buffer("source_test", source, persistent=False)
            self.register_buffer("gap_history", torch.full((len(self.eval_epochs), k), math.nan),
                                 persistent=False)
        self.register_buffer("active", torch.ones(k, dtype=torch.bool), persistent=False)
        self.live = np.ones(k, dtype=bool)  # the same, on the host
        self.lr_history = np.full((self.epochs, k), math.nan)
        self.s_history = np.full((self.epochs + 1, k), math.nan)
        self.due = 0  # the next epoch where some member's s may change or a stage start
        self.watched = []  # the members in a plateau that has not fired
        self.diverged_at = [-1] * k
        self.done = 0  # epochs trained

    def configure_optimizers(self):
        return MemberwiseOptimizer(self.net.parameters(), self.algorithm, self.net.size)

    def train_dataloader(self):
        return EpochBlocks(self.epochs)

    def on_train_start(self):
        self.opt = self.optimizers(use_pl_optimizer=False)  # the raw optimizer, looked up once

    def training_step(self, batch, batch_idx):
        for epoch in range(int(batch), min(int(batch) + EPOCHS_PER_STEP, self.epochs)):
            if not self._epoch(epoch):
                self.trainer.should_stop = True  # every member diverged: Lightning ends the fit
                return
            self.done = epoch + 1

    def _epoch(self, epoch: int) -> bool:
        """One full-batch step of every live member; False when none is live any more."""
        net, opt = self.net, self.opt
        if epoch >= self.due:
            self._move(epoch)
        self.s_history[epoch] = net.s_list
        if self.resamplers is not None:
            drawn = [draw(epoch) for draw in self.resamplers]
            self.x_train = torch.as_tensor(np.stack([x for x, _, _ in drawn])).to(self.x_train)
            self.y_train = torch.as_tensor(np.stack([y for _, y, _ in drawn])).to(self.y_train)
            self.reference_history[epoch] = self.reference_history[self.epochs] = [r for _, _, r in drawn]
        losses = self.problem.loss(net, self.x_train, self.y_train)
        everyone = self.live.all()
        self.loss_history[epoch] = losses.detach() if everyone else torch.where(self.active, losses.detach(), math.nan)
        self.lr_history[epoch] = np.where(self.live, self.lrs[:, epoch], math.nan)
        frozen = []
        if epoch % self.eval_every == 0:
            self._evaluate(epoch // self.eval_every)
            frozen = self._stop_diverged(losses)
            if not self.live.any():
                return False
        lrs = np.where(self.live, self.lrs[:, epoch], 0.0)
        opt.zero_grad(set_to_none=True)
        (losses if self.live.all() else torch.where(self.active, losses, 0.0)).sum().backward()
        opt.step(lrs.tolist())
        self._freeze(frozen)
        if self.watched:
            self._observe(epoch)
        return True

    def _move(self, epoch: int) -> None:
        """Every member's s at this epoch, its optimizer state reset at its switch, and the
        next epoch where this is due again."""
        s = [course.s_at(epoch) for course in self.courses]
        if s != self.net.s_list:
            self.net.set_s(s)
        self.opt.reset([k for k, course in enumerate(self.courses) if course.resets_at(epoch)])
        self.due = min(course.next_change(epoch) for course in self.courses)
        self.watched = [k for k, course in enumerate(self.courses) if course.watching(epoch)]

    def _observe(self, epoch: int) -> None:
        """The epoch's losses as compared to the members in a plateau (a frozen member's is
        NaN: its plateau runs to max_epochs); one that fires starts its next stage at the
        next epoch."""
        losses = self.loss_history[epoch].tolist()
        reference = self.reference_history[epoch] if self.resamplers is not None else None
        for k in self.watched:
            loss = losses[k] - (self.reference_loss if reference is None else reference[k])
            if self.courses[k].observe(epoch, loss):
                self.due = epoch + 1

    def _evaluate(self, slot: int) -> None:
        with torch.no_grad():
            errors = self.problem.test_error(self.net, self.x_test, self.y_test)
        self.error_history[slot] = torch.where(self.active, errors, math.nan)
        if self.test_gap:
            with torch.enable_grad():
                gaps = self.problem.loss(self.net, self.x_test_members, self.source_test).detach()
            self.gap_history[slot] = torch.where(self.active, gaps - self.test_reference, math.nan)

    def _stop_diverged(self, losses: torch.Tensor) -> list[int]:
        """Record the live members whose loss is not finite and stop them; return them."""
        bad = (self.active & ~torch.isfinite(losses.detach())).nonzero().flatten().tolist()
        for k in bad:
            self._record_divergence(k)
            self.active[k], self.live[k] = False, False
        return bad

    def _freeze(self, members: list[int]) -> None:
        """Zero the parameters and optimizer state of stopped members (after the step that
        still needed them), so that nothing non-finite stays in the population."""
        if not members:
            return
        with torch.no_grad():
            for param in self.net.parameters():
                param[members] = 0.0
        self.opt.reset(members)

    def _record_divergence(self, k: int) -> None:
        first = torch.nonzero(~torch.isfinite(self.loss_history[:, k])).min().item()
        self.diverged_at[k] = int(first)

    def on_train_end(self):
        for epoch in range(self.done, self.epochs + 1):  # the s in force after training, and past a stop
            self.s_history[epoch] = [course.s_at(epoch) for course in self.courses]
        if self.active.any():
            with torch.enable_grad():
                losses = self.problem.loss(self.net, self.x_train, self.y_train).detach()
            self.loss_history[self.epochs] = torch.where(self.active, losses, math.nan)
            self._evaluate(len(self.eval_epochs) - 1)
        for k in range(self.net.size):
            if self.diverged_at[k] < 0 and not bool(torch.isfinite(self.loss_history[:, k]).all()):
                self._record_divergence(k)
