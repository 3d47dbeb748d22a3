"""Infinite-width kernels beyond two-layer ReLU (issue 19, part 3): the deep ReLU recursion
and the smooth-base quadrature against Monte Carlo, depth 1 against the two-layer closed
form, finite networks against autograd and approaching the kernel like m^{-1/2}."""

import numpy as np
import pytest
import torch

from hrta.model.homotopy import HomotopyActivation
from hrta.theory import beyond, deep_ntk, finite_ntk, ntk, smooth_ntk
from hrta.theory.beyond_verdict import beyond_verdict

SAMPLES = 400_000
SE = 5.0  # tolerance in standard errors of the Monte Carlo mean


def inputs(n=8, dim=2, seed=0):
    return np.random.default_rng(seed).uniform(size=(n, dim))


def mc_check(samples: np.ndarray, exact: np.ndarray):
    """|exact - mean| <= SE standard errors, entrywise; samples (N, ...)."""
    mean, se = samples.mean(axis=0), samples.std(axis=0) / np.sqrt(len(samples))
    assert np.all(np.abs(exact - mean) <= SE * se + 1e-12), np.max(np.abs(exact - mean) / (se + 1e-300))


@pytest.mark.parametrize("s", [0.2, 1.0, 1.7])
def test_depth_one_is_the_two_layer_closed_form(s):
    x = inputs(30, 3)
    deep, two = deep_ntk.deep_relu_ntk(x, 1, s), ntk.analytic_basis(x).parts(s)
    scale = np.abs(two["ntk"]).max()
    for mine, theirs in (("output", "output"), ("hidden", "first"), ("ntk", "ntk")):
        assert np.abs(deep[mine] - two[theirs]).max() <= 8 * np.finfo(float).eps * scale


@pytest.mark.parametrize("s", [0.3, 1.0, 1.8])
def test_relu_layer_against_monte_carlo(s):
    """A layer map from a covariance that is not an input Gram matrix (the deeper layers' case)."""
    sigma = np.array([[2.0, 1.2, -0.4], [1.2, 1.5, 0.3], [-0.4, 0.3, 0.8]])
    nxt, dot = deep_ntk.relu_layer(sigma, s)
    u = np.random.default_rng(1).multivariate_normal(np.zeros(3), sigma, size=SAMPLES)
    act, dact = finite_ntk.homotopy("relu", s)
    mc_check(act(u)[:, :, None] * act(u)[:, None, :], nxt)
    mc_check(dact(u)[:, :, None] * dact(u)[:, None, :], dot)


