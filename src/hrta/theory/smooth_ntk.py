"""Infinite-width NTK of the two-layer homotopy network with a smooth base activation.

sigma_s(z) = (1 - s) z + s b(z) for b = tanh or GELU (z Phi(z)). With p = 1 - s and u, v
centred Gaussian of covariance [[G_ii, G_ij], [G_ij, G_jj]] (G = x~ x~^T, w ~ N(0, I)):

    output: E[sigma(u) sigma(v)] = p^2 G + p s (G_ij m_j + m_i G_ij) + s^2 E[b(u) b(v)]
    first:  G E[sigma'(u) sigma'(v)] = G (p^2 + p s (m_i + m_j) + s^2 E[b'(u) b'(v)])

with m_i = E[b'(u)] (Stein: E[u b(v)] = G_ij E[b'(v)]). Each part is a quadratic form
(1 - s)^2 LL + s (1 - s) CROSS + s^2 BB in (1 - s, s), so the bivariate expectations are
computed once per input set, by a tensor quadrature rule of ``order`` nodes per axis: the
trapezoidal rule on [-8, 8] for the normal weight (nodes outside the disc of radius 8 are
left out). It converges geometrically for integrands analytic in a strip, as tanh and GELU
are; Gauss-Hermite does not do as well here: at variance 4 (|x~|^2 up to 4 on [0, 1]^3)
64 Gauss-Hermite nodes leave 7e-4 in E[tanh' tanh'], 97 trapezoidal nodes 1e-9. The
difference to the rule of ORDER_STEP nodes fewer (where the error is >= 10x larger at the
orders used) is taken as the quadrature error (``QuadraticKernel.error``): an a-posteriori
estimate that overstates it as long as the rule converges (checked against a finer rule in
tests/test_deep_kernels.py), not a proven bound.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from hrta.theory.ntk import features

SMOOTH_BASES = ("tanh", "gelu")
PAIR_BLOCK = 256  # input pairs whose order x order node grids are held at once
SQRT2 = np.sqrt(2.0)
HALF_WIDTH = 8.0  # the normal density is 5e-15 there
ORDER_STEP = 16  # the error estimate compares with this many nodes fewer per axis


def base_values(name: str):
    """z -> (b(z), b'(z)) of a smooth base activation, both from one evaluation."""
    if name == "tanh":
        def tanh(z):
            t = np.tanh(z)
            return t, 1.0 - t * t
        return tanh
    if name == "gelu":
        def gelu(z):
            cdf = 0.5 * (1.0 + erf(z / SQRT2))
            return z * cdf, cdf + z * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
        return gelu
    raise ValueError(f"smooth base must be one of {SMOOTH_BASES}, got {name!r}")


def base_function(name: str):
    """(b, b') of a smooth base activation as separate functions."""
    values = base_values(name)
    return (lambda z: values(z)[0]), (lambda z: values(z)[1])


def normal_rule(order: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of E[f(z)], z ~ N(0, 1): the trapezoidal rule on [-HALF_WIDTH, HALF_WIDTH]."""
    if order < 3:
        raise ValueError(f"quadrature order must be at least 3 nodes, got {order}")
    nodes = np.linspace(-HALF_WIDTH, HALF_WIDTH, order)
    weights = (nodes[1] - nodes[0]) * np.exp(-0.5 * nodes * nodes) / np.sqrt(2.0 * np.pi)
    return nodes, weights


def gaussian_mean(f, q: np.ndarray, order: int) -> np.ndarray:
    """E[f(u)], u ~ N(0, q), for each variance q."""
    z, w = normal_rule(order)
    return f(np.sqrt(q)[:, None] * z[None, :]) @ w


def bivariate_means(values, q1: np.ndarray, c: np.ndarray, q2: np.ndarray, order: int) -> list[np.ndarray]:
    """[E[f(u) f(v)] for each f that ``values`` returns] for (u, v) centred Gaussian with
    Var u = q1, Cov = c, Var v = q2 (arrays of the pairs).

    u = sqrt(q1) z1, v = sqrt(q2) (rho z1 + sqrt(1 - rho^2) z2), rho = c / sqrt(q1 q2), z1, z2
    independent standard normals; tensor rule in (z1, z2) restricted to the disc of radius
    HALF_WIDTH (the weight is below 1e-14 of its peak outside).
    """
    z, w = normal_rule(order)
    first, second = np.nonzero(z[:, None] ** 2 + z[None, :] ** 2 <= HALF_WIDTH**2)
    weight = w[first] * w[second]
    q1, c, q2 = (np.asarray(v, dtype=np.float64).ravel() for v in (q1, c, q2))
    out = None
    for i in range(0, len(c), PAIR_BLOCK):
        sl = slice(i, i + PAIR_BLOCK)
        r1, r2 = np.sqrt(q1[sl]), np.sqrt(q2[sl])
        rho = np.clip(c[sl] / np.where(r1 * r2 > 0, r1 * r2, 1.0), -1.0, 1.0)
        at_u = values(r1[:, None] * z[None, :])  # (pairs, z1) per function
        along, across = r2 * rho, r2 * np.sqrt(1.0 - rho * rho)
        v = along[:, None] * z[first][None, :] + across[:, None] * z[second][None, :]
        at_v = values(v)
        if out is None:
            out = [np.empty(len(c)) for _ in at_v]
        for res, fu, gv in zip(out, at_u, at_v):
            res[sl] = (fu[:, first] * gv) @ weight
    return out


@dataclass(frozen=True)
class QuadraticKernel:
    """K(s) = (1 - s)^2 ll + s (1 - s) cross + s^2 bb; ``cross_error`` and ``bb_error`` are the
    entrywise quadrature error estimates of cross and bb (ll = G is exact)."""

    ll: np.ndarray
    cross: np.ndarray
    bb: np.ndarray
    cross_error: np.ndarray
    bb_error: np.ndarray

    def at(self, s: float) -> np.ndarray:
        return (1.0 - s) ** 2 * self.ll + s * (1.0 - s) * self.cross + s * s * self.bb

    def error(self, s: float) -> float:
        """The spectral norm of the quadrature error of K(s), hence (Weyl) that of its lambda_min,
        bounded by the largest row sum of the entrywise error estimates."""
        diff = abs(s * (1.0 - s)) * self.cross_error + s * s * self.bb_error
        return float(diff.sum(axis=1).max())

    def __add__(self, other: "QuadraticKernel") -> "QuadraticKernel":
        return QuadraticKernel(self.ll + other.ll, self.cross + other.cross, self.bb + other.bb,
                               self.cross_error + other.cross_error, self.bb_error + other.bb_error)


def _moments(base: str, gram: np.ndarray, order: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """m_i = E[b'(u_i)], E[b(u_i) b(u_j)], E[b'(u_i) b'(u_j)] on the pairs of the Gram matrix."""
    q = np.diag(gram).copy()
    n = len(q)
    rows, cols = np.triu_indices(n)
    mean_db = gaussian_mean(base_function(base)[1], q, 4 * order)  # one-dimensional: cheap to take finer
    out = []
    for vals in bivariate_means(base_values(base), q[rows], gram[rows, cols], q[cols], order):
        full = np.empty((n, n))
        full[rows, cols] = vals
        full[cols, rows] = vals
        out.append(full)
    return mean_db, out[0], out[1]


def _parts(gram: np.ndarray, m: np.ndarray, bb: np.ndarray, dbdb: np.ndarray):
    """(output, first) as (ll, cross, bb) triples."""
    output = (gram, gram * (m[:, None] + m[None, :]), bb)
    first = (gram, gram * (m[:, None] + m[None, :]), gram * dbdb)
    return output, first


def smooth_basis(x, base: str, order: int, bias: str = "augment") -> dict[str, QuadraticKernel]:
    """{'output', 'first', 'ntk'} -> QuadraticKernel of the two-layer network with base b."""
    xt = features(x, bias)
    gram = xt @ xt.T
    fine = _parts(gram, *_moments(base, gram, order))
    if order < 2 * ORDER_STEP:
        raise ValueError(f"quadrature order must be at least {2 * ORDER_STEP} nodes, got {order}")
    coarse = _parts(gram, *_moments(base, gram, order - ORDER_STEP))
    kernels = {}
    for name, (ll, cross, bb), (_, cross_c, bb_c) in zip(("output", "first"), fine, coarse):
        kernels[name] = QuadraticKernel(ll, cross, bb, np.abs(cross - cross_c), np.abs(bb - bb_c))
    kernels["ntk"] = kernels["output"] + kernels["first"]
    return kernels
