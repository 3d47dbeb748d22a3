"""HomotopySchedule: the HRTA schedule as a Lightning callback for any LightningModule whose
activations are homotopy activations (hrta.model.homotopy.homotopize)."""

import lightning as L

from hrta.model.homotopy import homotopy_activations, set_s
from hrta.model.schedule import Schedule


def reset_optimizer_state(optimizer) -> None:
    """Forget a torch optimizer's per-parameter state (Adam's moments and step counts, SGD's
    momentum): torch's optimizers build it again at their next step, as at their first.
    Learning rates and schedulers are left as they are."""
    optimizer.state.clear()


class HomotopySchedule(L.Callback):
    """Raise s in stages during ``Trainer.fit``: ``stages`` are (s, length) pairs or
    {s, epochs} / {s, steps} mappings, the length counting ``unit`` ('epochs', or 'steps':
    optimizer steps, ``trainer.global_step``), s non-decreasing in (0, 2); or a
    ``hrta.model.schedule.Schedule`` (its own unit and reset then apply).

    At the start of training every homotopy activation of the LightningModule gets the s of
    the current position (stage 0, or a resumed fit's stage); at each switch (the first
    epoch or step of a stage whose s differs from the one before) it gets the new s and,
    with ``reset_optimizer``, every optimizer of the trainer forgets its state. After the
    last stage its s stays. The s in force is logged as ``log_name`` at every training step
    (``None``: not logged). Works with automatic and manual optimization; the switch logic
    is ``hrta.model.schedule.Schedule``'s, as in the project's own population trainer.
    """

    def __init__(self, stages, unit: str = "epochs", reset_optimizer: bool = False,
                 log_name: str | None = "homotopy_s"):
        self.schedule = stages if isinstance(stages, Schedule) else Schedule(stages, unit, reset_optimizer)
        self.log_name = log_name
        self._last = None  # the position handled last (a step's batches share one global_step)

    @property
    def s(self) -> float:
        """The s of the position handled last (of stage 0 before training)."""
        return self.schedule.s_at(self._last or 0)

    def _position(self, trainer: L.Trainer) -> int:
        return trainer.current_epoch if self.schedule.unit == "epochs" else trainer.global_step

    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if not homotopy_activations(pl_module):
            raise ValueError("HomotopySchedule: the LightningModule has no HomotopyActivation;"
                             " call hrta.homotopize(model) on it (or its network) before fit")
        self._last = self._position(trainer)
        set_s(pl_module, self.schedule.s_at(self._last))

    def _advance(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        t = self._position(trainer)
        if t == self._last:
            return
        self._last = t
        if self.schedule.is_switch(t):
            set_s(pl_module, self.schedule.s_at(t))
            if self.schedule.resets_at(t):
                for optimizer in trainer.optimizers:
                    reset_optimizer_state(optimizer)

    def on_train_epoch_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.schedule.unit == "epochs":
            self._advance(trainer, pl_module)

    def on_train_batch_start(self, trainer: L.Trainer, pl_module: L.LightningModule, batch, batch_idx: int) -> None:
        if self.schedule.unit == "steps":
            self._advance(trainer, pl_module)
        if self.log_name:
            pl_module.log(self.log_name, self.s, on_step=True, on_epoch=False)
