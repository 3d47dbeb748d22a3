"""Fully connected homotopy networks beyond the paper's two-layer ReLU one: L hidden layers of
sigma_s(z) = (1 - s) z + s base(z), base relu, tanh or gelu, and their population form.

NTK parametrisation as the two-layer network (and hrta.theory.deep_ntk): h^1 = W^1 x~,
h^{l+1} = m^{-1/2} W^{l+1} sigma_s(h^l), phi = m^{-1/2} a . sigma_s(h^L), every weight
N(0, 1). Plain autograd (no fused kernel): these networks are the issue-19 experiments'.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from hrta.model.activation import homotopy_activation
from hrta.model.homotopy import HomotopyActivation
from hrta.model.network import DTYPES, TwoLayerNet, init_seed
from hrta.model.population import Population
from hrta.model.run import Network, Numerics

BASES = {"relu": F.relu, "tanh": torch.tanh, "gelu": F.gelu}  # gelu: the exact (erf) form


def _check(base: str, depth: int, width: int, in_dim: int) -> None:
    if base not in BASES:
        raise ValueError(f"base activation must be one of {sorted(BASES)}, got {base!r}")
    if depth < 1 or width < 1 or in_dim < 1:
        raise ValueError(f"depth, width and in_dim must be positive, got {depth}, {width}, {in_dim}")


class HomotopyMLP(nn.Module):
    """``depth`` hidden layers of width m with the homotopy activation of ``base``.

    Parameters: ``w`` (m, p) the first layer (p = in_dim + 1 with the bias coordinate),
    ``hidden`` the further (m, m) layers, ``a`` (m,). Drawn from ``generator`` in the
    order w, a, hidden: at depth 1 the initial network is hrta.model.network.TwoLayerNet's.
    """

    s, set_s, features = TwoLayerNet.s, TwoLayerNet.set_s, TwoLayerNet.features  # the activation's s

    def __init__(self, in_dim: int, width: int, depth: int, base: str = "relu", *, s: float = 1.0,
                 bias: str = "augment", generator: torch.Generator | None = None,
                 dtype: torch.dtype = torch.float32):
        super().__init__()
        _check(base, depth, width, in_dim)
        self.in_dim, self.width, self.depth, self.base, self.bias = in_dim, width, depth, base, bias
        self.activation = HomotopyActivation(BASES[base], s)
        feat = in_dim + (bias == "augment")
        self.w = nn.Parameter(torch.randn(width, feat, generator=generator, dtype=dtype))
        self.a = nn.Parameter(torch.randn(width, generator=generator, dtype=dtype))
        self.hidden = nn.ParameterList(
            [nn.Parameter(torch.randn(width, width, generator=generator, dtype=dtype)) for _ in range(depth - 1)])
        self.scale = 1.0 / math.sqrt(width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        g = self.activation(self.features(x) @ self.w.T)
        for weight in self.hidden:
            g = self.activation((g @ weight.T) * self.scale)
        return (g @ self.a) * self.scale


def member_activation(z: torch.Tensor, s: torch.Tensor, base: str) -> torch.Tensor:
    """sigma_s(z) with one s per member: z (K, ...), s broadcast against it."""
    if base == "relu":
        return homotopy_activation(z, s)
    return torch.lerp(z, BASES[base](z), s)  # (1 - s) z + s base(z)


class PopulationMLP(Population):
    """K stacked ``HomotopyMLP`` of one architecture: w (K, m, p), hidden (K, m, m) each,
    a (K, m), s (K,); members never mix (batched products only). Inputs (n, d) shared by
    all members or (K, n, d) one set per member; outputs (K, n)."""

    def __init__(self, nets: list[HomotopyMLP]):
        super().__init__(nets)
        first = nets[0]
        key = (first.in_dim, first.width, first.depth, first.base, first.bias, first.w.dtype)
        if any((n.in_dim, n.width, n.depth, n.base, n.bias, n.w.dtype) != key for n in nets):
            raise ValueError("population members must share in_dim, width, depth, base, bias and dtype")
        self.in_dim, self.width, self.depth, self.base = key[:4]
        self.scale = first.scale
        self.w = nn.Parameter(torch.stack([n.w.detach() for n in nets]))
        self.a = nn.Parameter(torch.stack([n.a.detach() for n in nets]))
        self.hidden = nn.ParameterList(
            [nn.Parameter(torch.stack([n.hidden[i].detach() for n in nets])) for i in range(first.depth - 1)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xt, s = self.features(x), self.s[:, None, None]
        g = member_activation(torch.bmm(xt, self.w.transpose(1, 2)), s, self.base)
        for weight in self.hidden:
            g = member_activation(torch.bmm(g, weight.transpose(1, 2)) * self.scale, s, self.base)
        return torch.bmm(g, self.a[:, :, None])[..., 0] * self.scale


def initial_mlp(in_dim: int, width: int, seed: int, numerics: Numerics, network: Network,
                s: float = 1.0) -> HomotopyMLP:
    """The network a run of this width and seed starts from: the generator of
    hrta.model.network.init_seed, so every architecture of a (width, seed) shares the first
    layer and a with the two-layer ReLU run."""
    generator = torch.Generator().manual_seed(init_seed(width, seed))
    return HomotopyMLP(in_dim, width, network.depth, network.base, s=s, bias=numerics.bias,
                       generator=generator, dtype=DTYPES[numerics.dtype])
