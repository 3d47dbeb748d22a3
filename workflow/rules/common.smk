# Shared helpers: the run grid, the figure -> experiment map and the effective config.
import json

import hrta.config
import hrta.resources
from hrta.problems import make_problem

RUNS = list(hrta.config.runs(config))
EXPERIMENTS = list(config["experiments"])
FIGURES = hrta.config.figures(config)  # stem -> {"experiment", "metrics"}


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),
    optimizer="[A-Za-z0-9_]+",
    method="[A-Za-z0-9_.-]+",
    width="[0-9]+",
    seed="[0-9]+",
    figure="|".join(FIGURES),


def run_file(r):
    return "results/runs/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.nc".format(**r)


def train_spec(wc):
    """The run spec of a train job, from its wildcards (for its resources)."""
    return hrta.config.run_spec(config, wc.experiment, wc.optimizer, wc.method, wc.width, wc.seed)


def experiment_config(experiment):
    """The experiment's block plus the shared training block, as recorded in outputs."""
    return {"experiment": experiment, **config["experiments"][experiment],
            "training": config["training"]}
