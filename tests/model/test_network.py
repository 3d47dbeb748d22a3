import math

import pytest
import torch

from hrta.model.network import TwoLayerNet, initial_network
from hrta.model.run import Numerics


def _net(width, seed=0, **kw):
    return TwoLayerNet(1, width, generator=torch.Generator().manual_seed(seed),
                       dtype=torch.float64, **kw)


def test_shapes_and_bias_augmentation():
    net = _net(7)
    assert net.w.shape == (7, 2) and net.a.shape == (7,)
    x = torch.rand(5, 1, dtype=torch.float64)
    assert net(x).shape == (5,)
    assert TwoLayerNet(1, 7, bias="none").w.shape == (7, 1)


def test_forward_matches_formula():
    net = _net(11, s=1.5)
    x = torch.rand(4, 1, dtype=torch.float64)
    xt = torch.cat([x, torch.ones(4, 1, dtype=torch.float64)], 1)
    z = xt @ net.w.T
    expected = ((1 - 1.5) * z + 1.5 * torch.relu(z)) @ net.a / math.sqrt(11)
    assert torch.allclose(net(x), expected)


def test_output_scale_at_init_is_order_one():
    """With N(0,1) weights and the 1/sqrt(m) scale, Var phi(x) -> E[sigma(w.x~)^2], not ~m."""
    x = torch.tensor([[0.3]], dtype=torch.float64)
    outs = torch.stack([_net(4000, seed=k)(x) for k in range(200)]).squeeze()
    # For ReLU: E[ReLU(g)^2] = |x~|^2 / 2 with g ~ N(0, |x~|^2).
    expected_var = (0.3**2 + 1) / 2
    assert outs.mean().abs() < 4 * math.sqrt(expected_var / 200)
    assert outs.var().item() == pytest.approx(expected_var, rel=0.3)


def test_init_depends_only_on_seed():
    assert torch.equal(_net(50, seed=3).w, _net(50, seed=3).w)
    assert not torch.equal(_net(50, seed=3).w, _net(50, seed=4).w)


def test_set_s_keeps_parameters():
    net = _net(5, s=0.5)
    before = [p.clone() for p in net.parameters()]
    net.set_s(1.5)
    assert net.s == 1.5 and all(torch.equal(a, b) for a, b in zip(before, net.parameters()))
    with pytest.raises(ValueError):
        net.set_s(2.0)


def test_rejects_bad_bias_mode():
    with pytest.raises(ValueError, match="bias"):
        TwoLayerNet(1, 3, bias="shift")


def test_widths_of_one_seed_draw_independent_streams():
    """No weight of the m = 100 run of a seed recurs among the m = 1000 run's (float64:
    distinct independent draws coincide with probability ~1e-10)."""
    training = Numerics(dtype="float64", slopes="fused")
    for dim in (1, 3):
        small, large = (initial_network(dim, m, 0, training) for m in (100, 1000))
        shared = set(small.w.detach().flatten().tolist()) & set(large.w.detach().flatten().tolist())
        assert not shared, f"dim {dim}: {len(shared)} weights shared"
    again = initial_network(3, 100, 0, training, s=0.5)
    assert torch.equal(again.w, small.w) and torch.equal(again.a, small.a)
