"""The regime map's path axis (issue 30): regimes.<name>.paths validated, generated into
methods (ramps, on plateau, the optimizer state reset), read onto the map's dim path with
the switch shock of each run, tested against ReLU, the control and the jump, and put in
words."""

import copy

import numpy as np
import pytest
import xarray as xr

from conftest import SCHEMA, with_facts
from hrta.pipeline import regimes
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import runs
from hrta.pipeline.regime_map import map_dataset
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import paths_summary, shocks, with_tests
from hrta.reporting.words import answer
from hrta.reporting.words.dynamics import map_family_paragraph, without_jump_section

PATHS = {"pair": [1.0, 1.5], "switch": 0.5, "ramps": [0.1, 0.25], "shape": "linear",
         "plateau": {"tol": 1.0e-3, "window": 10, "min_epochs": 10}, "reset": True}
REGIME = {"widths": [20], "seeds": [0, 1, 2, 3, 4, 5], "budgets": [100, 200], "eval_every": 50,
          "optimizers": [{"family": "adam", "lrs": [1e-2]}, {"family": "gd", "stability_fractions": [0.5]}],
          "switches": [0.25, 0.5], "schedules": [[1.0, 1.5]], "control_s": 1.5, "paths": PATHS}


def _config(ci_config, **change):
    cfg = copy.deepcopy(ci_config)
    cfg["regimes"] = {"sin1d": {**copy.deepcopy(REGIME), **change}}
    return cfg


def _methods(cfg) -> dict:
    return {m["name"]: m for m in cfg["experiments"]["sin1d_regime"]["methods"]}


def test_paths_generate_ramps_plateau_and_reset_beside_the_maps_jump(ci_config):
    cfg = validate(_config(ci_config), SCHEMA)
    methods = _methods(cfg)
    names = list(methods)
    # the jump 1 -> 1.5 at 0.5 is the map's own method (on its axes): not generated twice
    assert names.count("hrta_1-1.5_at0.5") == 1
    assert names[-4:] == ["hrta_1-1.5_at0.5_ramp0.1", "hrta_1-1.5_at0.5_ramp0.25", "hrta_1-1.5_at0.5_plateau",
                          "hrta_1-1.5_at0.5_reset"]
    # switch at 0.5 of the smallest budget (epoch 50); ramps of 10 and 25 epochs from there; 200 in all
    assert methods["hrta_1-1.5_at0.5_ramp0.1"]["schedule"] == [
        {"s": 1.0, "epochs": 50}, {"ramp": 1.5, "epochs": 10, "shape": "linear"}, {"s": 1.5, "epochs": 140}]
    assert methods["hrta_1-1.5_at0.5_ramp0.25"]["schedule"][1] == {"ramp": 1.5, "epochs": 25, "shape": "linear"}
    plateau = methods["hrta_1-1.5_at0.5_plateau"]["schedule"]
    assert plateau == [{"s": 1.0, "plateau": {"tol": 1e-3, "window": 10, "min_epochs": 10, "max_epochs": 50}},
                       {"s": 1.5, "epochs": 150}]
    assert methods["hrta_1-1.5_at0.5_reset"] == {"name": "hrta_1-1.5_at0.5_reset", "reset": True,
                                                  "schedule": methods["hrta_1-1.5_at0.5"]["schedule"]}
    assert regimes.coords(cfg["regimes"]["sin1d"])["path"] == {
        "jump": "hrta_1-1.5_at0.5", "ramp 0.1": "hrta_1-1.5_at0.5_ramp0.1", "ramp 0.25": "hrta_1-1.5_at0.5_ramp0.25",
        "plateau": "hrta_1-1.5_at0.5_plateau", "reset": "hrta_1-1.5_at0.5_reset"}
    # the reset flag reaches the runs' Schedule; every other method keeps the experiment-wide default
    resets = {(r.method, r.schedule.reset_at_switch) for r in runs(cfg) if r.experiment == "sin1d_regime"}
    assert ("hrta_1-1.5_at0.5_reset", True) in resets and ("hrta_1-1.5_at0.5", False) in resets
    assert {m for m, reset in resets if reset} == {"hrta_1-1.5_at0.5_reset"}
    # 2 optimizers x (relu, control, 2 switches, 4 path variants) x 6 seeds
    assert sum(r.experiment == "sin1d_regime" for r in runs(cfg)) == 2 * 8 * 6


