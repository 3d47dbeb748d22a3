import numpy as np
import pytest
import xarray as xr

from conftest import TRAINING, make_run
from hrta.training.run import train


@pytest.mark.slow
def test_loss_drops_and_history_layout(sin_dataset):
    h = train(sin_dataset, make_run())
    assert h.sizes["epoch"] == 121 and list(h.eval_epoch.values) == list(range(0, 120, 10)) + [120]
    assert np.isfinite(h.loss).all() and np.isfinite(h.test_error).all()
    assert float(h.loss[-1]) < 0.5 * float(h.loss[0])
    assert float(h.final_loss) == float(h.loss[-1])
    assert int(h.diverged) == 0 and int(h.diverged_epoch) == -1
    # s switches at the stage boundary; the lr follows the step decay
    assert set(h.s.values[:60]) == {0.5} and set(h.s.values[60:]) == {1.0}
    assert h.lr.values[0] == pytest.approx(1e-2) and h.lr.values[55] == pytest.approx(5e-3)


@pytest.mark.slow
def test_same_seed_reproduces_exactly(sin_dataset):
    spec = make_run()
    a = train(sin_dataset, spec)
    b = train(sin_dataset, spec)
    xr.testing.assert_identical(a, b)
    c = train(sin_dataset, make_run(seed=1))
    assert not np.array_equal(a.loss.values, c.loss.values)


@pytest.mark.slow
def test_a_run_does_not_depend_on_the_runs_before_it_in_the_process(sin_dataset):
    """A training job trains several runs in one process (training.job_per)."""
    spec = make_run(seed=3)
    alone = train(sin_dataset, spec)
    for other in (make_run(width=32, seed=5), make_run(schedule=[{"s": 1.5, "epochs": 30}])):
        train(sin_dataset, other)
    xr.testing.assert_identical(alone, train(sin_dataset, spec))


@pytest.mark.slow
def test_reset_optimizer_state_changes_second_stage_only(sin_dataset):
    keep = make_run()
    reset = make_run(training={**TRAINING, "optimizer_state_at_switch": "reset"})
    a = train(sin_dataset, keep)
    b = train(sin_dataset, reset)
    np.testing.assert_array_equal(a.loss.values[:61], b.loss.values[:61])
    assert not np.array_equal(a.loss.values[62:], b.loss.values[62:])


@pytest.mark.slow
def test_huge_learning_rate_is_recorded_as_diverged(sin_dataset):
    spec = make_run(optimizer={"name": "gd", "algorithm": "gd", "lr": 1e6,
                                "decay": {"kind": "none"}})
    h = train(sin_dataset, spec)
    assert int(h.diverged) == 1
    at = int(h.diverged_epoch)
    assert 0 < at < 120 and not np.isfinite(h.loss.values[at])
    assert np.isfinite(h.loss.values[:at]).all()
    assert np.isnan(float(h.final_loss)) and np.isnan(float(h.final_test_error))


@pytest.mark.slow
def test_float64_option(sin_dataset):
    spec = make_run(training={**TRAINING, "dtype": "float64"},
                     schedule=[{"s": 1.0, "epochs": 20}])
    h = train(sin_dataset, spec)
    assert np.isfinite(h.loss).all() and float(h.loss[-1]) < float(h.loss[0])
