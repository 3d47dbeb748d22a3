"""Empirical NTK of finite deep homotopy networks at initialisation, by per-layer formulas.

The network of hrta.theory.deep_ntk (L hidden layers of width m, NTK parametrisation, bias
coordinate on the input, hidden-to-hidden factor c of its parametrisation) with base relu,
tanh or gelu: sigma_s(z) = (1 - s) z + s b(z). With g^l = sigma(h^l), delta^l = d phi / d h^l
(delta^L = m^{-1/2} a sigma'(h^L), delta^l = sigma'(h^l) c m^{-1/2} W^{l+1}^T delta^{l+1})
the Gram parts are

    output: g^L g^L^T / m,   hidden: sum_l (delta^l delta^l^T) (c_l^2 g^{l-1} g^{l-1}^T / m_{l-1})

with g^0 = x~, m_0 = 1 and c_1 = 1 (the first layer takes x~ unscaled). float64 numpy
throughout.
"""

from dataclasses import dataclass

import numpy as np

from hrta.theory.deep_ntk import hidden_scale
from hrta.theory.ntk import features
from hrta.theory.nullity import magnitude
from hrta.theory.smooth_ntk import SMOOTH_BASES, base_function

BASES = ("relu",) + SMOOTH_BASES


def homotopy(base: str, s: float):
    """(sigma_s, sigma_s') of the base activation as numpy functions."""
    if base == "relu":
        return (lambda z: (1.0 - s) * z + s * np.maximum(z, 0.0),
                lambda z: (1.0 - s) + s * (z > 0))
    if base not in BASES:
        raise ValueError(f"base activation must be one of {BASES}, got {base!r}")
    b, db = base_function(base)
    return (lambda z: (1.0 - s) * z + s * b(z)), (lambda z: (1.0 - s) + s * db(z))


@dataclass(frozen=True)
class DeepNetwork:
    """Weights of a network at initialisation: ``weights[0]`` (m, d~), then (m, m) per further
    hidden layer; ``a`` (m,)."""

    weights: tuple
    a: np.ndarray

    @property
    def width(self) -> int:
        return len(self.a)

    @property
    def depth(self) -> int:
        return len(self.weights)


def initial_deep_network(in_features: int, width: int, depth: int, seed: int) -> DeepNetwork:
    """N(0, 1) weights, its own random stream per (seed, width, depth)."""
    if depth < 1 or width < 1:
        raise ValueError(f"depth and width must be positive, got {depth}, {width}")
    rng = np.random.default_rng(np.random.SeedSequence((seed, width, depth)))
    shapes = [(width, in_features)] + [(width, width)] * (depth - 1)
    return DeepNetwork(tuple(rng.standard_normal(sh) for sh in shapes), rng.standard_normal(width))


def _layers(net: DeepNetwork, x, base: str, s: float, bias: str, parametrisation: str):
    """(inputs, pre, magnitudes): what each layer's weights multiply (x~, then c m^{-1/2} g^l,
    and m^{-1/2} g^L for the output weights), each layer's pre-activations h^l and a bound
    on the magnitude of the products that made them, |input row| |W row| (>= |input| |W|^T,
    Cauchy-Schwarz), times the layer's number (rounding grows with it)."""
    if parametrisation != "unnormalised" and base != "relu":
        raise ValueError(f"the {parametrisation} parametrisation is defined for relu only, got {base!r}")
    act = homotopy(base, s)[0]
    scale = 1.0 / np.sqrt(net.width)
    hidden = hidden_scale(parametrisation, s) * scale
    inputs, pre, magnitudes = [features(x, bias)], [], []
    for k, w in enumerate(net.weights):
        pre.append(inputs[-1] @ w.T)
        magnitudes.append((k + 1) * magnitude(inputs[-1], w))
        inputs.append(act(pre[-1]) * (hidden if k < net.depth - 1 else scale))
    return inputs, pre, magnitudes


def pre_activations(net: DeepNetwork, x, base: str, s: float, bias: str = "augment",
                    parametrisation: str = "unnormalised") -> tuple[list, list]:
    """Each layer's pre-activations on the inputs and their magnitude bounds (hrta.theory.nullity)."""
    _, pre, magnitudes = _layers(net, x, base, s, bias, parametrisation)
    return pre, magnitudes


def empirical_ntk(net: DeepNetwork, x, base: str, s: float, bias: str = "augment",
                  parametrisation: str = "unnormalised") -> dict[str, np.ndarray]:
    """{'output', 'hidden', 'ntk'} -> the finite network's Gram matrices at s."""
    return empirical(net, x, base, s, bias, parametrisation)[0]


def empirical(net: DeepNetwork, x, base: str, s: float, bias: str = "augment",
              parametrisation: str = "unnormalised") -> tuple[dict, list, list]:
    """(``empirical_ntk``, and each layer's pre-activations and magnitude bounds as
    ``pre_activations``) from one pass through the network."""
    dact = homotopy(base, s)[1]
    inputs, pre, magnitudes = _layers(net, x, base, s, bias, parametrisation)
    scale = 1.0 / np.sqrt(net.width)
    hidden_factor = hidden_scale(parametrisation, s) * scale
    output = inputs[-1] @ inputs[-1].T
    delta = scale * net.a[None, :] * dact(pre[-1])
    hidden = np.zeros_like(output)
    for k in range(net.depth - 1, -1, -1):
        hidden += (delta @ delta.T) * (inputs[k] @ inputs[k].T)
        if k > 0:
            delta = dact(pre[k - 1]) * (hidden_factor * delta @ net.weights[k])
    return {"output": output, "hidden": hidden, "ntk": output + hidden}, pre, magnitudes
