"""Lightning's plain Trainer as every run of the project uses it, and the silencing of
Lightning's banners and of the warnings that are not this project's to act on."""

import logging
import warnings

import lightning as L
from lightning.pytorch.utilities.warnings import PossibleUserWarning

ACCELERATORS = ("cpu", "gpu", "auto")  # training.accelerator

# Warnings from Lightning that are not this project's to act on, each matched by category,
# the module it is attributed to and its message: Lightning's own use of torch's deprecated
# LeafSpec (lightning.pytorch.utilities._pytree, at every fit), and the hint that a SLURM
# node's srun is not used (one process per population is the design).
LIGHTNING_WARNINGS = (
    (FutureWarning, r"lightning\.pytorch\.utilities\._pytree", r"`isinstance\(treespec, LeafSpec\)` is deprecated"),
    (PossibleUserWarning, r"lightning\.", r"The `srun` command is available"),
)


def quiet_lightning() -> None:
    """Silence Lightning's start-up banners (accelerator, tips) and the warnings of
    ``LIGHTNING_WARNINGS`` (call inside ``warnings.catch_warnings``)."""
    for name in ("lightning.pytorch", "lightning.fabric", "lightning"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for category, module, message in LIGHTNING_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category, module=module)


def plain_trainer(accelerator: str, dtype: str, max_epochs: int, callbacks: list) -> L.Trainer:
    """Lightning's plain Trainer as a run uses it: one device of ``accelerator``, the run's
    precision (``dtype``), no logger, checkpoints, progress bar, summary or validation (build
    it inside ``warnings.catch_warnings`` with ``quiet_lightning``). Off the CPU, torch's
    deterministic algorithms (a GPU's scatter_add_, which the sorted kernel uses, adds in no
    fixed order otherwise); on the CPU, whose kernels are deterministic, torch's setting is
    left as the caller has it."""
    return L.Trainer(accelerator=accelerator, devices=1, max_epochs=max_epochs,
                     deterministic=True if accelerator != "cpu" else None,
                     precision="64-true" if dtype == "float64" else "32-true",
                     logger=False, enable_checkpointing=False, enable_progress_bar=False,
                     enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0,
                     callbacks=callbacks)
