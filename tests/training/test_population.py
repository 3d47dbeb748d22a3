"""Population training: K runs trained as one batched network give each run's own history
(the run alone, the plain single-network loop of the benchmark), whatever the other members."""

import numpy as np
import pytest
import torch

from bench_training import plain_train
from conftest import PROBLEM, TRAINING, make_run
from hrta.model.network import initial_network
from hrta.model.population import PopulationNet, population_slope_product
from hrta.model.run import Numerics
from hrta.model.schedule import Course
from hrta.problems import make_problem
from hrta.training.populations import populations
from hrta.training.run import train, train_population, train_runs

RITZ = {"name": "poisson_neumann", "dim": 2, "n_train": 64, "train_points": "sobol", "n_test": 100,
        "test_points": "grid"}
# Tolerances to the plain loop (120 Adam epochs), relative to the loss's range: the batched
# product rounds differently (s B v and (1 - s) sum v added apart, not in one addmm);
# measured max differences 5e-7 (float32) and 1e-15 (float64) of the range on these cases.
RTOL = {"float32": 1e-5, "float64": 1e-12}


def _specs(dtype="float32", problem=PROBLEM, **over):
    training = {**TRAINING, "dtype": dtype}
    return [make_run(seed=0, training=training, problem=problem, **over),
            make_run(seed=1, training=training, problem=problem,
                      schedule=[{"s": 1.0, "epochs": 40}, {"s": 1.5, "epochs": 80}], **over),
            make_run(seed=2, training=training, problem=problem, schedule=[{"s": 1.0, "epochs": 120}], **over),
            make_run(seed=3, width=64, training=training, problem=problem,
                      optimizer={"name": "adam2", "algorithm": "adam", "lr": 3e-3,
                                 "decay": {"kind": "exponential", "gamma": 0.99}}, **over)]


def _assert_same(a, b):
    for name in ("loss", "test_error", "s", "switch_epoch", "lr", "final_loss", "diverged", "diverged_epoch"):
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("problem", [PROBLEM, RITZ], ids=["regression", "ritz"])
def test_members_equal_their_runs_alone_and_the_plain_loop(dtype, problem):
    """Members differ in seed, schedule (switches at different epochs), lr and decay."""
    specs = _specs(dtype, problem)
    data = make_problem(problem).make_dataset(0)
    together = train_population(data, specs)
    for spec, hist in zip(specs, together):
        _assert_same(hist, train(data, spec))  # a population of one: the same bits
        plain = plain_train(data, spec)
        scale = RTOL[dtype] * np.abs(plain).max()  # a Ritz energy crosses 0: relative to its range
        np.testing.assert_allclose(hist["loss"].values, plain, rtol=RTOL[dtype], atol=scale)


@pytest.mark.slow
def test_numbers_do_not_depend_on_the_other_members_or_their_order(sin_dataset):
    specs = _specs()
    full = train_population(sin_dataset, specs)
    for order in ([3, 1, 0, 2], [2, 0], [1]):
        for k, hist in zip(order, train_population(sin_dataset, [specs[i] for i in order])):
            _assert_same(hist, full[k])


@pytest.mark.slow
def test_a_diverging_member_is_frozen_and_the_others_go_on_unaffected(sin_dataset):
    gd = {"name": "gd", "algorithm": "gd", "lr": 0.05, "decay": {"kind": "none"}}
    calm = [make_run(seed=s, optimizer=gd) for s in (0, 1)]
    huge = make_run(seed=2, optimizer={**gd, "name": "gd_huge", "lr": 1e6})
    alone = train_population(sin_dataset, calm)
    mixed = train_population(sin_dataset, [calm[0], huge, calm[1]])
    _assert_same(mixed[0], alone[0])
    _assert_same(mixed[2], alone[1])
    bad = mixed[1]
    at = int(bad.diverged_epoch)
    assert int(bad.diverged) == 1 and 0 < at < 120
    assert np.isfinite(bad.loss.values[:at]).all() and not np.isfinite(bad.loss.values[at:]).any()
    assert np.isnan(float(bad.final_loss)) and np.isnan(bad.lr.values[-10:]).all()
    _assert_same(bad, train(sin_dataset, huge))  # as the run alone records it


