"""Where each result sits in the Snakemake report and the reader's page, and its short name:
a category, a subcategory and one label.

One label per result, never two: Snakemake 9.27 (AbstractResults.getData) turns any label
after the first that has exactly two values, each on half of a list's results, into a
toggle, and a list whose rows lack the other value then blanks the whole report. With one
label there is nothing to toggle, whatever the profile. Names stay short so that the
sidebar stays narrow and the figure pane beside it wide; what a result shows is its caption.

Apart from the figure modules for the same reason as captions.py (the Snakefile imports it)."""

import re
from dataclasses import dataclass

from hrta.problems import make_problem

LABEL = "result"
PAPER, SWITCH, NETWORKS, REAL = "Paper's figures", "The switch", "Other networks", "Real data"


@dataclass(frozen=True)
class Place:
    """A result's category, subcategory and name in the report."""

    category: str
    subcategory: str
    name: str

    def labels(self) -> dict:
        return {LABEL: self.name}


def figure_name(stem: str) -> str:
    """'Figure 2' for the stem fig2; any other stem as it is."""
    number = re.fullmatch(r"fig(\d+)", stem)
    return f"Figure {number.group(1)}" if number else stem


def convergence(stem: str, experiment_cfg: dict) -> Place:
    """A convergence figure: a paper's figure ('Figure 2: sin(2πx)'), or the runs of another
    network ('sin1d: tanh, 1 hidden layer')."""
    net = experiment_cfg.get("architecture")
    if net:
        layers = f"{net['depth']} hidden layer{'s' if net['depth'] > 1 else ''}"
        return Place("Figures", NETWORKS, f"{net['source']}: {net['base']}, {layers}")
    return Place("Figures", PAPER, f"{figure_name(stem)}: {make_problem(experiment_cfg['problem']).title}")


def proof(stem: str) -> Place:
    return Place("Figures", PAPER, f"{figure_name(stem)}: the proof's structure")


def switch(experiment: str) -> Place:
    return Place("Figures", SWITCH, f"Switch: {experiment}")


def architectures() -> Place:
    return Place("Figures", NETWORKS, "All networks: plain against HRTA")


def real_data(name: str) -> Place:
    return Place("Figures", REAL, f"Real data: {name}")


def theorem1() -> Place:
    return Place("Theory", "Theory", "Theorem 1: λ_min against s")


def theorem1_beyond() -> Place:
    return Place("Theory", "Theory", "Theorem 1 beyond ReLU")


def linearised() -> Place:
    return Place("Theory", "Theory", "Kernel regime: GD against its kernel")


def regime(name: str, view: str) -> Place:
    """A regime map's figure at one budget (view 'b<epochs>'), against the budget or along
    its path axis (view 'paths')."""
    what = {"budget": "against the budget", "paths": "without the jump"}.get(view, f"at {view[1:]} epochs")
    return Place("Regime maps", "Regime maps", f"Map {name} {what}")


def kernel_limit() -> Place:
    return Place("Regime maps", "Regime maps", "Toward the kernel limit")


PAGES = {  # the Markdown results shown as HTML pages
    "claims": Place("Claims", "Claims", "The claims, checked"),
    "tables/table1": Place("Tables", "Tables", "Table 1: final loss and error"),
    "tables/compute_cost": Place("Tables", "Tables", "Compute cost"),
}
