"""HRTA for any PyTorch model: HomotopyActivation, homotopize and set_s on an MLP and a
small CNN that the tests build (ReLUs and GELUs), and the paper's network as a special case."""

import copy

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from conftest import Functional
from hrta import HomotopyActivation, homotopize, set_s
from hrta.model.activation import homotopy_activation
from hrta.model.network import TwoLayerNet

F64 = torch.float64
BASES = {"relu": (nn.ReLU(), torch.relu), "tanh": (nn.Tanh(), torch.tanh), "gelu": (nn.GELU(), F.gelu),
         "silu": (nn.SiLU(), F.silu)}
TARGETS = (nn.ReLU, nn.GELU)


def mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 16), nn.GELU(), nn.Linear(16, 2)).double()


class SmallCNN(nn.Module):
    """Conv-ReLU-conv-GELU-pool-linear, the activations as named children and in a container."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(1)
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))
        self.act = nn.GELU()
        self.pool = nn.AvgPool2d(2)
        self.head = nn.ModuleDict({"fc": nn.Linear(4 * 4 * 4, 3), "out": nn.ReLU()})

    def forward(self, x):
        x = self.pool(self.act(self.features(x)))
        return self.head["out"](self.head["fc"](x.flatten(1)))


MODELS = {"mlp": (mlp, lambda: torch.randn(32, 3, dtype=F64)),
          "cnn": (lambda: SmallCNN().double(), lambda: torch.randn(8, 1, 8, 8, dtype=F64))}


@pytest.mark.parametrize("name", MODELS)
def test_homotopized_model_at_s_one_equals_the_original_exactly(name):
    build, inputs = MODELS[name]
    original = build()
    model = copy.deepcopy(original)
    replaced = homotopize(model, TARGETS)
    expected = {"mlp": {"1", "3"}, "cnn": {"features.1", "act", "head.out"}}[name]
    assert set(replaced) == expected
    assert all(isinstance(model.get_submodule(n), HomotopyActivation) for n in replaced)
    assert not any(isinstance(m, TARGETS) and not isinstance(p, HomotopyActivation)
                   for p in model.modules() for m in p.children())
    x = inputs()
    assert torch.equal(model(x), original(x))


@pytest.mark.parametrize("name", MODELS)
def test_as_s_goes_to_zero_the_model_becomes_affine(name):
    """Every activation of these models is targeted, so at s -> 0 the model is affine in its
    input: f(t x1 + (1 - t) x2) = t f(x1) + (1 - t) f(x2), to O(s)."""
    build, inputs = MODELS[name]
    model = build()
    homotopize(model, TARGETS)
    x1, x2, t = inputs(), inputs(), 0.3

    def gap():
        with torch.no_grad():
            return (model(t * x1 + (1 - t) * x2) - (t * model(x1) + (1 - t) * model(x2))).abs().max().item()

    assert gap() > 1e-3  # at s = 1 the model is not affine
    gaps = []
    for s in (1e-2, 1e-4, 1e-6):
        set_s(model, s)
        gaps.append(gap())
    assert gaps[2] < 1e-5 and gaps[0] > gaps[1] > gaps[2]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("form", [0, 1], ids=["module", "callable"])
def test_activation_is_the_homotopy_of_its_base(base, form):
    fn = BASES[base][form]
    z = torch.linspace(-3, 3, 61, dtype=F64)
    act = HomotopyActivation(fn, 0.5)
    for s in (0.5, 1.5, 1e-9):
        act.s = s
        torch.testing.assert_close(act(z), (1 - s) * z + s * fn(z), rtol=1e-12, atol=1e-12)
    act.s = 1.0
    assert torch.equal(act(z), fn(z))
    assert act.fused_relu == (base == "relu")


def test_relu_base_takes_the_fused_path_of_the_paper():
    z = torch.linspace(-3, 3, 61, dtype=F64)
    for base in (nn.ReLU(), nn.ReLU(inplace=True), torch.relu, F.relu):
        act = HomotopyActivation(base, 1.5)
        assert act.fused_relu
        assert torch.equal(act(z), homotopy_activation(z, 1.5))
    assert HomotopyActivation().fused_relu and HomotopyActivation().s == 1.0


def test_in_place_base_leaves_the_input_for_the_linear_term():
    z = torch.linspace(-3, 3, 61, dtype=F64)
    act = HomotopyActivation(nn.SiLU(inplace=True), 0.5)
    kept = z.clone()
    torch.testing.assert_close(act(z), 0.5 * kept + 0.5 * F.silu(kept))
    assert torch.equal(z, kept)


@pytest.mark.parametrize("name", MODELS)
def test_gradients_flow_at_s_one_and_a_half(name):
    build, inputs = MODELS[name]
    model = build()
    homotopize(model, TARGETS, s=1.5)
    x = inputs().requires_grad_(True)
    model(x).square().sum().backward()
    for pname, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0, pname
    # the slope of sigma_1.5: 1 - s + s base'(z); for ReLU -0.5 below the kink, 1 above
    z = torch.tensor([-1.0, 2.0], dtype=F64, requires_grad=True)
    HomotopyActivation(nn.ReLU(), 1.5)(z).sum().backward()
    assert z.grad.tolist() == [-0.5, 1.0]
    z = torch.linspace(-2, 2, 9, dtype=F64, requires_grad=True)
    HomotopyActivation(nn.Tanh(), 1.5)(z).sum().backward()
    torch.testing.assert_close(z.grad, -0.5 + 1.5 * (1 - torch.tanh(z.detach()) ** 2))


def test_homotopize_nested_shared_and_repeated():
    shared = nn.ReLU()
    model = nn.Sequential(nn.Linear(2, 4), shared,
                          nn.ModuleList([nn.Sequential(nn.Linear(4, 4), shared, nn.Tanh())]),
                          nn.ModuleDict({"gate": nn.GELU()}))
    replaced = homotopize(model, (nn.ReLU, nn.GELU), s=0.5)
    assert set(replaced) == {"1", "2.0.1", "3.gate"}
    assert replaced["1"] is shared and replaced["2.0.1"] is shared
    assert model[1] is model[2][0][1]  # one shared module, one shared homotopy activation
    assert isinstance(model[2][0][2], nn.Tanh)  # not a target
    assert model[3]["gate"].s == 0.5 and isinstance(model[3]["gate"].base, nn.GELU)
    assert homotopize(model, (nn.ReLU, nn.GELU)) == {}  # no homotopy of a homotopy
    assert isinstance(model[1].base, nn.ReLU)
    assert set_s(model, 1.25) == 2 and model[1].s == model[3]["gate"].s == 1.25


def test_homotopize_and_set_s_reject_what_they_cannot_do():
    with pytest.raises(ValueError, match=r"no ReLU module.*calls activation functions \(F.relu .*not modules"):
        homotopize(Functional())
    with pytest.raises(ValueError, match="no HomotopyActivation"):
        set_s(Functional(), 0.5)
    with pytest.raises(TypeError, match="model itself is a target"):
        homotopize(nn.ReLU())
    with pytest.raises(TypeError, match="nn.Module classes"):
        homotopize(mlp(), (F.relu,))
    with pytest.raises(TypeError, match="callable"):
        HomotopyActivation(0.5)
    model = mlp()
    homotopize(model)
    with pytest.raises(ValueError, match=r"\(0, 2\)"):
        set_s(model, 2.0)
    assert model[1].s == 1.0  # unchanged
    with pytest.raises(ValueError, match=r"\(0, 2\)"):
        model[1].s = 0.0


def test_the_papers_network_is_the_special_case():
    net = TwoLayerNet(1, 50, s=0.5, generator=torch.Generator().manual_seed(0), dtype=F64, slopes="autograd")
    assert isinstance(net.activation, HomotopyActivation) and net.activation.fused_relu
    x = torch.linspace(0, 1, 20, dtype=F64)[:, None]
    by_hand = HomotopyActivation(nn.ReLU(), 0.5)(net.features(x) @ net.w.T) @ net.a * net.scale
    torch.testing.assert_close(net(x), by_hand, rtol=0, atol=0)
    assert set_s(net, 1.5) == 1 and net.s == 1.5
    fused = TwoLayerNet(1, 50, s=1.5, generator=torch.Generator().manual_seed(0), dtype=F64)
    torch.testing.assert_close(fused(x), net(x), rtol=1e-12, atol=1e-12)
