"""One training run: build the network, problem and module from a run spec, fit, and
return the run's history with the facts that reporting reads (label, baseline, stages,
reference loss, experiment)."""

import math
import warnings

import numpy as np
import torch
import xarray as xr

from hrta.model.network import DTYPES, initial_network
from hrta.model.schedule import Schedule
from hrta.problems import make_problem
from hrta.training.module import HomotopyModule
from hrta.training.trainer import IdentityStageTrainer, NoProfiler, quiet_lightning

ACCELERATORS = ("cpu", "gpu", "auto")  # training.accelerator
STATE_AT_SWITCH = ("keep", "reset")  # training.optimizer_state_at_switch


def train(dataset: xr.Dataset, spec: dict) -> xr.Dataset:
    """Train one (width, seed, schedule, optimizer) run on a dataset; return its history.

    ``spec`` (hrta.pipeline.grid.run_spec) holds: experiment, problem, data_seed, width,
    seed, method, schedule (list of {s, epochs}), optimizer, eval_every and the training
    block (dtype, bias, accelerator, optimizer_state_at_switch, kernel, chunk). Torch's
    thread count is the caller's (set once per process).
    """
    quiet_lightning()
    training = spec["training"]
    dtype = DTYPES[training["dtype"]]
    schedule = Schedule(spec["schedule"])
    problem = make_problem(spec["problem"])
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
    return history(module, spec, dataset)


def method_facts(schedule: Schedule) -> dict:
    """Coordinates of the method's facts: its display label, whether it is the ReLU
    baseline, and its stages (s and first epoch of each)."""
    return {
        "stage": list(range(len(schedule.stages))),
        "label": ((), schedule.label(), {"long_name": "display label of the method"}),
        "is_baseline": ((), schedule.is_baseline,
                        {"description": "the ReLU baseline: one stage with s = 1"}),
        "stage_s": ("stage", [st.s for st in schedule.stages],
                    {"long_name": "s of each stage (NaN past the last)"}),
        "stage_start": ("stage", schedule.boundaries,
                        {"long_name": "first epoch of each stage (-1 past the last)"}),
    }


def history(module: HomotopyModule, spec: dict, dataset: xr.Dataset) -> xr.Dataset:
    """The per-epoch record of a trained module (epoch 0..E, eval_epoch), with the method's
    and the experiment's facts as coordinates."""
    schedule = module.schedule
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
        coords={"epoch": epoch, "eval_epoch": np.array(module.eval_epochs),
                "experiment": spec["experiment"],
                "reference_loss": dataset["reference_loss"], "loss_is_gap": dataset["loss_is_gap"]},
    )
    ds = ds.assign_coords(method_facts(schedule))
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
