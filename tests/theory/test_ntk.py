"""The infinite-width theory: closed forms, finite-width convergence, Theorem 1, the linearised network."""

import copy

import numpy as np
import pytest
import torch

from conftest import SCHEMA
from hrta.model.network import initial_network
from hrta.model.optimizers import learning_rates
from hrta.model.run import Decay, Numerics, Optimizer
from hrta.model.schedule import Schedule
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import experiment_runs
from hrta.problems import make_problem
from hrta.theory import ntk
from hrta.theory.linearised import network_outputs
from hrta.training.run import train

NUMERICS = Numerics(dtype="float64", slopes="fused")


def relu_parts(x):
    """The ReLU kernels as PAPER.md writes them (arccos of the cosine, no tricks)."""
    xt = ntk.features(x)
    norms = np.linalg.norm(xt, axis=1)
    gram = xt @ xt.T
    t = np.arccos(np.clip(gram / np.outer(norms, norms), -1, 1))
    k1 = np.outer(norms, norms) * (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi)
    return k1, gram * (np.pi - t) / (2 * np.pi), gram


@pytest.mark.parametrize("s", [0.3, 1.0, 1.7])
def test_analytic_parts_equal_the_papers_form(s):
    x = np.random.default_rng(0).random((9, 2))
    k1, k0, gram = relu_parts(x)
    parts = ntk.analytic_basis(x).parts(s)
    np.testing.assert_allclose(parts["output"], s**2 * k1 + (1 - s) * gram, atol=1e-7)
    np.testing.assert_allclose(parts["first"], s**2 * k0 + (1 - s) * gram, atol=1e-7)


def test_analytic_parts_match_monte_carlo():
    """10^6 random features (w, a); every entry within 5 Monte-Carlo standard errors."""
    rng = np.random.default_rng(1)
    x = rng.random((5, 2)) * 2 - 0.5
    xt = ntk.features(x)
    features = 1_000_000
    z = xt @ rng.standard_normal((features, xt.shape[1])).T
    a2 = rng.standard_normal(features) ** 2
    gram = xt @ xt.T
    for s in (0.5, 1.0, 1.5):
        parts = ntk.analytic_basis(x).parts(s)
        act = np.where(z > 0, z, (1 - s) * z)
        slope = np.where(z > 0, 1.0, 1 - s)
        for i, j in zip(*np.triu_indices(len(x))):
            for name, sample in (("output", act[i] * act[j]),
                                 ("first", gram[i, j] * slope[i] * slope[j] * a2)):
                se = sample.std() / np.sqrt(features)
                assert abs(sample.mean() - parts[name][i, j]) < 5 * se, (s, name, i, j)


def jacobian(net, x, s):
    """d phi_s / d(w, a) by autograd, one output at a time: (n, m (d+1)) and (n, m)."""
    net = copy.deepcopy(net).double()
    net.set_s(s)
    out = net(torch.as_tensor(x))
    rows = [torch.autograd.grad(out[i], (net.w, net.a), retain_graph=True) for i in range(len(x))]
    return (np.stack([r[0].reshape(-1).numpy() for r in rows]),
            np.stack([r[1].numpy() for r in rows]))


@pytest.mark.parametrize("s, s2", [(0.5, 0.5), (1.5, 1.5), (0.5, 1.5), (1.0, 0.25)])
def test_empirical_basis_is_the_jacobian_gram(s, s2):
    x = np.random.default_rng(2).random((6, 2))
    net = initial_network(2, 7, 3, NUMERICS)
    (jw, ja), (jw2, ja2) = jacobian(net, x, s), jacobian(net, x, s2)
    parts = ntk.empirical_basis(net, x).parts(s, s2)
    np.testing.assert_allclose(parts["output"], ja @ ja2.T, atol=1e-12)
    np.testing.assert_allclose(parts["first"], jw @ jw2.T, atol=1e-12)


def test_empirical_ntk_converges_like_inverse_sqrt_width():
    x = np.linspace(0, 1, 20)[:, None]
    widths = [100, 316, 1000, 3162, 10000]
    exact = {s: ntk.analytic_basis(x).ntk(s) for s in (0.5, 1.5)}
    errors = []
    for m in widths:
        err = [np.linalg.norm(ntk.empirical_basis(initial_network(1, m, seed, NUMERICS), x).ntk(s)
                              - exact[s]) / np.linalg.norm(exact[s])
               for seed in range(6) for s in exact]
        errors.append(np.mean(err))
    slope = np.polyfit(np.log(widths), np.log(errors), 1)[0]
    assert -0.65 < slope < -0.35, (slope, errors)


@pytest.mark.parametrize("x", [np.linspace(0, 1, 50)[:, None],
                               np.random.default_rng(3).random((80, 2)),
                               np.random.default_rng(4).random((120, 3))])
