"""homotopize on models the project did not write, as a new user would meet them: a
residual block with a shared in-place ReLU, one activation reused under two names, a
transformer block whose GELU is its own class, a squeeze-excitation ReLU left out, a
forward that also calls activations functionally."""

import copy
import math
import warnings

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from conftest import Functional
from hrta import HomotopyActivation, activation_classes, homotopize, set_s

F64 = torch.float64


def sigma(z, s, base=F.relu):
    return (1 - s) * z + s * base(z)


class Residual(nn.Module):
    """A ResNet basic block: one in-place ReLU module used twice in forward, and a
    squeeze-excitation gate with its own ReLU."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv1, self.conv2 = nn.Conv2d(4, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1)
        self.relu = nn.ReLU(inplace=True)
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(4, 2, 1), nn.ReLU(), nn.Conv2d(2, 4, 1),
                                nn.Sigmoid())

    def forward(self, x):
        out = self.conv2(self.relu(self.conv1(x)))
        return self.relu(out * self.se(out) + x)

    def by_hand(self, x, s):
        """The block with every ReLU but the gate's at s."""
        out = self.conv2(sigma(self.conv1(x), s))
        return sigma(out * self.se(out) + x, s)


def test_residual_block_with_shared_in_place_relu_leaving_the_gate_out():
    block = Residual().double()
    x = torch.randn(2, 4, 6, 6, dtype=F64)
    original = block(x.clone())
    for exclude in ("se", ["se.2"], lambda name, module: name.startswith("se.")):
        model = copy.deepcopy(block)
        assert set(homotopize(model, exclude=exclude)) == {"relu"}
        assert isinstance(model.se[2], nn.ReLU) and not isinstance(model.se[2], HomotopyActivation)
        assert torch.equal(model(x.clone()), original)
        set_s(model, 0.5)
        torch.testing.assert_close(model(x.clone()), block.by_hand(x, 0.5))


def test_a_module_reused_under_several_names_is_replaced_at_every_one():
    torch.manual_seed(0)
    lin, act = nn.Linear(4, 4), nn.Tanh()
    seq = nn.Sequential(lin, act, lin, act, lin).double()

    class Pair(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            self.a1 = nn.GELU()
            self.a2 = self.a1

        def forward(self, x):
            return self.a2(self.fc(self.a1(x)))

    pair = Pair().double()
    x = torch.randn(8, 4, dtype=F64)
    assert set(homotopize(seq, nn.Tanh, s=0.5)) == {"1", "3"}
    assert seq[1] is seq[3] and isinstance(seq[3], HomotopyActivation)  # one shared homotopy activation
    torch.testing.assert_close(seq(x), lin(sigma(lin(sigma(lin(x), 0.5, torch.tanh)), 0.5, torch.tanh)))
    assert set(homotopize(pair, nn.GELU, s=0.5)) == {"a1", "a2"}
    assert pair.a1 is pair.a2
    torch.testing.assert_close(pair(x), sigma(pair.fc(sigma(x, 0.5, F.gelu)), 0.5, F.gelu))
    # a container reused under two names: its activation is reported under both
    shared = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    twice = nn.Sequential(shared, shared)
    assert set(homotopize(twice)) == {"0.1", "1.1"}


class NewGELU(nn.Module):
    """GPT-2's GELU, its own class (not an nn.GELU): the tanh approximation."""

    def forward(self, x):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Block(nn.Module):
    """A transformer MLP block: fc -> NewGELU -> proj, twice, with residuals."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.mlp = nn.ModuleList([nn.Sequential(nn.Linear(8, 32), NewGELU(), nn.Linear(32, 8)) for _ in range(2)])
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        for mlp in self.mlp:
            x = x + mlp(self.norm(x))
        return x


def test_a_gelu_of_its_own_class_is_named_in_the_error_and_taken_as_a_target():
    model = Block().double()
    assert activation_classes(model) == {NewGELU: 2}
    with pytest.raises(ValueError, match=r"no ReLU module.*activation modules are NewGELU ×2.*targets=\(NewGELU,\)"):
        homotopize(model)
    x = torch.randn(5, 8, dtype=F64)
    original = model(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NewGELU's own tanh is no functional activation of the model
        assert set(homotopize(model, targets=(NewGELU,))) == {"mlp.0.1", "mlp.1.1"}
    assert torch.equal(model(x), original)
    set_s(model, 1.5)
    gelu = NewGELU()
    by_hand = x
    for mlp in model.mlp:
        by_hand = by_hand + mlp[2](sigma(mlp[0](model.norm(by_hand)), 1.5, gelu))
    torch.testing.assert_close(model(x), by_hand)


class Mixed(nn.Module):
    """One ReLU module and two functional calls (F.relu in a submodule, x.sigmoid() here)."""

    def __init__(self):
        super().__init__()
        self.first = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
        self.inner = Functional()

    def forward(self, x):
        return self.inner(self.first(x)).sigmoid()


def test_functional_activations_beside_modules_are_warned_of():
    model = Mixed()
    with pytest.warns(UserWarning, match=r"forward also calls activation functions.*F\.relu in inner ×1, "
                                         r"Tensor\.sigmoid in the model's forward ×1"):
        assert set(homotopize(model)) == {"first.1"}
    with pytest.raises(ValueError, match=r"no GELU module.*ReLU ×1.*F\.relu in inner ×1"):
        homotopize(Mixed(), nn.GELU)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        homotopize(Mixed(), check_functional=False)


class Untraceable(nn.Module):
    """Control flow on values: fx cannot trace it, so functional calls cannot be looked for."""

    def __init__(self):
        super().__init__()
        self.fc, self.act = nn.Linear(2, 2), nn.ReLU()

    def forward(self, x):
        return self.act(self.fc(x)) if x.sum() > 0 else F.relu(x)


def test_an_untraceable_forward_is_homotopized_without_a_check():
    model = Untraceable()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(homotopize(model)) == {"act"}
    with pytest.raises(ValueError, match="no GELU module.*ReLU ×1"):
        homotopize(Untraceable(), nn.GELU)


def test_exclude_is_checked():
    with pytest.raises(ValueError, match=r"exclude names no module of the model: \['se.9'\]"):
        homotopize(Residual(), exclude=["se.9"])
    with pytest.raises(TypeError, match="exclude must be dotted module names or a predicate"):
        homotopize(Residual(), exclude=[2])
    with pytest.raises(ValueError, match="no ReLU module to replace"):
        homotopize(Residual(), exclude=lambda name, module: isinstance(module, nn.ReLU))
