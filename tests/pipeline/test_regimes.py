"""Regime maps (issue 15): the sweep generated into an experiment, GD learning rates from the
kernel's stability limit, the map's axes, and the adjusted paired tests of its cells."""

import copy

import numpy as np
import pytest
import xarray as xr

from conftest import SCHEMA, make_run, regime_map
from hrta.pipeline import regimes
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import runs
from hrta.pipeline.stability import resolve_lr
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import map_tests, summary, with_tests
from hrta.reporting.words.regime import section

REGIME = {"widths": [20], "seeds": [0, 1, 2, 3, 4, 5], "budgets": [100, 200], "eval_every": 50,
          "optimizers": [{"family": "adam", "lrs": [1e-2, 1e-3]}, {"family": "gd", "stability_fractions": [0.5]}],
          "switches": [0.25, 0.75], "schedules": [[0.5, 1.0], [1.5, 1.0]]}


def _with_regime(ci_config, **change):
    cfg = copy.deepcopy(ci_config)
    cfg["regimes"] = {"sin1d": {**copy.deepcopy(REGIME), **change}}
    return cfg


def test_sweep_generates_baseline_control_and_every_schedule(ci_config):
    cfg = validate(_with_regime(ci_config), SCHEMA)
    exp = cfg["experiments"]["sin1d_regime"]
    assert [o["name"] for o in exp["optimizers"]] == ["adam_lr0.01", "adam_lr0.001", "gd_f0.5"]
    names = [m["name"] for m in exp["methods"]]
    assert names == ["relu", "control", "hrta_0.5-1_at0.25", "hrta_0.5-1_at0.75",
                     "hrta_1.5-1_at0.25", "hrta_1.5-1_at0.75"]
    down = exp["methods"][-1]["schedule"]
    assert down == [{"s": 1.5, "epochs": 75}, {"s": 1.0, "epochs": 125}]  # switch in the smallest budget
    assert exp["methods"][1]["schedule"] == [{"s": 1.5, "epochs": 200}] and exp["epochs"] == 200
    assert exp["problem"] == cfg["experiments"]["sin1d"]["problem"] and exp["figures"] == []
    assert "sin1d_regime" not in regimes.paper_experiments(cfg)
    assert sum(r.experiment == "sin1d_regime" for r in runs(cfg)) == 3 * 6 * 1 * 6


@pytest.mark.parametrize("change, key", [
    ({"optimizers": [{"family": "adam"}]}, "regimes.sin1d.optimizers[0]"),
    ({"optimizers": [{"family": "adam", "stability_fractions": [0.5]}]},
     "regimes.sin1d.optimizers[0].stability_fractions"),
    ({"switches": [1.0]}, "regimes.sin1d.switches[0]"),
    ({"schedules": [[0.5, 2.5]]}, "regimes.sin1d.schedules[0][1]"),
    ({"seeds": []}, "regimes.sin1d.seeds"),
])
def test_bad_sweep_names_the_key(ci_config, change, key):
    with pytest.raises(ConfigError) as err:
        validate(_with_regime(ci_config, **change), SCHEMA)
    assert f"'{key}'" in str(err.value)


def test_regime_needs_an_experiment_and_gd_fractions_a_regression(ci_config):
    cfg = _with_regime(ci_config)
    cfg["regimes"]["nope"] = cfg["regimes"].pop("sin1d")
    with pytest.raises(ConfigError, match="'regimes.nope'"):
        validate(cfg, SCHEMA)
    cfg = _with_regime(ci_config)
    cfg["regimes"]["poisson"] = cfg["regimes"].pop("sin1d")
    with pytest.raises(ConfigError, match=r"regimes\.poisson\.optimizers\[1\]\.stability_fractions"):
        validate(cfg, SCHEMA)


def test_gd_rate_is_the_fraction_of_the_smallest_limit_over_the_map():
    spectra = xr.Dataset({"lambda_max": (("part", "s"), [[1.0, 2.0, 4.0], [100.0, 200.0, 400.0]])},
                         coords={"part": ["ntk", "output"], "s": [0.5, 1.0, 1.5]}, attrs={"n_used": 100})
    run = make_run(optimizer={"name": "gd_f0.5", "algorithm": "gd", "stability_fraction": 0.5,
                              "stability_s": [0.5, 1.0]})
    # 2n / lambda_max over s in {0.5, 1}: min(200, 100) = 100; half of it
    assert resolve_lr(run, spectra).optimizer.lr == pytest.approx(50.0)
    typed = make_run()
    assert resolve_lr(typed, spectra) is typed


def test_adjustment_decides_as_its_arithmetic_says():
    """8 seeds, HRTA 2x lower on every seed of 20 cells: each raw p is the floor 2/2^8;
    Benjamini-Hochberg keeps every cell at it (holds), Holm multiplies by 20 (undecided)."""
    ds = regime_map(np.full(8, 2.0), cells=20)
    bh, holm = map_tests(ds, Reading(adjust="bh")), map_tests(ds, Reading(adjust="holm"))
    np.testing.assert_allclose(bh["vs_relu_p_value"], 2 / 2**8)
    np.testing.assert_allclose(bh["vs_relu_p_adjusted"], 2 / 2**8)
    assert (bh["vs_relu_verdict"] == "holds").all()
    assert (holm["vs_relu_verdict"] == "undecided").all()
    np.testing.assert_allclose(holm["vs_relu_p_adjusted"], 20 * 2 / 2**8)
    assert (bh["vs_control_verdict"] == "holds").all() and (bh["control_vs_relu_verdict"] == "undecided").all()


def test_mirror_image_is_contradicted_and_reported():
    tested = with_tests(regime_map(np.full(8, 0.5), cells=3), Reading())
    assert (tested["vs_relu_verdict"] == "contradicted").all()
    np.testing.assert_allclose(tested["vs_relu_median_ratio"], 0.5)
    text = "\n".join(section({"fake": summary(tested)}, {"fake": [1000]}))
    assert ("Budgets: 1000 epochs; 8 seeds per cell. Figures: regime_fake_b1000 (every cell at each budget), "
            "regime_fake_budget (the verdict against the budget).") in text
    assert ("| 1000 | gd | 1.01× | HRTA 0.5→1 | 3 | 0 | 3 | 0 | 0 | 0.5 | "
            "0.5 × 2n/λmax, switch at epoch 100, m = 100: 0.5 (contradicted) |") in text
