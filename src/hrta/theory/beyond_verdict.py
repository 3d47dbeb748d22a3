"""Theorem 1's verdict beyond two-layer ReLU, on the spectra of hrta.theory.beyond: per
experiment and network, is lambda_min of each NTK part non-decreasing in s (judged against
the resolution level the spectra carry), on which s intervals does it decrease, the finite
networks beside it, and per parametrisation of the deep ReLU networks the depth from which
it fails. Reads the spectra only: no torch."""

import numpy as np
import xarray as xr

from hrta.theory.monotone import combined, finite_row, monotone_part


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
    Gram matrices and verdict over their s (``finite_row``, per width).
    Verdict per network over experiments, and per parametrisation of the deep ReLU networks
    the depths where it holds and fails (``by_parametrisation``)."""
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
                res["finite"] = {str(int(w)): finite_row(p.sel(width=w), n_used, tolerance) for w in p.width.values
                                 if (p["empirical_class"].sel(width=w) != "none").all()}
                parts[str(part)] = res
            entry["networks"][str(net)] = {**_identity(sel), "parts": parts,
                                           "verdict": combined(v["verdict"] for v in parts.values())}
        out["experiments"][str(ds["experiment"].values)] = entry
    for net in spectra[0].network.values:
        verdicts = [e["networks"][str(net)]["verdict"] for e in out["experiments"].values()]
        out["networks"][str(net)] = {**_identity(spectra[0].sel(network=net)), "verdict": combined(verdicts)}
    out["verdict"] = combined(v["verdict"] for v in out["networks"].values())
    out["parametrisations"] = by_parametrisation(out)
    return out


def _identity(sel: xr.Dataset) -> dict:
    return {"base": str(sel["base"].values), "depth": int(sel["depth"].values),
            "parametrisation": str(sel["parametrisation"].values)}


def by_parametrisation(verdict: dict) -> dict:
    """{parametrisation: the deep ReLU networks' depths, those where lambda_min of the whole
    NTK holds (every part, every experiment), those where it fails, the depth from which it
    fails at every deeper depth tried (None if the deepest holds), and per failing depth the
    s intervals where the whole NTK's lambda_min decreases, per experiment}. The two-layer
    network (depth 1) belongs to both."""
    relu = {n: e for n, e in verdict["networks"].items() if e["base"] == "relu"}
    two_layer = [n for n, e in relu.items() if e["depth"] == 1]
    out = {}
    for param in dict.fromkeys(e["parametrisation"] for e in relu.values()):
        names = two_layer + [n for n, e in relu.items() if e["parametrisation"] == param and e["depth"] > 1]
        names.sort(key=lambda n: relu[n]["depth"])
        depths = [relu[n]["depth"] for n in names]
        fails = [relu[n]["depth"] for n in names if relu[n]["verdict"] == "fails"]
        start = None
        for depth in reversed(depths):
            if depth not in fails:
                break
            start = depth
        intervals = {str(relu[n]["depth"]): {exp: e["networks"][n]["parts"]["ntk"]["decreasing_intervals"]
                                             for exp, e in verdict["experiments"].items()}
                     for n in names if relu[n]["verdict"] == "fails"}
        out[param] = {"depths": depths, "holds": [relu[n]["depth"] for n in names if relu[n]["verdict"] == "holds"],
                      "fails": fails, "fails_from_depth": start, "decreasing_intervals": intervals}
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
