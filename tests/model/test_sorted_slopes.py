"""The sorted kernel of one-dimensional inputs (training.kernel: sorted) against the dense
slope matrix: products, network outputs and gradients to any order, and training."""

import numpy as np
import pytest
import torch

from conftest import PROBLEM, TRAINING, make_run
from hrta.model.network import initial_network
from hrta.model.population import PopulationNet
from hrta.model.run import Numerics
from hrta.model.sorted_slopes import kinks, sorted_slope_product
from hrta.problems import make_problem
from hrta.training.run import train_population

F64 = torch.float64


def _members(gen, k=4, n=30, m=50, p=2, shared=True, sorted_inputs=False):
    x = torch.rand(1 if shared else k, n, 1, generator=gen, dtype=F64).expand(k, n, 1)
    if sorted_inputs:
        x = x.sort(dim=1).values
    xt = torch.cat([x, torch.ones(k, n, 1, dtype=F64)], 2)[..., :p]
    w = torch.randn(k, m, p, generator=gen, dtype=F64)
    return xt.contiguous(), w


def _dense(xt, w, s):
    return torch.where(torch.bmm(xt, w.transpose(1, 2)) > 0, 1.0, 1.0 - s[:, None, None])


@pytest.mark.parametrize("shared", [True, False], ids=["shared_inputs", "own_inputs"])
@pytest.mark.parametrize("sorted_inputs", [True, False], ids=["sorted", "unsorted"])
@pytest.mark.parametrize("p", [2, 1], ids=["bias", "no_bias"])
def test_products_are_the_dense_slope_matrix(shared, sorted_inputs, p):
    gen = torch.Generator().manual_seed(0)
    xt, w = _members(gen, p=p, shared=shared, sorted_inputs=sorted_inputs)
    if p == 2:  # neurons with c = 0: on everywhere (b > 0) or nowhere
        w[0, :2, 0] = 0.0
        w[0, 0, 1], w[0, 1, 1] = 0.7, -0.7
    s = torch.tensor([0.3, 1.0, 1.5, 1.9], dtype=F64)
    slopes = _dense(xt, w, s)
    k = kinks(xt, w)
    v, u = torch.randn(4, 50, 3, generator=gen, dtype=F64), torch.randn(4, 30, 3, generator=gen, dtype=F64)
    torch.testing.assert_close(sorted_slope_product(k, v, s, False), torch.bmm(slopes, v), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(sorted_slope_product(k, u, s, True), torch.bmm(slopes.transpose(1, 2), u),
                               rtol=1e-12, atol=1e-12)


def test_an_input_on_a_kink_is_off_for_either_sign_and_repeated_inputs_count_alike():
    # x = 0.25 twice: the neuron 4x - 1 (t = 0.25, c > 0) and -4x + 1 (c < 0) are both 0 there.
    x = torch.tensor([0.5, 0.25, 0.0, 0.25, 1.0], dtype=F64)
    xt = torch.stack([x, torch.ones_like(x)], 1)[None]
    w = torch.tensor([[[4.0, -1.0], [-4.0, 1.0], [2.0, 0.5]]], dtype=F64)
    s = torch.tensor([1.0], dtype=F64)
    k = kinks(xt, w)
    eye = torch.eye(3, dtype=F64)[None]
    on = sorted_slope_product(k, eye, s, False)[0]  # column j: neuron j's slope at each input
    torch.testing.assert_close(on, _dense(xt, w, s)[0], rtol=0, atol=0)
    assert on[:, 0].tolist() == [1.0, 0.0, 0.0, 0.0, 1.0]
    assert on[:, 1].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]


@pytest.mark.parametrize("in_dim", [1, 2])
def test_population_net_outputs_and_every_gradient_equal_the_fused_kernel(in_dim):
    """Parameters, inputs, and the second derivative in x (Deep Ritz); two input coordinates
    fall back to the fused kernel bit for bit."""
    nets = {}
    for kernel in ("fused", "sorted"):
        numerics = Numerics.of({**TRAINING, "dtype": "float64", "slopes": kernel, "chunk": 500})
        nets[kernel] = PopulationNet([initial_network(in_dim, 40, seed, numerics, s=s)
                                      for seed, s in ((0, 0.5), (1, 1.0), (2, 1.5))])
    x0 = torch.rand(3, 25, in_dim, dtype=F64, generator=torch.Generator().manual_seed(1))
    got = {}
    for kernel, pop in nets.items():
        x = x0.clone().requires_grad_(True)
        out = pop(x)
        (gx,) = torch.autograd.grad(out.sum(), x, create_graph=True)
        (gw, ga) = torch.autograd.grad((out**2).sum() + (gx**2).sum(), [pop.w, pop.a])
        got[kernel] = [out, gx, gw, ga]
    for a, b in zip(got["fused"], got["sorted"]):
        if in_dim == 1:
            torch.testing.assert_close(a, b, rtol=1e-11, atol=1e-12)
        else:
            assert torch.equal(a, b)


def test_the_single_network_is_the_population_of_one():
    for kernel in ("fused", "sorted"):
        net = initial_network(1, 30, 0, Numerics.of({**TRAINING, "dtype": "float64", "slopes": kernel}), s=1.5)
        x = torch.rand(20, 1, dtype=F64, generator=torch.Generator().manual_seed(2))
        if kernel == "fused":
            want = net(x)
        else:
            torch.testing.assert_close(net(x), want, rtol=1e-12, atol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("dtype, rtol", [("float64", 1e-10), ("float32", 1e-3)])
def test_training_with_the_sorted_kernel_follows_the_fused_one(dtype, rtol):
    """120 Adam epochs, switches included. float32: the products round differently, and a
    point within rounding of a kink can take the other slope (measured max 2e-5 relative on
    sin1d's regime jobs after 400 epochs)."""
    data = make_problem(PROBLEM).make_dataset(0)
    runs = {}
    for kernel in ("fused", "sorted"):
        training = {**TRAINING, "dtype": dtype, "slopes": kernel}
        specs = [make_run(seed=seed, training=training,
                           schedule=[{"s": 0.5, "epochs": 60}, {"s": 1.5, "epochs": 60}]) for seed in range(3)]
        runs[kernel] = train_population(data, specs)
    for a, b in zip(runs["fused"], runs["sorted"]):
        np.testing.assert_allclose(b["loss"].values, a["loss"].values, rtol=rtol)
        np.testing.assert_allclose(b["test_error"].values, a["test_error"].values, rtol=rtol)


def test_memory_bound_has_no_slope_chunk_in_one_dimension_only():
    from hrta.training.populations import ITEM_BYTES, KINK_BYTES, SLOPE_COPIES, population_bytes

    sorted_1d = make_run(training={**TRAINING, "slopes": "sorted"})
    fused_1d = make_run(training={**TRAINING, "slopes": "fused"})
    ritz = {"name": "poisson_neumann", "dim": 2, "n_train": 64, "train_points": "sobol", "n_test": 100,
            "test_points": "grid"}
    m = sorted_1d.width
    chunk_term = ITEM_BYTES["float32"] * SLOPE_COPIES * TRAINING["chunk"]
    assert population_bytes(sorted_1d, 12) == population_bytes(fused_1d, 12) - chunk_term + KINK_BYTES * 12 * m
    assert (population_bytes(make_run(problem=ritz, training={**TRAINING, "slopes": "sorted"}), 12)
            == population_bytes(make_run(problem=ritz, training={**TRAINING, "slopes": "fused"}), 12))
