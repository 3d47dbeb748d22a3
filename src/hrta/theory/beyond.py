"""Theorem 1 beyond two-layer ReLU: lambda_min of the NTK Gram matrix against s for deep
homotopy ReLU networks (hrta.theory.deep_ntk) and two-layer networks with smooth bases
(hrta.theory.smooth_ntk) on the experiments' training inputs, the finite networks at
initialisation beside them (hrta.theory.finite_ntk), and the monotonicity verdict.

A value of lambda_min counts as resolved above its resolution level: the eigensolver's
rounding eps n lambda_max plus, for the smooth bases, the quadrature error estimate of the
Gram matrix (Weyl). The verdict per part is hrta.theory.spectra.monotone_part's."""

import numpy as np
import xarray as xr

from hrta.model.run import Network
from hrta.theory.deep_ntk import DEEP_PARTS, deep_relu_ntk
from hrta.theory.finite_ntk import empirical_ntk, initial_deep_network
from hrta.theory.ntk import features
from hrta.theory.smooth_ntk import smooth_basis
from hrta.theory.spectra import combined, monotone_part, subsample

EPS = np.finfo(np.float64).eps


def networks(beyond: dict) -> list[tuple[str, int]]:
    """(base, depth) of every network of the comparison: ReLU at each depth, then each
    smooth base at depth 1 (two-layer)."""
    return [("relu", int(d)) for d in beyond["relu_depths"]] + [(b, 1) for b in beyond["smooth_bases"]]


def s_grid(beyond: dict) -> np.ndarray:
    """The fine grid of s, with s = 1 (the reference of the ratios) and the finite networks' s."""
    grid = np.round(np.linspace(beyond["s_min"], beyond["s_max"], beyond["s_points"]), 12)
    return np.union1d(grid, [1.0, *beyond["empirical_s"]])


def _infinite(x: np.ndarray, base: str, depth: int, grid: np.ndarray, bias: str, order: dict):
    """(lambda_min, lambda_max, quadrature error) per part and s: arrays (part, s)."""
    lo, hi, err = (np.zeros((len(DEEP_PARTS), len(grid))) for _ in range(3))
    if base == "relu":
        for j, s in enumerate(grid):
            kern = deep_relu_ntk(x, depth, s, bias)
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


def _finite(x: np.ndarray, base: str, depth: int, s_emp: np.ndarray, widths, seeds, bias: str):
    """(lambda_min, lambda_max) of the finite networks: arrays (width, seed, part, s)."""
    lo, hi = (np.empty((len(widths), len(seeds), len(DEEP_PARTS), len(s_emp))) for _ in range(2))
    in_features = features(x[:1], bias).shape[1]
    for a, width in enumerate(widths):
        for b, seed in enumerate(seeds):
            net = initial_deep_network(in_features, int(width), depth, int(seed))
            for j, s in enumerate(s_emp):
                kern = empirical_ntk(net, x, base, s, bias)
                for i, part in enumerate(DEEP_PARTS):
                    lam = np.linalg.eigvalsh(kern[part])
                    lo[a, b, i, j], hi[a, b, i, j] = lam[0], lam[-1]
    return lo, hi


def experiment_spectra(x_all: np.ndarray, beyond: dict, bias: str, subsample_seed: int) -> xr.Dataset:
    """lambda_min, lambda_max and resolution level of every network's Gram parts against s
    on one experiment's training inputs (a subsample of at most ``max_points``)."""
    keep = subsample(x_all, beyond["max_points"], subsample_seed)
    x = x_all[keep]
    grid, s_emp = s_grid(beyond), np.asarray(beyond["empirical_s"], dtype=np.float64)
    widths, seeds = beyond["widths"], beyond["seeds"]
    nets = networks(beyond)
    inf = [_infinite(x, base, depth, grid, bias, beyond["quadrature_order"]) for base, depth in nets]
    fin = [_finite(x, base, depth, s_emp, widths, seeds, bias) for base, depth in nets]
    lo, hi, err = (np.array([v[k] for v in inf]) for k in range(3))
    net_dims, fin_dims = ("network", "part", "s"), ("network", "width", "seed", "part", "s_empirical")
    ds = xr.Dataset(
        {"lambda_min": (net_dims, lo), "lambda_max": (net_dims, hi),
         "resolution": (net_dims, EPS * len(x) * hi + err),
         "quadrature_error": (net_dims, err),
         "empirical_lambda_min": (fin_dims, np.array([v[0] for v in fin])),
         "empirical_lambda_max": (fin_dims, np.array([v[1] for v in fin])),
         "n_used": ((), len(x)), "n_train": ((), len(x_all))},
        coords={"network": [Network(*n).slug for n in nets], "base": ("network", [b for b, _ in nets]),
                "depth": ("network", [d for _, d in nets]), "part": list(DEEP_PARTS), "s": grid,
                "s_empirical": s_emp, "width": np.asarray(widths), "seed": np.asarray(seeds)})
    ds["lambda_min"].attrs["long_name"] = "smallest eigenvalue of the infinite-width Gram matrix"
    ds["lambda_max"].attrs["long_name"] = "largest eigenvalue of the infinite-width Gram matrix"
    ds["resolution"].attrs["long_name"] = ("eps n lambda_max + quadrature error estimate:"
                                           " lambda_min below it is unresolved")
    ds["quadrature_error"].attrs["long_name"] = ("estimate of the quadrature error of lambda_min"
                                                 " (smooth bases; 0 for ReLU)")
    ds["empirical_lambda_min"].attrs["long_name"] = "smallest eigenvalue of the Gram matrix at initialisation"
    ds["empirical_lambda_max"].attrs["long_name"] = "largest eigenvalue of the Gram matrix at initialisation"
    ds["part"].attrs["description"] = ("output: gradient in the output weights a; hidden: in every hidden layer's "
                                       "weights (the first layer's at depth 1); ntk: the sum")
    ds["depth"].attrs["description"] = "hidden layers"
    return ds


