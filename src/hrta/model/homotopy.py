"""HRTA for any PyTorch model: the homotopy activation sigma_s(z) = (1 - s) z + s base(z)
of any base activation, ``homotopize`` (swap a model's activation modules for it in place)
and ``set_s`` (set s on all of them).

s = 1 is the base activation itself, s -> 0 the identity, s > 1 the relaxed regime past it.
For a ReLU base sigma_s is the fused leaky ReLU of hrta.model.activation (slope 1 - s
below 0); the paper's two-layer network (hrta.model.network.TwoLayerNet) holds one.
"""

from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from hrta.model.activation import homotopy_activation
from hrta.model.schedule import check_s

RELU_FUNCTIONS = (torch.relu, F.relu)  # callables with the fused ReLU path


class HomotopyActivation(nn.Module):
    """sigma_s(z) = (1 - s) z + s base(z); s in (0, 2), settable at any time (``.s = ...``).

    ``base`` is an activation module (``nn.ReLU()``, ``nn.GELU()``, ...; registered as a
    submodule) or a callable (``torch.tanh``, ``F.silu``, ...). At s = 1 the output is
    ``base(z)`` itself, bit for bit; with a ReLU base (an ``nn.ReLU`` or torch's relu) any
    other s takes the fused leaky-ReLU path. A base that works in place
    (``inplace=True``) is given a copy of z when s != 1, since sigma_s needs z too.
    """

    def __init__(self, base: nn.Module | Callable | None = None, s: float = 1.0):
        super().__init__()
        base = nn.ReLU() if base is None else base
        if not callable(base):
            raise TypeError(f"HomotopyActivation: base must be an activation module or a callable, got {base!r}")
        self.base = base
        self.fused_relu = type(base) is nn.ReLU or any(base is f for f in RELU_FUNCTIONS)
        self.s = s

    @property
    def s(self) -> float:
        """The homotopy parameter in force."""
        return self._s

    @s.setter
    def s(self, value: float) -> None:
        self._s = check_s(value)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        s = self._s
        if s == 1.0:
            return self.base(z)
        if self.fused_relu:
            return homotopy_activation(z, s)
        out = self.base(z.clone() if getattr(self.base, "inplace", False) else z)
        return torch.add(out * s, z, alpha=1.0 - s)

    def extra_repr(self) -> str:
        name = "" if isinstance(self.base, nn.Module) else f"base={getattr(self.base, '__name__', self.base)}, "
        return f"{name}s={self._s:g}"


def homotopize(model: nn.Module, targets: tuple = (nn.ReLU,), s: float = 1.0) -> dict[str, nn.Module]:
    """Replace, in place, every submodule of ``model`` that is an instance of one of
    ``targets`` by a ``HomotopyActivation`` around it (at ``s``; 1 keeps the model's
    function), in nested containers and named children alike; return {dotted name:
    the module replaced}. A module shared by several places gets one shared homotopy
    activation. Activations that already are homotopy activations are left alone.

    Only activation *modules* are found: functional calls in a ``forward`` (``F.relu(x)``,
    ``x.relu()``, ``torch.tanh(x)``) are invisible here; write them as modules, or call
    ``HomotopyActivation(torch.tanh)`` there. ValueError if the model has neither a target
    nor a homotopy activation (nothing to schedule).
    """
    targets = tuple(targets) if isinstance(targets, (tuple, list)) else (targets,)
    if not targets or not all(isinstance(t, type) and issubclass(t, nn.Module) for t in targets):
        raise TypeError(f"homotopize: targets must be nn.Module classes, e.g. (nn.ReLU, nn.GELU), got {targets!r}")
    if isinstance(model, targets):
        raise TypeError("homotopize: the model itself is a target and cannot be replaced in place;"
                        " use HomotopyActivation(model) instead")
    check_s(s)
    wrappers, replaced = {}, {}

    def visit(parent: nn.Module, prefix: str) -> None:
        for name, child in parent.named_children():
            if isinstance(child, HomotopyActivation):
                continue
            if isinstance(child, targets):
                if id(child) not in wrappers:
                    wrappers[id(child)] = HomotopyActivation(child, s)
                setattr(parent, name, wrappers[id(child)])
                replaced[prefix + name] = child
            else:
                visit(child, f"{prefix}{name}.")

    visit(model, "")
    if not replaced and not homotopy_activations(model):
        names = ", ".join(t.__name__ for t in targets)
        raise ValueError(f"homotopize: the model has no {names} module (functional activations"
                         " such as F.relu in forward are not modules and cannot be replaced)")
    return replaced


def homotopy_activations(model: nn.Module) -> list[HomotopyActivation]:
    """The distinct homotopy activations of ``model`` (itself included), in module order."""
    return [m for m in model.modules() if isinstance(m, HomotopyActivation)]


def set_s(model: nn.Module, s: float) -> int:
    """Set s on every homotopy activation of ``model``; return how many were set.
    ValueError if s is outside (0, 2) (nothing is changed) or the model has none."""
    s = check_s(s)
    found = homotopy_activations(model)
    if not found:
        raise ValueError("set_s: the model has no HomotopyActivation (call homotopize(model) first)")
    for act in found:
        act.s = s
    return len(found)
