"""The homotopy activation sigma_s(z) = (1 - s) z + s ReLU(z)."""

import torch
from torch.nn import functional as F

S_MIN, S_MAX = 0.0, 2.0


def check_s(s: float) -> float:
    """Return s as a float if it lies in the open interval (0, 2), else raise ValueError."""
    s = float(s)
    if not S_MIN < s < S_MAX:
        raise ValueError(f"homotopy parameter s must lie in (0, 2), got {s}")
    return s


def homotopy_activation(z: torch.Tensor, s: float) -> torch.Tensor:
    """sigma_s(z): slope 1 for z > 0 and 1 - s for z < 0, i.e. one fused leaky ReLU."""
    return F.leaky_relu(z, negative_slope=1.0 - check_s(s))
