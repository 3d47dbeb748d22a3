"""The claims report as GitHub-flavoured Markdown (results/claims.md): the answer first
(hrta.reporting.words.answer), the one statistical reading, a bottom line, then the regime
maps and relaxation against homotopy (hrta.reporting.words.regime), the switch, homotopy
without the jump and the training dynamics (hrta.reporting.words.dynamics), C1, C2 and C5
(hrta.reporting.words.comparisons), C3 and C4 (hrta.reporting.words.architectures), the
width series toward the kernel limit (hrta.reporting.words.kernel_limit), the diverged runs
(hrta.reporting.words.diverged) and Theorem 1 (hrta.reporting.words.theorem1, beyond).
Plain pipe tables, no HTML."""

import xarray as xr

from hrta.reporting.words import answer, architectures, comparisons, diverged, dynamics, kernel_limit, regime, theorem1
from hrta.reporting.words.beyond import beyond_bottom_line, beyond_section
from hrta.reporting.words.format import num


def markdown(rep: dict, budgets: dict | None = None, widths: xr.Dataset | None = None,
             beyond: dict | None = None) -> str:
    """The human-readable claims report; budgets: regime map name -> its budgets (the maps'
    summaries are in ``rep['maps']``), widths: the width series toward the kernel limit
    (hrta.theory.linearised.width_series), beyond: Theorem 1's verdict beyond two-layer ReLU."""
    maps = rep.get("maps", {})
    out = ["# Claims of the paper, checked against these results", ""] + answer.section(rep) + how_to_read(rep)
    out += ["## Bottom line", ""] + comparisons.bottom_line(rep) + architectures.depth_line(rep)
    if rep["theory"]:
        out += [theorem1.bottom_line(rep["theory"]), ""]
    out += [beyond_bottom_line(beyond), ""] if beyond else []
    if maps:
        out += regime.section(maps, budgets or {}) + regime.relaxation_section(maps)
    out += dynamics.switch_section(rep) + dynamics.without_jump_section(rep)
    out += comparisons.c1_section(rep) + comparisons.c2_section(rep)
    out += dynamics.dynamics_section(rep) + comparisons.c5_section(rep)
    out += architectures.c3_section(rep) + architectures.c4_section(rep) if "C3" in rep else []
    if widths is not None:
        out += kernel_limit.section(widths)
    out += diverged.section(rep)
    if rep["theory"]:
        out += theorem1.section(rep["theory"])
    if beyond:
        out += beyond_section(beyond)
    return "\n".join(out)


def how_to_read(rep: dict) -> list[str]:
    """## How to read this: the one statistical reading of every verdict in the report."""
    s = rep["settings"]
    return ["## How to read this", "",
            f"Compared: {s['compared']}, paired {s['pairing']}; ratios are baseline/HRTA (ReLU/HRTA, or the "
            "plain network's for other bases and depths), above 1 when HRTA ends lower. One reading for every "
            f"verdict here: the {s['test']} on the per-seed log ratios, its p-values adjusted with "
            f"{s['adjust']} over each family of comparisons (C1: an experiment's optimizers, widths and "
            "schedules; C1 at the minimum, C2, C5: likewise; C3, C4: each claim; a regime map: each comparison, "
            f"optimizer family and budget), a verdict drawn on the adjusted p only, at level {s['alpha']}; the "
            f"effect is the Hodges–Lehmann ratio with its distribution-free {num(1 - s['alpha'])} interval. "
            "*holds*: HRTA lower, and HRTA never diverged on a seed where the baseline finished; *contradicted*: "
            "HRTA higher, and the baseline never diverged on a seed where HRTA finished; *undecided*: anything "
            f"else, with the reason. A verdict needs {s['min_pairs']} compared pairs; with fewer a row has *no "
            "verdict* and gives the geometric-mean ratio with its t interval (gm), a description. Every pair's "
            "fate is counted: compared, diverged on one side (the worst outcome for that side, inside the test), "
            "both diverged (a tie), or left out (missing, non-finite, ≤ 0), and any left-out pair leaves its "
            "row undecided.", "", *_left_out(rep.get("left_out", []))]


def _left_out(sentences: list[str]) -> list[str]:
    """What the profile leaves out (config key left_out), a list."""
    return ["This profile leaves out:", "", *[f"- {s}" for s in sentences], ""] if sentences else []
