"""Is lambda_min non-decreasing in s? The verdict on one curve, judged on its own scale
against its rounding level (``monotone_part``), verdicts combined (``combined``), and the
finite networks of one width over their s, their Gram matrices classified by
hrta.theory.nullity (``finite_row``). Numbers in, verdicts out: no torch, so that the
verdict jobs, which only read spectra, start light."""

import numpy as np
import xarray as xr

from hrta.theory import nullity


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
