"""Real data: the bundled digits loader, the homotopized MLP trained with HomotopySchedule,
and its aggregate as Table 1 and claim C5 read it."""

import copy
import socket

import numpy as np
import pytest
import torch
import xarray as xr

from conftest import ROOT, make_run
from hrta.model.homotopy import HomotopyActivation, homotopize
from hrta.model.schedule import Course
from hrta.pipeline.aggregate import METHOD_FACTS, combine, with_run_dims
from hrta.pipeline.config import ConfigError, load, validate
from hrta.problems.bundled import load as load_dataset
from hrta.reporting.numbers import claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.table1 import summary
from hrta.reporting.words import table1
from hrta.reporting.words.claims import markdown
from hrta.training.real_data import mlp, train

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
ADAM = {"name": "adam", "algorithm": "adam", "lr": 1e-2, "decay": {"kind": "step", "step_size": 10, "gamma": 0.5}}
SCHEDULES = {"relu": [{"s": 1.0, "epochs": 20}],
             "hrta_0.5-1": [{"s": 0.5, "epochs": 10}, {"s": 1.0, "epochs": 10}],
             "hrta_1-1.5": [{"s": 1.0, "epochs": 10}, {"s": 1.5, "epochs": 10}],
             "hrta_plateau": [{"s": 0.5, "plateau": {"tol": 0.1, "window": 2, "min_epochs": 3, "max_epochs": 12}},
                              {"ramp": 1.0, "epochs": 3}, {"s": 1.0, "epochs": 5}]}


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits", 0.25, 0)


def spec(method="hrta_0.5-1", seed=0, width=8, optimizer=ADAM):
    return make_run(experiment="digits", problem={"dataset": "digits", "held_out": 0.25}, width=width, seed=seed,
                    method=method, schedule=SCHEDULES[method], optimizer=optimizer, eval_every=5)


def test_digits_split_is_stratified_standardised_and_seeded(digits):
    assert digits["x_train"].shape == (1347, 64) and digits["x_test"].shape == (450, 64)
    assert digits.attrs["n_classes"] == 10
    train, test = np.bincount(digits["y_train"].values), np.bincount(digits["y_test"].values)
    total = train + test
    assert np.all(np.abs(test - 0.25 * total) <= 1)  # every class held out in proportion
    x = digits["x_train"].values
    varying = x.std(axis=0) > 0
    assert np.allclose(x.mean(axis=0), 0, atol=1e-12) and np.allclose(x.std(axis=0)[varying], 1)
    xr.testing.assert_identical(digits, load_dataset("digits", 0.25, 0))
    assert not np.array_equal(digits["y_test"].values, load_dataset("digits", 0.25, 1)["y_test"].values)


def test_a_plateau_method_switches_on_the_runs_own_loss(digits):
    """The callback monitors the full-batch loss the history records: replayed through the
    schedule's course, that loss gives the run's stage starts and s."""
    run = spec("hrta_plateau")
    hist = train(digits, run)
    course = Course(run.schedule)
    for t in range(run.epochs):
        if course.watching(t):
            course.observe(t, hist["loss"].values[t])
    assert 3 <= course.starts[1] < 12 and hist["switch_epoch"].values.tolist() == course.starts
    np.testing.assert_array_equal(hist["s"].values, [course.s_at(t) for t in range(run.epochs + 1)])


def test_digits_load_offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert load_dataset("digits", 0.2, 3)["x_test"].shape == (360, 64)


@pytest.mark.parametrize("args, match", [(("mnist", 0.25, 0), "dataset must be one of"),
                                          (("digits", 1.0, 0), "held-out fraction")])
def test_loader_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        load_dataset(*args)


def test_homotopized_mlp_at_s1_is_the_mlp_bit_for_bit():
    net = mlp(64, 32, 10, seed=3)
    homotopized = copy.deepcopy(net)
    assert sorted(homotopize(homotopized)) == ["1", "3"]
    assert all(isinstance(homotopized[i], HomotopyActivation) for i in (1, 3))
    x = torch.randn(200, 64)
    assert torch.equal(net(x), homotopized(x))
    homotopized[1].s = 0.5
    assert not torch.equal(net(x), homotopized(x))