def test_lambda_min_non_decreasing_in_s(x):
    basis = ntk.analytic_basis(x)
    grid = np.linspace(0.02, 1.98, 99)
    for part in ntk.PARTS:
        spec = ntk.spectrum(basis.part(part), grid)
        lam_min, lam_max = spec.lambda_min, spec.lambda_max
        for i in (0, 30, 60, 98):  # the fast path agrees with a plain eigensolver
            direct = ntk.extreme_eigenvalues(basis.part(part).at(grid[i]))
            np.testing.assert_allclose([lam_min[i], lam_max[i]], direct, rtol=1e-8,
                                       atol=1e-12 * direct[1])
        assert lam_min[0] > 0
        assert np.all(np.diff(lam_min) >= -1e-10 * lam_max.max()), part


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_gram_at_s0_has_rank_at_most_d_plus_1(dim):
    x = np.random.default_rng(dim).random((40, dim))
    basis = ntk.analytic_basis(x)
    for part in ntk.PARTS:
        assert np.linalg.matrix_rank(basis.part(part).at(0.0)) <= dim + 1
        assert np.linalg.matrix_rank(basis.part(part).at(0.5)) == len(x)


def test_kernel_prediction_is_gradient_descent_on_the_linearised_network():
    """Step by step in parameter space, with Jacobians from autograd, against the
    eigendecomposition solution, across a switch and with a decaying learning rate."""
    rng = np.random.default_rng(5)
    x, y = rng.random((6, 1)), rng.standard_normal(6)
    n = len(y)
    net = initial_network(1, 8, 0, NUMERICS)
    schedule = Schedule([{"s": 0.5, "epochs": 7}, {"s": 1.0, "epochs": 1}, {"s": 1.5, "epochs": 5}])
    lrs = 0.4 * 0.9 ** np.arange(schedule.total)
    init = {st.s: network_outputs(net, x, st.s) for st in schedule.stages}
    jac = {st.s: np.hstack(jacobian(net, x, st.s)) for st in schedule.stages}
    theta = np.zeros(jac[0.5].shape[1])  # displacement from theta_0
    expected = []
    for epoch in range(schedule.total + 1):
        s = schedule.s_at(epoch)
        r = init[s] + jac[s] @ theta - y
        expected.append(r @ r / (2 * n))
        if epoch < schedule.total:
            theta -= lrs[epoch] / n * jac[s].T @ r
    predicted = ntk.kernel_prediction(ntk.empirical_basis(net, x), init, y, schedule, lrs)
    np.testing.assert_allclose(predicted, expected, rtol=1e-10)


def test_kernel_prediction_of_one_stage_is_the_residual_recursion():
    rng = np.random.default_rng(6)
    x, y = rng.random((10, 2)), rng.standard_normal(10)
    basis = ntk.analytic_basis(x)
    init = {1.5: rng.standard_normal(10)}
    k = basis.ntk(1.5)
    r, expected = init[1.5] - y, []
    for _ in range(40):
        expected.append(r @ r / 20)
        r = r - 0.7 / 10 * k @ r
    expected.append(r @ r / 20)
    got = ntk.kernel_prediction(basis, init, y, Schedule([{"s": 1.5, "epochs": 40}]), np.full(40, 0.7))
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_initial_network_is_the_one_training_starts_from(ci_config):
    cfg = validate(ci_config, SCHEMA)
    cfg["experiments"]["sin1d"]["methods"][1]["schedule"] = [{"s": 0.5, "epochs": 2}]
    run = next(r for r in experiment_runs(cfg, "sin1d")
               if (r.optimizer.name, r.method, r.seed) == ("gd", "hrta_0.5-1", 1))
    data = make_problem(run.problem).make_dataset(run.data_seed)
    history = train(data, run)
    net = initial_network(1, run.width, 1, run.numerics, s=0.5)
    phi = network_outputs(net, data.x_train.values, 0.5)
    loss0 = 0.5 * np.mean((phi - data.y_train.values) ** 2)
    np.testing.assert_allclose(history["loss"].values[0], loss0, rtol=1e-5)


def test_learning_rates_follow_the_optimizer_config():
    lrs = learning_rates(Optimizer("gd", "gd", 0.5, Decay("step", 0.5, 3)), 7)
    np.testing.assert_allclose(lrs, [0.5] * 3 + [0.25] * 3 + [0.125])


def test_theory_config_errors_name_the_key(ci_config):
    cfg = ci_config
    bad = copy.deepcopy(cfg)
    bad["theory"]["linearised"]["optimizer"] = "adam"
    with pytest.raises(ConfigError, match="theory.linearised.optimizer"):
        validate(bad, SCHEMA)
    bad = copy.deepcopy(cfg)
    bad["theory"]["s_min"] = 1.5
    bad["theory"]["s_max"] = 1.0
    with pytest.raises(ConfigError, match="theory.s_max"):
        validate(bad, SCHEMA)
    bad = copy.deepcopy(cfg)
    bad["theory"]["linearised"]["experiment"] = "nope"
    with pytest.raises(ConfigError, match="theory.linearised.experiment"):
        validate(bad, SCHEMA)


def test_kernel_must_be_within_the_homotopy_range():
    with pytest.raises(ValueError, match="s must lie in"):
        ntk.coefficients(2.5)
