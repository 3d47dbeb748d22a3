# Shared names: the run grid (built once), the figure -> experiment map and the path
# patterns, all from hrta.pipeline.grid (the one place they are built; scripts run by hand
# get them through their rule).

import re

import hrta.pipeline.architectures
import hrta.pipeline.grid as grid
import hrta.pipeline.regimes
import hrta.pipeline.resources
import hrta.reporting.words.captions
import hrta.reporting.words.report_labels as report_labels

PATHS = grid.PATHS
JOB_PER = config["training"]["job_per"]
JOBS = grid.jobs(config)  # (experiment, job) -> [Run]
EXPERIMENTS = hrta.pipeline.regimes.paper_experiments(config)  # figures, tables, theory
FIGURES = grid.figures(config)  # stem -> {"experiment", "metrics"}
REGIMES = list(config["regimes"])  # regime maps, each over its experiment <name>_regime
ARCHITECTURES = hrta.pipeline.architectures.generated(
    config
)  # other bases and depths (C3, C4)


def one_of(names):
    """A wildcard constraint matching exactly these names (a '.' in a name is no regex)."""
    return "|".join(re.escape(name) for name in names) or "^$"


wildcard_constraints:
    experiment=one_of(config["experiments"]),
    job="[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*",
    figure=one_of(FIGURES),


def job_runs(wc):
    """The runs of a train job, from its wildcards."""
    return grid.job_runs(JOBS, wc.experiment, wc.job, JOB_PER)


def experiment_config(wc):
    """The experiment's config block as recorded in its outputs, from the wildcards."""
    return grid.experiment_config(config, wc.experiment)


def train_inputs(wc):
    """The dataset, and the NTK spectra where a GD learning rate is a fraction of 2n/lambda_max:
    the experiment's own, or for another network the Theorem-1-beyond spectra."""
    opts = [run.optimizer for run in job_runs(wc)]
    spectra = (
        "results/theory/beyond_spectra.nc"
        if any(opt.limit_from for opt in opts)
        else PATHS["spectra"].format(experiment=wc.experiment)
    )
    fractions = any(opt.stability_fraction is not None for opt in opts)
    return {"data": PATHS["dataset"].format(experiment=wc.experiment)} | (
        {"spectra": spectra} if fractions else {}
    )


def figure_caption(wc):
    """The caption phrases of a convergence figure's problem (its job's parameters)."""
    experiment = config["experiments"][FIGURES[wc.figure]["experiment"]]
    return hrta.reporting.words.captions.caption_params(experiment["problem"])
