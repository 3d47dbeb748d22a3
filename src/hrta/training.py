"""Full-batch training of the homotopy network through a LightningModule."""

import contextlib
import logging
import math
import warnings

import lightning as L
from lightning.pytorch.profilers import PassThroughProfiler
from lightning.pytorch.trainer.states import RunningStage
import numpy as np
import torch
import xarray as xr

from hrta.network import DTYPES, TwoLayerNet, initial_network
from hrta.optim import make_lr_scheduler, make_optimizer
from hrta.problems import make_problem
from hrta.schedule import Schedule

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
    inside the step, so no batch hook is overridden; ``train`` passes a profiler without a
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


class NoProfiler(PassThroughProfiler):
    """Lightning's default no-op profiler without its per-call generator: the Trainer wraps
    each hook in ``profiler.profile(name)``, about a dozen times a step."""

    _NOTHING = contextlib.nullcontext()

    def profile(self, action_name: str):
        return self._NOTHING


class IdentityStageTrainer(L.Trainer):
    """Lightning's Trainer, whose ``training`` flag tests the stage by identity.

    The stage is a ``RunningStage`` member or None, so ``is`` gives the answer Lightning's
    ``==`` gives; that ``==`` (``LightningEnum.__eq__``) lower-cases both names, and the
    Trainer's loop asks ``training`` 12 times a step (through ``trainer._results``): about a
    fifth of the loop's instructions (docs/benchmarks.md). The setter is Lightning's own.
    """

    @property
    def training(self) -> bool:
        return self.state.stage is RunningStage.TRAINING

    @training.setter
    def training(self, val: bool) -> None:
        L.Trainer.training.fset(self, val)


def quiet_lightning() -> None:
    """Silence Lightning's start-up banners (accelerator, tips)."""
    for name in ("lightning.pytorch", "lightning.fabric", "lightning"):
        logging.getLogger(name).setLevel(logging.WARNING)


def train(dataset: xr.Dataset, problem_cfg: dict, spec: dict) -> xr.Dataset:
    """Train one (width, seed, schedule, optimizer) run on a dataset; return its history.

    ``spec`` holds: width, seed, schedule (list of {s, epochs}), optimizer, eval_every and
    the training block (threads, dtype, bias, accelerator, optimizer_state_at_switch,
    kernel, chunk).
    """
    quiet_lightning()
    training = spec["training"]
    torch.set_num_threads(training["threads"])
    dtype = DTYPES[training["dtype"]]
    schedule = Schedule(spec["schedule"])
    problem = make_problem(problem_cfg)
    torch.manual_seed(spec["seed"])
    net = initial_network(dataset.sizes["dim"], spec["width"], spec["seed"], training, s=schedule.s_at(0))
    data = {k: torch.as_tensor(dataset[k].values, dtype=dtype)
            for k in ("x_train", "y_train", "x_test", "y_test")}
    module = HomotopyModule(net, problem, schedule, spec["optimizer"], data, spec["eval_every"],
                            training["optimizer_state_at_switch"] == "reset",
                            problem.resampler(spec["data_seed"], spec["seed"]) if problem.resample else None)
    trainer = IdentityStageTrainer(
        accelerator=training["accelerator"], devices=1, max_epochs=1,
        precision="64-true" if dtype == torch.float64 else "32-true",
        logger=False, log_every_n_steps=0, enable_checkpointing=False, enable_progress_bar=False,
        profiler=NoProfiler(),
        enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0,
    )
    with warnings.catch_warnings():
        # Lightning flags the dataloader_iter step as experimental: the risk it names (a step
        # drawing several batches, so that batch_idx no longer matches) does not arise here.
        warnings.filterwarnings("ignore", message=".*`dataloader_iter`")
        trainer.fit(module)
    return history(module, schedule, float(dataset.attrs.get("reference_loss", 0.0)))


def history(module: HomotopyModule, schedule: Schedule, reference_loss: float) -> xr.Dataset:
    """The per-epoch record of a trained module as a dataset (epoch 0..E, eval_epoch)."""
    epochs = schedule.total_epochs
    epoch = np.arange(epochs + 1)
    s = np.array(module.s_of_epoch + [schedule.stages[-1].s])
    lr = np.append(module.lr_history, math.nan)
    loss = module.loss_history.cpu().double().numpy()
    error = module.error_history.cpu().double().numpy()
    diverged = module.diverged_at >= 0
    ds = xr.Dataset(
        {
            "loss": ("epoch", loss),
            "test_error": ("eval_epoch", error),
            "final_loss": ((), math.nan if diverged else loss[-1]),
            "final_test_error": ((), math.nan if diverged else error[-1]),
            "s": ("epoch", s),
            "lr": ("epoch", lr),
            "diverged": ((), np.int8(diverged)),
            "diverged_epoch": ((), np.int64(module.diverged_at)),
        },
        coords={"epoch": epoch, "eval_epoch": np.array(module.eval_epochs)},
        attrs={"reference_loss": reference_loss},
    )
    ds["loss"].attrs.update(long_name=module.problem.loss_name,
                            description="loss at the start of each epoch; entry E is after training")
    ds["test_error"].attrs.update(long_name="relative L2 test error",
                                  description="||phi - u|| / ||u|| on the test points")
    ds["final_loss"].attrs["long_name"] = "training loss after the last epoch (NaN if diverged)"
    ds["final_test_error"].attrs["long_name"] = "test error after the last epoch (NaN if diverged)"
    ds["s"].attrs["long_name"] = "homotopy parameter in force"
    ds["lr"].attrs["long_name"] = "learning rate of the epoch's step"
    ds["diverged"].attrs["description"] = "1 if the loss became non-finite, else 0"
    ds["diverged_epoch"].attrs["description"] = "first epoch with a non-finite loss, -1 if none"
    return ds