def test_a_jump_off_the_maps_axes_is_generated_and_no_paths_no_axis(ci_config):
    cfg = validate(_config(ci_config, paths={**PATHS, "pair": [0.5, 1.5], "switch": 0.75}), SCHEMA)
    methods = _methods(cfg)
    assert methods["hrta_0.5-1.5_at0.75"]["schedule"] == [{"s": 0.5, "epochs": 75}, {"s": 1.5, "epochs": 125}]
    assert "hrta_0.5-1.5_at0.75_plateau" in methods
    # GD's learning rate covers every s the map visits, the path's pair included
    assert 0.5 in next(o for o in cfg["experiments"]["sin1d_regime"]["optimizers"] if o["algorithm"] == "gd")[
        "stability_s"]
    plain = copy.deepcopy(REGIME)
    del plain["paths"]
    assert regimes.path_methods(plain) == {} and regimes.coords(plain)["path"] == {}


@pytest.mark.parametrize("change, key", [
    ({"pair": [1.0, 1.5, 2.0]}, "regimes.sin1d.paths.pair"),
    ({"pair": [1.5, 1.5]}, "regimes.sin1d.paths.pair"),
    ({"switch": 1.0}, "regimes.sin1d.paths.switch"),
    ({"ramps": [0.0]}, "regimes.sin1d.paths.ramps[0]"),
    ({"ramps": [0.1, 0.9]}, "regimes.sin1d.paths.ramps[1]"),  # 90 epochs from 50: none left of 140 at s = 1.5
    ({"shape": "cubic"}, "regimes.sin1d.paths.shape"),
    ({"plateau": {"tol": 1e-3, "window": 50, "min_epochs": 10}}, "regimes.sin1d.paths.plateau.window"),
    ({"plateau": {"tol": 1e-3, "window": 5, "min_epochs": 60}}, "regimes.sin1d.paths.plateau.min_epochs"),
    ({"plateau": {"tol": 1e-3, "window": 5, "min_epochs": 5, "max_epochs": 40}}, "regimes.sin1d.paths.plateau"),
    ({"reset": "yes"}, "regimes.sin1d.paths.reset"),
    ({"ramp": [0.1]}, "regimes.sin1d.paths"),
])
def test_bad_paths_name_the_key(ci_config, change, key):
    with pytest.raises(ConfigError) as err:
        validate(_config(ci_config, paths={**PATHS, **change}, budgets=[100, 140]), SCHEMA)
    assert f"'{key}'" in str(err.value)


def test_a_methods_reset_reaches_its_schedule_and_keeps_labels_apart(ci_config):
    cfg = copy.deepcopy(ci_config)
    cfg["architectures"] = {}  # they name the experiment's own methods
    exp = cfg["experiments"]["sin1d"]
    exp["methods"] = [{"name": "relu", "s": [1.0]}, {"name": "jump", "s": [1.0, 1.5]},
                      {"name": "jump_reset", "s": [1.0, 1.5], "reset": True}]
    out = validate(cfg, SCHEMA)
    by_method = {r.method: r.schedule.reset_at_switch for r in runs(out) if r.experiment == "sin1d"}
    assert by_method == {"relu": False, "jump": False, "jump_reset": True}
    labels = {r.method: r.schedule.label() for r in runs(out) if r.experiment == "sin1d"}  # what tables show
    assert labels["jump"] == "HRTA 1→1.5" and labels["jump_reset"] == "HRTA 1→1.5 (optimizer state reset)"
    exp["methods"][2]["reset"] = False  # then the two are the same schedule: refused, named
    with pytest.raises(ConfigError, match=r"'experiments\.sin1d\.methods': jump, jump_reset would all be labelled"):
        validate(cfg, SCHEMA)
    exp["methods"][2]["reset"] = "true"
    with pytest.raises(ConfigError, match=r"'experiments\.sin1d\.methods\[2\]"):
        validate(cfg, SCHEMA)


# --- the map's dim path, from a constructed aggregate -------------------------------------

SWITCH, RAMP = 50, 25  # the jump's epoch and the 0.25 ramp's length in REGIME (budgets 100, 200)


