"""The claims report as GitHub-flavoured Markdown (results/claims.md): a bottom line generated
from the numbers, then one compact table per experiment for C1, one for C2, one per real-data
experiment and quantity for C5 (hrta.reporting.words.comparisons), C3 and C4
(hrta.reporting.words.architectures), the regime maps ("Where HRTA helps",
hrta.reporting.words.regime), the width series toward the kernel limit
(hrta.reporting.words.kernel_limit), the diverged runs (hrta.reporting.words.diverged), the
Theorem 1 tables (hrta.reporting.words.theorem1) and Theorem 1 beyond two-layer ReLU
(hrta.reporting.words.beyond). Plain pipe tables, no HTML."""

import xarray as xr

from hrta.reporting.words import architectures, comparisons, diverged, kernel_limit, regime, theorem1
from hrta.reporting.words.beyond import beyond_bottom_line, beyond_section
from hrta.reporting.words.format import num


def markdown(rep: dict, maps: dict | None = None, widths: xr.Dataset | None = None,
             beyond: dict | None = None) -> str:
    """The human-readable claims report; maps: regime name -> tested map (hrta.reporting.numbers.regime),
    widths: the width series toward the kernel limit (hrta.theory.linearised.width_series),
    beyond: Theorem 1's verdict beyond two-layer ReLU (results/theory/beyond.json)."""
    out = ["# Claims of the paper, checked against these results", ""]
    out += _bottom_line(rep) + (regime.bottom_line(maps) if maps else [])
    out += [beyond_bottom_line(beyond), ""] if beyond else []
    out += _how_to_read(rep) + comparisons.c1_section(rep) + comparisons.c2_section(rep) + comparisons.c5_section(rep)
    out += architectures.c3_section(rep) + architectures.c4_section(rep) if "C3" in rep else []
    if maps:
        out += [regime.section(maps)]
    if widths is not None:
        out += kernel_limit.section(widths)
    out += diverged.section(rep)
    if rep["theory"]:
        out += theorem1.section(rep["theory"])
    if beyond:
        out += beyond_section(beyond)
    return "\n".join(out)


def _bottom_line(rep: dict) -> list[str]:
    out = ["## Bottom line", ""] + comparisons.bottom_line(rep)
    if not rep["C1"]:  # no ReLU baseline: the bottom line ends with C1, C2 and C5
        return out + [""]
    out += architectures.bottom_line(rep) if "C3" in rep else []
    if rep["theory"]:
        out += ["", theorem1.bottom_line(rep["theory"])]
    return out + [""]


def _how_to_read(rep: dict) -> list[str]:
    s = rep["settings"]
    return ["## How to read this", "",
            f"Compared: {s['compared']}, paired {s['pairing']}; the ratio is ReLU/HRTA, above 1 when HRTA ends "
            "lower. A diverged run is the worst outcome: inside the rank tests it counts as a difference "
            "larger than any finite one. Verdicts, each at significance level "
            f"{s['alpha']} with two-sided p-values: *holds*, the test is significant and its own statistic "
            "says HRTA ends lower, and HRTA never diverged on a seed where ReLU finished; *contradicted*, "
            "significant the other way, and ReLU never diverged on a seed where HRTA finished; *undecided*, "
            "anything else, with the reason beside it. Intervals are at confidence "
            f"{num(1 - s['alpha'])}. p Holm: adjusted over all C1 tests together.", ""]
