# Shared helpers: the run grid, the figure -> experiment map and the effective config.

import hrta.config
import hrta.resources

JOBS = hrta.config.jobs(config)  # (experiment, job) -> its runs (training.job_per)
EXPERIMENTS = list(config["experiments"])
FIGURES = hrta.config.figures(config)  # stem -> {"experiment", "metrics"}


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),
    optimizer="[A-Za-z0-9_]+",
    method="[A-Za-z0-9_.-]+",
    width="[0-9]+",
    seed="[0-9]+",
    job="[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*",
    figure="|".join(FIGURES),


def job_file(experiment, job):
    return f"results/runs/{experiment}/{job}.nc"


def job_specs(wc):
    """The run specs of a train job, from its wildcards."""
    return [hrta.config.run_spec(config, **r) for r in JOBS[wc.experiment, wc.job]]


def experiment_config(experiment):
    """The experiment's block plus the shared training block, as recorded in outputs."""
    return {"experiment": experiment, **config["experiments"][experiment],
            "training": config["training"]}
