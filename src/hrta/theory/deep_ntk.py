"""Infinite-width NTK of a deep homotopy ReLU network, by the layer recursion in closed form.

The network has L hidden layers of width m, all with sigma_s(z) = alpha z + beta |z|
(alpha = 1 - s/2, beta = s/2, as hrta.theory.ntk), in the NTK parametrisation of the
two-layer network: h^1 = W^1 x~ (x~ with the bias coordinate), h^{l+1} = c m^{-1/2} W^{l+1}
sigma(h^l), phi = m^{-1/2} a . sigma(h^L), every weight N(0, 1), in one of two
parametrisations of the hidden-to-hidden layers (``PARAMETRISATIONS``):

- 'unnormalised', c = 1: the networks the project trains (hrta.model.deep). A layer maps
  the variance q of its input to E[sigma(u)^2] = (alpha^2 + beta^2) q = g(s) q, the gain
  g(s) = 1 - s + s^2/2 = (1 + (1 - s)^2) / 2, which falls from 1 at s = 0 to 1/2 at s = 1
  (the ReLU's halving) and rises back to 1 at s = 2: over L layers the kernel carries
  g(s)^L, which falls on [0, 1] and outweighs the two-layer growth of lambda_min at depth.
- 'variance_preserving', c^2 = 1 / g(s) = 2 / (1 + (1 - s)^2): every layer keeps q.

With Sigma^1 = x~ x~^T and (u, v) centred Gaussian of covariance Sigma^l restricted to a
pair of inputs (angle t):

    E[sigma(u) sigma(v)]   = alpha^2 Sigma^l + beta^2 (2/pi) sqrt(q q') (sin t + (pi/2 - t) cos t)
    E[sigma'(u) sigma'(v)] = alpha^2 + beta^2 (1 - 2t/pi)

(the cross terms alpha beta E[u |v|] and alpha beta E[sign v] vanish by symmetry: arc-cosine
kernels of degree 1 and 0, exactly as in the two-layer case), Sigma^{l+1} = c^2 E[sigma
sigma], dSigma^{l+1} = c^2 E[sigma' sigma'] for l < L and without c^2 into the output
weights (l = L), and the NTK Theta^1 = Sigma^1, Theta^{l+1} = Sigma^{l+1} + Theta^l
dSigma^{l+1}; Theta^{L+1} is the NTK. Parts: 'output' (gradient in a, Sigma^{L+1}),
'hidden' (every hidden layer's weights, Theta^{L+1} - Sigma^{L+1}; at L = 1 the 'first'
part of hrta.theory.ntk) and 'ntk'. At L = 1 the two parametrisations coincide.
"""

import numpy as np

from hrta.theory.ntk import _angles, coefficients, features

DEEP_PARTS = ("output", "hidden", "ntk")
PARAMETRISATIONS = ("unnormalised", "variance_preserving")


def gain(s: float) -> float:
    """g(s) = E[sigma_s(u)^2] / E[u^2] = 1 - s + s^2/2: the variance gain of a homotopy ReLU layer."""
    alpha, beta = coefficients(s)
    return alpha**2 + beta**2


def hidden_scale(parametrisation: str, s: float) -> float:
    """c, the factor of the hidden-to-hidden layers: 1 (unnormalised) or g(s)^{-1/2}."""
    if parametrisation == "unnormalised":
        return 1.0
    if parametrisation == "variance_preserving":
        return 1.0 / np.sqrt(gain(s))
    raise ValueError(f"parametrisation must be one of {PARAMETRISATIONS}, got {parametrisation!r}")


def relu_layer(sigma: np.ndarray, s: float, t: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(Sigma^{l+1}, dSigma^{l+1}) from Sigma^l; ``t`` the pairwise angles if known more
    accurately than arccos gives them (the first layer's, from the inputs)."""
    alpha, beta = coefficients(s)
    norms = np.sqrt(np.clip(np.diag(sigma), 0.0, None))
    if t is None:
        t = _covariance_angles(sigma, norms)
    abs_abs = (2.0 / np.pi) * np.outer(norms, norms) * (np.sin(t) + (np.pi / 2 - t) * np.cos(t))
    return alpha**2 * sigma + beta**2 * abs_abs, alpha**2 + beta**2 * (1.0 - 2.0 * t / np.pi)


def _covariance_angles(sigma: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Angles arccos(Sigma_ij / sqrt(Sigma_ii Sigma_jj)), zero on the diagonal."""
    outer = np.outer(norms, norms)
    cos = np.clip(sigma / np.where(outer > 0, outer, 1.0), -1.0, 1.0)
    t = np.arccos(cos)
    np.fill_diagonal(t, 0.0)
    return t


def deep_relu_ntk(x, depth: int, s: float, bias: str = "augment",
                  parametrisation: str = "unnormalised") -> dict[str, np.ndarray]:
    """{'output', 'hidden', 'ntk'} -> infinite-width Gram matrix of the depth-L network at s."""
    if depth < 1:
        raise ValueError(f"depth (hidden layers) must be at least 1, got {depth}")
    c2 = hidden_scale(parametrisation, s) ** 2
    xt = features(x, bias)
    sigma = xt @ xt.T
    theta = sigma
    t = _angles(xt, np.linalg.norm(xt, axis=1))
    for layer in range(depth):
        sigma, dsigma = relu_layer(sigma, s, t)
        if layer < depth - 1:  # into a further hidden layer, not into the output weights
            sigma, dsigma = c2 * sigma, c2 * dsigma
        theta = sigma + theta * dsigma
        t = None
    return {"output": sigma, "hidden": theta - sigma, "ntk": theta}
