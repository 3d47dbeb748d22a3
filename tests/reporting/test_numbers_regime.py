"""The regime map's cells and counts as the words read them (hrta.reporting.numbers.regime)."""

import numpy as np

from conftest import regime_map
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import hrta_cells, summary, verdict_counts, with_tests


def test_every_cell_with_its_coordinates_and_adjusted_test():
    tested = with_tests(regime_map(np.full(8, 2.0), cells=3), Reading(adjust="holm"))
    cells = hrta_cells(tested.sel(budget=1000))
    assert [c["switch"] for c in cells] == [0.1, 0.5, 0.9]
    first = cells[0]
    assert {k: first[k] for k in ("optimizer", "family", "setting", "schedule", "label", "width")} == {
        "optimizer": "gd_f0.5", "family": "gd", "setting": "0.5 × 2n/λmax", "schedule": "hrta_0.5-1",
        "label": "HRTA 0.5→1", "width": 100}
    assert [c["switch_epoch"] for c in cells] == [100, 500, 900]
    assert first["median_ratio"] == 2.0 and first["p_adjusted"] == 3 * first["p_value"]
    assert first["verdict"] == "holds"  # 3 × 2/2^8 < 0.05


def test_summary_counts_each_comparison_at_each_budget():
    rows = summary(with_tests(regime_map(np.full(8, 2.0), cells=3), Reading()))
    assert [(r["comparison"], r["budget"], r["family"]) for r in rows] == [
        ("vs_relu", 1000, "gd"), ("vs_control", 1000, "gd"), ("control_vs_relu", 1000, "gd")]
    vs_relu, _, control = rows
    assert (vs_relu["holds"], vs_relu["cells"], vs_relu["median_ratio"], vs_relu["relu_tail"]) == (3, 3, 2.0, 1.01)
    assert vs_relu["best"]["switch_epoch"] == 100 and control["best"] is None
    assert (control["cells"], control["undecided"], control["median_ratio"]) == (1, 1, 1.0)  # no switch axis


def test_verdict_counts_name_every_verdict():
    assert verdict_counts(np.array([["holds", "undecided"], ["holds", "holds"]])) == {
        "holds": 3, "contradicted": 0, "undecided": 1, "no verdict": 0}
