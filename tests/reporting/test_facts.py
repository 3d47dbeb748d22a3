"""The facts reporting reads off datasets (hrta.reporting.facts): labels, baseline, switches,
the loss as compared and the axis names."""

import numpy as np
import xarray as xr

from conftest import with_facts
from hrta.reporting import facts

SCHEDULES = {"relu": [{"s": 1.0, "epochs": 10}], "up": [{"s": 0.5, "epochs": 4}, {"s": 1.0, "epochs": 6}],
             "down": [{"s": 1.5, "epochs": 7}, {"s": 1.0, "epochs": 3}]}


def _aggregate(gap=False, reference=0.0, methods=("relu", "up", "down")):
    dims = ("method", "seed", "epoch")
    loss = np.arange(len(methods) * 2 * 3, dtype=float).reshape(len(methods), 2, 3) + 1.0
    ds = xr.Dataset({"loss": (dims, loss), "final_loss": (dims[:2], loss[..., -1])},
                    coords={"method": list(methods), "seed": [0, 1], "epoch": [0, 1, 2]})
    return with_facts(ds, {m: SCHEDULES[m] for m in methods}, experiment="exp", reference=reference, gap=gap,
                      loss_name="Ritz energy" if gap else "training loss")


def test_labels_baseline_and_switches():
    agg = _aggregate()
    assert facts.method_labels(agg) == {"relu": "ReLU", "up": "HRTA 0.5→1", "down": "HRTA 1.5→1 (s decreasing)"}
    assert facts.baseline(agg) == "relu"
    assert facts.baseline(_aggregate(methods=("up", "down"))) is None
    assert facts.switch_epochs(agg) == [4, 7]
    assert facts.by_experiment([agg]) == {"exp": agg}


def test_a_gap_is_compared_minus_the_reference():
    plain, gap = _aggregate(), _aggregate(gap=True, reference=-2.0)
    xr.testing.assert_equal(facts.compared_loss(plain), plain["loss"])
    np.testing.assert_allclose(facts.compared_loss(gap, "final_loss"), gap["final_loss"] + 2.0)
    per_epoch = gap.assign(loss_reference=("epoch", [-1.0, -2.0, -3.0]))  # points redrawn every epoch
    np.testing.assert_allclose(facts.compared_loss(per_epoch).isel(method=0, seed=0), [2.0, 4.0, 6.0])
    np.testing.assert_allclose(facts.compared_loss(per_epoch, "final_loss"), gap["final_loss"] + 3.0)
    assert facts.loss_label(plain) == "training loss"
    assert facts.loss_label(gap) == "Ritz energy gap E(u) − E(u*)"


def test_error_label_is_the_test_errors_long_name():
    agg = _aggregate()
    assert facts.error_label(agg) == "relative L2 test error"
    named = agg.assign(test_error=agg["loss"].assign_attrs(long_name="held-out classification error"))
    assert facts.error_label(named) == "held-out classification error"
    assert facts.BASE_NAMES["gelu"] == "GELU"
