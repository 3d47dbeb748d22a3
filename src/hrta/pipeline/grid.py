"""The run grid of a validated config: every run (a typed ``Run``, built here once), the
training jobs that group them, each rule's parameters and the path patterns of the files
that rules and scripts exchange.

The one place these are built: the rules call it, and a script run by hand gets the same
values through its rule (hrta.pipeline.scripts.rule_context). Imports no torch.
"""

import dataclasses
import itertools

from hrta.model.run import Network, Numerics, Optimizer, Run
from hrta.model.schedule import Schedule
from hrta.pipeline.errors import ConfigError

RUN_DIMS = ("optimizer", "method", "width", "seed")  # a run's dims, in file-name and array order

PATHS = {
    "dataset": "results/data/{experiment}.nc",
    "runs": "results/runs/{experiment}/{job}.nc",
    "run_timings": "results/benchmarks/train/{experiment}/{job}.runs.tsv",
    "train_benchmark": "results/benchmarks/train/{experiment}/{job}.tsv",
    "train_log": "results/logs/train/{experiment}/{job}.log",
    "aggregate": "results/aggregate/{experiment}.nc",
    "spectra": "results/theory/{experiment}_spectra.nc",
}


def schedule(config: dict, stages: list[dict], reset: bool | None = None) -> Schedule:
    """A method's stages as the Schedule its runs follow; the optimizer state at a switch is
    reset per the method's ``reset`` where it states one, else per the experiment-wide
    ``training.optimizer_state_at_switch``."""
    if reset is None:
        reset = config["training"]["optimizer_state_at_switch"] == "reset"
    return Schedule(stages, reset_at_switch=reset)


def visited_s(methods: list[dict]) -> list[float]:
    """Every s that these methods' schedules visit, sorted."""
    return sorted({s for m in methods for s in Schedule(m["schedule"]).s_values})


def network(exp: dict) -> Network:
    """The network of an experiment: a generated one's {source, base, depth}, else the paper's."""
    net = exp.get("architecture")
    return Network() if net is None else Network(net["base"], int(net["depth"]), net["source"])


def seeds_at(exp: dict, width: int) -> list[int]:
    """The seeds of an experiment at a width: all, or the first ``max_seeds[width]``."""
    return list(exp["seeds"])[:exp.get("max_seeds", {}).get(width, len(exp["seeds"]))]


def experiment_runs(config: dict, name: str) -> list[Run]:
    """Every run of one experiment, in (optimizer, method, width, seed) order."""
    exp = config["experiments"][name]
    numerics, net = Numerics.of(config["training"]), network(exp)
    methods = [(m["name"], schedule(config, m["schedule"], m.get("reset"))) for m in exp["methods"]]
    return [Run(experiment=name, method=method, schedule=sched, optimizer=Optimizer.of(opt), width=int(width),
                seed=int(seed), problem=exp["problem"], data_seed=exp["data_seed"], eval_every=exp["eval_every"],
                network=net, numerics=numerics)
            for opt, (method, sched), width, seed in itertools.product(
                exp["optimizers"], methods, exp["widths"], exp["seeds"]) if seed in seeds_at(exp, width)]


def runs(config: dict) -> list[Run]:
    """Every training run of the config, in a stable order."""
    return [run for name in config["experiments"] for run in experiment_runs(config, name)]


def job_name(run: Run, per: list) -> str:
    """The file stem of the training job holding ``run``: its values of the ``per`` dims,
    e.g. 'adam/m100' for per = [optimizer, width]; 'all' when per is empty."""
    parts = {"optimizer": run.optimizer.name, "method": run.method, "width": f"m{run.width}",
             "seed": f"seed{run.seed}"}
    return "/".join(parts[d] for d in RUN_DIMS if d in per) or "all"


def jobs(config: dict) -> dict:
    """{(experiment, job name): [runs]}: the training jobs of the config, each training its
    runs in one process (``training.job_per`` sets the grouping)."""
    out = {}
    for run in runs(config):
        out.setdefault((run.experiment, job_name(run, config["training"]["job_per"])), []).append(run)
    return out


