"""Training logs: a line per run at its start and end, and a progress line of each
population every ``training.log_every_s`` seconds, through the logger ``hrta.training``.

The interval is wall-clock seconds, not epochs: one epoch of a job costs from microseconds
(a few small runs) to seconds (a wide population), so any fixed number of epochs floods
one log or leaves another silent for hours. Logging only reads the clock and the losses
already recorded; it changes no number.
"""

import logging
import math
import time

import lightning as L
import numpy as np

from hrta.model.run import Run

LOG = logging.getLogger("hrta.training")


def log_to(stream) -> None:
    """Send the training log (INFO and above, time-stamped) to ``stream``, e.g. a job's log."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)


def log_start(runs: list[Run], index: int, count: int) -> None:
    """The start of population ``index`` (0-based) of ``count`` and of each of its runs."""
    first = runs[0]
    LOG.info("population %d/%d: %d runs, width %d, %s, %d epochs", index + 1, count, len(runs),
             first.width, first.optimizer.algorithm, first.epochs)
    for k, run in enumerate(runs):
        LOG.info("start %s (population %d, member %d/%d)", run.name, index + 1, k + 1, len(runs))


def log_end(run: Run, history, wall_s: float, members: int) -> None:
    """The end of a run: its final loss, whether it diverged, its share of the population's seconds."""
    if int(history["diverged"]):
        outcome = f"diverged at epoch {int(history['diverged_epoch'])}"
    else:
        outcome = f"final loss {float(history['final_loss']):.4e}"
    LOG.info("end %s: %s, %.1f s (population %.1f s / %d runs)", run.name, outcome,
             wall_s / members, wall_s, members)


def _spread(values: np.ndarray) -> str:
    """'median [min, max]' of the finite values, or 'n/a'."""
    values = values[np.isfinite(values)]
    if not values.size:
        return "n/a"
    return f"{np.median(values):.3e} [{values.min():.3e}, {values.max():.3e}]"


class Progress(L.Callback):
    """Logs, at most every ``every_s`` seconds, the population's epoch, its live members'
    loss (median [min, max] over them), the s values in force, the elapsed time and the
    estimated time left (elapsed per epoch so far times the epochs left)."""

    def __init__(self, every_s: float, clock=time.perf_counter):
        self.every_s, self.clock = every_s, clock
        self.start = self.last = math.nan

    def on_train_start(self, trainer: L.Trainer, pl_module) -> None:
        self.start = self.last = self.clock()

    def on_train_batch_end(self, trainer: L.Trainer, pl_module, outputs, batch, batch_idx: int) -> None:
        now = self.clock()
        if now - self.last < self.every_s:
            return
        self.last = now
        epoch, epochs = pl_module.done, pl_module.epochs  # epochs done
        elapsed = now - self.start
        loss = pl_module.loss_history[epoch - 1].cpu().double().numpy()
        s = ", ".join(f"{v:g}" for v in sorted(set(pl_module.net.s_list)))
        live = pl_module.live
        frozen = "" if live.all() else f" ({int(live.sum())} of {live.size} live)"
        LOG.info("epoch %d/%d: loss %s%s, s %s, elapsed %.1f s, left ~%.1f s", epoch, epochs, _spread(loss),
                 frozen, s, elapsed, elapsed / epoch * (epochs - epoch))