@pytest.mark.parametrize("base", smooth_ntk.SMOOTH_BASES)
@pytest.mark.parametrize("s", [0.4, 1.5])
def test_smooth_kernel_against_monte_carlo(base, s):
    """Both parts of the two-layer kernel: E[sigma(u) sigma(v)] and G E[sigma'(u) sigma'(v)], u = w . x~."""
    x = inputs(5, 3)
    basis = smooth_ntk.smooth_basis(x, base, 97)
    xt = ntk.features(x)
    z = np.random.default_rng(2).standard_normal((SAMPLES // 4, xt.shape[1])) @ xt.T  # (N, n)
    act, dact = finite_ntk.homotopy(base, s)
    mc_check(act(z)[:, :, None] * act(z)[:, None, :], basis["output"].at(s))
    mc_check((xt @ xt.T)[None] * dact(z)[:, :, None] * dact(z)[:, None, :], basis["first"].at(s))


@pytest.mark.parametrize("base", smooth_ntk.SMOOTH_BASES)
def test_quadrature_error_bound_covers_a_finer_rule(base):
    x = inputs(6, 3)
    coarse, fine = smooth_ntk.smooth_basis(x, base, 49), smooth_ntk.smooth_basis(x, base, 129)
    for s in (0.5, 1.5):
        diff = np.linalg.eigvalsh(coarse["ntk"].at(s))[0] - np.linalg.eigvalsh(fine["ntk"].at(s))[0]
        assert abs(diff) <= coarse["ntk"].error(s)
    assert fine["ntk"].error(1.5) < coarse["ntk"].error(1.5)


@pytest.mark.parametrize(("base", "depth", "parametrisation"),
                         [("relu", 1, "unnormalised"), ("relu", 3, "unnormalised"), ("relu", 3, "variance_preserving"),
                          ("tanh", 1, "unnormalised"), ("gelu", 2, "unnormalised")])
def test_finite_ntk_is_the_autograd_jacobian_gram(base, depth, parametrisation):
    x, s, width = inputs(4, 2), 0.7, 6
    c = deep_ntk.hidden_scale(parametrisation, s)
    xt = ntk.features(x)
    net = finite_ntk.initial_deep_network(xt.shape[1], width, depth, seed=3)
    params = [torch.tensor(w, requires_grad=True) for w in net.weights] + [torch.tensor(net.a, requires_grad=True)]
    torch_base = {"relu": torch.nn.ReLU(), "tanh": torch.tanh, "gelu": torch.nn.GELU()}[base]
    act = HomotopyActivation(torch_base, s)

    def phi(x_row):
        h = act(params[0] @ x_row)
        for w in params[1:-1]:
            h = act(c * w @ h / np.sqrt(width))
        return params[-1] @ h / np.sqrt(width)

    grads = [torch.autograd.grad(phi(torch.tensor(row)), params) for row in xt]
    flat = [torch.cat([g.reshape(-1) for g in gr]) for gr in grads]
    out = [torch.cat([g.reshape(-1) for g in gr[-1:]]) for gr in grads]
    full = torch.stack(flat).numpy()
    last = torch.stack(out).numpy()
    mine = finite_ntk.empirical_ntk(net, x, base, s, parametrisation=parametrisation)
    np.testing.assert_allclose(mine["ntk"], full @ full.T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mine["output"], last @ last.T, rtol=1e-10, atol=1e-12)


def _infinite(base, depth, x, s, parametrisation="unnormalised"):
    if base == "relu":
        return deep_ntk.deep_relu_ntk(x, depth, s, parametrisation=parametrisation)["ntk"]
    return smooth_ntk.smooth_basis(x, base, 97)["ntk"].at(s)


def _approaches(exact, base, depth, s, log2_widths, parametrisation="unnormalised"):
    """Does the finite NTK approach ``exact`` like m^{-1/2}: the slope of log(rms relative
    error over 12 seeds) on log(width) within [-0.7, -0.3], and the error at the largest
    width m below 4 / sqrt(m)?"""
    x, seeds = inputs(6, 2), range(12)
    widths = [2**k for k in log2_widths]
    errors = []
    for m in widths:
        rel = [np.linalg.norm(finite_ntk.empirical_ntk(finite_ntk.initial_deep_network(3, m, depth, seed), x,
                                                       base, s, parametrisation=parametrisation)["ntk"] - exact)
               / np.linalg.norm(exact) for seed in seeds]
        errors.append(np.sqrt(np.mean(np.square(rel))))
    slope = np.polyfit(np.log(widths), np.log(errors), 1)[0]
    return -0.7 <= slope <= -0.3 and errors[-1] * np.sqrt(widths[-1]) < 4.0, (slope, errors)


@pytest.mark.parametrize(("base", "depth", "log2_widths", "parametrisation"),
                         [("relu", 1, range(8, 15), "unnormalised"), ("relu", 2, range(5, 11), "unnormalised"),
                          ("relu", 3, range(5, 11), "variance_preserving"), ("tanh", 1, range(8, 15), "unnormalised")])
def test_finite_ntk_approaches_the_kernel_like_inverse_sqrt_width(base, depth, log2_widths, parametrisation):
    s = 1.3
    exact = _infinite(base, depth, inputs(6, 2), s, parametrisation)
    ok, numbers = _approaches(exact, base, depth, s, log2_widths, parametrisation)
    assert ok, numbers


@pytest.mark.parametrize("wrong", [0.9, 1.1])
def test_a_kernel_with_a_wrong_hidden_scale_is_caught(wrong):
    """The variance-preserving kernel with c^2 off by 10 % in its hidden-to-hidden layers: the
    finite networks stop approaching it, and the check above fails."""
    x, s, depth = inputs(6, 2), 0.6, 3
    c2 = deep_ntk.hidden_scale("variance_preserving", s) ** 2
    xt = ntk.features(x)
    sigma = theta = xt @ xt.T
    t = None
    for layer in range(depth):
        sigma, dsigma = deep_ntk.relu_layer(sigma, s, t)
        if layer < depth - 1:
            sigma, dsigma = wrong * c2 * sigma, wrong * c2 * dsigma
        theta = sigma + theta * dsigma
    right = deep_ntk.deep_relu_ntk(x, depth, s, parametrisation="variance_preserving")["ntk"]
    assert np.abs(theta - right).max() > 0.01 * np.abs(right).max()
    assert _approaches(right, "relu", depth, s, range(5, 11), "variance_preserving")[0]
    ok, numbers = _approaches(theta, "relu", depth, s, range(5, 11), "variance_preserving")
    assert not ok, numbers


def test_variance_preserving_layers_keep_the_variance_and_unnormalised_ones_lose_the_gain():
    x, depth = inputs(5, 2), 4
    q = np.sum(ntk.features(x) ** 2, axis=1)
    for s in (0.3, 1.0, 1.6):
        g = deep_ntk.gain(s)
        assert g == pytest.approx(1 - s + s * s / 2)
        vp = deep_ntk.deep_relu_ntk(x, depth, s, parametrisation="variance_preserving")["output"]
        plain = deep_ntk.deep_relu_ntk(x, depth, s)["output"]
        np.testing.assert_allclose(np.diag(vp), g * q, rtol=1e-12)  # the output weights are not rescaled
        np.testing.assert_allclose(np.diag(plain), g**depth * q, rtol=1e-12)
    one = [deep_ntk.deep_relu_ntk(x, 1, 0.7, parametrisation=p)["ntk"] for p in deep_ntk.PARAMETRISATIONS]
    np.testing.assert_array_equal(*one)
    with pytest.raises(ValueError, match="parametrisation"):
        deep_ntk.deep_relu_ntk(x, 2, 0.7, parametrisation="ntk")


def _beyond_config():
    return {"relu_depths": [1, 2], "smooth_bases": ["gelu"], "s_min": 0.1, "s_max": 1.9, "s_points": 10,
            "empirical_s": [0.5, 1.5], "max_points": 12, "quadrature_order": {"tanh": 97, "gelu": 65},
            "widths": [64], "seeds": [0, 1]}


def test_spectra_verdict_holds_on_a_real_case_and_fails_on_a_constructed_decrease():
    ds = beyond.experiment_spectra(inputs(12, 1), _beyond_config(), "augment", 0).assign_coords(experiment="toy")
    out = beyond_verdict([ds], 1e-10)
    relu = out["experiments"]["toy"]["networks"]["relu_L1"]
    assert relu["verdict"] == "holds"  # Theorem 1 itself: two-layer ReLU
    s = ds["s"].values
    lam = ds["lambda_min"].sel(network="relu_L2", part="ntk").values.copy()
    lam[3:6] = lam[2] * np.array([0.9, 0.8, 0.7])  # a decrease over s[2] .. s[5]
    ds["lambda_min"].loc[{"network": "relu_L2", "part": "ntk"}] = lam
    out = beyond_verdict([ds], 1e-10)
    part = out["experiments"]["toy"]["networks"]["relu_L2"]["parts"]["ntk"]
    assert part["verdict"] == "fails"
    assert part["decreasing_intervals"][0] == [float(s[2]), float(s[5])]
    assert out["networks"]["relu_L2"]["verdict"] == "fails" and out["verdict"] == "fails"


def test_bad_input_names_the_problem():
    with pytest.raises(ValueError, match="depth"):
        deep_ntk.deep_relu_ntk(inputs(), 0, 1.0)
    with pytest.raises(ValueError, match="smooth base"):
        smooth_ntk.smooth_basis(inputs(), "swish", 97)
    with pytest.raises(ValueError, match="quadrature order"):
        smooth_ntk.smooth_basis(inputs(), "tanh", 20)


def test_claims_section_names_the_failing_network_and_interval():
    from hrta.reporting.words.beyond import HEADING, beyond_bottom_line, beyond_section

    ds = beyond.experiment_spectra(inputs(12, 1), _beyond_config(), "augment", 0).assign_coords(experiment="toy")
    s = ds["s"].values
    lam = ds["lambda_min"].sel(network="relu_L2", part="ntk").values.copy()
    lam[3:6] = lam[2] * np.array([0.9, 0.8, 0.7])
    ds["lambda_min"].loc[{"network": "relu_L2", "part": "ntk"}] = lam
    verdict = beyond_verdict([ds], 1e-10)
    line = beyond_bottom_line(verdict)
    assert "holds for ReLU networks with L = 1 hidden layer" in line
    assert (f"it holds at L = 1 and fails from L = 2 on (λ_min of the whole NTK decreasing for s in "
            f"[{s[2]:.3g}, {s[5]:.3g}] at L = 2, on every experiment): each unnormalised layer") in line
    lines = beyond_section(verdict)
    assert lines[0] == HEADING and line in lines
    assert sum(row.startswith("| ReLU") or row.startswith("| two-layer") for row in lines) == 3


def test_the_depth_from_which_a_parametrisation_fails():
    config = {**_beyond_config(), "relu_depths": [1, 2, 3], "finite_depths": [1, 3], "smooth_bases": [],
              "parametrisations": list(deep_ntk.PARAMETRISATIONS)}
    ds = beyond.experiment_spectra(inputs(12, 1), config, "augment", 0).assign_coords(experiment="toy")
    assert list(ds.network.values) == ["relu_L1", "relu_L2", "relu_L3", "relu_L2_vp", "relu_L3_vp"]
    assert list(ds.parametrisation.values) == ["unnormalised"] * 3 + ["variance_preserving"] * 2
    assert (ds["empirical_class"].sel(network="relu_L2") == "none").all()  # not among finite_depths
    lam = ds["lambda_min"].sel(network="relu_L3", part="ntk").values.copy()
    lam[3:6] = lam[2] * np.array([0.9, 0.8, 0.7])
    ds["lambda_min"].loc[{"network": "relu_L3", "part": "ntk"}] = lam
    out = beyond_verdict([ds], 1e-10)
    s = ds["s"].values
    assert out["parametrisations"]["unnormalised"] == {
        "depths": [1, 2, 3], "holds": [1, 2], "fails": [3], "fails_from_depth": 3,
        "decreasing_intervals": {"3": {"toy": [[float(s[2]), float(s[5])]]}}}
    assert out["parametrisations"]["variance_preserving"]["fails_from_depth"] is None
    assert out["parametrisations"]["variance_preserving"]["holds"] == [1, 2, 3]
    assert out["experiments"]["toy"]["networks"]["relu_L2"]["parts"]["ntk"]["finite"] == {}
    finite = out["experiments"]["toy"]["networks"]["relu_L3"]["parts"]["ntk"]["finite"]["64"]
    assert set(finite["classes"]) <= {"singular", "resolved", "unresolved"} and finite["n_seeds"] == 2
