"""The regime map's cells and counts as the words read them (hrta.reporting.numbers.regime)."""

import numpy as np

from conftest import regime_map
from hrta.reporting.numbers.regime import hrta_cells, verdict_counts, with_tests


def test_every_cell_with_its_coordinates_and_adjusted_test():
    tested = with_tests(regime_map(np.full(8, 2.0), cells=3), 0.05, "holm")
    cells = hrta_cells(tested)
    assert [c["switch"] for c in cells] == [0.1, 0.5, 0.9]
    first = cells[0]
    assert {k: first[k] for k in ("optimizer", "family", "setting", "schedule", "label", "width")} == {
        "optimizer": "gd_f0.5", "family": "gd", "setting": "0.5 × 2n/λmax", "schedule": "hrta_0.5-1",
        "label": "HRTA 0.5→1", "width": 100}
    assert first["median_ratio"] == 2.0 and first["p_adjusted"] == 3 * first["p_value"]
    assert first["verdict"] == "holds"  # 3 × 2/2^8 < 0.05
    assert hrta_cells(tested, schedule="hrta_0.5-1") == cells


def test_verdict_counts_name_every_verdict():
    assert verdict_counts(np.array([["holds", "undecided"], ["holds", "holds"]])) == {
        "holds": 3, "contradicted": 0, "undecided": 1}
