"""Exact null directions of finite Gram matrices (hrta.theory.nullity): the counts against the
rank of the Jacobian (its singular values, which resolve far below the Gram matrix's rounding
level), the (1, -2, 1) null vectors of kink-free stretches, and the classes."""

import numpy as np
import pytest

from hrta.theory import deep_ntk, finite_ntk, ntk, nullity

GRID = np.linspace(0.0, 1.0, 100)[:, None]


def jacobians(x: np.ndarray, w: np.ndarray, a: np.ndarray, s: float) -> dict:
    """The two-layer network's Jacobian blocks (output, hidden = first layer, ntk)."""
    xt = ntk.features(x)
    z = xt @ w.T
    alpha, beta = 1 - s / 2, s / 2
    out = (alpha * z + beta * np.abs(z)) / np.sqrt(len(a))
    first = ((a * (alpha + beta * np.sign(z)))[:, :, None] * xt[:, None, :]).reshape(len(x), -1) / np.sqrt(len(a))
    return {"output": out, "hidden": first, "ntk": np.hstack([out, first])}


def rank(j: np.ndarray) -> int:
    sv = np.linalg.svd(j, compute_uv=False)
    return int((sv > 1e-13 * sv[0]).sum())


def bounds(x: np.ndarray, w: np.ndarray) -> dict:
    xt = ntk.features(x)
    return nullity.rank_bounds(x, xt.shape[1], len(w), 1, True, [xt @ w.T], [nullity.magnitude(xt, w)])


@pytest.mark.parametrize("width", [20, 100, 300, 1000])
@pytest.mark.parametrize("points", ["grid", "random"])
def test_one_coordinate_counts_are_the_jacobian_rank(width, points):
    x = GRID if points == "grid" else np.random.default_rng(width).random((60, 1))
    rng = np.random.default_rng(width + 1)
    for _ in range(3):
        w, a = rng.standard_normal((width, 2)), rng.standard_normal(width)
        found = bounds(x, w)
        for s in (0.4, 1.3):
            for part, j in jacobians(x, w, a, s).items():
                assert rank(j) == found[part].rank, (part, s, found[part])


@pytest.mark.parametrize("dim", [2, 3])
def test_unsplit_neurons_bound_the_rank_in_more_coordinates(dim):
    """An upper bound on the rank (at least that many null directions), reached by the
    output part and within a few directions by the others (neurons that cut off the same
    few inputs share directions the count does not see)."""
    x = np.random.default_rng(dim).random((300, dim))
    rng = np.random.default_rng(7)
    for width in (10, 40):
        w, a = rng.standard_normal((width, dim + 1)), rng.standard_normal(width)
        found = bounds(x, w)
        assert found["output"].rank < len(x)
        for part, j in jacobians(x, w, a, 0.6).items():
            assert found[part].rank - 3 <= rank(j) <= found[part].rank, (part, width, found[part])
            assert part != "output" or rank(j) == found[part].rank


def test_a_kink_free_stretch_has_second_differences_as_null_vectors():
    """One neuron with its kink between the 5th and 6th of 10 equispaced inputs, the other
    two far outside: stretches of 5 and 5 inputs, 3 + 3 null directions, (1, -2, 1) among them
    (and 7 in the output part: its 3 parameters)."""
    x = np.linspace(0.0, 1.0, 10)[:, None]
    w = np.array([[1.0, -0.5], [1.0, 3.0], [-2.0, -5.0]])  # kinks at 0.5, -3, -2.5
    found = bounds(x, w)
    assert {p: (b.rank, b.source) for p, b in found.items()} == {"output": (3, "parameters"), "hidden": (4, "kinks"),
                                                                   "ntk": (4, "kinks")}
    for part, j in jacobians(x, w, np.array([1.0, -0.7, 0.4]), 0.8).items():
        second = np.zeros(10)
        second[[0, 1, 2]] = [1.0, -2.0, 1.0]
        assert np.abs(second @ j).max() < 1e-14
        cls = nullity.classify(np.linalg.eigvalsh(j @ j.T), found[part])
        assert cls["class"] == "singular" and cls["null_directions"] == 10 - found[part].rank
        assert cls["source"] == found[part].source
        assert cls["lambda_beyond_null"] > cls["rounding_level"]


@pytest.mark.parametrize("depth", [2, 3])
def test_deep_networks_in_one_coordinate(depth):
    """Stretches free of the kinks of every layer: an upper bound, reached at these widths."""
    x = np.linspace(0.0, 1.0, 40)[:, None]
    for parametrisation in deep_ntk.PARAMETRISATIONS:
        net = finite_ntk.initial_deep_network(2, 6, depth, seed=depth)
        pre, mags = finite_ntk.pre_activations(net, x, "relu", 0.7, parametrisation=parametrisation)
        found = nullity.rank_bounds(x, 2, 6, depth, True, pre, mags)
        kern = finite_ntk.empirical_ntk(net, x, "relu", 0.7, parametrisation=parametrisation)
        for part, k in kern.items():
            lam = np.linalg.eigvalsh(k)
            cls = nullity.classify(lam, found[part])
            assert np.abs(lam[:cls["null_directions"]]).max(initial=0) <= cls["rounding_level"]
            assert cls["class"] == "singular"


def test_classes_without_null_directions():
    resolved = nullity.classify(np.array([1e-6, 1.0, 10.0]), nullity.Bound(3, ""))
    assert resolved["class"] == "resolved" and resolved["null_directions"] == 0
    unresolved = nullity.classify(np.array([1e-17, 1.0, 10.0]), nullity.Bound(3, ""))
    assert unresolved["class"] == "unresolved" and unresolved["lambda_beyond_null"] == 1e-17
