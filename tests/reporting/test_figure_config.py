"""Figure specs: each experiment declares its figures and their metrics (issue 3)."""

import copy

import numpy as np
import pytest
import xarray as xr

from conftest import ROOT, SCHEMA, with_facts
from hrta.pipeline.config import ConfigError, load, validate
from hrta.pipeline.grid import figures as figure_map
from hrta.problems import make_problem
from hrta.reporting.pictures import convergence


def test_default_profile_draws_figures_2_to_5():
    cfg = load(ROOT / "config.yaml", SCHEMA)
    fmap = figure_map(cfg)
    assert fmap["fig2"] == {"experiment": "sin1d", "metrics": ["loss", "test_error"]}
    assert fmap["fig3"] == {"experiment": "sin3d", "metrics": ["loss", "test_error"]}
    assert fmap["fig4"] == {"experiment": "poisson", "metrics": ["loss"]}
    assert fmap["fig5"] == {"experiment": "poisson", "metrics": ["test_error"]}
    assert cfg["proof"]["figure"] == "fig1" and "fig1" not in fmap
    sin3d = cfg["experiments"]["sin3d"]
    assert sin3d["problem"]["n_test"] >= 10_000 and max(sin3d["widths"]) / min(sin3d["widths"]) >= 30


def test_figures_left_out_default_to_the_experiment_name(ci_config):
    del ci_config["experiments"]["sin3d"]["figures"]
    ci_config["experiments"]["sin1d"]["figures"] = [{"name": "only_loss"}]
    fmap = figure_map(validate(ci_config, SCHEMA))
    assert fmap["sin3d"] == {"experiment": "sin3d", "metrics": ["loss", "test_error"]}
    assert fmap["only_loss"]["metrics"] == ["loss", "test_error"]


@pytest.mark.parametrize("mutate, key", [
    (lambda c: c["experiments"]["poisson"]["figures"].append({"name": "fig2"}),
     r"experiments\.poisson\.figures\[2\]\.name': figure 'fig2'"),
    (lambda c: c["experiments"]["sin1d"]["figures"].append({"name": "fig1"}),
     r"experiments\.sin1d\.figures\[1\]\.name': figure 'fig1' is already drawn by 'proof\.figure'"),
    (lambda c: c["experiments"]["sin1d"]["figures"][0].update(metrics=["accuracy"]),
     r"experiments\.sin1d\.figures\[0\]\.metrics\[0\]"),
    (lambda c: c["experiments"]["sin1d"]["figures"][0].update(metrics=[]),
     r"experiments\.sin1d\.figures\[0\]\.metrics"),
    (lambda c: c["experiments"]["sin1d"].update(figure="fig2"), r"experiments\.sin1d'"),
    (lambda c: c.update(claims={"alpha": 1.5}), r"claims\.alpha"),
])
def test_bad_figure_specs_name_the_key(ci_config, mutate, key):
    cfg = copy.deepcopy(ci_config)
    mutate(cfg)
    with pytest.raises(ConfigError, match=key):
        validate(cfg, SCHEMA)


def _aggregate(problem):
    rng = np.random.default_rng(0)
    dims = ("optimizer", "method", "width", "seed")
    shape = (2, 2, 3, 2)
    loss = np.exp(-np.linspace(0, 3, 11))[None, None, None, None] * rng.uniform(1, 2, shape + (1,))
    schedules = {"relu": [{"s": 1.0, "epochs": 10}], "h": [{"s": 0.5, "epochs": 5}, {"s": 1.0, "epochs": 5}]}
    ds = xr.Dataset(
        {"loss": (dims + ("epoch",), loss - 2.0), "test_error": (dims + ("eval_epoch",), loss[..., ::5]),
         "diverged_epoch": (dims, np.full(shape, -1)), "diverged": (dims, np.zeros(shape, "int8"))},
        coords={"optimizer": ["adam", "gd"], "method": ["relu", "h"], "width": [10, 100, 1000],
                "seed": [0, 1], "epoch": np.arange(11), "eval_epoch": [0, 5, 10]})
    return with_facts(ds, schedules, reference=-2.0, gap=True, loss_name=make_problem(problem).loss_name)


@pytest.mark.parametrize("metrics, rows", [(["loss"], 2), (["test_error"], 2), (["loss", "test_error"], 4)])
def test_one_row_per_optimizer_and_metric(monkeypatch, tmp_path, metrics, rows, ci_config):
    ci = ci_config
    drawn = []
    monkeypatch.setattr(convergence.style, "save", lambda fig, stem: drawn.append(fig) or [])
    convergence.convergence_figure(_aggregate(ci["experiments"]["poisson"]["problem"]), tmp_path / "f",
                               "title", metrics)
    (fig,) = drawn
    assert len(fig.axes) == rows * 3
    ylabels = [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]
    if "loss" in metrics:
        assert ylabels[0] == "Ritz energy gap E(u) − E(u*)"
        line = fig.axes[0].get_lines()[0]
        assert 0 < np.nanmin(line.get_ydata()) <= np.nanmax(line.get_ydata()) <= 2  # the gap, not E


def test_a_drifting_method_is_marked_at_its_minimum_even_beside_untrained_seeds(monkeypatch, tmp_path, ci_config):
    """Seed 1 of width 10 untrained (NaN, as at a width of max_seeds): the triangle sits at
    the trained seed's minimum."""
    agg = _aggregate(ci_config["experiments"]["poisson"]["problem"])
    loss = agg["loss"].copy()
    where = {"optimizer": "adam", "method": "h", "width": 10}
    loss.loc[{**where, "seed": 1}] = np.nan
    loss.loc[{**where, "seed": 0, "epoch": 4}] = -2.0 + 1e-6  # its minimum: the gap far below the final one
    drawn = []
    monkeypatch.setattr(convergence.style, "save", lambda fig, stem: drawn.append(fig) or [])
    convergence.convergence_figure(agg.assign(loss=loss), tmp_path / "f", "title", ["loss"])
    (fig,) = drawn
    (marks,) = [c for c in fig.axes[0].collections if c.get_offsets().shape == (1, 2)
                and c.get_paths() and c.get_offsets()[0][0] == 4]
    assert marks.get_offsets()[0][0] == 4
