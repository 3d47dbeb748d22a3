"""Theorem 1 beyond two-layer ReLU, the figure (hrta.reporting.pictures.beyond)."""

from pathlib import Path

import numpy as np
import xarray as xr

from hrta.reporting.pictures.beyond import Y_LABEL, column_groups, theorem1_beyond_figure

NETWORKS = ["relu_L1", "relu_L2", "relu_L2_vp", "tanh_L1"]


def _spectra(finite: float = 1.0) -> xr.Dataset:
    s = np.linspace(0.5, 1.5, 5)
    lam = np.stack([s**2, s**2, s**2, 1e-20 * s])[None, :, None, :]  # tanh: λ_min(1) below resolution
    shape = (1, 4, 1, 2, 1, 3)
    dims = ("experiment", "network", "part", "s")
    empirical = ("experiment", "network", "width", "seed", "part", "s_empirical")
    return xr.Dataset({"lambda_min": (dims, lam), "resolution": (dims, np.full(lam.shape, 1e-12)),
                       "empirical_lambda_min": (empirical, np.full(shape, finite)),
                       "empirical_lambda_max": (empirical, np.full(shape, 10.0)),
                       "empirical_lambda_beyond_null": (empirical, np.full(shape, finite)),
                       "empirical_null_directions": (empirical, np.zeros(shape, dtype=int)),
                       "empirical_class": (empirical, np.full(shape, "resolved", dtype=object)),
                       "n_used": ("experiment", [40]), "n_train": ("experiment", [100])},
                      coords={"experiment": ["sin1d"], "network": NETWORKS,
                              "base": ("network", ["relu", "relu", "relu", "tanh"]), "depth": ("network", [1, 2, 2, 1]),
                              "parametrisation": ("network", ["unnormalised"] * 2 + ["variance_preserving",
                                                                                     "unnormalised"]),
                              "part": ["ntk"], "s": s, "width": [20], "seed": [0, 1], "s_empirical": [0.5, 1.0, 1.5]})


def test_a_column_per_parametrisation_a_line_per_depth_and_none_where_lambda_min_at_1_is_unresolved(tmp_path, drawn):
    ds = _spectra()
    assert column_groups(ds) == [("ReLU, unnormalised", ["relu_L1", "relu_L2"]),
                                 ("ReLU, var.-preserving", ["relu_L1", "relu_L2_vp"]), ("tanh, L = 1", ["tanh_L1"])]
    paths = theorem1_beyond_figure(ds, tmp_path / "theorem1_beyond")
    assert all(Path(p).stat().st_size > 1000 for p in paths)
    (fig,) = drawn
    plain, preserving, tanh = fig.axes
    assert [ax.get_title() for ax in fig.axes] == ["ReLU, unnormalised", "ReLU, var.-preserving", "tanh, L = 1"]
    assert plain.get_ylabel() == "sin1d (40 of 100)" and fig.get_supylabel() == Y_LABEL
    assert "finite networks' λ_min(s) over the same" in Y_LABEL
    assert [t.get_text() for t in tanh.texts] == ["λ_min(1)\nunresolved:\nno ratios"]
    depths, rest = fig.legends
    assert [t.get_text() for t in depths.get_texts()] == ["L = 1", "L = 2"]
    assert [t.get_text() for t in rest.get_texts()] == ["s²", "below resolution", "m = 20 (init), tanh, GELU",
                                                        "λ_min resolved"]
    np.testing.assert_allclose(plain.get_lines()[0].get_ydata(), np.linspace(0.5, 1.5, 5) ** 2)
    assert len(plain.containers) == 6  # the finite networks of both depths at the largest width


def test_finite_points_outside_the_axis_are_drawn_at_its_edge(tmp_path, drawn):
    theorem1_beyond_figure(_spectra(finite=1e6), tmp_path / "theorem1_beyond")  # far above the curves
    (fig,) = drawn
    plain = fig.axes[0]
    edge = [line for line in plain.get_lines() if line.get_transform() == plain.get_xaxis_transform()
            and line.get_marker() in ("v", "^")]  # not the dotted s = 1
    assert len(edge) == 6 and all(line.get_marker() == "^" and line.get_ydata()[0] == 1.0 for line in edge)
    assert "above the axis (at its edge)" in [t.get_text() for t in fig.legends[1].get_texts()]
