"""Theorem 1's verdict on an experiment's spectra (written by hrta.theory.spectra): is
lambda_min of each NTK part non-decreasing in s, judged on its own scale and decided on the
null space of G (``monotone_verdict``), and lambda_min, lambda_max at given s, infinite
width and the finite networks at initialisation (``at_s``). Reads the spectra only: no
torch."""

import numpy as np
import xarray as xr

from hrta.theory.monotone import combined, finite_row, monotone_part

PART_MEANING = {"output": "output layer, λ_a: gradient in the output weights a",
                "first": "first layer, λ_w: gradient in the first-layer weights w",
                "ntk": "whole NTK, the sum of the two"}


def rounding_level(ds: xr.Dataset, part: str) -> np.ndarray:
    """The rounding level of the infinite-width lambda_min against s: the file's (decided on
    the null space of G), else the plain eigensolver's, machine eps x n x lambda_max."""
    if "rounding_level" in ds:
        return ds["rounding_level"].sel(part=part).values
    return plain_level(ds, part)


def plain_level(ds: xr.Dataset, part: str) -> np.ndarray:
    """A plain eigensolver's rounding level of lambda_min of K(s): eps x n x lambda_max(K(s))."""
    return np.finfo(np.float64).eps * int(ds.attrs["n_used"]) * ds["lambda_max"].sel(part=part).values


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
