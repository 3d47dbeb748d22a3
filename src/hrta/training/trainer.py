"""The Lightning Trainer a run is fitted with, cut to what a full-batch step needs.

See hrta.training.module for the per-step costs these cuts remove (measured in
docs/benchmarks.md).
"""

import contextlib
import logging

import lightning as L
from lightning.pytorch.profilers import PassThroughProfiler
from lightning.pytorch.trainer.states import RunningStage


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


