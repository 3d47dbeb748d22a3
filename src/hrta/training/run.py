"""Training runs: the runs of a job grouped into populations, each fitted in one Lightning
fit, and one history per run (hrta.training.history)."""

import resource
import time
import warnings

import numpy as np
import torch
import xarray as xr

from hrta.model.deep import PopulationMLP, initial_mlp
from hrta.model.network import DTYPES, initial_network
from hrta.model.optimizers import learning_rates
from hrta.model.population import PopulationNet
from hrta.model.run import Run
from hrta.problems import make_problem
from hrta.training import progress
from hrta.training.history import history
from hrta.training.module import PopulationModule
from hrta.training.populations import population_key, populations
from hrta.training.trainer import plain_trainer, quiet_lightning

STATE_AT_SWITCH = ("keep", "reset")  # training.optimizer_state_at_switch


def train(dataset: xr.Dataset, run: Run) -> xr.Dataset:
    """Train one run alone (a population of one); return its history."""
    return train_population(dataset, [run])[0]


def train_runs(dataset: xr.Dataset, runs: list[Run], population_mb: int,
               log_every_s: float = 30.0) -> tuple[list[xr.Dataset], list[dict]]:
    """Train every run of a job, each population (split under ``population_mb``) in one fit.
    Returns the histories in the order of ``runs`` and one timing record per run: its
    population's index and size, the population's wall and CPU seconds divided by its
    members, and the process's peak RSS (MB) after the population. Logs each run's start
    and end, and progress every ``log_every_s`` seconds (hrta.training.progress)."""
    out, times = [None] * len(runs), [None] * len(runs)
    groups = populations(runs, population_mb)
    for index, group in enumerate(groups):
        progress.log_start([runs[i] for i in group], index, len(groups))
        cpu, wall = time.process_time(), time.perf_counter()
        histories = train_population(dataset, [runs[i] for i in group], log_every_s)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for i, hist in zip(group, histories):
            progress.log_end(runs[i], hist, wall, len(group))
            out[i] = hist
            times[i] = {"population": index, "members": len(group), "wall_s": wall / len(group),
                        "cpu_s": cpu / len(group), "peak_rss_mb": rss}
    return out, times


def train_population(dataset: xr.Dataset, runs: list[Run], log_every_s: float = 30.0) -> list[xr.Dataset]:
    """Train runs of one population key together (see ``population_key``); their histories.

    Every member starts from its own seed's initial network and follows its own schedule
    and learning rates; progress is logged every ``log_every_s`` seconds. Torch's thread
    count is the caller's (set once per process).
    """
    if len({population_key(run) for run in runs}) != 1:
        raise ValueError("a population's runs must share width, optimizer algorithm, epochs and eval_every")
    first = runs[0]
    dtype = DTYPES[first.numerics.dtype]
    problem = make_problem(first.problem)
    net = initial_population(dataset.sizes["dim"], runs)
    data = {k: torch.as_tensor(dataset[k].values, dtype=dtype) for k in ("x_train", "y_train", "x_test", "y_test")}
    tables = {}  # one learning-rate table per distinct optimizer setting (members often share one)
    for run in runs:
        if run.optimizer not in tables:
            tables[run.optimizer] = learning_rates(run.optimizer, first.epochs)
    lrs = np.array([tables[run.optimizer] for run in runs])
    resamplers = [problem.resampler(run.data_seed, run.seed) for run in runs] if problem.resample else None
    test_gap = None
    if problem.resample and problem.loss_is_gap:
        source = torch.as_tensor(problem.target(dataset["x_test"].values), dtype=dtype)
        test_gap = (source, float(dataset["reference_loss"]))
    reference = float(dataset["reference_loss"]) if problem.loss_is_gap else 0.0
    module = PopulationModule(net, problem, [run.schedule for run in runs], first.optimizer.algorithm, lrs, data,
                              first.eval_every, resamplers, test_gap, reference)
    with warnings.catch_warnings():
        quiet_lightning()
        plain_trainer(first.numerics.accelerator, first.numerics.dtype, 1,
                      [progress.Progress(log_every_s)]).fit(module)
    return [history(module, k, run, dataset) for k, run in enumerate(runs)]


def initial_population(dim: int, runs: list[Run]):
    """The population of the runs' initial networks: the paper's two-layer ReLU
    (``PopulationNet``), or a generated network (``PopulationMLP``, hrta.model.deep)."""
    if runs[0].network.is_paper:
        return PopulationNet([initial_network(dim, run.width, run.seed, run.numerics, s=run.schedule.s_at(0))
                              for run in runs])
    return PopulationMLP([initial_mlp(dim, run.width, run.seed, run.numerics, run.network, s=run.schedule.s_at(0))
                          for run in runs])