@pytest.mark.slow
def test_optimizer_state_is_reset_at_each_members_own_switch(sin_dataset):
    reset = {**TRAINING, "optimizer_state_at_switch": "reset"}
    specs = [make_run(seed=0, training=reset),
             make_run(seed=1, training=reset, schedule=[{"s": 0.5, "epochs": 30}, {"s": 1.5, "epochs": 90}])]
    together = train_population(sin_dataset, specs)
    for spec, hist in zip(specs, together):
        _assert_same(hist, train(sin_dataset, spec))
    kept = train(sin_dataset, make_run(seed=1, schedule=specs[1].schedule.as_list()))
    np.testing.assert_array_equal(kept.loss.values[:31], together[1].loss.values[:31])
    assert not np.array_equal(kept.loss.values[32:], together[1].loss.values[32:])


def _plateau(tol):
    return {"tol": tol, "window": 10, "min_epochs": 15, "max_epochs": 50}


KINDS = {  # seed: (schedule, optimizer state at a switch)
    0: ([{"s": 0.5, "epochs": 40}, {"s": 1.0, "epochs": 40}], "keep"),
    1: ([{"s": 0.5, "epochs": 20}, {"ramp": 1.5, "epochs": 30}, {"s": 1.5, "epochs": 30}], "reset"),
    2: ([{"s": 1.0, "epochs": 10}, {"ramp": 0.5, "epochs": 20, "shape": "cosine"}, {"s": 0.5, "epochs": 50}], "keep"),
    3: ([{"s": 0.5, "plateau": _plateau(0.05)}, {"ramp": 1.0, "epochs": 10}, {"s": 1.0, "epochs": 20}], "reset"),
    4: ([{"s": 0.5, "plateau": _plateau(1e-6)}, {"s": 1.5, "epochs": 30}], "keep"),
}


def _kind(seed, state=None, problem=PROBLEM):
    schedule, kept = KINDS[seed]
    training = {**TRAINING, "optimizer_state_at_switch": state or kept}
    return make_run(seed=seed, width=32, schedule=schedule, training=training, problem=problem)


def _replayed(spec, hist) -> Course:
    """The member's course given its own history's loss as compared (minus the loss of the
    exact solution: a Ritz energy's gap) at the end of each epoch."""
    course, loss = Course(spec.schedule), hist["loss"].values
    reference = hist["loss_reference"].values if "loss_reference" in hist else float(hist["reference_loss"])
    for t in range(spec.epochs):
        if course.watching(t):
            course.observe(t, (loss - reference)[t] if bool(hist["loss_is_gap"]) else loss[t])
    return course


def test_members_of_every_kind_train_as_they_would_alone(sin_dataset):
    """A stage schedule, ramps (linear with a reset at its start, cosine down) and plateaus
    (one fires on its criterion and resets, one runs to max_epochs) in one population: each
    member's history is its own run's, bit for bit, and its s and stage starts are what its
    schedule's course gives for its own losses."""
    specs = [_kind(seed) for seed in KINDS]
    together = train_population(sin_dataset, specs)
    for spec, hist in zip(specs, together):
        _assert_same(hist, train(sin_dataset, spec))
        course = _replayed(spec, hist)
        np.testing.assert_array_equal(hist["s"].values, [course.s_at(t) for t in range(spec.epochs + 1)])
        np.testing.assert_array_equal(hist["switch_epoch"].values, course.starts)
    assert together[1]["s"].values[[19, 20, 48, 49, 80]].tolist() == [0.5, 0.5 + 1 / 30, 0.5 + 29 / 30, 1.5, 1.5]
    assert 15 < int(together[3]["switch_epoch"][1]) < 50 and int(together[4]["switch_epoch"][1]) == 50
    for seed in (1, 3):  # the reset falls at the ramp's start: the first epoch whose loss differs is the next
        kept = train(sin_dataset, _kind(seed, "keep"))
        start = int(together[seed]["switch_epoch"][1])
        np.testing.assert_array_equal(kept.loss.values[:start + 1], together[seed].loss.values[:start + 1])
        assert kept.loss.values[start + 1] != together[seed].loss.values[start + 1]


