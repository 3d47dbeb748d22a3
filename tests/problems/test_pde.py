"""Deep Ritz Poisson problem: the PDE description, the Ritz energy and its reference (issue 3)."""

import math

import numpy as np
import pytest
import torch

from conftest import SCHEMA, TRAINING, make_run
from hrta.model.network import initial_network
from hrta.pipeline.config import ConfigError, validate
from hrta.problems import make_problem
from hrta.problems.points import points
from hrta.problems.ritz import POISSON_NEUMANN
from hrta.reporting.facts import compared_loss
from hrta.training.run import train

PDE = POISSON_NEUMANN.pde
CFG = {"name": "poisson_neumann", "dim": 2, "n_train": 256, "train_points": "sobol",
       "n_test": 400, "test_points": "grid"}


def _grid(k):
    return points("grid", k * k, 2, None)


def test_source_and_boundary_match_the_operator():
    """f = -Δu* + u* (central second differences) and ∂u*/∂n = 0 on the four faces."""
    x = np.random.default_rng(0).uniform(0.05, 0.95, (200, 2))
    h = 1e-4
    lap = sum((PDE.exact(x + h * e) - 2 * PDE.exact(x) + PDE.exact(x - h * e)) / h**2
              for e in np.eye(2))
    np.testing.assert_allclose(PDE.source(x), -lap + PDE.reaction * PDE.exact(x), rtol=1e-5, atol=1e-4)
    t = np.linspace(0, 1, 11)
    for axis in (0, 1):
        for side in (0.0, 1.0):
            face = np.stack([t, t], axis=1)
            face[:, axis] = side
            np.testing.assert_allclose(PDE.exact_grad(face)[:, axis], 0.0, atol=1e-12)


def test_exact_solution_minimises_the_energy():
    """On a fine midpoint grid E(u*) < E(u* + eps v) for several smooth perturbations v."""
    x = _grid(200)
    u, g, f = PDE.exact(x), PDE.exact_grad(x), PDE.source(x)
    e_star = PDE.energy_density(u, g, f).mean()
    one = np.ones(len(x))
    perturbations = {  # v and its gradient
        "constant": (one, np.zeros_like(x)),
        "cos 2pi x1": (np.cos(2 * math.pi * x[:, 0]),
                       np.stack([-2 * math.pi * np.sin(2 * math.pi * x[:, 0]), 0 * one], 1)),
        "x1 x2": (x[:, 0] * x[:, 1], np.stack([x[:, 1], x[:, 0]], 1)),
        "u* itself": (u, g),
    }
    for name, (v, gv) in perturbations.items():
        for eps in (0.1, -0.1, 0.01):
            e = PDE.energy_density(u + eps * v, g + eps * gv, f).mean()
            assert e > e_star, (name, eps)


def test_reference_loss_is_the_exact_energy_on_the_training_points():
    ds = make_problem(CFG).make_dataset(3)
    x = ds["x_train"].values
    c, s = np.cos(math.pi * x), np.sin(math.pi * x)
    u = c[:, 0] * c[:, 1]
    grad2 = math.pi**2 * ((s[:, 0] * c[:, 1]) ** 2 + (c[:, 0] * s[:, 1]) ** 2)
    formula = np.mean(grad2 / 2 + u**2 / 2 - (1 + 2 * math.pi**2) * u * u)
    assert float(ds["reference_loss"]) == pytest.approx(formula, rel=1e-12)
    np.testing.assert_allclose(ds["y_train"].values, (1 + 2 * math.pi**2) * u)
    # the quadrature converges to the exact integral -(1 + 2 pi^2) / 8
    assert PDE.exact_energy(_grid(400)) == pytest.approx(-(1 + 2 * math.pi**2) / 8, rel=1e-5)
    # redrawn points: the reference is taken on the (fine) test set instead
    resampled = make_problem({**CFG, "resample": True}).make_dataset(3)
    assert float(resampled["reference_loss"]) == pytest.approx(PDE.exact_energy(resampled["x_test"].values))


def _tiny_net(s=1.0, slopes="autograd"):
    from hrta.model.network import TwoLayerNet
    return TwoLayerNet(2, 5, s=s, generator=torch.Generator().manual_seed(1), dtype=torch.float64,
                       slopes=slopes)


