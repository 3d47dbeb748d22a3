"""Claims C3 and C4 in words (hrta.reporting.words.architectures)."""

import numpy as np

from conftest import final_losses
from hrta.reporting.numbers import architectures, claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.words import architectures as words
from hrta.reporting.words import comparisons

RATIOS = np.array([2.0, 2.2, 1.8, 2.1, 1.9, 2.05])


def _network(base: str, depth: int, scale: float = 1.0):
    name = f"src_{base}_L{depth}"
    return name, final_losses({10: scale * RATIOS}, name).assign_coords(base=base, depth=np.int64(depth), source="src")


def _report(*networks):
    sources = {"src": final_losses({10: RATIOS}, "src")}
    return architectures.add_to(claims.report(sources, Reading()), dict(networks), sources)


def test_deep_networks_only_leave_c3_unassessed_and_show_the_depth_trend():
    rep = _report(_network("relu", 2, 2.0), _network("relu", 3, 4.0))
    c3, c4 = words.c3_section(rep), words.c4_section(rep)
    assert c3[2] == "Not assessed: no two-layer network with another base in this profile."
    assert "### src_relu_L2" in c4 and "### How the advantage changes with depth" in c4
    (row,) = [line for line in c4 if line.startswith("| src | adam |")]
    assert "| L1: 2.02, L2: 4.05, L3: 8.1 | 18 |" in row and row.endswith("| grows |")
    lines = comparisons.bottom_line(rep)
    assert "| C4 | src_relu_L3 | adam | 1 | 1 | 0 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10 |" in lines
    assert not any(line.startswith("| C3 ") for line in lines)
    assert words.depth_line(rep)[0].endswith("of 1 settings (experiment × optimizer × schedule × width) it grows "
                                             "in 1, shrinks in 0 and is undecided in 0.")


def test_another_base_alone_leaves_c4_unassessed():
    rep = _report(_network("tanh", 1))
    assert words.c4_section(rep)[2] == "Not assessed: no network with more than one hidden layer in this profile."
    assert "### src_tanh_L1" in words.c3_section(rep)
    assert "| C3 | src_tanh_L1 | adam | 1 | 1 | 0 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10 |" in (
        comparisons.bottom_line(rep))
    assert words.depth_line(rep) == []
