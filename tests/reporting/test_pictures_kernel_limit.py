"""The kernel-limit figure (hrta.reporting.pictures.kernel_limit)."""

from pathlib import Path

import numpy as np

from conftest import width_series
from hrta.reporting.pictures.kernel_limit import figure


def test_one_panel_per_schedule_trained_against_the_kernel(tmp_path, drawn):
    paths = figure(width_series([2.0, 3.0], [4.0, 3.5]), tmp_path / "kernel_limit")
    assert all(Path(p).stat().st_size > 1000 for p in paths)
    (fig,) = drawn
    assert fig._suptitle.get_text() == "Toward the kernel limit: gd, analytic kernel, 2 seeds"
    (ax,) = fig.axes
    assert ax.get_title() == "HRTA 0.5→1" and ax.get_ylabel() == "ReLU / HRTA final loss"
    kernel = [line for line in ax.get_lines() if line.get_label() == "kernel prediction"]
    np.testing.assert_allclose(kernel[0].get_ydata(), [4.0, 3.5])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["20", "200"]
