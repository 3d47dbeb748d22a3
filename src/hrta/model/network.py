"""The two-layer homotopy network phi(x) = m^{-1/2} sum_k a_k sigma_s(w_k . x~): the
homotopy activation (hrta.model.homotopy) of a ReLU in the paper's network."""

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from hrta.model.activation import slope_product
from hrta.model.homotopy import HomotopyActivation
from hrta.model.run import DEFAULT_CHUNK, Numerics, slope_method
from hrta.model.sorted_slopes import sorted_product

BIAS_MODES = ("augment", "none")


class TwoLayerNet(nn.Module):
    """Two-layer network with N(0, 1) init, 1/sqrt(m) output scale and a settable s.

    With ``bias="augment"`` the input is extended by a constant 1 (x~ = (x, 1)), so the
    first layer's last column acts as a bias. ``slopes="fused"`` evaluates the network as
    m^{-1/2} rowdot(x~, S @ (a * w)) with the slope matrix S formed ``chunk`` elements at a
    time (see hrta.model.activation); ``slopes="sorted"`` is the same with one input coordinate
    evaluated by sorting (hrta.model.sorted_slopes; more coordinates use the fused one);
    ``slopes="autograd"`` is the plain three-op formula. All give the same function and
    gradients up to rounding, to any order of differentiation.
    Its activation is ``self.activation``, a ReLU ``HomotopyActivation`` (so
    ``hrta.set_s`` and ``HomotopySchedule`` drive this network as any other); the fused
    slope product is that activation's network form.
    """

    def __init__(self, in_dim: int, width: int, *, s: float = 1.0, bias: str = "augment",
                 generator: torch.Generator | None = None, dtype: torch.dtype = torch.float32,
                 slopes: str = "fused", chunk: int = DEFAULT_CHUNK):
        super().__init__()
        if bias not in BIAS_MODES:
            raise ValueError(f"bias must be one of {BIAS_MODES}, got {bias!r}")
        if chunk < 1:
            raise ValueError(f"chunk must be a positive number of elements, got {chunk}")
        if width < 1 or in_dim < 1:
            raise ValueError(f"in_dim and width must be positive, got {in_dim}, {width}")
        self.in_dim, self.width, self.bias = in_dim, width, bias
        self.slopes, self.chunk = slope_method(slopes, in_dim), chunk
        self.activation = HomotopyActivation(nn.ReLU(), s)
        feat = in_dim + (bias == "augment")
        self.w = nn.Parameter(torch.randn(width, feat, generator=generator, dtype=dtype))
        self.a = nn.Parameter(torch.randn(width, generator=generator, dtype=dtype))
        self.scale = 1.0 / math.sqrt(width)

    @property
    def s(self) -> float:
        """The homotopy parameter of the activation."""
        return self.activation.s

    def set_s(self, s: float) -> None:
        """Switch the homotopy parameter; the parameters are left untouched."""
        self.activation.s = s

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x~: the inputs, with a column of ones appended in bias mode 'augment'."""
        if self.bias == "augment":
            return F.pad(x, (0, 1), value=1.0)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Network output of shape (n,) for inputs of shape (n, in_dim)."""
        xt = self.features(x)
        if self.slopes == "autograd":
            return (self.activation(xt @ self.w.T) @ self.a) * self.scale
        if self.slopes == "sorted":  # a population of one
            s = torch.tensor([self.s], dtype=self.w.dtype, device=self.w.device)
            slopes_v = sorted_product(xt[None], self.w[None], (self.a[:, None] * self.w)[None], s)[0]
        else:
            slopes_v = slope_product(xt, self.w, self.a[:, None] * self.w, self.s, self.chunk)
        return torch.linalg.vecdot(xt, slopes_v) * self.scale


DTYPES = {"float32": torch.float32, "float64": torch.float64}


def init_seed(width: int, seed: int) -> int:
    """The generator seed of (width, seed): its own stream per width, so that runs of one seed
    at two widths share no random numbers; every method of a (width, seed) starts alike."""
    return int(np.random.SeedSequence((seed, width)).generate_state(1, np.uint64)[0])


def initial_network(in_dim: int, width: int, seed: int, numerics: Numerics = Numerics(),
                    s: float = 1.0) -> TwoLayerNet:
    """The network a run of this width and seed starts from (bias, dtype, slopes and chunk
    from ``numerics``); the one place both training and the theory checks build it."""
    generator = torch.Generator().manual_seed(init_seed(width, seed))
    return TwoLayerNet(in_dim, width, s=s, bias=numerics.bias, generator=generator, dtype=DTYPES[numerics.dtype],
                       slopes=numerics.slopes, chunk=numerics.chunk)
