"""HomotopySchedule: the HRTA schedule as a Lightning callback for any LightningModule whose
activations are homotopy activations (hrta.model.homotopy.homotopize)."""

import math

import lightning as L
from lightning.pytorch.utilities import rank_zero_warn

from hrta.model.homotopy import homotopy_activations, set_s
from hrta.model.schedule import Course, Schedule, check_flag


def reset_optimizer_state(optimizer) -> None:
    """Forget a torch optimizer's per-parameter state (Adam's moments and step counts, SGD's
    momentum): torch's optimizers build it again at their next step, as at their first.
    Learning rates and schedulers are left as they are."""
    optimizer.state.clear()


class HomotopySchedule(L.Callback):
    """Raise s in stages during ``Trainer.fit``: ``stages`` are (s, length) pairs or
    {s, epochs} / {s, steps} mappings, s non-decreasing in (0, 2) (``allow_decreasing=True``
    to run a decreasing one on purpose), lengths positive integers (numpy's too) counting
    ``unit``:

    - 'epochs' (the default): training epochs, ``trainer.current_epoch``;
    - 'steps': training steps, one per batch on which the optimizers step: under automatic
      optimization ``trainer.global_step`` (with ``accumulate_grad_batches=k`` every k-th
      batch); under manual optimization, where ``global_step`` counts every optimizer's
      steps (two a batch with two optimizers), one per training batch.

    Or a ``hrta.model.schedule.Schedule``, taken as it is (its own unit and reset apply;
    the project's own runs include a decreasing one).

    Before the sanity-check validation and at the start of training every homotopy
    activation of the LightningModule gets the s of the current position (stage 0, or a
    resumed fit's stage); from then on, at the start of each epoch ('epochs') or batch
    ('steps'), a position past a switch (a stage whose s differs from the one before) gets
    the new s and, with ``reset_optimizer``, every optimizer of the trainer forgets its
    state. A boundary is never skipped, and a fit resumed from a checkpoint does what the
    uninterrupted fit did: the callback's state (the position handled last) is saved in the
    checkpoint, so a resume exactly at a switch resets there, and one just past it does not
    reset again. After the last stage its s stays. A schedule that is longer or shorter
    than the fit is warned of when training starts. The s in force is logged as
    ``log_name`` at every training step (``None``: not logged).

    The switch logic is ``hrta.model.schedule.Course``'s, as in the project's own
    population trainer; where the fit stands, in the schedule's unit, is ``position``.
    """

    def __init__(self, stages, unit: str | None = None, reset_optimizer: bool | None = None,
                 log_name: str | None = "homotopy_s", *, allow_decreasing: bool = False):
        if log_name is not None and not isinstance(log_name, str):
            raise ValueError(f"HomotopySchedule: log_name must be a string or None, got {log_name!r}")
        if reset_optimizer is not None:
            reset_optimizer = check_flag(reset_optimizer, "HomotopySchedule: reset_optimizer")
        if isinstance(stages, Schedule):
            given = {"unit": (unit, stages.unit), "reset_optimizer": (reset_optimizer, stages.reset_at_switch)}
            clash = [f"{k}={v!r} (the Schedule's: {own!r})" for k, (v, own) in given.items() if v not in (None, own)]
            if clash:
                raise ValueError(f"HomotopySchedule: a Schedule brings its own unit and reset; got {', '.join(clash)}")
            self.schedule = stages
        else:
            self.schedule = Schedule(stages, "epochs" if unit is None else unit, bool(reset_optimizer))
            if not check_flag(allow_decreasing, "HomotopySchedule: allow_decreasing") and not self.schedule.is_monotone:
                i = next(i for i in range(1, len(self.schedule.stages))
                         if self.schedule.stages[i].s < self.schedule.stages[i - 1].s)
                raise ValueError(f"HomotopySchedule: s decreases from {self.schedule.stages[i - 1].s:g} (stage {i - 1})"
                                 f" to {self.schedule.stages[i].s:g} (stage {i}); HRTA raises s (Theorem 1 assumes it"
                                 " never decreases): pass allow_decreasing=True to run it anyway")
        self.log_name = log_name
        self.course = Course(self.schedule)
        self._last = None  # the position handled last (a step's batches share one global_step)
        self._restored = False  # _last came from a checkpoint of this fit

    @property
    def s(self) -> float:
        """The s of the position handled last (of stage 0 before training)."""
        return self.schedule.s_at(self._last or 0)

    # where the fit stands, in the schedule's unit: the one place a new unit or kind extends

    def position(self, trainer: L.Trainer) -> int:
        """The position being trained, in the schedule's unit (inside a batch: that batch's;
        between batches: the next one's; after a restore: the resumed one)."""
        if self.schedule.unit == "epochs":
            return trainer.current_epoch
        if trainer.lightning_module.automatic_optimization:
            return trainer.global_step
        return trainer.fit_loop.epoch_loop.batch_progress.total.started  # one step per batch

    def fit_length(self, trainer: L.Trainer) -> int | None:
        """How long the fit runs, in the schedule's unit, as far as the trainer says; None if
        it does not say (no max_epochs, an iterable data set of unknown length)."""
        epochs = trainer.max_epochs if trainer.max_epochs is not None and trainer.max_epochs >= 0 else None
        if self.schedule.unit == "steps" and trainer.lightning_module.automatic_optimization:
            steps = trainer.estimated_stepping_batches
            return int(steps) if math.isfinite(steps) else None
        batches = trainer.num_training_batches
        if epochs is None or not math.isfinite(batches):
            return None
        if self.schedule.unit == "epochs":
            steps_per_epoch = math.ceil(batches / trainer.accumulate_grad_batches)
            if trainer.max_steps >= 0 and trainer.lightning_module.automatic_optimization and steps_per_epoch:
                return min(epochs, math.ceil(trainer.max_steps / steps_per_epoch))
            return epochs
        return None if trainer.max_steps >= 0 else epochs * int(batches)  # manual optimization: batches

    def _check_length(self, trainer: L.Trainer) -> None:
        length, total, unit = self.fit_length(trainer), self.schedule.total, self.schedule.unit
        if length is None or length == total:
            return
        last = self.schedule.stages[-1].s
        if total > length:
            more = (f"its stages from {unit} {length} on never start and the fit ends at s ="
                    f" {self.schedule.s_at(length - 1):g}, not the last stage's {last:g}")
        else:
            more = f"its last stage's s = {last:g} holds for the remaining {length - total} {unit}"
        rank_zero_warn(f"HomotopySchedule: the schedule lasts {total} {unit} but the fit runs {length} {unit}: {more}")

    def _apply(self, trainer: L.Trainer, pl_module: L.LightningModule, t: int) -> None:
        """Move from the position handled last to t: the s of t if a switch was crossed or
        s differs (a schedule whose s varies between switches needs nothing more), the
        optimizers' state reset if a crossed switch resets."""
        last, self._last = self._last, t
        crossed = self.course.switches_in(last, t)
        if crossed or self.schedule.s_at(t) != self.schedule.s_at(last):
            set_s(pl_module, self.schedule.s_at(t))
        if crossed and self.schedule.reset_at_switch:
            for optimizer in trainer.optimizers:
                reset_optimizer_state(optimizer)

    def _advance(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        t = self.position(trainer)
        if t != self._last:
            self._apply(trainer, pl_module, t)

    # Lightning's hooks

    def on_fit_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if not homotopy_activations(pl_module):
            raise ValueError("HomotopySchedule: the LightningModule has no HomotopyActivation;"
                             " call hrta.homotopize(model) on it (or its network) before fit")

    def on_sanity_check_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        set_s(pl_module, self.schedule.s_at(self.position(trainer)))

    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        t = self.position(trainer)
        if not self._restored or self._last is None:  # nothing handled yet: a switch at t is still to come
            self._last = t - 1
        self._restored = False
        set_s(pl_module, self.schedule.s_at(t))
        self._check_length(trainer)

    def on_train_epoch_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.schedule.unit == "epochs":
            self._advance(trainer, pl_module)

    def on_train_batch_start(self, trainer: L.Trainer, pl_module: L.LightningModule, batch, batch_idx: int) -> None:
        if self.schedule.unit != "epochs":
            self._advance(trainer, pl_module)
        if self.log_name:
            pl_module.log(self.log_name, self.s, on_step=True, on_epoch=False)

    def state_dict(self) -> dict:
        return {"position": self._last}

    def load_state_dict(self, state_dict: dict) -> None:
        self._last, self._restored = state_dict.get("position"), True
