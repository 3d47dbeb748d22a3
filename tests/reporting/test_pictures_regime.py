"""The regime map's heat maps (hrta.reporting.pictures.regime)."""

from pathlib import Path

import numpy as np

from conftest import regime_map
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import with_tests
from hrta.reporting.pictures.regime import budget_figure, figure


def test_cells_show_the_ratio_and_a_mark_where_the_adjusted_test_decides(tmp_path, drawn):
    tested = with_tests(regime_map(np.full(8, 2.0), cells=3), Reading())
    paths = figure(tested.sel(budget=1000), tmp_path / "regime")
    assert [Path(p).suffix for p in paths] == [".pdf", ".png"] and all(Path(p).stat().st_size > 1000 for p in paths)
    (fig,) = drawn
    assert fig._suptitle.get_text() == ("Where HRTA helps: fake at a budget of 1000 epochs, 8 seeds; "
                                        "▲/▼ Benjamini-Hochberg-adjusted p < 0.05")
    ax = fig.axes[0]
    assert ax.get_title() == "GD, lr / (2n/λmax)\nm = 100" and ax.get_ylabel() == "HRTA 0.5→1"
    assert [t.get_text() for t in ax.texts] == ["2▲"] * 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["100", "500", "900"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.5"]


def test_budget_figure_draws_each_schedule_and_the_control_against_the_budget(tmp_path, drawn):
    tested = with_tests(regime_map(np.full(8, 2.0), cells=3), Reading())
    figure_paths = budget_figure(tested, tmp_path / "budget")
    assert all(Path(p).stat().st_size > 1000 for p in figure_paths)
    (fig,) = drawn
    top = fig.axes[0]
    assert [line.get_label() for line in top.get_lines()][:2] == ["HRTA 0.5→1", "s = 1.5 throughout"]
    np.testing.assert_allclose(top.get_lines()[0].get_ydata(), [2.0])
