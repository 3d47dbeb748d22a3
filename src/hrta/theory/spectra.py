"""Theorem 1 on an experiment's data: lambda_min and lambda_max of the NTK Gram matrices
against s (infinite width, and finite networks at initialisation), and the verdict, judged
on each part's own scale of lambda_min and "not decidable" where that is rounding noise.

The infinite-width lambda_min comes from hrta.theory.ntk.spectrum, decided on the null space
of G (rounding level beta^2 eps n lambda_max(AA)); each finite Gram matrix is classified
(hrta.theory.nullity): exactly singular, with its null directions counted and their source,
or positive definite, resolved or not."""

import numpy as np
import xarray as xr

from hrta.model.network import initial_network
from hrta.model.run import Numerics
from hrta.theory import ntk, nullity

PART_MEANING = {"output": "output layer, λ_a: gradient in the output weights a",
                "first": "first layer, λ_w: gradient in the first-layer weights w",
                "ntk": "whole NTK, the sum of the two"}
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


def rounding_level(ds: xr.Dataset, part: str) -> np.ndarray:
    """The rounding level of the infinite-width lambda_min against s: the file's (decided on
    the null space of G), else the plain eigensolver's, machine eps x n x lambda_max."""
    if "rounding_level" in ds:
        return ds["rounding_level"].sel(part=part).values
    return plain_level(ds, part)


def plain_level(ds: xr.Dataset, part: str) -> np.ndarray:
    """A plain eigensolver's rounding level of lambda_min of K(s): eps x n x lambda_max(K(s))."""
    return np.finfo(np.float64).eps * int(ds.attrs["n_used"]) * ds["lambda_max"].sel(part=part).values


def monotone_part(lam: np.ndarray, rounding: np.ndarray, s: np.ndarray, tolerance: float,
                  exact: np.ndarray | None = None) -> dict:
    """Is lambda_min (against increasing s) non-decreasing, judged on its own scale?

    A step s_k -> s_k+1 is a decrease when lambda_min falls by more than
    tolerance x lambda_min(s_k) plus the rounding level at both ends. A value at or below
    its rounding level is not resolved, unless ``exact`` marks it as known exactly (the 0 of
    a Gram matrix with exact null directions, rounding level 0). Verdict: "fails" (some
    decrease), "holds" (no decrease and every value resolved) or "not decidable at this
    precision" (no decrease, but some values are rounding noise, so a decrease there could
    not be seen).
    """
    exact = np.zeros(len(lam), dtype=bool) if exact is None else np.asarray(exact, dtype=bool)
    lam, rounding = np.where(exact, 0.0, lam), np.where(exact, 0.0, rounding)
    steps = np.diff(lam)
    allowed = tolerance * np.abs(lam[:-1]) + rounding[:-1] + rounding[1:]
    falls = steps < -allowed
    resolved = (lam > rounding) | exact
    if falls.any():
        verdict = "fails"
    else:
        verdict = "holds" if resolved.all() else "not decidable at this precision"
    both = resolved[:-1] & resolved[1:] & (lam[:-1] > 0)
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


def null_space(ds: xr.Dataset, part: str) -> dict:
    """How the infinite-width lambda_min of a part was decided: mu = lambda_min of AA on the null
    space of G (rank r), the largest relative gap 1 - lambda_min(s) / ((s/2)^2 mu) over the
    grid (never negative: interlacing), and the s where a plain eigensolver's rounding level
    eps n lambda_max(K(s)) reaches lambda_min, so that float64 could not decide it without
    the null space."""
    if "null_space_min" not in ds:
        return {}
    sel = ds.sel(part=part)
    mu = float(sel["null_space_min"])
    s = ds["s"].values
    lam = sel["lambda_min"].values
    plain = lam <= plain_level(ds, part)
    return {"mu": mu, "gram_rank": int(sel["gram_rank"]),
            "formula_gap": float(np.max(1.0 - lam / ((s / 2) ** 2 * mu))) if mu > 0 else None,
            "plain_unresolved_s": [float(v) for v in s[plain]]}


