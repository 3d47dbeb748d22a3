"""The Theorem 1 and kernel-regime figures (hrta.reporting.pictures.theory)."""

from pathlib import Path

import numpy as np
import xarray as xr

from conftest import RELU_AND_HRTA, with_facts
from hrta.reporting.pictures.theory import linearised_figure, theorem1_figure

PARTS = ["output", "first", "ntk"]


def _spectra(name: str, empirical: float) -> xr.Dataset:
    s = np.linspace(0.5, 1.5, 5)
    lam = np.outer([1.0, 2.0, 3.0], s**2)
    emp = np.full((2, 2, 3, 3), empirical)
    dims = ("width", "seed", "part", "s_empirical")
    return xr.Dataset({"lambda_min": (("part", "s"), lam), "empirical_lambda_min": (dims, emp),
                       "empirical_lambda_max": (dims, np.full(emp.shape, 10.0))},
                      coords={"part": PARTS, "s": s, "width": [20, 200], "seed": [0, 1], "s_empirical": [0.5, 1.0, 1.5],
                              "experiment": name}, attrs={"n_train": 100, "n_used": 40})


def test_theorem1_rows_per_experiment_and_no_marker_below_rounding(tmp_path, drawn):
    paths = theorem1_figure([_spectra("sin1d", 1.0), _spectra("poisson", 1e-20)], tmp_path / "theorem1")
    assert all(Path(p).stat().st_size > 1000 for p in paths)
    (fig,) = drawn
    assert [ax.get_title() for ax in fig.axes[:3]] == ["output layer (λ_a)", "first layer (λ_w)", "NTK (sum)"]
    assert fig.axes[0].get_ylabel() == "sin1d (40 of 100 points)\nλ_min"
    assert fig.axes[3].get_ylabel() == "poisson (40 of 100 points)\nλ_min"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["m = ∞ (analytic)", "m = 20 (init)", "m = 200 (init)"]
    assert len(fig.axes[3].containers) == 0  # poisson's empirical values lie below rounding: not drawn


def test_linearised_measured_against_predicted(tmp_path, drawn):
    loss = np.exp(-np.linspace(0, 2, 6))
    measured = np.stack([np.outer([1.0, 1.1], loss), np.outer([0.5, 0.6], loss)])
    ds = xr.Dataset({"measured_loss": (("method", "seed", "epoch"), measured),
                     "predicted_loss": (("method", "seed", "epoch"), measured * 0.8),
                     "stable_lr": ("s_stage", [1.6, 1.3])},
                    coords={"method": ["relu", "hrta"], "seed": [0, 1], "epoch": np.arange(6), "s_stage": [1.0, 0.5]},
                    attrs={"experiment": "sin1d", "optimizer": "gd", "lr": 0.5, "width": 200, "kernel": "analytic"})
    linearised_figure(with_facts(ds, RELU_AND_HRTA), tmp_path / "linearised")
    (fig,) = drawn
    assert fig._suptitle.get_text() == "sin1d, gd (lr 0.5; 2n/λ_max s=1: 1.6, s=0.5: 1.3), m = 200, analytic kernel"
    assert [ax.get_title() for ax in fig.axes[:2]] == ["ReLU", "HRTA 0.5→1"]
    np.testing.assert_allclose(fig.axes[2].get_lines()[0].get_ydata(), 0.8)  # predicted / measured