def _shape(method: str, epochs: int) -> np.ndarray:
    """A loss history per method: 1 before the switch; the jump 3x for 5 epochs, then 0.5;
    the 25-epoch ramp 0.9 on its first step (below the loss before), 2 on the rest of its
    window, then 0.5; the plateau fires at epoch 30 with a jump to 4x; flat 1 otherwise."""
    line = np.ones(epochs + 1)
    if method.endswith("_ramp0.25"):
        line[SWITCH] = 0.9
        line[SWITCH + 1:SWITCH + RAMP] = 2.0
        line[SWITCH + RAMP:] = 0.5
    elif method.endswith("_plateau"):
        line[30:35], line[35:] = 4.0, 0.5
    elif method.startswith("hrta_1-1.5_at0.5"):
        line[SWITCH:SWITCH + 5], line[SWITCH + 5:] = 3.0, 0.5
    return line


def _aggregate(regime: dict, scale: dict) -> xr.Dataset:
    """An aggregate of the regime's generated experiment: each method's loss history _shape
    times scale.get(method, 1) times (1 + 0.1 seed); test error a tenth of it."""
    methods = regimes.methods(regime)
    names = [m["name"] for m in methods]
    opts = list(regimes.coords(regime)["optimizer"])
    epochs, seeds = regimes.epochs(regime), list(regime["seeds"])
    loss = np.stack([_shape(m, epochs) * scale.get(m, 1.0) for m in names])  # (method, epoch)
    loss = loss[None, :, None, None, :] * (1 + 0.1 * np.array(seeds))[None, None, None, :, None]
    loss = np.broadcast_to(loss, (len(opts), len(names), 1, len(seeds), epochs + 1)).copy()
    dims = ("optimizer", "method", "width", "seed")
    evals = np.arange(0, epochs + 1, regime["eval_every"])
    schedules = {m["name"]: m["schedule"] for m in methods}
    starts = np.full((len(opts), len(names), 1, len(seeds), 3), -1)
    for k, name in enumerate(names):
        at = {"hrta_1-1.5_at0.25": [0, 25], "_plateau": [0, 30]}
        first = at.get(name, at["_plateau"] if name.endswith("_plateau") else [0, SWITCH])
        starts[:, k, ..., :2] = first
        if name.endswith("_ramp0.25"):
            starts[:, k, ..., 2] = SWITCH + RAMP
        elif name.endswith("_ramp0.1"):
            starts[:, k, ..., 2] = SWITCH + 10
        if name in ("relu", "control"):
            starts[:, k, ..., 1] = -1
    ds = xr.Dataset({"loss": (dims + ("epoch",), loss),
                     "test_error": (dims + ("eval_epoch",), loss[..., evals] / 10),
                     "diverged_epoch": (dims, np.full(loss.shape[:-1], -1)),
                     "diverged": (dims, np.zeros(loss.shape[:-1], dtype="int64")),
                     "switch_epoch": (dims + ("stage",), starts),
                     "lr": (dims + ("epoch",), np.full(loss.shape, 0.01))},
                    coords={"optimizer": opts, "method": names, "width": [20], "seed": seeds,
                            "epoch": np.arange(epochs + 1), "eval_epoch": evals, "stage": [0, 1, 2]})
    return with_facts(ds, schedules, experiment="sin1d_regime")


def _regime(seeds: int = 6) -> dict:
    return {**copy.deepcopy(REGIME), "seeds": list(range(seeds)), "paths": {**PATHS, "ramps": [0.1, 0.25]}}


def test_the_map_reads_each_path_variant_on_the_dim_path():
    regime = _regime()
    agg = _aggregate(regime, {"hrta_1-1.5_at0.5_reset": 7.0})
    ds = map_dataset(agg, "sin1d", regime)
    assert ds["path_final_loss"].dims == ("budget", "optimizer", "path", "width", "seed")
    assert list(ds["path"].values) == ["jump", "ramp 0.1", "ramp 0.25", "plateau", "reset"]
    assert list(ds["path_ramp_epochs"].values) == [0, 10, 25, 0, 0]
    assert str(ds["path_label"].sel(path="ramp 0.25").values) == "ramp over 25 epochs from 50"
    # the reset's runs are the reset method's (7x the jump's), read at each budget
    reset = ds["path_final_loss"].sel({"path": "reset", "budget": 100, "optimizer": "adam_lr0.01"})
    np.testing.assert_allclose(reset.values.ravel(), 7 * 0.5 * (1 + 0.1 * np.arange(6)))
    jump = ds["path_final_loss"].sel({"path": "jump"})
    xr.testing.assert_equal(jump.drop_vars(["path", "path_method", "path_label", "path_ramp_epochs"]),
                            ds["final_loss"].sel(schedule="hrta_1-1.5", switch=0.5, drop=True))
    for var in ("path_final_loss", "path_final_test_error", "path_diverged"):
        assert "path variant" in ds[var].attrs["long_name"]


