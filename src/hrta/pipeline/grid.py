"""The run grid of a validated config: every run, the training jobs that group them, each
rule's parameters and the path patterns of the files that rules and scripts exchange.

The one place these are built: the rules call it, and a script run by hand gets the same
values through its rule (hrta.pipeline.scripts.rule_context). Imports no torch.
"""

import itertools

from hrta.pipeline.errors import ConfigError, by_name

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


def runs(config: dict):
    """Every training run of the config as dicts of wildcards, in a stable order."""
    for exp_name, exp in config["experiments"].items():
        for opt, method, width, seed in itertools.product(
                exp["optimizers"], exp["methods"], exp["widths"], exp["seeds"]):
            yield {"experiment": exp_name, "optimizer": opt["name"], "method": method["name"],
                   "width": width, "seed": seed}


def job_name(run: dict, per: list) -> str:
    """The file stem of the training job holding ``run``: its values of the ``per`` dims,
    e.g. 'adam/m100' for per = [optimizer, width]; 'all' when per is empty."""
    parts = {"optimizer": run["optimizer"], "method": run["method"],
             "width": f"m{run['width']}", "seed": f"seed{run['seed']}"}
    return "/".join(parts[d] for d in RUN_DIMS if d in per) or "all"


def jobs(config: dict) -> dict:
    """{(experiment, job name): [runs]}: the training jobs of the config, each training its
    runs one after the other in one process (``training.job_per`` sets the grouping)."""
    out = {}
    for run in runs(config):
        key = (run["experiment"], job_name(run, config["training"]["job_per"]))
        out.setdefault(key, []).append(run)
    return out


def job_paths(config: dict, kind: str, experiment: str | None = None) -> list[str]:
    """The ``PATHS[kind]`` file of every training job (of one experiment, if given)."""
    return [PATHS[kind].format(experiment=exp, job=job) for exp, job in jobs(config)
            if experiment in (None, exp)]


def experiment_config(config: dict, experiment: str) -> dict:
    """The experiment's block plus its name and the shared training block, as recorded in
    the provenance of its outputs."""
    return {"experiment": experiment, **config["experiments"][experiment],
            "training": config["training"]}


def run_spec(config: dict, experiment: str, optimizer: str, method: str, width: int,
             seed: int) -> dict:
    """Everything that determines one training run, as plain JSON-able data."""
    exp = config["experiments"][experiment]
    network = {"network": {k: exp["architecture"][k] for k in ("base", "depth")}} if "architecture" in exp else {}
    return network | {
        "experiment": experiment,
        "problem": exp["problem"],
        "data_seed": exp["data_seed"],
        "width": int(width),
        "seed": int(seed),
        "method": method,
        "schedule": by_name(exp["methods"], method, f"experiments.{experiment}.methods")["schedule"],
        "optimizer": by_name(exp["optimizers"], optimizer, f"experiments.{experiment}.optimizers"),
        "eval_every": exp["eval_every"],
        "training": config["training"],
    }


def job_specs(config: dict, experiment: str, job: str) -> list[dict]:
    """The run specs of one training job; ConfigError listing the jobs if there is no such job."""
    grid = jobs(config)
    if (experiment, job) not in grid:
        names = ", ".join(name for exp, name in grid if exp == experiment)
        raise ConfigError(f"job {job!r}: not a training job of experiment {experiment!r} "
                          f"(training.job_per = {config['training']['job_per']}; jobs: {names})")
    return [run_spec(config, **run) for run in grid[experiment, job]]


def figures(config: dict) -> dict:
    """Figure stem -> {'experiment', 'metrics'} for every figure of a validated config."""
    return {fig["name"]: {"experiment": name, "metrics": list(fig["metrics"])}
            for name, exp in config["experiments"].items() for fig in exp["figures"]}


def kernel_width_specs(config: dict) -> list[dict]:
    """Run specs of the kernel-limit series: theory.kernel_regime's experiment and optimizer,
    every width, method and seed."""
    choice = config["theory"]["kernel_regime"]
    return [run_spec(config, **r) for r in runs(config)
            if r["experiment"] == choice["experiment"] and r["optimizer"] == choice["optimizer"]]


def kernel_regime_specs(config: dict) -> list[dict]:
    """Run specs of the kernel-regime comparison: the kernel-limit series at the experiment's
    largest width."""
    specs = kernel_width_specs(config)
    width = max(spec["width"] for spec in specs)
    return [spec for spec in specs if spec["width"] == width]


def real_data_config(config: dict, name: str) -> dict:
    """A real-data experiment's block plus its name and the shared training block, as
    recorded in the provenance of its aggregate."""
    return {"experiment": name, **config["real_data"][name], "training": config["training"]}


def real_data_specs(config: dict, name: str) -> list[dict]:
    """The run specs of a real-data experiment (real_data.<name>): every optimizer, method,
    width and seed, in that order (hrta.training.real_data.train takes one)."""
    exp = config["real_data"][name]
    return [{"experiment": name, "width": int(width), "seed": int(seed), "method": method["name"],
             "schedule": method["schedule"], "optimizer": opt, "eval_every": exp["eval_every"],
             "training": config["training"]}
            for opt, method, width, seed in itertools.product(exp["optimizers"], exp["methods"], exp["widths"],
                                                              exp["seeds"])]