@pytest.mark.slow
def test_training_is_deterministic_and_follows_the_schedule(digits):
    first, second = train(digits, spec()), train(digits, spec())
    xr.testing.assert_identical(first, second)
    s = first["s"].values
    assert np.all(s[:10] == 0.5) and np.all(s[10:] == 1.0)  # set on the network by the callback
    assert list(first["eval_epoch"].values) == [0, 5, 10, 15, 20]
    assert np.allclose(first["lr"].values[:20], [1e-2] * 10 + [5e-3] * 10)
    loss = first["loss"].values
    assert np.all(np.isfinite(loss)) and loss[-1] < 0.8 * loss[0]  # it learns
    assert float(first["final_test_error"]) < float(first["test_error"][0]) and int(first["diverged"]) == 0
    assert str(first["label"].values) == "HRTA 0.5→1"


@pytest.mark.slow
def test_a_seed_gives_every_method_the_same_start(digits):
    relu, later = train(digits, spec("relu")), train(digits, spec("hrta_1-1.5"))
    np.testing.assert_array_equal(relu["loss"].values[:10], later["loss"].values[:10])  # s = 1 in epochs 0-9
    assert relu["loss"].values[10] != later["loss"].values[10]  # s = 1.5 from epoch 10
    assert float(relu["loss"][0]) != float(train(digits, spec("relu", seed=1))["loss"][0])


@pytest.fixture(scope="module")
def aggregate(digits):
    pieces = [with_run_dims({"optimizer": "adam", "method": m, "width": 8, "seed": s}, train(digits, spec(m, s)))
              for m in ("relu", "hrta_0.5-1") for s in (0, 1, 2)]
    return combine(pieces)


@pytest.mark.slow
def test_aggregate_has_the_form_table1_and_the_claims_read(aggregate):
    assert aggregate["loss"].dims == ("optimizer", "method", "width", "seed", "epoch")
    assert aggregate["test_error"].dims == ("optimizer", "method", "width", "seed", "eval_epoch")
    for name in METHOD_FACTS:
        assert aggregate[name].dims[0] == "method"
    assert aggregate["switch_epoch"].sel({"method": "relu", "seed": 0}).values.tolist() == [[[0, -1]]]  # -1 padded
    df = summary({"digits": aggregate})
    assert set(df["error_name"]) == {"held-out classification error"} and df["error_mean"].notna().all()
    assert "Final held-out classification error:" in table1.markdown(df)
    rep = claims.report({}, Reading(), real_data={"digits": aggregate})
    assert {r["quantity"] for r in rep["C5"]} == {"final_loss", "final_test_error"}
    assert all(r["label"] == "HRTA 0.5→1" and r["n_seeds"] == 3 for r in rep["C5"])
    assert rep["C1"] == [] and rep["real_data"] == ["digits"]
    md = markdown(rep)
    assert "## C5: HRTA helps on real data" in md and "### digits: final held-out error" in md
    assert "| C5 | digits | adam | 2 | 0 | 0 | 0 | 2 | nothing decided |" in md  # 3 seeds: no verdict


def test_profiles_validate_and_name_collisions_are_refused(ci_config):
    for profile in sorted((ROOT / "workflow" / "configs").glob("*.yaml")):
        config = load(profile, SCHEMA, ROOT / "config.yaml")
        assert config["real_data"]["digits"]["held_out"] == 0.25
    raw = ci_config
    digits = raw["real_data"]["digits"]
    with pytest.raises(ConfigError, match=r"real_data\.sin1d.*already an experiment"):
        validate({**raw, "real_data": {"sin1d": digits}}, SCHEMA)
    with pytest.raises(ConfigError, match=r"real_data\.fig2.*figure 'fig2' is already drawn"):
        validate({**raw, "real_data": {"fig2": digits}}, SCHEMA)
    with pytest.raises(ConfigError, match=r"real_data\.digits\.dataset"):
        validate({**raw, "real_data": {"digits": {**digits, "dataset": "mnist"}}}, SCHEMA)


@pytest.mark.slow
def test_a_diverging_run_is_recorded(digits):
    huge = spec("relu", optimizer={"name": "gd", "algorithm": "gd", "lr": 1e12})
    hist = train(digits, huge)
    assert int(hist["diverged"]) == 1 and int(hist["diverged_epoch"]) > 0
    assert np.isnan(float(hist["final_loss"])) and np.isnan(float(hist["final_test_error"]))
    assert np.isfinite(hist["loss"].values[:int(hist["diverged_epoch"])]).all()