def test_switch_shock_of_a_jump_a_ramp_over_its_window_and_a_plateau_where_it_fired():
    regime = _regime()
    agg = _aggregate(regime, {})
    ds = map_dataset(agg, "sin1d", regime)
    out = shocks(agg, ds).isel(optimizer=0, width=0, seed=0)
    # jump: 1 -> 3 at epoch 50, below 1 again 5 epochs later, peak 3
    assert float(out["path_shock"].sel(path="jump")) == pytest.approx(3.0)
    assert float(out["path_recovery"].sel(path="jump")) == 5 and float(out["path_peak"].sel(path="jump")) == 3.0
    # the 25-epoch ramp: its first step is below the loss before (0.9), yet the loss stands at 2 for the rest of
    # the window: the peak covers the window and the recovery counts from its last epoch
    ramp = out.sel(path="ramp 0.25")
    assert float(ramp["path_shock"]) == pytest.approx(0.9)
    assert float(ramp["path_peak"]) == pytest.approx(2.0) and float(ramp["path_recovery"]) == RAMP
    # the plateau: at the epoch where it fired (30), not the jump's
    plateau = out.sel(path="plateau")
    assert float(plateau["path_switch_epoch"]) == 30 and float(plateau["path_shock"]) == pytest.approx(4.0)
    assert "long_name" in shocks(agg, ds)["path_peak"].attrs


def test_path_tests_against_relu_the_control_and_the_jump_in_their_own_families():
    """The ramps end 2x below the jump on every seed, the jump equals ReLU: against the jump
    the ramps hold, against ReLU the jump has no difference. 8 seeds: the exact p of 8 pairs
    that all agree is 2/2^8, Benjamini-Hochberg over the family's 4 variants (2 of them
    tied, p 1) doubles it: 0.016 < 0.05."""
    regime = _regime(seeds=8)
    scale = {"relu": 0.5, "control": 0.5, "hrta_1-1.5_at0.5_ramp0.1": 0.5, "hrta_1-1.5_at0.5_ramp0.25": 0.5}
    agg = _aggregate(regime, scale)
    tested = with_tests(map_dataset(agg, "sin1d", regime), Reading(), agg)
    at = tested.sel(budget=200, width=20)
    assert (at["path_vs_jump_verdict"].sel(path=["ramp 0.1", "ramp 0.25"]) == "holds").all()
    assert (at["path_vs_jump_verdict"].sel(path="jump") == "").all()
    np.testing.assert_allclose(at["path_vs_jump_median_ratio"].sel(path="ramp 0.1"), 2.0)
    np.testing.assert_allclose(at["path_vs_jump_p_adjusted"].sel(path="ramp 0.1"), 2 * 2 / 2**8)
    np.testing.assert_allclose(at["path_vs_relu_estimate"].sel(path="jump"), 0.0)  # every pair ties
    np.testing.assert_allclose(at["path_vs_jump_estimate"].sel(path="reset"), 0.0)
    assert (at["path_vs_relu_verdict"].sel(path="ramp 0.1") == "holds").all()  # ReLU's loss is 0.5 x 1 at 200
    assert set(tested["path_vs_relu_p_adjusted"].dims) == {"budget", "optimizer", "path", "width"}
    # the map's own families are untouched by the path variants
    alone = with_tests(map_dataset(agg, "sin1d", {**regime, "paths": None}), Reading())
    xr.testing.assert_equal(alone["vs_relu_p_adjusted"], tested["vs_relu_p_adjusted"])
    rows = paths_summary(tested)
    gd = next(r for r in rows if r["budget"] == 200 and r["family"] == "gd" and r["path"] == "ramp 0.1")
    assert gd["vs_jump"]["holds"] == 1 and gd["vs_relu"]["differs_from_jump"] == 1
    assert gd["peak"] == pytest.approx(3.0)  # its constructed history has the jump's shape
    assert gd["cells"] == 1 and gd["relu_tail"] > 0
    # the answer counts the ramps' (length, cell) pairs at the largest budget, per optimizer family
    rep = {"experiments": ["sin1d"], "without_jump_maps": {"sin1d": rows},
           "switches": [{"experiment": "sin1d", "optimizer": "adam", "shock": 3.0, "label": "HRTA 1→1.5",
                         "width": 20, "recovered": 8, "runs": 8}]}
    (sentence,) = [s for s in answer.section(rep) if s.startswith("- At a switch")]
    assert sentence.endswith("; on the regime map of sin1d at 200 epochs, a ramp in place of the jump ends below it "
                             "in 2 of 2 (ramp length, cell) pairs under adam (above it in 0) and in 2 of 2 under gd "
                             "(above it in 0) ([Without the jump](#without-the-jump)).")


