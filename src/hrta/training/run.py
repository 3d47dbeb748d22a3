"""Training runs: the runs of a job grouped into populations, each fitted in one Lightning
fit, and the history of every run with the facts that reporting reads (label, baseline,
stages, reference loss, experiment)."""

import json
import logging
import math
import resource
import time
import warnings

import lightning as L
import numpy as np
import torch
import xarray as xr
from lightning.pytorch.utilities.warnings import PossibleUserWarning

from hrta.model.deep import PopulationMLP, initial_mlp
from hrta.model.network import DTYPES, initial_network
from hrta.model.optimizers import learning_rates
from hrta.model.population import PopulationNet
from hrta.model.schedule import Schedule
from hrta.problems import make_problem
from hrta.training import progress
from hrta.training.module import PopulationModule
from hrta.training.populations import population_key, populations

ACCELERATORS = ("cpu", "gpu", "auto")  # training.accelerator
STATE_AT_SWITCH = ("keep", "reset")  # training.optimizer_state_at_switch


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


def plain_trainer(training: dict, max_epochs: int, callbacks: list) -> L.Trainer:
    """Lightning's plain Trainer as a run uses it: one device of ``training["accelerator"]``,
    the run's precision, no logger, checkpoints, progress bar, summary or validation (build it
    inside ``warnings.catch_warnings`` with ``quiet_lightning``)."""
    return L.Trainer(accelerator=training["accelerator"], devices=1, max_epochs=max_epochs,
                     precision="64-true" if training["dtype"] == "float64" else "32-true",
                     logger=False, enable_checkpointing=False, enable_progress_bar=False,
                     enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0,
                     callbacks=callbacks)


def train(dataset: xr.Dataset, spec: dict) -> xr.Dataset:
    """Train one run alone (a population of one); return its history."""
    return train_population(dataset, [spec])[0]


def train_runs(dataset: xr.Dataset, specs: list[dict]) -> tuple[list[xr.Dataset], list[dict]]:
    """Train every run of a job, each population in one fit. Returns the histories in the
    order of ``specs`` and one timing record per run: its population's index and size, the
    population's wall and CPU seconds divided by its members, and the process's peak RSS
    (MB) after the population. Logs each run's start and end (hrta.training.progress)."""
    out, times = [None] * len(specs), [None] * len(specs)
    groups = populations(specs)
    for index, group in enumerate(groups):
        progress.log_start([specs[i] for i in group], index, len(groups))
        cpu, wall = time.process_time(), time.perf_counter()
        histories = train_population(dataset, [specs[i] for i in group])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for i, hist in zip(group, histories):
            progress.log_end(specs[i], hist, wall, len(group))
            out[i] = hist
            times[i] = {"population": index, "members": len(group), "wall_s": wall / len(group),
                        "cpu_s": cpu / len(group), "peak_rss_mb": rss}
    return out, times


def train_population(dataset: xr.Dataset, specs: list[dict]) -> list[xr.Dataset]:
    """Train runs of one population key together (see ``population_key``); their histories.

    Each spec (hrta.pipeline.grid.run_spec) holds: experiment, problem, data_seed, width,
    seed, method, schedule (list of {s, epochs}), optimizer, eval_every and the training
    block (dtype, bias, accelerator, optimizer_state_at_switch, kernel, chunk,
    log_every_s), the same for all. Every member starts from its own seed's initial network
    and follows its own schedule and learning rates; progress is logged every log_every_s
    seconds. Torch's thread count is the caller's (set once per process).
    """
    if len({population_key(spec) for spec in specs}) != 1:
        raise ValueError("a population's runs must share width, optimizer algorithm, epochs and eval_every")
    training = specs[0]["training"]
    dtype = DTYPES[training["dtype"]]
    problem = make_problem(specs[0]["problem"])
    reset = training["optimizer_state_at_switch"] == "reset"
    schedules = [Schedule(spec["schedule"], reset_at_switch=reset) for spec in specs]
    net = initial_population(dataset.sizes["dim"], specs, schedules)
    data = {k: torch.as_tensor(dataset[k].values, dtype=dtype)
            for k in ("x_train", "y_train", "x_test", "y_test")}
    tables = {}  # one learning-rate table per distinct optimizer config (members often share one)
    for spec in specs:
        key = json.dumps(spec["optimizer"], sort_keys=True)
        if key not in tables:
            tables[key] = learning_rates(spec["optimizer"], schedules[0].total)
    lrs = np.array([tables[json.dumps(spec["optimizer"], sort_keys=True)] for spec in specs])
    resamplers = ([problem.resampler(spec["data_seed"], spec["seed"]) for spec in specs]
                  if problem.resample else None)
    test_gap = None
    if problem.resample and problem.loss_is_gap:
        source = torch.as_tensor(problem.target(dataset["x_test"].values), dtype=dtype)
        test_gap = (source, float(dataset["reference_loss"]))
    module = PopulationModule(net, problem, schedules, specs[0]["optimizer"]["algorithm"], lrs, data,
                              specs[0]["eval_every"], resamplers, test_gap)
    with warnings.catch_warnings():
        quiet_lightning()
        plain_trainer(training, 1, [progress.Progress(training["log_every_s"])]).fit(module)
    return [history(module, k, spec, dataset) for k, spec in enumerate(specs)]


