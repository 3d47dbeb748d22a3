"""Theorem 1 on an experiment's data: lambda_min and lambda_max of the NTK Gram matrices
against s (infinite width, and finite networks at initialisation), and the verdict."""

import numpy as np
import xarray as xr

from hrta.model.network import initial_network
from hrta.theory import ntk


def subsample(x: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Indices of at most max_points rows of x, drawn without replacement (sorted); all if fewer."""
    if len(x) <= max_points:
        return np.arange(len(x))
    return np.sort(np.random.default_rng(seed).choice(len(x), max_points, replace=False))


def s_grid(theory: dict, experiment: dict) -> np.ndarray:
    """The fine grid of s, plus every s that the experiment's schedules use."""
    grid = np.linspace(theory["s_min"], theory["s_max"], theory["s_points"])
    used = [st["s"] for m in experiment["methods"] for st in m["schedule"]]
    return np.union1d(np.round(grid, 12), used)


def spectra(dataset: xr.Dataset, experiment: dict, training: dict, theory: dict) -> xr.Dataset:
    """lambda_min and lambda_max of each NTK part against s on the training inputs.

    Analytic (infinite width) on the fine grid; empirical at initialisation for every
    width and seed of the experiment on the coarser grid ``theory['empirical_s']``.
    """
    x_all = dataset["x_train"].values
    keep = subsample(x_all, theory["max_points"], theory["subsample_seed"])
    x = x_all[keep]
    grid = s_grid(theory, experiment)
    basis = ntk.analytic_basis(x, training["bias"])
    analytic = np.array([ntk.spectrum(basis.part(p), grid) for p in ntk.PARTS])  # part, 2, s
    s_emp = np.asarray(theory["empirical_s"], dtype=np.float64)
    widths, seeds = experiment["widths"], experiment["seeds"]
    emp = np.empty((len(widths), len(seeds), len(ntk.PARTS), 2, len(s_emp)))
    for i, width in enumerate(widths):
        for j, seed in enumerate(seeds):
            net = initial_network(x.shape[1], width, seed, training)
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
    ds["part"].attrs["description"] = ("output: gradient in the output weights a (lambda_a); first: "
                                       "gradient in the first layer w (lambda_w); ntk: their sum")
    ds["train_index"].attrs["description"] = "training points used (a random subsample if n_train > max_points)"
    return ds


def monotone_verdict(ds: xr.Dataset, tolerance: float) -> dict:
    """Theorem 1 on one experiment: is lambda_min of each analytic part non-decreasing in s?

    A step counts as a decrease when lambda_min falls by more than tolerance * max lambda_max
    (the eigensolver's rounding level). Returns the verdict and the numbers behind it.
    """
    out = {"n_train": int(ds.attrs["n_train"]), "n_used": int(ds.attrs["n_used"]),
           "s": ds["s"].values.tolist(), "parts": {}}
    for part in ds.part.values:
        lam = ds["lambda_min"].sel(part=part).values
        slack = tolerance * float(ds["lambda_max"].sel(part=part).max())
        steps = np.diff(lam)
        out["parts"][str(part)] = {
            "non_decreasing": bool((steps >= -slack).all()),
            "largest_decrease": float(max(0.0, -steps.min())),
            "allowed_decrease": slack,
            "lambda_min": lam.tolist(),
            "lambda_max": ds["lambda_max"].sel(part=part).values.tolist(),
        }
    out["theorem1_holds"] = all(p["non_decreasing"] for p in out["parts"].values())
    return out
