# Shared names: the run grid (built once), the figure -> experiment map and the path
# patterns, all from hrta.pipeline.grid (the one place they are built; scripts run by hand
# get them through their rule).

import re
from types import SimpleNamespace

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


def train_priority(wc):
    """Scheduling only: training heads the longest chains, so it starts before the figures,
    and the longest training first (its estimated minutes), so that no long job starts last.
    """
    return 1 + hrta.pipeline.resources.runtime_min(
        job_runs(wc), config["training"]["population_mb"]
    )


def before_training(experiment, spectra=False):
    """Scheduling only: the priority of a job that an experiment's training waits on (its
    dataset, or with ``spectra`` the NTK spectra its GD learning rates need), that of its
    longest such training job (see train_priority); 0 when no training waits on it."""
    minutes = max(
        (
            hrta.pipeline.resources.runtime_min(
                runs, config["training"]["population_mb"]
            )
            for (exp, _), runs in JOBS.items()
            if exp == experiment
            and (
                not spectra
                or any(run.optimizer.stability_fraction is not None for run in runs)
            )
        ),
        default=0,
    )
    return 1 + minutes if minutes else 0


def dataset_priority(wc):
    return before_training(wc.experiment)


def spectra_priority(wc):
    return before_training(wc.experiment, spectra=True)


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


def convergence_place(figure):
    """A convergence figure's place and name in the report."""
    return report_labels.convergence(
        figure, config["experiments"][FIGURES[figure]["experiment"]]
    )


def reader_figures():
    """Every figure of the run in reading order: its name and group (as in the report), its
    caption template and the template's context, and the answer's sections it backs."""
    out = []

    def add(stem, place, caption, backs=(), wildcards=None, params=None):
        out.append(
            {
                "stem": stem,
                "png": f"figures/{stem}.png",
                "name": place.name,
                "group": place.subcategory,
                "caption": (HERE / "workflow" / "report" / caption).read_text(),
                "context": {"wildcards": wildcards or {}, "params": params or {}},
                "backs": list(backs),
            }
        )

    proof = config["proof"]["figure"]
    add(proof, report_labels.proof(proof), "proof.rst")
    for stem, fig in FIGURES.items():
        if fig["experiment"] in EXPERIMENTS:
            words = figure_caption(SimpleNamespace(figure=stem))
            params = {
                "experiment": fig["experiment"],
                "metrics": fig["metrics"],
                **words,
            }
            place = convergence_place(stem)
            add(stem, place, "convergence.rst", ["c1"], {"figure": stem}, params)
    for name, views in REGIME_VIEWS.items():
        largest = f"b{max(config['regimes'][name]['budgets'])}"
        for view in views:
            backs = (
                ["jump"]
                if view == "paths"
                else ["map", "relaxation"] if view in (largest, "budget") else []
            )
            add(
                f"regime_{name}_{view}",
                report_labels.regime(name, view),
                "regime.rst",
                backs,
                {"regime": name, "view": view},
            )
    if LINEARISED:
        add("kernel_limit", report_labels.kernel_limit(), "kernel_limit.rst")
    for experiment in EXPERIMENTS:
        add(
            f"switch_{experiment}",
            report_labels.switch(experiment),
            "switch.rst",
            ["switch"],
            {"experiment": experiment},
        )
    if ARCHITECTURES:
        add(
            "architectures",
            report_labels.architectures(),
            "architectures.rst",
            ["c3", "c4"],
        )
        for stem, fig in FIGURES.items():
            if fig["experiment"] in ARCHITECTURES:
                add(
                    stem,
                    convergence_place(stem),
                    "convergence.rst",
                    [],
                    {"figure": stem},
                    {
                        "experiment": fig["experiment"],
                        "metrics": fig["metrics"],
                        **figure_caption(SimpleNamespace(figure=stem)),
                    },
                )
    for name in REAL_DATA:
        add(
            name,
            report_labels.real_data(name),
            "real_data.rst",
            ["c5"],
            {"dataset": name},
        )
    add("theorem1", report_labels.theorem1(), "theorem1.rst")
    if BEYOND:
        add("theorem1_beyond", report_labels.theorem1_beyond(), "theorem1_beyond.rst")
    if LINEARISED:
        add("linearised", report_labels.linearised(), "linearised.rst")
    return out
