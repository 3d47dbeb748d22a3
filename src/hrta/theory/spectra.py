"""Theorem 1 on an experiment's data: lambda_min and lambda_max of the NTK Gram matrices
against s (infinite width, and finite networks at initialisation); the verdict on them is
hrta.theory.theorem1_verdict's.

The infinite-width lambda_min comes from hrta.theory.ntk.spectrum, decided on the null space
of G (rounding level beta^2 eps n lambda_max(AA)); each finite Gram matrix is classified
(hrta.theory.nullity): exactly singular, with its null directions counted and their source,
or positive definite, resolved or not."""

import numpy as np
import xarray as xr

from hrta.model.network import initial_network
from hrta.model.run import Numerics
from hrta.theory import ntk, nullity
from hrta.theory.theorem1_verdict import PART_MEANING

FINITE = ("lambda_min", "lambda_max", "lambda_beyond_null", "null_directions", "class", "source")


def subsample(x: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Indices of at most max_points rows of x, drawn without replacement (sorted); all if fewer."""
    if len(x) <= max_points:
        return np.arange(len(x))
    return np.sort(np.random.default_rng(seed).choice(len(x), max_points, replace=False))


def s_grid(theory: dict, used_s) -> np.ndarray:
    """The fine grid of s, plus every s that the experiment's schedules use (``used_s``)."""
    grid = np.linspace(theory["s_min"], theory["s_max"], theory["s_points"])
    return np.union1d(np.round(grid, 12), list(used_s))


def two_layer_bounds(w: np.ndarray, xt: np.ndarray, x: np.ndarray) -> dict:
    """{part: nullity.Bound} of the two-layer homotopy ReLU network with first layer w (m, d~)."""
    bounds = nullity.rank_bounds(x, xt.shape[1], len(w), 1, True, [xt @ w.T], [nullity.magnitude(xt, w)])
    return {"first" if part == "hidden" else part: bound for part, bound in bounds.items()}


def finite_dataset(classes: np.ndarray, dims: tuple, coords: dict) -> xr.Dataset:
    """The finite networks' classified Gram matrices (an object array of nullity.classify
    dicts over ``dims``) as variables empirical_<key>."""
    data = {}
    for key in FINITE:
        values = np.vectorize(lambda c, key=key: c[key], otypes=[object])(classes)
        kind = str if key in ("class", "source") else int if key == "null_directions" else float
        data[f"empirical_{key}"] = (dims, values.astype(kind))
    ds = xr.Dataset(data, coords=coords)
    ds["empirical_lambda_min"].attrs["long_name"] = "smallest eigenvalue of the Gram matrix at initialisation"
    ds["empirical_lambda_max"].attrs["long_name"] = "largest eigenvalue of the Gram matrix at initialisation"
    ds["empirical_lambda_beyond_null"].attrs["long_name"] = (
        "smallest eigenvalue beyond the exact null directions: lambda_min on the complement of the null space")
    ds["empirical_null_directions"].attrs["long_name"] = "exact null directions (hrta.theory.nullity), 0 if none"
    ds["empirical_class"].attrs["long_name"] = "singular (exact null directions), resolved or unresolved lambda_min"
    ds["empirical_source"].attrs["long_name"] = "where the null directions come from: " + "; ".join(
        f"{k}: {v}" for k, v in nullity.SOURCES.items())
    return ds


def spectra(dataset: xr.Dataset, widths: list, seeds: list, used_s: list, numerics: Numerics,
            theory: dict) -> xr.Dataset:
    """lambda_min and lambda_max of each NTK part against s on the training inputs.

    Analytic (infinite width) on the fine grid plus ``used_s``, with the rounding level of
    lambda_min and mu = lambda_min on the null space of G; empirical at initialisation for
    every width and seed on the coarser grid ``theory['empirical_s']``, each Gram matrix
    classified (``nullity.classify``).
    """
    x_all = dataset["x_train"].values
    keep = subsample(x_all, theory["max_points"], theory["subsample_seed"])
    x = x_all[keep]
    grid = s_grid(theory, used_s)
    basis = ntk.analytic_basis(x, numerics.bias)
    analytic = [ntk.spectrum(basis.part(p), grid) for p in ntk.PARTS]
    s_emp = np.asarray(theory["empirical_s"], dtype=np.float64)
    xt = ntk.features(x, numerics.bias)
    classes = np.empty((len(widths), len(seeds), len(ntk.PARTS), len(s_emp)), dtype=object)
    for i, width in enumerate(widths):
        for j, seed in enumerate(seeds):
            net = initial_network(x.shape[1], width, seed, numerics)
            fin = ntk.empirical_basis(net, x)
            bounds = two_layer_bounds(net.w.detach().double().cpu().numpy(), xt, x)
            for k, part in enumerate(ntk.PARTS):
                kern = fin.part(part)
                for m, s in enumerate(s_emp):
                    classes[i, j, k, m] = nullity.classify(np.linalg.eigvalsh(kern.at(s)), bounds[part])
    coords = {"part": list(ntk.PARTS), "s": grid, "s_empirical": s_emp, "width": np.asarray(widths),
              "seed": np.asarray(seeds)}
    ds = xr.Dataset(
        {
            "lambda_min": (("part", "s"), np.array([a.lambda_min for a in analytic])),
            "lambda_max": (("part", "s"), np.array([a.lambda_max for a in analytic])),
            "rounding_level": (("part", "s"), np.array([a.rounding_level for a in analytic])),
            "null_space_min": ("part", [a.null_space_min for a in analytic]),
            "gram_rank": ("part", [a.factor_rank for a in analytic]),
            "train_index": ("point", keep),
        },
        coords=coords, attrs={"n_train": len(x_all), "n_used": len(x)},
    )
    ds = ds.assign(finite_dataset(classes, ("width", "seed", "part", "s_empirical"), coords).data_vars)
    ds["lambda_min"].attrs["long_name"] = "smallest eigenvalue of the infinite-width Gram matrix"
    ds["lambda_max"].attrs["long_name"] = "largest eigenvalue of the infinite-width Gram matrix"
    ds["rounding_level"].attrs["long_name"] = (
        "rounding level of lambda_min: (s/2)^2 eps n lambda_max(AA), decided on the null space of G")
    ds["null_space_min"].attrs["long_name"] = (
        "mu: lambda_min of the part's ReLU half AA on the null space of G; lambda_min(s) <= (s/2)^2 mu, "
        "= at small s")
    ds["gram_rank"].attrs["long_name"] = "rank of G's multiple in the part (d + 1 with the bias coordinate)"
    ds["part"].attrs["description"] = "; ".join(f"{k}: {v}" for k, v in PART_MEANING.items())
    ds["train_index"].attrs["description"] = "training points used (a random subsample if n_train > max_points)"
    return ds
