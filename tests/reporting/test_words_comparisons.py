"""Claims C1, C2 and C5 in words (hrta.reporting.words.comparisons)."""

import numpy as np

from conftest import final_losses
from hrta.reporting.numbers import claims
from hrta.reporting.words import comparisons

BETTER = np.array([2.0, 2.2, 1.8, 2.1, 1.9, 2.05])  # HRTA about 2x lower on each of 6 seeds


def test_bottom_line_counts_settings_and_reads_them():
    rep = claims.report({"exp": final_losses({10: BETTER, 100: 3 * BETTER})})
    lines = comparisons.bottom_line(rep)
    assert lines[0].startswith("C1, an HRTA schedule ends with a lower training loss than ReLU: of 2 settings")
    assert "2 hold, 0 are contradicted and 0 are undecided at level 0.05." in lines[0]
    assert "| exp | adam | 2 | 2 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10/100 |" in lines
    assert "of 1 settings (experiment × optimizer × schedule), it grows in 1, shrinks in 0" in lines[-3]
    assert lines[-1] == "C5, HRTA helps on real data: not assessed (no real-data experiment with a ReLU baseline)."


def test_without_a_baseline_c1_and_c2_are_not_assessed():
    rep = claims.report({}, real_data={"digits": final_losses({10: BETTER}, "digits")})
    assert comparisons.bottom_line(rep)[0].startswith("No experiment has a ReLU baseline")
    assert comparisons.c1_section(rep)[2] == comparisons.NO_BASELINE == comparisons.c2_section(rep)[2]
    c5 = comparisons.c5_section(rep)
    assert "### digits: final training loss" in c5 and "### digits: final held-out error" in c5


def test_paired_block_states_seeds_test_and_verdicts():
    rep = claims.report({"exp": final_losses({10: BETTER, 100: 1 / BETTER})})
    block = comparisons.c1_section(rep)
    assert block[2] == "### exp" and block[4].startswith("n = 6 seeds per setting. Test: Wilcoxon signed-rank")
    header, rows = block[6], [line for line in block if line.startswith("| adam |")]
    assert header.startswith("| optimizer | m | schedule | HRTA lower | median ratio | estimate | interval | p |")
    assert rows[0].startswith("| adam | 10 | HRTA 0.5→1 | 6/6 | 2.02 |") and rows[0].endswith("| 0/0 | holds |")
    assert rows[1].endswith("| contradicted |")


def test_c2_says_when_hrta_is_behind_at_the_largest_width():
    rep = claims.report({"exp": final_losses({10: BETTER, 100: 1 / BETTER})})
    table = comparisons.c2_section(rep)
    (row,) = [line for line in table if line.startswith("| exp |")]
    assert "| 10: 2.02, 100: 0.494 | 12 |" in row and row.endswith("; HRTA behind ReLU at the largest width |")
