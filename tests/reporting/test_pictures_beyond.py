"""Theorem 1 beyond two-layer ReLU, the figure (hrta.reporting.pictures.beyond)."""

from pathlib import Path

import numpy as np
import xarray as xr

from hrta.reporting.pictures.beyond import theorem1_beyond_figure


def _spectra() -> xr.Dataset:
    s = np.linspace(0.5, 1.5, 5)
    lam = np.stack([s**2, 1e-20 * s])[None, :, None, :]  # tanh: λ_min(1) below resolution
    emp = np.full((1, 2, 1, 2, 1, 3), 1.0)
    dims = ("experiment", "network", "part", "s")
    empirical = ("experiment", "network", "width", "seed", "part", "s_empirical")
    return xr.Dataset({"lambda_min": (dims, lam), "resolution": (dims, np.full(lam.shape, 1e-12)),
                       "empirical_lambda_min": (empirical, emp), "empirical_lambda_max": (empirical, 10 * emp),
                       "n_used": ("experiment", [40]), "n_train": ("experiment", [100])},
                      coords={"experiment": ["sin1d"], "network": ["relu_L2", "tanh_L1"],
                              "base": ("network", ["relu", "tanh"]), "depth": ("network", [2, 1]), "part": ["ntk"],
                              "s": s, "width": [20], "seed": [0, 1], "s_empirical": [0.5, 1.0, 1.5]})


def test_a_panel_per_network_and_none_where_lambda_min_at_1_is_unresolved(tmp_path, drawn):
    paths = theorem1_beyond_figure(_spectra(), tmp_path / "theorem1_beyond")
    assert all(Path(p).stat().st_size > 1000 for p in paths)
    (fig,) = drawn
    assert fig._suptitle.get_text() == "Theorem 1 beyond two-layer ReLU: λ_min of the NTK Gram matrix against s"
    relu, tanh = fig.axes
    assert relu.get_title() == "ReLU, L = 2" and tanh.get_title() == "tanh, L = 1"
    assert relu.get_ylabel() == "sin1d (40 of 100)\nλ_min(s) / λ_min(1)"
    assert [t.get_text() for t in tanh.texts] == ["λ_min(1)\nunresolved:\nno ratios"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["m = ∞", "s²", "below resolution", "m = 20 (init)"]
    np.testing.assert_allclose(relu.get_lines()[0].get_ydata(), np.linspace(0.5, 1.5, 5) ** 2)
