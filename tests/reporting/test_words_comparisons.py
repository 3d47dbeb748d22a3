"""Claims C1, C2 and C5 in words (hrta.reporting.words.comparisons)."""

import numpy as np

from conftest import final_losses
from hrta.reporting.numbers import claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.words import comparisons

BETTER = np.array([2.0, 2.2, 1.8, 2.1, 1.9, 2.05])  # HRTA about 2x lower on each of 6 seeds
READING = Reading()


HEADER = "| claim | experiment | optimizer | settings | holds | contradicted | undecided | no verdict | where decided |"


def test_bottom_line_counts_settings_and_reads_them():
    rep = claims.report({"exp": final_losses({10: BETTER, 100: 3 * BETTER})}, READING)
    lines = comparisons.bottom_line(rep)
    assert lines[0] == HEADER
    assert lines[2] == "| C1 | exp | adam | 2 | 2 | 0 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10/100 |"
    assert lines[4:6] == ["C2, the advantage over ReLU grows with width (rises, and HRTA ahead at the largest width):",
                          "exp, adam: 1 grows."]
    assert not any(line.startswith("| C5 ") for line in lines)


def test_without_a_baseline_c1_and_c2_are_not_assessed():
    rep = claims.report({}, READING, real_data={"digits": final_losses({10: BETTER}, "digits")})
    lines = comparisons.bottom_line(rep)
    assert lines[0] == HEADER and len([line for line in lines if line.startswith("| C")]) == 1
    assert "| C5 | digits | adam | 2 | 2 | 0 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10 |" in lines
    assert comparisons.c1_section(rep)[2] == comparisons.NO_BASELINE == comparisons.c2_section(rep)[2]
    c5 = comparisons.c5_section(rep)
    assert "### digits: final training loss" in c5 and "### digits: final held-out error" in c5
    assert comparisons.bottom_line(claims.report({}, READING))[0].startswith("No experiment has a baseline")


def test_paired_block_states_seeds_budget_and_verdicts():
    rep = claims.report({"exp": final_losses({10: BETTER, 100: 1 / BETTER})}, READING)
    block = comparisons.c1_section(rep)
    assert block[2] == "### exp"
    assert block[4] == ("n = 6 seeds per setting. Budget: 10 epochs; the baseline's fall over the last 10% of them: "
                        "adam m = 10: 1.07×, adam m = 100: 1.07×.")
    header, rows = block[6], [line for line in block if line.startswith("| adam |")]
    assert header == "| optimizer | m | schedule | HRTA lower | ReLU/HRTA (interval) | p adj. | pairs | verdict |"
    assert rows == ["| adam | 10 | HRTA 0.5→1 | 6/6 | 2 (1.8 to 2.2) | 0.0312 | 6 compared | holds |",
                    "| adam | 100 | HRTA 0.5→1 | 0/6 | 0.5 (0.455 to 0.556) | 0.0312 | 6 compared | contradicted |"]


def test_c2_shrinks_when_hrta_falls_behind_at_the_larger_width():
    rep = claims.report({"exp": final_losses({10: BETTER, 100: 1 / BETTER})}, READING)
    (row,) = [line for line in comparisons.c2_section(rep) if line.startswith("| exp |")]
    assert row.startswith("| exp | adam | HRTA 0.5→1 | 10: 2.02, 100: 0.494 | contradicted | 1.07× | 12 | -0.739 |")
    assert row.endswith("| 0.25 | 0.227 to 0.277 | shrinks |")
