"""The labels of every result in the Snakemake report: the same keys for all, so that the
report's result tables line up (name, experiment, content; Snakemake 9.27's search box
matches file paths only).

Apart from the figure modules for the same reason as captions.py (the Snakefile imports it)."""

import re

from hrta.problems import make_problem

METRIC_NAMES = {"loss": "training loss", "test_error": "test error"}


def labels(result: str, experiment: str, shows: str) -> dict:
    """The report labels of one result; the key 'figure' names tables and claims too; the
    report sorts them: experiment, figure, shows."""
    return {"figure": result, "experiment": experiment, "shows": shows}


def experiment_name(name: str, experiment_cfg: dict) -> str:
    """An experiment as the reader knows it: its name and its problem's title."""
    return f"{name}: {make_problem(experiment_cfg['problem']).title}"


def figure_name(stem: str) -> str:
    """'Figure 2' for the stem fig2; any other stem as it is."""
    number = re.fullmatch(r"fig(\d+)", stem)
    return f"Figure {number.group(1)}" if number else stem


def convergence(stem: str, name: str, experiment_cfg: dict, metrics: list) -> dict:
    """Figure 2-5 style: which metrics, optimizers and widths a convergence figure shows."""
    optimizers = ", ".join(o["name"] for o in experiment_cfg["optimizers"])
    widths = ", ".join(str(w) for w in experiment_cfg["widths"])
    what = " and ".join(METRIC_NAMES[m] for m in metrics)
    return labels(figure_name(stem), experiment_name(name, experiment_cfg),
                  f"{what} against epochs, ReLU vs HRTA; {optimizers}; widths m = {widths}")
