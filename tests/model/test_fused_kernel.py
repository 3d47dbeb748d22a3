"""The chunked slope kernel against the plain autograd formula, and reproducibility of training."""

import numpy as np
import pytest
import torch

from conftest import TRAINING, make_run
from hrta.model.activation import slope_product
from hrta.model.network import TwoLayerNet
from hrta.training.run import train

F64 = torch.float64


def _pair(in_dim, width, s, chunk, bias="augment"):
    nets = [TwoLayerNet(in_dim, width, s=s, bias=bias, dtype=F64, slopes=slopes, chunk=chunk,
                        generator=torch.Generator().manual_seed(3)) for slopes in ("fused", "autograd")]
    return nets


@pytest.mark.parametrize("s", [0.5, 1.0, 1.5])
@pytest.mark.parametrize("in_dim, n, width, chunk, bias", [
    (1, 17, 23, 1, "augment"),         # one element per chunk: a row / column at a time
    (3, 40, 50, 64, "augment"),        # chunks that do not divide n or m
    (2, 30, 100, 10**9, "augment"),    # a single chunk
    (2, 9, 31, 20, "none"),
])
def test_fused_matches_autograd_in_value_and_gradient(s, in_dim, n, width, chunk, bias):
    fused, plain = _pair(in_dim, width, s, chunk, bias)
    x = torch.rand(n, in_dim, dtype=F64, generator=torch.Generator().manual_seed(4))
    y = torch.rand(n, dtype=F64, generator=torch.Generator().manual_seed(5))
    out = {}
    for name, net in (("fused", fused), ("plain", plain)):
        xr = x.clone().requires_grad_(True)
        u = net(xr)
        loss = 0.5 * ((u - y) ** 2).mean()
        grads = torch.autograd.grad(loss, [net.w, net.a, xr])
        out[name] = [u.detach(), *grads]
    for got, want in zip(out["fused"], out["plain"]):
        torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("transpose", [False, True])
def test_slope_product_gradcheck_and_gradgradcheck(transpose):
    gen = torch.Generator().manual_seed(6)
    xt, w = torch.randn(9, 3, dtype=F64, generator=gen), torch.randn(11, 3, dtype=F64, generator=gen)
    v = torch.randn(9 if transpose else 11, 3, dtype=F64, generator=gen, requires_grad=True)

    def fn(v):
        return slope_product(xt, w, v, 1.5, chunk=7, transpose=transpose)

    assert torch.autograd.gradcheck(fn, (v,))
    assert torch.autograd.gradgradcheck(fn, (v,))


def test_slope_product_is_the_slope_matrix_times_v():
    gen = torch.Generator().manual_seed(7)
    xt, w = torch.randn(8, 2, dtype=F64, generator=gen), torch.randn(5, 2, dtype=F64, generator=gen)
    v, r = torch.randn(5, 2, dtype=F64, generator=gen), torch.randn(8, 2, dtype=F64, generator=gen)
    slopes = torch.where(xt @ w.T > 0, 1.0, 1.0 - 0.5).to(F64)
    torch.testing.assert_close(slope_product(xt, w, v, 0.5, chunk=3), slopes @ v)
    torch.testing.assert_close(slope_product(xt, w, r, 0.5, chunk=3, transpose=True), slopes.T @ r)


@pytest.mark.parametrize("s", [0.5, 1.5])
def test_input_gradient_with_create_graph_matches_autograd(s):
    """Deep Ritz differentiates grad_x u once more: both kernels must agree to that order."""
    fused, plain = _pair(2, 40, s, 50)
    x = torch.rand(30, 2, dtype=F64, generator=torch.Generator().manual_seed(8))
    grads = {}
    for name, net in (("fused", fused), ("plain", plain)):
        xr = x.clone().requires_grad_(True)
        u = net(xr)
        (du,) = torch.autograd.grad(u.sum(), xr, create_graph=True)
        energy = (0.5 * (du**2).sum(1) + 0.5 * u**2 - u).mean()
        grads[name] = torch.autograd.grad(energy, [net.w, net.a])
    for got, want in zip(grads["fused"], grads["plain"]):
        torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


def test_rejects_bad_slopes_and_chunk():
    with pytest.raises(ValueError, match="slopes"):
        TwoLayerNet(1, 3, slopes="cuda")
    with pytest.raises(ValueError, match="chunk"):
        TwoLayerNet(1, 3, chunk=0)


@pytest.mark.slow
def test_training_losses_are_bit_identical_across_runs_and_small_chunks(sin_dataset):
    spec = make_run(training={**TRAINING, "chunk": 100})  # 50 x 64: 32 chunks
    a = train(sin_dataset, spec)
    b = train(sin_dataset, spec)
    np.testing.assert_array_equal(a.loss.values, b.loss.values)
    np.testing.assert_array_equal(a.test_error.values, b.test_error.values)
    auto = make_run(training={**TRAINING, "slopes": "autograd"})
    c = train(sin_dataset, auto)
    np.testing.assert_allclose(a.loss.values, c.loss.values, rtol=1e-4)
