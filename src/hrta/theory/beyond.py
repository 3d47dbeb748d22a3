"""Theorem 1 beyond two-layer ReLU: lambda_min of the NTK Gram matrix against s for deep
homotopy ReLU networks (hrta.theory.deep_ntk) under both parametrisations of their hidden
layers (the unnormalised one the project trains, and the variance-preserving one) and
two-layer networks with smooth bases (hrta.theory.smooth_ntk) on the experiments' training
inputs, the finite networks at initialisation beside them (hrta.theory.finite_ntk, their
Gram matrices classified by hrta.theory.nullity). The monotonicity verdict on them is
hrta.theory.beyond_verdict's.

A value of lambda_min counts as resolved above its resolution level: the eigensolver's
rounding eps n lambda_max plus, for the smooth bases, the quadrature error estimate of the
Gram matrix (Weyl)."""

import numpy as np
import xarray as xr

from hrta.model.run import Network
from hrta.theory import nullity
from hrta.theory.deep_ntk import DEEP_PARTS, PARAMETRISATIONS, deep_relu_ntk
from hrta.theory.finite_ntk import empirical, initial_deep_network
from hrta.theory.ntk import features
from hrta.theory.smooth_ntk import smooth_basis
from hrta.theory.spectra import finite_dataset, subsample

EPS = np.finfo(np.float64).eps


PARAMETRISATION_SUFFIX = {"unnormalised": "", "variance_preserving": "_vp"}


def networks(beyond: dict) -> list[tuple[str, int, str]]:
    """(base, depth, parametrisation) of every network of the comparison: ReLU at each depth
    in each parametrisation (the variance-preserving one from depth 2: at depth 1 they are
    the same network), then each smooth base at depth 1 (two-layer)."""
    out = []
    for param in beyond.get("parametrisations", PARAMETRISATIONS[:1]):
        out += [("relu", int(d), param) for d in beyond["relu_depths"] if param == "unnormalised" or int(d) > 1]
    return out + [(b, 1, "unnormalised") for b in beyond["smooth_bases"]]


def slug(base: str, depth: int, parametrisation: str) -> str:
    """'relu_L4' (hrta.model.run.Network.slug: the trained, unnormalised network) or 'relu_L4_vp'."""
    return Network(base, depth).slug + PARAMETRISATION_SUFFIX[parametrisation]


def s_grid(beyond: dict) -> np.ndarray:
    """The fine grid of s, with s = 1 (the reference of the ratios) and the finite networks' s."""
    grid = np.round(np.linspace(beyond["s_min"], beyond["s_max"], beyond["s_points"]), 12)
    return np.union1d(grid, [1.0, *beyond["empirical_s"]])


def _infinite(x: np.ndarray, base: str, depth: int, param: str, grid: np.ndarray, bias: str, order: dict):
    """(lambda_min, lambda_max, quadrature error) per part and s: arrays (part, s)."""
    lo, hi, err = (np.zeros((len(DEEP_PARTS), len(grid))) for _ in range(3))
    if base == "relu":
        for j, s in enumerate(grid):
            kern = deep_relu_ntk(x, depth, s, bias, param)
            for i, part in enumerate(DEEP_PARTS):
                lam = np.linalg.eigvalsh(kern[part])
                lo[i, j], hi[i, j] = lam[0], lam[-1]
        return lo, hi, err
    basis = smooth_basis(x, base, order[base], bias)
    for i, part in enumerate(DEEP_PARTS):
        kern = basis["first" if part == "hidden" else part]
        for j, s in enumerate(grid):
            lam = np.linalg.eigvalsh(kern.at(s))
            lo[i, j], hi[i, j], err[i, j] = lam[0], lam[-1], kern.error(s)
    return lo, hi, err


