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
    """Raise s during ``Trainer.fit``: ``stages`` (s non-decreasing in (0, 2) from one stage to
    the next, ``allow_decreasing=True`` to run a decreasing one on purpose; lengths positive
    integers, numpy's too) are

    - (s, length) pairs or {s, <unit>} mappings: s held (the last may be {s}: to the end);
    - {ramp: s, <unit>, shape}: s moves from the stage before's to this s, 'linear' (the
      default) or 'cosine', a new s at every position (epoch or step);
    - {s, plateau: {tol, window, min_epochs, max_epochs}}: s held until the logged metric
      ``monitor`` (e.g. 'train_loss'), read from ``trainer.callback_metrics`` at the end of
      each epoch as Lightning's EarlyStopping reads it, has improved by less than ``tol``
      (relative) over ``window`` epochs of the stage, between min_epochs and max_epochs
      epochs of it (hrta.model.schedule.Plateau); then the next stage starts;

    lengths counting ``unit``:

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
    ('steps'), a position whose s differs gets it, and at a switch (a stage starts with an
    s that differs from the position before: a held s, a ramp's start, a fired plateau),
    with ``reset_optimizer``, every optimizer of the trainer forgets its state. A boundary
    is never skipped, and a fit resumed from a checkpoint does what the uninterrupted fit
    did: the callback's state (the position handled last, the plateaus fired and the losses
    the plateau in force has seen) is saved in the checkpoint, so a resume exactly at a
    switch resets there, and one just past it does not reset again. When the schedule ends
    its last s stays (a ramp's end) for the rest of the fit. A schedule that is longer or
    shorter than the fit is warned of when training starts. The s in force is logged as
    ``log_name`` at every training step (``None``: not logged).

    The switch logic is ``hrta.model.schedule.Course``'s, as in the project's own
    population trainer; where the fit stands, in the schedule's unit, is ``position``.
    """

    def __init__(self, stages, unit: str | None = None, reset_optimizer: bool | None = None,
                 log_name: str | None = "homotopy_s", *, allow_decreasing: bool = False, monitor: str | None = None):
        for name, value in (("log_name", log_name), ("monitor", monitor)):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"HomotopySchedule: {name} must be a string or None, got {value!r}")
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
        if self.schedule.has_plateau != (monitor is not None):
            raise ValueError("HomotopySchedule: a plateau stage needs monitor, the name of a logged training metric"
                             " (e.g. monitor='train_loss')" if monitor is None else
                             f"HomotopySchedule: monitor={monitor!r} is read by plateau stages only; the schedule has"
                             " none")
        self.log_name, self.monitor = log_name, monitor
        self.course = Course(self.schedule)
        self._last = None  # the position handled last (a step's batches share one global_step)
        self._restored = False  # _last came from a checkpoint of this fit

    @property
    def s(self) -> float:
        """The s of the position handled last (of stage 0 before training)."""
        return self.course.s_at(self._last or 0)

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
        """Warn of a fit that ends before the last stage starts, or (unless the last stage is
        open) after the schedule; with a plateau, as if every plateau ran to its max_epochs."""
        length, sched, unit = self.fit_length(trainer), self.schedule, self.schedule.unit
        total = sched.total if sched.total is not None else sched.boundaries[-1] + 1  # an open stage's least
        if length is None or length == total or (sched.total is None and length > total):
            return
        last = sched.stages[-1].s
        lasts = f"lasts {total} {unit}" if sched.total is not None else f"reaches its last stage at {unit} {total - 1}"
        if sched.has_plateau:
            lasts += " (every plateau at its max_epochs)"
        if total > length:
            more = (f"its stages from {unit} {length} on never start and the fit ends at s ="
                    f" {sched.s_at(length - 1):g}, not the last stage's {last:g}")
        else:
            more = f"its last stage's s = {last:g} holds for the remaining {length - total} {unit}"
        rank_zero_warn(f"HomotopySchedule: the schedule {lasts} but the fit runs {length} {unit}: {more}")

    def _apply(self, trainer: L.Trainer, pl_module: L.LightningModule, t: int) -> None:
        """Move from the position handled last to t: the s of t if a switch was crossed or
        s differs (a schedule whose s varies between switches needs nothing more), the
        optimizers' state reset if a crossed switch resets."""
        last, self._last = self._last, t
        crossed = self.course.switches_in(last, t)
        if crossed or self.course.s_at(t) != self.course.s_at(last):
            set_s(pl_module, self.course.s_at(t))
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
        set_s(pl_module, self.course.s_at(self.position(trainer)))

    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        t = self.position(trainer)
        if not self._restored or self._last is None:  # nothing handled yet: a switch at t is still to come
            self._last = t - 1
            if t == 0:
                self.course = Course(self.schedule)  # a new fit: no plateau fired yet
        self._restored = False
        set_s(pl_module, self.course.s_at(t))
        self._check_length(trainer)

    def on_train_epoch_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.schedule.unit == "epochs":
            self._advance(trainer, pl_module)

    def on_train_batch_start(self, trainer: L.Trainer, pl_module: L.LightningModule, batch, batch_idx: int) -> None:
        if self.schedule.unit != "epochs":
            self._advance(trainer, pl_module)
        if self.log_name:
            pl_module.log(self.log_name, self.s, on_step=True, on_epoch=False)

    def on_train_epoch_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        t = trainer.current_epoch  # the epoch just trained
        if not self.course.watching(t):
            return
        value = trainer.callback_metrics.get(self.monitor)
        if value is None:
            raise ValueError(f"HomotopySchedule: monitor={self.monitor!r} is not a logged metric (logged:"
                             f" {sorted(trainer.callback_metrics)}); log it in training_step, e.g."
                             f" self.log({self.monitor!r}, loss, on_epoch=True)")
        self.course.observe(t, float(value))

    def state_dict(self) -> dict:
        return {"position": self._last, "course": self.course.state_dict()}

    def load_state_dict(self, state_dict: dict) -> None:
        self._last, self._restored = state_dict.get("position"), True
        if "course" in state_dict:
            self.course.load_state_dict(state_dict["course"])