@pytest.mark.slow
@pytest.mark.parametrize("resample", [False, True])
def test_a_ritz_members_plateau_compares_its_energy_gap(resample):
    """A Ritz energy is negative and crosses no fixed scale: its plateau is decided on the gap
    E(u) - E(u*) (on each epoch's own points when they are redrawn), as reporting compares it."""
    problem = {**RITZ, "resample": resample}
    data = make_problem(problem).make_dataset(0)
    specs = [_kind(seed, problem=problem) for seed in (3, 4)]
    for spec, hist in zip(specs, train_population(data, specs)):
        assert (hist["loss"].values < 0).any()
        np.testing.assert_array_equal(hist["switch_epoch"].values, _replayed(spec, hist).starts)
        _assert_same(hist, train(data, spec))


@pytest.mark.slow
def test_resampled_points_are_each_members_own():
    problem = {**RITZ, "resample": True}
    data = make_problem(problem).make_dataset(0)
    specs = [make_run(seed=s, problem=problem, schedule=[{"s": 1.0, "epochs": 20}]) for s in (0, 1)]
    for spec, hist in zip(specs, train_population(data, specs)):
        _assert_same(hist, train(data, spec))


@pytest.mark.slow
def test_a_job_splits_into_populations_by_width_and_optimizer_family(sin_dataset):
    gd = {"name": "gd", "algorithm": "gd", "lr": 0.05, "decay": {"kind": "none"}}
    specs = [make_run(seed=0), make_run(seed=0, width=32), make_run(seed=1), make_run(seed=0, optimizer=gd)]
    assert populations(specs, 2048) == [[0, 2], [1], [3]]
    histories, times = train_runs(sin_dataset, specs, 2048)
    assert [t["members"] for t in times] == [2, 1, 2, 1] and [t["population"] for t in times] == [0, 1, 0, 2]
    _assert_same(histories[1], train(sin_dataset, specs[1]))
    with pytest.raises(ValueError, match="share width"):
        train_population(sin_dataset, specs[:2])


@pytest.mark.parametrize("chunk", [10**6, 3000, 100])
def test_population_slope_product_is_each_members_slope_matrix(chunk):
    """Forward, backward and the second derivative, per member with its own s; chunk 3000
    forms groups of members, 100 one member in row chunks."""
    gen = torch.Generator().manual_seed(0)
    k, n, m, p = 5, 30, 40, 3
    xt, w = torch.randn(k, n, p, generator=gen, dtype=torch.float64), torch.randn(k, m, p, generator=gen,
                                                                              dtype=torch.float64)
    v = torch.randn(k, m, 2, generator=gen, dtype=torch.float64)
    s_list = [0.3, 0.5, 1.0, 1.5, 1.9]
    s = torch.tensor(s_list, dtype=torch.float64)
    slopes = torch.where(torch.bmm(xt, w.transpose(1, 2)) > 0, 1.0, 1.0 - s[:, None, None])
    got = population_slope_product(xt, w, v, s, s_list, chunk, False)
    torch.testing.assert_close(got, torch.bmm(slopes, v), rtol=1e-12, atol=1e-12)
    u = torch.randn(k, n, 2, generator=gen, dtype=torch.float64)
    torch.testing.assert_close(population_slope_product(xt, w, u, s, s_list, chunk, True),
                               torch.bmm(slopes.transpose(1, 2), u), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("slopes", ["fused", "autograd"])
def test_population_net_outputs_and_input_gradients_are_each_members(slopes):
    numerics = Numerics.of({**TRAINING, "dtype": "float64", "slopes": slopes, "chunk": 500})
    nets = [initial_network(2, 20, seed, numerics, s=s) for seed, s in ((0, 0.5), (1, 1.0), (2, 1.5))]
    pop = PopulationNet(nets)
    x = torch.rand(3, 25, 2, dtype=torch.float64, requires_grad=True)
    out = pop(x)
    (grad,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    for k, net in enumerate(nets):
        xk = x[k].detach().requires_grad_(True)
        want = net(xk)
        (want_grad,) = torch.autograd.grad(want.sum(), xk)
        torch.testing.assert_close(out[k], want, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(grad[k], want_grad, rtol=1e-12, atol=1e-12)