def _finite(x: np.ndarray, base: str, depth: int, param: str, s_emp: np.ndarray, widths, seeds, bias: str,
            drawn: bool = True):
    """The finite networks' Gram matrices classified (nullity.classify): array (width, seed,
    part, s); ``nullity.NONE`` everywhere where the network is not ``drawn``."""
    out = np.full((len(widths), len(seeds), len(DEEP_PARTS), len(s_emp)), nullity.NONE, dtype=object)
    if not drawn:
        return out
    in_features = features(x[:1], bias).shape[1]
    for a, width in enumerate(widths):
        for b, seed in enumerate(seeds):
            net = initial_deep_network(in_features, int(width), depth, int(seed))
            for j, s in enumerate(s_emp):
                kern, pre, mags = empirical(net, x, base, s, bias, param)
                bounds = nullity.rank_bounds(x, in_features, int(width), depth, base == "relu", pre, mags)
                for i, part in enumerate(DEEP_PARTS):
                    out[a, b, i, j] = nullity.classify(np.linalg.eigvalsh(kern[part]), bounds[part])
    return out


def experiment_spectra(x_all: np.ndarray, beyond: dict, bias: str, subsample_seed: int) -> xr.Dataset:
    """lambda_min, lambda_max and resolution level of every network's Gram parts against s
    on one experiment's training inputs (a subsample of at most ``max_points``), and the
    finite networks' Gram matrices classified."""
    keep = subsample(x_all, beyond["max_points"], subsample_seed)
    x = x_all[keep]
    grid, s_emp = s_grid(beyond), np.asarray(beyond["empirical_s"], dtype=np.float64)
    widths, seeds = beyond["widths"], beyond["seeds"]
    nets = networks(beyond)
    inf = [_infinite(x, base, depth, param, grid, bias, beyond["quadrature_order"]) for base, depth, param in nets]
    finite_depths = beyond.get("finite_depths", beyond["relu_depths"])
    fin = np.array([_finite(x, base, depth, param, s_emp, widths, seeds, bias, base != "relu" or depth in finite_depths)
                    for base, depth, param in nets])
    lo, hi, err = (np.array([v[k] for v in inf]) for k in range(3))
    net_dims = ("network", "part", "s")
    coords = {"network": [slug(*n) for n in nets], "base": ("network", [n[0] for n in nets]),
              "depth": ("network", [n[1] for n in nets]), "parametrisation": ("network", [n[2] for n in nets]),
              "part": list(DEEP_PARTS), "s": grid, "s_empirical": s_emp, "width": np.asarray(widths),
              "seed": np.asarray(seeds)}
    ds = xr.Dataset(
        {"lambda_min": (net_dims, lo), "lambda_max": (net_dims, hi),
         "resolution": (net_dims, EPS * len(x) * hi + err),
         "quadrature_error": (net_dims, err),
         "n_used": ((), len(x)), "n_train": ((), len(x_all))},
        coords=coords)
    ds = ds.assign(finite_dataset(fin, ("network", "width", "seed", "part", "s_empirical"), coords).data_vars)
    ds["lambda_min"].attrs["long_name"] = "smallest eigenvalue of the infinite-width Gram matrix"
    ds["lambda_max"].attrs["long_name"] = "largest eigenvalue of the infinite-width Gram matrix"
    ds["resolution"].attrs["long_name"] = ("eps n lambda_max + quadrature error estimate:"
                                           " lambda_min below it is unresolved")
    ds["quadrature_error"].attrs["long_name"] = ("estimate of the quadrature error of lambda_min"
                                                 " (smooth bases; 0 for ReLU)")
    ds["part"].attrs["description"] = ("output: gradient in the output weights a; hidden: in every hidden layer's "
                                       "weights (the first layer's at depth 1); ntk: the sum")
    ds["depth"].attrs["description"] = "hidden layers"
    ds["parametrisation"].attrs["description"] = (
        "hidden-to-hidden layers h^{l+1} = c m^{-1/2} W sigma_s(h^l): unnormalised c = 1 (the trained networks), "
        "variance_preserving c^2 = 2 / (1 + (1 - s)^2) (hrta.theory.deep_ntk)")
    return ds
