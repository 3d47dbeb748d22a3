"""Theorem 1 on an experiment's data: lambda_min and lambda_max of the NTK Gram matrices
against s (infinite width, and finite networks at initialisation), and the verdict, judged
on each part's own scale of lambda_min and "not decidable" where that is rounding noise."""

import numpy as np
import xarray as xr

from hrta.model.network import initial_network
from hrta.model.run import Numerics
from hrta.theory import ntk

PART_MEANING = {"output": "output layer, λ_a: gradient in the output weights a",
                "first": "first layer, λ_w: gradient in the first-layer weights w",
                "ntk": "whole NTK, the sum of the two"}


def subsample(x: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Indices of at most max_points rows of x, drawn without replacement (sorted); all if fewer."""
    if len(x) <= max_points:
        return np.arange(len(x))
    return np.sort(np.random.default_rng(seed).choice(len(x), max_points, replace=False))


def s_grid(theory: dict, used_s) -> np.ndarray:
    """The fine grid of s, plus every s that the experiment's schedules use (``used_s``)."""
    grid = np.linspace(theory["s_min"], theory["s_max"], theory["s_points"])
    return np.union1d(np.round(grid, 12), list(used_s))


def spectra(dataset: xr.Dataset, widths: list, seeds: list, used_s: list, numerics: Numerics,
            theory: dict) -> xr.Dataset:
    """lambda_min and lambda_max of each NTK part against s on the training inputs.

    Analytic (infinite width) on the fine grid plus ``used_s``; empirical at initialisation
    for every width and seed on the coarser grid ``theory['empirical_s']``.
    """
    x_all = dataset["x_train"].values
    keep = subsample(x_all, theory["max_points"], theory["subsample_seed"])
    x = x_all[keep]
    grid = s_grid(theory, used_s)
    basis = ntk.analytic_basis(x, numerics.bias)
    analytic = np.array([ntk.spectrum(basis.part(p), grid) for p in ntk.PARTS])  # part, 2, s
    s_emp = np.asarray(theory["empirical_s"], dtype=np.float64)
    emp = np.empty((len(widths), len(seeds), len(ntk.PARTS), 2, len(s_emp)))
    for i, width in enumerate(widths):
        for j, seed in enumerate(seeds):
            net = initial_network(x.shape[1], width, seed, numerics)
            fin = ntk.empirical_basis(net, x)
            for k, part in enumerate(ntk.PARTS):
                kern = fin.part(part)
                emp[i, j, k] = np.array([ntk.extreme_eigenvalues(kern.at(s)) for s in s_emp]).T
    ds = xr.Dataset(
        {
            "lambda_min": (("part", "s"), analytic[:, 0]),
            "lambda_max": (("part", "s"), analytic[:, 1]),
            "empirical_lambda_min": (("width", "seed", "part", "s_empirical"), emp[:, :, :, 0]),
            "empirical_lambda_max": (("width", "seed", "part", "s_empirical"), emp[:, :, :, 1]),
            "train_index": ("point", keep),
        },
        coords={"part": list(ntk.PARTS), "s": grid, "s_empirical": s_emp,
                "width": np.asarray(widths), "seed": np.asarray(seeds)},
        attrs={"n_train": len(x_all), "n_used": len(x)},
    )
    ds["lambda_min"].attrs["long_name"] = "smallest eigenvalue of the infinite-width Gram matrix"
    ds["lambda_max"].attrs["long_name"] = "largest eigenvalue of the infinite-width Gram matrix"
    ds["empirical_lambda_min"].attrs["long_name"] = "smallest eigenvalue of the Gram matrix at initialisation"
    ds["empirical_lambda_max"].attrs["long_name"] = "largest eigenvalue of the Gram matrix at initialisation"
    ds["part"].attrs["description"] = "; ".join(f"{k}: {v}" for k, v in PART_MEANING.items())
    ds["train_index"].attrs["description"] = "training points used (a random subsample if n_train > max_points)"
    return ds


def rounding_level(ds: xr.Dataset, part: str) -> np.ndarray:
    """The eigensolver's rounding level of lambda_min against s: machine eps x n x lambda_max."""
    return np.finfo(np.float64).eps * int(ds.attrs["n_used"]) * ds["lambda_max"].sel(part=part).values


def monotone_part(lam: np.ndarray, rounding: np.ndarray, s: np.ndarray, tolerance: float) -> dict:
    """Is lambda_min (against increasing s) non-decreasing, judged on its own scale?

    A step s_k -> s_k+1 is a decrease when lambda_min falls by more than
    tolerance x lambda_min(s_k) plus the rounding level at both ends. A value at or below
    its rounding level is not resolved. Verdict: "fails" (some decrease), "holds" (no
    decrease and every value resolved) or "not decidable at this precision" (no decrease,
    but some values are rounding noise, so a decrease there could not be seen).
    """
    steps = np.diff(lam)
    allowed = tolerance * np.abs(lam[:-1]) + rounding[:-1] + rounding[1:]
    falls = steps < -allowed
    resolved = lam > rounding
    if falls.any():
        verdict = "fails"
    else:
        verdict = "holds" if resolved.all() else "not decidable at this precision"
    both = resolved[:-1] & resolved[1:]
    relative = -steps[both] / lam[:-1][both]
    return {
        "verdict": verdict,
        "decreasing_steps": [[float(s[k]), float(s[k + 1])] for k in np.flatnonzero(falls)],
        "largest_relative_decrease": float(max(0.0, relative.max(initial=0.0))),  # between resolved values
        "unresolved_s": [float(v) for v in s[~resolved]],
        "lambda_min_range": [float(lam.min()), float(lam.max())],
        "rounding_level_range": [float(rounding.min()), float(rounding.max())],
    }


def combined(verdicts) -> str:
    """One verdict from several: fails if any fails, holds if all hold, else not decidable."""
    verdicts = list(verdicts)
    if "fails" in verdicts:
        return "fails"
    return "holds" if all(v == "holds" for v in verdicts) else "not decidable at this precision"


def monotone_verdict(ds: xr.Dataset, tolerance: float) -> dict:
    """Theorem 1 on one experiment: is lambda_min of each analytic part non-decreasing in s?

    Each part is judged on its own scale (``monotone_part``); the experiment's verdict
    combines the parts'. With the numbers behind it.
    """
    s = ds["s"].values
    out = {"n_train": int(ds.attrs["n_train"]), "n_used": int(ds.attrs["n_used"]),
           "s": s.tolist(), "parts": {}}
    for part in ds.part.values:
        lam = ds["lambda_min"].sel(part=part).values
        out["parts"][str(part)] = monotone_part(lam, rounding_level(ds, str(part)), s, tolerance)
    out["verdict"] = combined(p["verdict"] for p in out["parts"].values())
    out["theorem1_holds"] = out["verdict"] == "holds"
    return out


def at_s(ds: xr.Dataset, s_values, tolerance: float) -> dict:
    """lambda_min and lambda_max of each part at the given s (increasing): infinite width (the
    grid point nearest each s; the grid includes the schedules' s) and the finite networks at
    initialisation (mean over seeds per width), each with its rounding level and the
    ``monotone_part`` verdict over these s. {part: {"infinite" | width: {...}}}."""
    s_values = sorted(float(v) for v in s_values)
    eps_n = np.finfo(np.float64).eps * int(ds.attrs["n_used"])
    exact = ds[["lambda_min", "lambda_max"]].sel(s=s_values, method="nearest")
    out = {}
    for part in ds.part.values:
        sel = exact.sel(part=part)
        rows = {"infinite": _row(sel["s"].values, sel["lambda_min"].values, sel["lambda_max"].values,
                                 eps_n, tolerance, None)}
        finite = ds.sel(part=part).sel(s_empirical=s_values, method="nearest")
        for width in ds.width.values:
            at_w = finite.sel(width=width)
            rows[int(width)] = _row(finite["s_empirical"].values, at_w["empirical_lambda_min"].mean("seed").values,
                                    at_w["empirical_lambda_max"].mean("seed").values, eps_n, tolerance,
                                    int(ds.sizes["seed"]))
        out[str(part)] = rows
    return out


def _row(s, lam_min, lam_max, eps_n, tolerance, n_seeds) -> dict:
    rounding = eps_n * lam_max
    return {"s": s.tolist(), "lambda_min": lam_min.tolist(), "lambda_max": lam_max.tolist(),
            "rounding_level": rounding.tolist(), "n_seeds": n_seeds,
            "verdict": monotone_part(lam_min, rounding, s, tolerance)["verdict"]}
