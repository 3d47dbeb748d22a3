"""lambda_min of the infinite-width kernel parts decided where float64 alone cannot: the
deflation onto the null space of G (hrta.theory.ntk.Deflation) against a 40-digit
eigensolve, the formula (s/2)^2 mu at small s, and a constructed kernel whose lambda_min
falls, which the verdict must call "fails"."""

import mpmath
import numpy as np
import pytest

from hrta.theory import ntk
from hrta.theory.monotone import monotone_part

EPS = np.finfo(np.float64).eps
DIGITS = 40
POINTS = {"1d": np.linspace(0.0, 1.0, 16)[:, None], "2d": np.random.default_rng(5).random((12, 2))}


def exact_parts(x: np.ndarray) -> dict:
    """{part: (G, AA)} as mpmath matrices from the same float64 inputs, at DIGITS digits."""
    xt = [[mpmath.mpf(float(v)) for v in row] for row in ntk.features(x)]
    n = len(xt)
    norms = [mpmath.sqrt(sum(v * v for v in row)) for row in xt]
    gram, abs_abs, sign_sign = (mpmath.matrix(n, n) for _ in range(3))
    for i in range(n):
        for j in range(n):
            g = sum(a * b for a, b in zip(xt[i], xt[j]))
            t = mpmath.acos(max(-1, min(1, g / (norms[i] * norms[j]))))
            gram[i, j] = g
            abs_abs[i, j] = 2 / mpmath.pi * norms[i] * norms[j] * (mpmath.sin(t) + (mpmath.pi / 2 - t) * mpmath.cos(t))
            sign_sign[i, j] = g * (1 - 2 * t / mpmath.pi)
    return {"output": (gram, abs_abs), "first": (gram, sign_sign), "ntk": (2 * gram, abs_abs + sign_sign)}


def exact_lambda_min(gram, aa, s: float) -> float:
    alpha, beta = 1 - mpmath.mpf(s) / 2, mpmath.mpf(s) / 2
    return float(min(mpmath.eigsy(alpha**2 * gram + beta**2 * aa, eigvals_only=True)))


@pytest.mark.parametrize("points", POINTS)
def test_lambda_min_against_forty_digits(points):
    x = POINTS[points]
    basis = ntk.analytic_basis(x)
    s = np.array([1e-4, 1e-2, 0.5, 1.0, 1.99])
    with mpmath.workdps(DIGITS):
        exact = exact_parts(x)
        for part in ntk.PARTS:
            spec = ntk.spectrum(basis.part(part), s)
            lam, level = spec.lambda_min, spec.rounding_level
            for k, value in enumerate(s):
                truth = exact_lambda_min(*exact[part], value)
                assert abs(lam[k] - truth) <= level[k], (part, value, lam[k], truth, level[k])
                assert lam[k] > 100 * level[k]  # resolved, with room


def test_plain_float64_cannot_resolve_the_output_part_at_small_s():
    """Where the eigensolver of K(s) is at rounding level, the deflation still resolves it."""
    x = POINTS["1d"]
    kernel = ntk.analytic_basis(x).output
    with mpmath.workdps(DIGITS):
        truth = exact_lambda_min(*exact_parts(x)["output"], 1e-4)
    direct = np.linalg.eigvalsh(kernel.at(1e-4))
    assert truth < EPS * len(x) * direct[-1]  # below the plain rounding level
    spec = ntk.spectrum(kernel, [1e-4])
    lam, level = spec.lambda_min, spec.rounding_level
    assert abs(lam[0] - truth) <= 1e-6 * truth and level[0] < 1e-6 * truth


@pytest.mark.parametrize("part", ntk.PARTS)
def test_small_s_follows_the_null_space_formula(part):
    x = np.random.default_rng(6).random((60, 2))
    kernel = ntk.analytic_basis(x).part(part)
    s = np.array([1e-3, 1e-2, 0.1, 1.0, 1.9])
    spec = ntk.spectrum(kernel, s)
    lam, formula = spec.lambda_min, (s / 2) ** 2 * spec.null_space_min
    assert spec.factor_rank == 3  # G of 2-d inputs with the bias coordinate
    assert np.all(lam <= formula * (1 + 1e-12))  # interlacing: never above it
    np.testing.assert_allclose(lam[:2], formula[:2], rtol=1e-4)


def test_a_falling_lambda_min_fails():
    """K(s) = alpha^2 e1 e1^T + beta^2 [[1, 1], [1, 1]]: lambda_min -> 0 as s -> 2, a decrease
    the deflation resolves and the verdict must call so."""
    kernel = ntk.SplitKernel(np.diag([1.0, 0.0]), None, None, np.ones((2, 2)), factor=np.array([[1.0], [0.0]]))
    s = np.linspace(0.1, 1.9, 19)
    spec = ntk.spectrum(kernel, s)
    lam, hi, level = spec.lambda_min, spec.lambda_max, spec.rounding_level
    direct = np.array([np.linalg.eigvalsh(kernel.at(v)) for v in s])
    np.testing.assert_allclose(lam, direct[:, 0], rtol=1e-12)
    np.testing.assert_allclose(hi, direct[:, 1], rtol=1e-12)
    out = monotone_part(lam, level, s, 1e-10)
    assert out["verdict"] == "fails" and out["decreasing_steps"][-1] == [s[-2], s[-1]]
