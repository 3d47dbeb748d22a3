"""Exact null directions of a finite network's Gram matrices at initialisation, and the
class of each Gram matrix: exactly singular, or positive definite with lambda_min resolved
or not at float64's rounding level.

A part's Gram matrix is K = J J^T, J its Jacobian block (n inputs x P parameters), so
rank K = rank J, and every exact upper bound r on rank J gives n - r null directions of K
that no rounding threshold decides. Three bounds, each counted exactly (integers from
comparisons, never from eigenvalues):

- ``parameters``: rank J <= P, the part's parameter count (more inputs than parameters).
- ``kinks`` (homotopy ReLU, 0 < s < 2, any depth, one input coordinate): a gap between
  consecutive sorted inputs is kinked when some pre-activation of some layer differs in
  sign at its two ends (or is within rounding of 0 at one). A pre-activation of layer l is
  piecewise affine in x with breaks at the kinks of layers < l only, so on a run of p
  inputs with no kinked gap (a kink-free stretch) every pre-activation keeps its sign,
  every activation and slope is affine or constant in x, and so is every gradient entry:
  the p - 2 second differences of the stretch (on equispaced inputs (1, -2, 1)) are null
  vectors. rank J <= sum over stretches of min(p, 2).
- ``unsplit neurons`` (two-layer homotopy ReLU, any input dimension): a neuron whose
  pre-activation w_k . x~ has one sign on every input acts linearly on them (sigma_s = (1 -
  s/2 +- s/2) z): its columns lie in the span of the d~ coordinates of x~. With S split
  neurons, rank J <= S + d~ (output part), and <= d~ + sum_k min(d~, p_k) (first part,
  whole NTK: a split neuron's columns lie in span{x~, x~ 1[w_k . x~ > 0]}, and x~ on the
  p_k inputs of its smaller side spans at most p_k directions).

With k = n - min(bounds) > 0 null directions the matrix is ``singular``; its smallest
eigenvalue beyond them, the (k + 1)-th, is lambda_min on the complement of the null space
(resolved when above the eigensolver's rounding level eps n lambda_max). With k = 0 it is
``resolved`` or ``unresolved`` (near-singular: lambda_min at rounding level).
"""

from dataclasses import dataclass

import numpy as np

EPS = np.finfo(np.float64).eps
CLASSES = ("singular", "resolved", "unresolved")
SOURCES = {"parameters": "more inputs than parameters",
           "kinks": "kink-free stretches of inputs, second differences",
           "unsplit neurons": "neurons whose kink misses every input act linearly"}
ZERO = 8.0  # a pre-activation within ZERO x eps x its magnitude bound of 0 counts as at a kink


@dataclass(frozen=True)
class Bound:
    """An exact upper bound on the rank of a part's Jacobian block and where it comes from."""

    rank: int
    source: str


def magnitude(inputs: np.ndarray, w: np.ndarray) -> np.ndarray:
    """|input row| |W row|: a bound on |inputs| |W|^T (Cauchy-Schwarz), the size of the terms
    of the pre-activations inputs W^T, from which their rounding is judged."""
    return np.outer(np.linalg.norm(inputs, axis=1), np.linalg.norm(w, axis=1))


def near_zero(pre: np.ndarray, magnitude: np.ndarray) -> np.ndarray:
    """Pre-activations whose sign rounding could flip: within ZERO eps of their magnitude bound."""
    return np.abs(pre) <= ZERO * EPS * magnitude


def kinked_gaps(x: np.ndarray, pre: np.ndarray, magnitude: np.ndarray) -> np.ndarray:
    """(gaps, neurons): does the neuron's pre-activation change sign (or come within rounding
    of 0) across each gap between consecutive sorted inputs with one coordinate x (n, 1)?"""
    order = np.argsort(x[:, 0], kind="stable")
    z, zero = pre[order], near_zero(pre, magnitude)[order]
    sign = np.sign(z)
    return (sign[1:] != sign[:-1]) | zero[1:] | zero[:-1]


def stretch_rank(kinked: np.ndarray) -> int:
    """sum over kink-free stretches of min(p, 2), from the kinked gaps (n - 1,)."""
    stretches = np.diff(np.concatenate([[0], np.flatnonzero(kinked) + 1, [len(kinked) + 1]]))
    return int(np.minimum(stretches, 2).sum())