def monotone_verdict(ds: xr.Dataset, tolerance: float) -> dict:
    """Theorem 1 on one experiment: is lambda_min of each analytic part non-decreasing in s?

    Each part is judged on its own scale (``monotone_part``) against its rounding level on
    the null space of G (``null_space``); the experiment's verdict combines the parts'.
    With the numbers behind it.
    """
    s = ds["s"].values
    out = {"n_train": int(ds.attrs["n_train"]), "n_used": int(ds.attrs["n_used"]),
           "s": s.tolist(), "parts": {}}
    for part in ds.part.values:
        lam = ds["lambda_min"].sel(part=part).values
        out["parts"][str(part)] = monotone_part(lam, rounding_level(ds, str(part)), s, tolerance)
        out["parts"][str(part)]["null_space"] = null_space(ds, str(part))
    out["verdict"] = combined(p["verdict"] for p in out["parts"].values())
    out["theorem1_holds"] = out["verdict"] == "holds"
    return out


def at_s(ds: xr.Dataset, s_values, tolerance: float) -> dict:
    """lambda_min and lambda_max of each part at the given s (increasing): infinite width (the
    grid point nearest each s; the grid includes the schedules' s) and the finite networks at
    initialisation (mean over seeds per width, with the class of their Gram matrices:
    ``finite_row``), each with its rounding level and the ``monotone_part`` verdict over
    these s. {part: {"infinite" | width: {...}}}."""
    s_values = sorted(float(v) for v in s_values)
    exact = ds[["lambda_min", "lambda_max"]].sel(s=s_values, method="nearest")
    out = {}
    for part in ds.part.values:
        sel = exact.sel(part=part)
        level = rounding_level(ds, str(part))[np.searchsorted(ds["s"].values, sel["s"].values)]
        rows = {"infinite": {"s": sel["s"].values.tolist(), "lambda_min": sel["lambda_min"].values.tolist(),
                             "lambda_max": sel["lambda_max"].values.tolist(), "rounding_level": level.tolist(),
                             "n_seeds": None,
                             "verdict": monotone_part(sel["lambda_min"].values, level, sel["s"].values,
                                                      tolerance)["verdict"]}}
        finite = ds.sel(part=part).sel(s_empirical=s_values, method="nearest")
        for width in ds.width.values:
            rows[int(width)] = finite_row(finite.sel(width=width), int(ds.attrs["n_used"]), tolerance)
        out[str(part)] = rows
    return out


def seed_classes(classes: np.ndarray, nulls: np.ndarray) -> list[str]:
    """Each seed's class over its s (arrays (seed, s)): 'singular' with exact null
    directions at some s, else 'unresolved' with lambda_min at rounding level at some s,
    else 'resolved'."""
    return ["singular" if (k > 0).any() else "unresolved" if (c == "unresolved").any() else "resolved"
            for c, k in zip(classes, nulls)]


def finite_row(at_w: xr.Dataset, n_used: int, tolerance: float) -> dict:
    """The finite networks of one width and part over their s: seed means of lambda_min (0
    where exactly singular), lambda_max, lambda_min beyond the exact null directions and the
    rounding level; how many seeds' Gram matrices are of each class (``seed_classes``), their
    null directions (fewest, most) and sources; the verdict on lambda_min (an exact 0 where
    singular) and on lambda_min beyond the null directions, per seed, combined."""
    s = at_w["s_empirical"].values
    lam, top = at_w["empirical_lambda_min"].values, at_w["empirical_lambda_max"].values
    beyond, nulls = at_w["empirical_lambda_beyond_null"].values, at_w["empirical_null_directions"].values
    level = np.finfo(np.float64).eps * n_used * top
    singular = nulls > 0
    seeds = range(len(lam))
    kinds = seed_classes(at_w["empirical_class"].values, nulls)
    per_seed = [monotone_part(lam[j], level[j], s, tolerance, exact=singular[j])["verdict"] for j in seeds]
    per_seed_beyond = [monotone_part(beyond[j], level[j], s, tolerance)["verdict"] for j in seeds]
    return {"s": s.tolist(), "lambda_min": np.where(singular, 0.0, lam).mean(axis=0).tolist(),
            "lambda_max": top.mean(axis=0).tolist(), "rounding_level": level.mean(axis=0).tolist(),
            "lambda_beyond_null": beyond.mean(axis=0).tolist(), "n_seeds": len(lam),
            "classes": {c: kinds.count(c) for c in nullity.CLASSES if c in kinds},
            "null_directions": [int(nulls[singular].min()), int(nulls[singular].max())] if singular.any() else [0, 0],
            "sources": sorted({str(v) for v in at_w["empirical_source"].values.ravel() if str(v)}),
            "verdict": combined(per_seed), "beyond_null_verdict": combined(per_seed_beyond)}