def decreasing_intervals(steps: list) -> list[list[float]]:
    """Merge consecutive decreasing grid steps [s_k, s_k+1] into s intervals."""
    out = []
    for lo, hi in steps:
        if out and out[-1][1] == lo:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return out


def beyond_verdict(spectra: list[xr.Dataset], tolerance: float) -> dict:
    """Per experiment and network: is lambda_min of each part non-decreasing in s on the fine
    grid (``monotone_part``), on which s intervals does it decrease, and the finite networks'
    verdict over their s (mean over seeds per width). Verdict per network over experiments."""
    out = {"tolerance": tolerance, "experiments": {}, "networks": {}}
    for ds in spectra:
        n_used = int(ds["n_used"])
        entry = {"n_used": n_used, "n_train": int(ds["n_train"]), "s": ds["s"].values.tolist(), "networks": {}}
        for net in ds.network.values:
            sel = ds.sel(network=net)
            parts = {}
            for part in ds.part.values:
                p = sel.sel(part=part)
                res = monotone_part(p["lambda_min"].values, p["resolution"].values, ds["s"].values, tolerance)
                res["decreasing_intervals"] = decreasing_intervals(res["decreasing_steps"])
                res["ratio_to_s1"] = _ratios(p, ds["s"].values)
                res["finite"] = _finite_verdicts(p, n_used, tolerance)
                parts[str(part)] = res
            entry["networks"][str(net)] = {"base": str(sel["base"].values), "depth": int(sel["depth"].values),
                                           "parts": parts, "verdict": combined(v["verdict"] for v in parts.values())}
        out["experiments"][str(ds["experiment"].values)] = entry
    for net in spectra[0].network.values:
        verdicts = [e["networks"][str(net)]["verdict"] for e in out["experiments"].values()]
        first = next(iter(out["experiments"].values()))["networks"][str(net)]
        out["networks"][str(net)] = {"base": first["base"], "depth": first["depth"], "verdict": combined(verdicts)}
    out["verdict"] = combined(v["verdict"] for v in out["networks"].values())
    return out


def _ratios(p: xr.Dataset, s: np.ndarray) -> dict:
    """lambda_min(s) / lambda_min(1) at the grid's ends and at s = 1/2, 3/2 where resolved."""
    lam, res = p["lambda_min"], p["resolution"]
    ref = float(lam.sel(s=1.0))
    out = {}
    for value in (s[0], 0.5, 1.5, s[-1]):
        at = lam.sel(s=value, method="nearest")
        ok = float(at) > float(res.sel(s=value, method="nearest")) and ref > float(res.sel(s=1.0))
        out[f"{float(at['s']):g}"] = float(at) / ref if ok else None
    return out


def _finite_verdicts(p: xr.Dataset, n_used: int, tolerance: float) -> dict:
    """{width: verdict over the empirical s} of the seed-mean lambda_min at initialisation."""
    out = {}
    s = p["s_empirical"].values
    for width in p.width.values:
        at = p.sel(width=width)
        lam = at["empirical_lambda_min"].mean("seed").values
        rounding = EPS * n_used * at["empirical_lambda_max"].mean("seed").values
        out[str(int(width))] = {"lambda_min": lam.tolist(),
                                "verdict": monotone_part(lam, rounding, s, tolerance)["verdict"]}
    return out
