"""Toward the kernel limit, the numbers (hrta.reporting.numbers.kernel_limit): per-seed ratios."""

import numpy as np

from conftest import width_series
from hrta.reporting.numbers.kernel_limit import ratios


def test_ratios_are_relu_over_each_hrta_schedule_per_seed():
    rat = ratios(width_series([2.0, 3.0], [4.0, 3.5]))
    assert list(rat["method"].values) == ["hrta"] and list(rat["label"].values) == ["HRTA 0.5→1"]
    assert set(rat["measured"].dims) == {"width", "method", "seed"}
    np.testing.assert_allclose(rat["measured"].isel(method=0).transpose("width", "seed"), [[2.0, 2.0], [3.0, 3.0]])
    np.testing.assert_allclose(rat["kernel"].isel(method=0).transpose("width", "seed"), [[4.0, 4.0], [3.5, 3.5]])