def hinge_rank(knots: np.ndarray) -> int:
    """The dimension of the continuous piecewise-affine functions with the given knots,
    restricted to the inputs: the two-layer output part in one input coordinate, whose
    columns alpha z_k + beta |z_k| lie in span{1, x, |x - c_k|}. ``knots``: the kinks in each
    gap between consecutive sorted inputs (n - 1,).

    With q knots the spline space has q + 2 dimensions; a spline that vanishes at every
    input is, on a gap with r knots, fixed by its r knot values, and its slopes at the
    inputs (no knots there) must agree across them. The r - 2 middle knot values of a gap
    are free; the first and last ones of the gaps are linked in chains through gaps of one
    knot, and a chain that ends beside a gap without knots (slope 0 there) has none free,
    one that does not has one (its scale). rank = q + 2 - (free values)."""
    free, chain, pinned = int(np.maximum(knots - 2, 0).sum()), False, False
    for i, r in enumerate(knots):
        if r == 0:
            chain = False  # a chain ending here is pinned: slope 0 across a knot-free gap
            continue
        if not chain:
            chain, pinned = True, i > 0 and knots[i - 1] == 0
        if r >= 2:
            free += not pinned  # the chain ends at the gap's first knot; its last knot starts a free one
            pinned = False
    if chain:
        free += not pinned
    return int(knots.sum()) + 2 - free


def split_neurons(z: np.ndarray, magnitude: np.ndarray) -> np.ndarray:
    """Per neuron (column of z): the inputs on its smaller side, min(#{z > 0}, #{z < 0}),
    an input within rounding of 0 counted on both; 0 for a neuron that does not split them."""
    zero = near_zero(z, magnitude)
    return np.minimum(((z > 0) | zero).sum(axis=0), ((z < 0) | zero).sum(axis=0))


def rank_bounds(x: np.ndarray, features: int, width: int, depth: int, relu: bool, pre: list,
                magnitudes: list) -> dict[str, Bound]:
    """{part: the tightest exact bound on its Jacobian's rank} for a network with ``depth``
    hidden layers of ``width``, ``features`` = d~ input features; ``pre`` and ``magnitudes``:
    each layer's pre-activations on the inputs x (n, dim) and their magnitude bounds.
    Parts 'output', 'hidden' (the first layer's at depth 1) and 'ntk'."""
    n = len(x)
    hidden = width * features + (depth - 1) * width * width
    bounds = {"output": [Bound(width, "parameters")], "hidden": [Bound(hidden, "parameters")],
              "ntk": [Bound(width + hidden, "parameters")]}
    if relu and x.shape[1] == 1:
        gaps = [kinked_gaps(x, z, mag) for z, mag in zip(pre, magnitudes)]
        stretches = stretch_rank(np.any([g.any(axis=1) for g in gaps], axis=0))
        for part in bounds:
            bounds[part].append(Bound(stretches, "kinks"))
        if depth == 1:
            bounds["output"].append(Bound(hinge_rank(gaps[0].sum(axis=1)), "kinks"))
    if relu and depth == 1:
        smaller = split_neurons(pre[0], magnitudes[0])
        split = int((smaller > 0).sum())
        bounds["output"].append(Bound(split + min(features, width - split), "unsplit neurons"))
        first = int(np.minimum(smaller, features).sum()) + features
        for part in ("hidden", "ntk"):
            bounds[part].append(Bound(first, "unsplit neurons"))
    return {part: min([Bound(n, "")] + b, key=lambda b: b.rank) for part, b in bounds.items()}


def classify(eigenvalues: np.ndarray, bound: Bound) -> dict:
    """The class of a Gram matrix from its eigenvalues (increasing) and the bound on its rank:
    null directions k, lambda_min, lambda_max, lambda_min beyond the null directions (the
    (k + 1)-th eigenvalue, NaN where k = n), the rounding level and the class."""
    n = len(eigenvalues)
    k = n - bound.rank
    level = EPS * n * eigenvalues[-1]
    beyond = eigenvalues[k] if k < n else np.nan
    if k > 0:
        kind = "singular"
    else:
        kind = "resolved" if eigenvalues[0] > level else "unresolved"
    return {"null_directions": k, "source": bound.source if k > 0 else "", "lambda_min": eigenvalues[0],
            "lambda_max": eigenvalues[-1], "lambda_beyond_null": beyond, "rounding_level": level, "class": kind}


NONE = {"null_directions": 0, "source": "", "lambda_min": np.nan, "lambda_max": np.nan, "lambda_beyond_null": np.nan,
        "rounding_level": np.nan, "class": "none"}  # no finite network computed
