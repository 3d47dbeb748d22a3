# Shared helpers: the run grid, the figure -> experiment map and the effective config.
import json

import hrta.config
from hrta.problems import make_problem

RUNS = list(hrta.config.runs(config))
EXPERIMENTS = list(config["experiments"])
FIGURES = {exp.get("figure", name): name for name, exp in config["experiments"].items()}


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),
    optimizer="[A-Za-z0-9_]+",
    method="[A-Za-z0-9_.-]+",
    width="[0-9]+",
    seed="[0-9]+",
    figure="|".join(FIGURES),


def run_file(r):
    return "results/runs/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.nc".format(**r)


def experiment_config(experiment):
    """The experiment's block plus the shared training block, as recorded in outputs."""
    return {"experiment": experiment, **config["experiments"][experiment],
            "training": config["training"]}
