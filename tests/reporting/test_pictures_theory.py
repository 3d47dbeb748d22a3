"""The Theorem 1 and kernel-regime figures (hrta.reporting.pictures.theory)."""

from pathlib import Path

import numpy as np
import xarray as xr

from conftest import RELU_AND_HRTA, with_facts
from hrta.reporting.pictures.theory import linearised_figure, theorem1_figure

PARTS = ["output", "first", "ntk"]


def _spectra(name: str, empirical: float, kind: str = "resolved", nulls: int = 0) -> xr.Dataset:
    """Spectra with every finite Gram matrix of one class: lambda_min ``empirical`` (0 where
    singular, the value then beyond ``nulls`` null directions)."""
    s = np.linspace(0.5, 1.5, 5)
    lam = np.outer([1.0, 2.0, 3.0], s**2)
    shape = (2, 2, 3, 3)
    dims = ("width", "seed", "part", "s_empirical")
    return xr.Dataset({"lambda_min": (("part", "s"), lam),
                       "empirical_lambda_min": (dims, np.full(shape, 0.0 if nulls else empirical)),
                       "empirical_lambda_max": (dims, np.full(shape, 10.0)),
                       "empirical_lambda_beyond_null": (dims, np.full(shape, empirical)),
                       "empirical_null_directions": (dims, np.full(shape, nulls)),
                       "empirical_class": (dims, np.full(shape, kind, dtype=object))},
                      coords={"part": PARTS, "s": s, "width": [20, 200], "seed": [0, 1], "s_empirical": [0.5, 1.0, 1.5],
                              "experiment": name}, attrs={"n_train": 100, "n_used": 40})


def _edge_markers(ax) -> list:
    """Markers drawn at the axis' edge (axes-fraction y, not clipped)."""
    return [line for line in ax.get_lines() if line.get_transform() == ax.get_xaxis_transform()
            and line.get_marker() in ("v", "^")]


def test_theorem1_rows_per_experiment_and_every_finite_gram_drawn_by_its_class(tmp_path, drawn):
    spectra = [_spectra("sin1d", 1.0), _spectra("sin3d", 0.5, "singular", 73), _spectra("poisson", 1e-20, "unresolved")]
    paths = theorem1_figure(spectra, tmp_path / "theorem1")
    assert all(Path(p).stat().st_size > 1000 for p in paths)
    (fig,) = drawn
    assert [ax.get_title() for ax in fig.axes[:3]] == ["output layer (λ_a)", "first layer (λ_w)", "NTK (sum)"]
    assert fig.axes[0].get_ylabel() == "sin1d (40 of 100 points)\nλ_min"
    assert fig.axes[3].get_ylabel() == "sin3d (40 of 100 points)\nλ_min"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "m = ∞ (analytic)", "m = 20 (init)", "m = 200 (init)", "λ_min resolved",
        "exactly singular: λ_min beyond its null directions", "at rounding level or below the axis (at its edge)"]
    resolved, singular, rounding = fig.axes[0], fig.axes[3], fig.axes[6]
    assert len(resolved.containers) == 6 and not _edge_markers(resolved)  # 2 widths x 3 s, inside the axis
    assert {c.lines[0].get_fillstyle() for c in singular.containers} == {"none"}  # hollow: beyond the null space
    assert [t.get_text() for t in singular.texts] == ["exact null directions\nm = 20: 73\nm = 200: 73"]
    assert len(rounding.containers) == 0 and len(_edge_markers(rounding)) == 6  # not dropped: at the lower edge
    assert all(line.get_ydata()[0] == 0.0 and line.get_marker() == "v" for line in _edge_markers(rounding))


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
