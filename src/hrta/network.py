"""The two-layer homotopy network phi(x) = m^{-1/2} sum_k a_k sigma_s(w_k . x~)."""

import math

import torch
from torch import nn

from hrta.activation import check_s, homotopy_activation

BIAS_MODES = ("augment", "none")


class TwoLayerNet(nn.Module):
    """Two-layer network with N(0, 1) init, 1/sqrt(m) output scale and a settable s.

    With ``bias="augment"`` the input is extended by a constant 1 (x~ = (x, 1)), so the
    first layer's last column acts as a bias.
    """

    def __init__(self, in_dim: int, width: int, *, s: float = 1.0, bias: str = "augment",
                 generator: torch.Generator | None = None, dtype: torch.dtype = torch.float32):
        super().__init__()
        if bias not in BIAS_MODES:
            raise ValueError(f"bias must be one of {BIAS_MODES}, got {bias!r}")
        if width < 1 or in_dim < 1:
            raise ValueError(f"in_dim and width must be positive, got {in_dim}, {width}")
        self.in_dim, self.width, self.bias = in_dim, width, bias
        self.s = check_s(s)
        feat = in_dim + (bias == "augment")
        self.w = nn.Parameter(torch.randn(width, feat, generator=generator, dtype=dtype))
        self.a = nn.Parameter(torch.randn(width, generator=generator, dtype=dtype))
        self.scale = 1.0 / math.sqrt(width)

    def set_s(self, s: float) -> None:
        """Switch the homotopy parameter; the parameters are left untouched."""
        self.s = check_s(s)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x~: the inputs, with a column of ones appended in bias mode 'augment'."""
        if self.bias == "augment":
            return torch.cat([x, torch.ones_like(x[:, :1])], dim=1)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Network output of shape (n,) for inputs of shape (n, in_dim)."""
        hidden = homotopy_activation(self.features(x) @ self.w.T, self.s)
        return (hidden @ self.a) * self.scale