@pytest.mark.parametrize("slopes", ["autograd", "fused"])
@pytest.mark.parametrize("s", [0.5, 1.0, 1.5])
def test_ritz_loss_value_and_gradient(slopes, s):
    """The loss equals the energy with ∇u written out by hand; gradcheck in the parameters."""
    problem = make_problem(CFG)
    x = torch.rand(16, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    f = torch.as_tensor(PDE.source(x.numpy()))
    net = _tiny_net(s, slopes)
    xt = torch.cat([x, torch.ones(16, 1, dtype=x.dtype)], 1)
    z = xt @ net.w.T
    slope = torch.where(z > 0, 1.0, 1.0 - s)
    u = (slope * z) @ net.a * net.scale
    grad_u = (slope * net.a) @ net.w[:, :2] * net.scale
    by_hand = (0.5 * (grad_u**2).sum(1) + 0.5 * u**2 - f * u).mean()
    assert problem.loss(net, x, f).item() == pytest.approx(by_hand.item(), rel=1e-12)

    def loss_of(w, a):
        with torch.no_grad():
            net.w.copy_(w)
            net.a.copy_(a)
        return problem.loss(net, x, f)

    w0, a0 = net.w.detach().clone(), net.a.detach().clone()
    loss_of(w0, a0).backward()
    grads = (net.w.grad.clone(), net.a.grad.clone())
    eps = 1e-6
    for param, grad in zip((w0, a0), grads):
        for idx in [(0, 0), (1, 2), (3, 1)] if param.dim() == 2 else [(0,), (2,), (4,)]:
            up, down = param.clone(), param.clone()
            up[idx] += eps
            down[idx] -= eps
            args_up = (up, a0) if param is w0 else (w0, up)
            args_down = (down, a0) if param is w0 else (w0, down)
            numeric = (loss_of(*args_up) - loss_of(*args_down)).item() / (2 * eps)
            assert grad[idx].item() == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_resampling_is_deterministic_and_fresh():
    draw = make_problem({**CFG, "resample": True}).resampler(data_seed=0, run_seed=1)
    x0, f0, ref0 = draw(0)
    assert ref0 == pytest.approx(PDE.exact_energy(x0))
    np.testing.assert_array_equal(x0, draw(0)[0])
    assert not np.array_equal(x0, draw(1)[0])
    assert not np.array_equal(x0, make_problem({**CFG, "resample": True}).resampler(0, 2)(0)[0])
    np.testing.assert_allclose(f0, PDE.source(x0))


@pytest.mark.slow
def test_training_with_resampling_is_reproducible():
    cfg = {**CFG, "resample": True}
    ds = make_problem(cfg).make_dataset(0)
    adam = {"name": "adam", "algorithm": "adam", "lr": 1e-2, "decay": {"kind": "none"}}
    spec = dict(experiment="poisson", method="relu", problem=cfg, width=16, eval_every=5,
                schedule=[{"s": 1.0, "epochs": 10}], optimizer=adam)
    a, b = train(ds, make_run(**spec)), train(ds, make_run(**spec))
    np.testing.assert_array_equal(a["loss"].values, b["loss"].values)
    assert np.isfinite(a["loss"].values).all()
    fixed = train(ds, make_run(**{**spec, "problem": {**cfg, "resample": False}}))
    assert fixed["loss"].values[0] != a["loss"].values[0]  # epoch 0 used fresh points


@pytest.mark.slow
def test_resampled_energy_gap_compares_like_with_like():
    """With redrawn points the gap is E(u) - E(u*) on each epoch's own points (not on the
    fixed grid, whose E(u*) differs by the quadrature noise), and the gap on the fixed test
    points is recorded too."""
    cfg = {**CFG, "resample": True}
    problem = make_problem(cfg)
    ds = problem.make_dataset(0)
    run = make_run(experiment="poisson", method="relu", problem=cfg, width=16, eval_every=5,
                   schedule=[{"s": 1.0, "epochs": 10}],
                   optimizer={"name": "adam", "algorithm": "adam", "lr": 1e-2, "decay": {"kind": "none"}},
                   training={**TRAINING, "dtype": "float64"})
    hist = train(ds, run)
    draw = problem.resampler(0, 0)
    for epoch in (0, 7, 10):
        x = draw(min(epoch, 9))[0]  # entry 10 (after training) is on the last epoch's points
        assert float(hist["loss_reference"][epoch]) == pytest.approx(PDE.exact_energy(x), rel=1e-12)
    gap = compared_loss(hist.assign_coords(loss_is_gap=ds["loss_is_gap"]))
    np.testing.assert_allclose(gap, hist["loss"] - hist["loss_reference"])
    net = initial_network(2, 16, 0, run.numerics)
    x_test = torch.as_tensor(ds["x_test"].values)
    at_init = problem.loss(net, x_test, torch.as_tensor(PDE.source(ds["x_test"].values))).item()
    assert float(hist["test_gap"][0]) == pytest.approx(at_init - PDE.exact_energy(ds["x_test"].values), rel=1e-10)
    assert np.isfinite(hist["test_gap"]).all() and hist["test_gap"].sizes["eval_epoch"] == 3


@pytest.mark.parametrize("change, key", [
    ({"dim": 3}, "experiments.poisson.problem"),
    ({"train_points": "grid", "n_train": 256, "resample": True}, "experiments.poisson.problem"),
])
def test_bad_poisson_config_names_the_key(ci_config, change, key):
    ci_config["experiments"]["poisson"]["problem"].update(change)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validate(ci_config, SCHEMA)