# --- the words ------------------------------------------------------------------------------

def _row(path, label, peak, shock, vs_relu, vs_control, vs_jump=None, differs=(0, 0)):
    row = {"budget": 4000, "family": "adam", "relu_tail": 1.25, "seeds": 8, "cells": 6, "pair": "s 1→1.5 at epoch 500",
           "path": path, "label": label, "method": path, "shock": shock, "shock_max": 2 * shock, "peak": peak,
           "peak_max": 2 * peak, "switch_epoch": 500.0, "runs": 48, "recovered": 40, "recovery": 12.0,
           "vs_relu": {"holds": vs_relu[0], "contradicted": vs_relu[1], "undecided": 0, "no verdict": 0,
                       "median_ratio": 1.0},
           "vs_control": {"holds": vs_control[0], "contradicted": vs_control[1], "undecided": 0, "no verdict": 0,
                          "median_ratio": 1.0}}
    if path != "jump":
        row["vs_relu"]["differs_from_jump"], row["vs_control"]["differs_from_jump"] = differs
        row["vs_jump"] = {"holds": vs_jump[0], "contradicted": vs_jump[1], "undecided": 0, "no verdict": 0,
                          "median_ratio": 1.0}
    return row


def test_words_say_the_budget_relus_convergence_the_shock_and_the_changed_verdicts():
    rows = [_row("jump", "jump at 500", 300.0, 300.0, (0, 6), (0, 6)),
            _row("ramp 0.1", "ramp over 100 epochs from 500", 2.5, 1.01, (2, 1), (0, 6), (6, 0), differs=(3, 0)),
            _row("plateau", "on plateau (by 500)", 400.0, 400.0, (0, 6), (0, 6), (0, 1))]
    text = map_family_paragraph(rows)
    assert text.startswith("Under Adam at 4000 epochs (6 cells of setting and width, 8 seeds each; ReLU's loss fell "
                           "1.25× over the budget's last 10%), switching s 1→1.5 at epoch 500: with the jump the loss "
                           "moves 300× in its first step (largest 600×), peaks at 300× (largest 600×) and 40 of 48 "
                           "runs")
    assert "ramp over 100 epochs from 500: 1.01× in its first step (largest 2.02×), peaks at 2.5× (largest 5×)" in text
    assert "(a peak below the jump's 300×)" in text and "(a peak not below the jump's 300×)" in text
    assert ("Against ReLU, of 6 cells: the jump: 0 lower, 6 higher; ramp over 100 epochs from 500: 2 lower, 1 "
            "higher; on plateau (by 500): 0 lower, 6 higher, verdicts other than the jump's in 3 (ramp over 100 "
            "epochs from 500).") in text
    assert "Against the control, of 6 cells: the jump: 0 lower, 6 higher" in text
    assert "every verdict as the jump's" in text
    assert text.endswith("Against the jump itself: ramp over 100 epochs from 500: 6 lower, 0 higher; on plateau "
                         "(by 500): 0 lower, 1 higher.")
    section = "\n".join(without_jump_section({"without_jump": [], "without_jump_maps": {"sin1d": rows}}))
    assert "### Regime map sin1d: the path axis" in section and text in section
    assert "| 4000 | adam | 1.25× | ramp over 100 epochs from 500 | 1.01× | 2.5× | 40/48 | 2/1 | 0/6 | 6/0 |" in section
    assert "No ramp or switch on plateau in this profile." in section
