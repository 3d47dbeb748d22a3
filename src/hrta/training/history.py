"""A run's history as a dataset: the per-epoch record of a trained population member, with
the facts that reporting reads as coordinates (label, baseline, stages, reference loss,
experiment, network)."""

import math

import numpy as np
import xarray as xr

from hrta.model.run import Run
from hrta.model.schedule import Schedule


def method_facts(schedule: Schedule, plain: str = "ReLU") -> dict:
    """Coordinates of the method's facts: its display label, whether it is the baseline
    (the plain activation, s = 1 throughout: ``plain`` names it) and its stages (s held or
    ramped to, and first epoch of each where the schedule fixes it)."""
    after_plateau = [any(st.plateau for st in schedule.stages[:i]) for i in range(len(schedule.stages))]
    return {
        "stage": list(range(len(schedule.stages))),
        "label": ((), plain if schedule.is_baseline else schedule.label(),
                  {"long_name": "display label of the method"}),
        "is_baseline": ((), schedule.is_baseline,
                        {"description": "the baseline: the plain activation, one stage with s = 1"}),
        "stage_s": ("stage", [st.s for st in schedule.stages],
                    {"long_name": "s of each stage, a ramp's at its end (NaN past the last)"}),
        "stage_start": ("stage", [-1 if late else b for late, b in zip(after_plateau, schedule.boundaries)],
                        {"long_name": "first epoch of each stage (-1 past the last, or after a plateau:"
                                      " see switch_epoch)"}),
    }


def history(module, k: int, run: Run, dataset: xr.Dataset) -> xr.Dataset:
    """The per-epoch record of member k of a trained population (hrta.training.module;
    epoch 0..E, eval_epoch), with the method's and the experiment's facts as coordinates."""
    schedule = run.schedule
    epoch = np.arange(run.epochs + 1)
    lr = np.append(module.lr_history[:, k], math.nan)
    loss = module.loss_history[:, k].cpu().double().numpy()
    error = module.error_history[:, k].cpu().double().numpy()
    diverged = module.diverged_at[k] >= 0
    ds = xr.Dataset(
        {
            "loss": ("epoch", loss),
            "test_error": ("eval_epoch", error),
            "final_loss": ((), math.nan if diverged else loss[-1]),
            "final_test_error": ((), math.nan if diverged else error[-1]),
            "s": ("epoch", module.s_history[:, k]),
            "switch_epoch": ("stage", np.array(module.courses[k].starts, dtype=np.int64)),
            "lr": ("epoch", lr),
            "diverged": ((), np.int8(diverged)),
            "diverged_epoch": ((), np.int64(module.diverged_at[k])),
        },
        coords={"epoch": epoch, "eval_epoch": np.array(module.eval_epochs),
                "experiment": run.experiment,
                "reference_loss": dataset["reference_loss"], "loss_is_gap": dataset["loss_is_gap"]},
    )
    if module.resamplers is not None:
        ds["loss_reference"] = ("epoch", module.reference_history[:, k], {
            "long_name": f"{module.problem.loss_name} of the exact solution on the epoch's points",
            "description": "the points are redrawn every epoch; loss - loss_reference is the gap"})
    if module.test_gap:
        ds["test_gap"] = ("eval_epoch", module.gap_history[:, k].cpu().double().numpy(), {
            "long_name": f"{module.problem.loss_name} gap E(u) - E(u*) on the fixed test points"})
    ds = ds.assign_coords(method_facts(schedule, run.network.plain_name))
    if not run.network.is_paper:
        ds = ds.assign_coords(base=run.network.base, depth=np.int64(run.network.depth), source=run.network.source)
        ds["depth"].attrs["long_name"] = "hidden layers"
        ds["source"].attrs["long_name"] = "experiment whose problem and protocol the network is trained on"
    ds["loss"].attrs.update(long_name=module.problem.loss_name,
                            description="loss at the start of each epoch; entry E is after training")
    ds["test_error"].attrs.update(long_name="relative L2 test error",
                                  description="||phi - u|| / ||u|| on the test points")
    ds["s"].attrs.update(long_name="homotopy parameter in force",
                         description="the s of each epoch's loss; entry E is after training")
    return describe_run(ds, "test error")


def describe_run(ds: xr.Dataset, error_name: str) -> xr.Dataset:
    """The attributes every run history shares (final values, lr, stage starts, divergence)."""
    ds["final_loss"].attrs["long_name"] = "training loss after the last epoch (NaN if diverged)"
    ds["final_test_error"].attrs["long_name"] = f"{error_name} after the last epoch (NaN if diverged)"
    ds["lr"].attrs["long_name"] = "learning rate of the epoch's step"
    ds["switch_epoch"].attrs.update(long_name="first epoch of each stage in this run",
                                    description="stage_start, except after a plateau: the epoch after the one"
                                                " where the plateau fired (at its max_epochs if it never did)")
    ds["diverged"].attrs["description"] = "1 if the loss became non-finite, else 0"
    ds["diverged_epoch"].attrs["description"] = "first epoch with a non-finite loss, -1 if none"
    return ds