def initial_population(dim: int, specs: list[dict], schedules: list[Schedule]):
    """The population of the runs' initial networks: two-layer ReLU (``PopulationNet``), or
    the spec's ``network`` {base, depth} (``PopulationMLP``, hrta.model.deep)."""
    network = specs[0].get("network")
    if network is None:
        return PopulationNet([initial_network(dim, spec["width"], spec["seed"], spec["training"], s=sched.s_at(0))
                              for spec, sched in zip(specs, schedules)])
    return PopulationMLP([initial_mlp(dim, spec["width"], spec["seed"], spec["training"], network, s=sched.s_at(0))
                          for spec, sched in zip(specs, schedules)])


def plain_name(network: dict | None) -> str:
    """The baseline's label: 'ReLU' for the paper's network, else its base at s = 1, with the
    hidden layers beyond one ('ReLU, 3 hidden layers', 'tanh')."""
    network = network or {"base": "relu", "depth": 1}
    name = {"relu": "ReLU", "tanh": "tanh", "gelu": "GELU"}[network["base"]]
    return name if network["depth"] == 1 else f"{name}, {network['depth']} hidden layers"


def method_facts(schedule: Schedule, plain: str = "ReLU") -> dict:
    """Coordinates of the method's facts: its display label, whether it is the baseline
    (the plain activation, s = 1 throughout: ``plain`` names it) and its stages (s and
    first epoch of each)."""
    return {
        "stage": list(range(len(schedule.stages))),
        "label": ((), plain if schedule.is_baseline else schedule.label(),
                  {"long_name": "display label of the method"}),
        "is_baseline": ((), schedule.is_baseline,
                        {"description": "the baseline: the plain activation, one stage with s = 1"}),
        "stage_s": ("stage", [st.s for st in schedule.stages],
                    {"long_name": "s of each stage (NaN past the last)"}),
        "stage_start": ("stage", schedule.boundaries,
                        {"long_name": "first epoch of each stage (-1 past the last)"}),
    }


def history(module: PopulationModule, k: int, spec: dict, dataset: xr.Dataset) -> xr.Dataset:
    """The per-epoch record of member k of a trained population (epoch 0..E, eval_epoch),
    with the method's and the experiment's facts as coordinates."""
    schedule = module.schedules[k]
    epochs = schedule.total
    epoch = np.arange(epochs + 1)
    s = np.array([schedule.s_at(e) for e in epoch])
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
            "s": ("epoch", s),
            "lr": ("epoch", lr),
            "diverged": ((), np.int8(diverged)),
            "diverged_epoch": ((), np.int64(module.diverged_at[k])),
        },
        coords={"epoch": epoch, "eval_epoch": np.array(module.eval_epochs),
                "experiment": spec["experiment"],
                "reference_loss": dataset["reference_loss"], "loss_is_gap": dataset["loss_is_gap"]},
    )
    if module.resamplers is not None:
        ds["loss_reference"] = ("epoch", module.reference_history[:, k], {
            "long_name": f"{module.problem.loss_name} of the exact solution on the epoch's points",
            "description": "the points are redrawn every epoch; loss - loss_reference is the gap"})
    if module.test_gap:
        ds["test_gap"] = ("eval_epoch", module.gap_history[:, k].cpu().double().numpy(), {
            "long_name": f"{module.problem.loss_name} gap E(u) - E(u*) on the fixed test points"})
    ds = ds.assign_coords(method_facts(schedule, plain_name(spec.get("network"))))
    if spec.get("network") is not None:
        ds = ds.assign_coords(base=spec["network"]["base"], depth=np.int64(spec["network"]["depth"]))
        ds["depth"].attrs["long_name"] = "hidden layers"
    ds["loss"].attrs.update(long_name=module.problem.loss_name,
                            description="loss at the start of each epoch; entry E is after training")
    ds["test_error"].attrs.update(long_name="relative L2 test error",
                                  description="||phi - u|| / ||u|| on the test points")
    ds["s"].attrs["long_name"] = "homotopy parameter in force"
    return describe_run(ds, "test error")


def describe_run(ds: xr.Dataset, error_name: str) -> xr.Dataset:
    """The attributes every run history shares (final values, lr, divergence)."""
    ds["final_loss"].attrs["long_name"] = "training loss after the last epoch (NaN if diverged)"
    ds["final_test_error"].attrs["long_name"] = f"{error_name} after the last epoch (NaN if diverged)"
    ds["lr"].attrs["long_name"] = "learning rate of the epoch's step"
    ds["diverged"].attrs["description"] = "1 if the loss became non-finite, else 0"
    ds["diverged_epoch"].attrs["description"] = "first epoch with a non-finite loss, -1 if none"
    return ds