def job_runs(all_jobs: dict, experiment: str, job: str, per: list) -> list[Run]:
    """The runs of one training job; ConfigError listing the jobs if there is no such job."""
    if (experiment, job) not in all_jobs:
        names = ", ".join(name for exp, name in all_jobs if exp == experiment)
        raise ConfigError(f"job {job!r}: not a training job of experiment {experiment!r} "
                          f"(training.job_per = {per}; jobs: {names})")
    return all_jobs[experiment, job]


def recorded_runs(all_jobs: dict, experiment: str) -> list[list[dict]]:
    """What each training job of an experiment records about its runs (Run.as_dict), in the
    order of ``job_paths(all_jobs, 'runs', experiment)``: the aggregate checks its inputs by it."""
    return [[run.as_dict() for run in runs] for (exp, _), runs in all_jobs.items() if exp == experiment]


def job_paths(all_jobs: dict, kind: str, experiment: str | None = None) -> list[str]:
    """The ``PATHS[kind]`` file of every training job (of one experiment, if given)."""
    return [PATHS[kind].format(experiment=exp, job=job) for exp, job in all_jobs if experiment in (None, exp)]


def dataset_config(config: dict, experiment: str) -> dict:
    """What an experiment's dataset is made from: its name, problem and data seed."""
    exp = config["experiments"][experiment]
    return {"experiment": experiment, "problem": exp["problem"], "data_seed": exp["data_seed"]}


def spectra_networks(config: dict, experiment: str) -> dict:
    """What an experiment's NTK spectra are computed for: its finite networks (widths,
    seeds, numerics) and every s its schedules visit."""
    exp = config["experiments"][experiment]
    return {"experiment": experiment, "widths": list(exp["widths"]), "seeds": list(exp["seeds"]),
            "s": visited_s(exp["methods"]), "numerics": dataclasses.asdict(Numerics.of(config["training"]))}


def experiment_config(config: dict, experiment: str) -> dict:
    """The experiment's block plus its name and the numerics its runs share, as recorded in
    the provenance of its outputs."""
    return {"experiment": experiment, **config["experiments"][experiment],
            "numerics": dataclasses.asdict(Numerics.of(config["training"]))}


def figures(config: dict) -> dict:
    """Figure stem -> {'experiment', 'metrics'} for every figure of a validated config."""
    return {fig["name"]: {"experiment": name, "metrics": list(fig["metrics"])}
            for name, exp in config["experiments"].items() for fig in exp["figures"]}


def linearised_runs(config: dict, largest_only: bool) -> list[Run]:
    """Runs of the linearised-network comparison: theory.linearised's experiment and
    optimizer, every method and seed, at every width or only the largest."""
    choice = config["theory"]["linearised"]
    out = [r for r in experiment_runs(config, choice["experiment"]) if r.optimizer.name == choice["optimizer"]]
    if largest_only:
        out = [r for r in out if r.width == max(run.width for run in out)]
    return out


def real_data_config(config: dict, name: str) -> dict:
    """A real-data experiment's block plus its name and numerics, as recorded in the
    provenance of its aggregate."""
    return {"experiment": name, **config["real_data"][name],
            "numerics": dataclasses.asdict(Numerics.of(config["training"]))}


def real_data_runs(config: dict, name: str) -> list[Run]:
    """The runs of a real-data experiment (real_data.<name>): every optimizer, method, width
    and seed, in that order; the problem is the bundled dataset with its split."""
    exp = config["real_data"][name]
    numerics = Numerics.of(config["training"])
    problem = {"dataset": exp["dataset"], "held_out": exp["held_out"]}
    return [Run(experiment=name, method=method["name"],
                schedule=schedule(config, method["schedule"], method.get("reset")), optimizer=Optimizer.of(opt),
                width=int(width), seed=int(seed), problem=problem,
                data_seed=exp["data_seed"], eval_every=exp["eval_every"], numerics=numerics)
            for opt, method, width, seed in itertools.product(exp["optimizers"], exp["methods"], exp["widths"],
                                                              exp["seeds"])]
