"""Table 1: final training loss and test error per method and width, mean ± std over seeds
(the seeds that did not diverge; the diverged ones counted)."""

import numpy as np
import pandas as pd
import xarray as xr

from hrta.reporting.facts import compared_loss, error_label, method_labels
from hrta.reporting.numbers.dynamics import drifting, dynamics


def summary(aggregates: dict[str, xr.Dataset]) -> pd.DataFrame:
    """Long table: one row per (experiment, optimizer, method, width).

    ``n_seeds`` counts the runs trained (a width of ``max_seeds`` has fewer); diverged runs
    are counted in ``n_diverged`` and left out of the mean and std. A loss
    that is a gap (a Ritz energy) is given as the gap to the exact solution's loss. ``drift``:
    the median final loss over the run's minimum where the method drifts up after its
    minimum (hrta.reporting.numbers.dynamics.drifting), else NaN; ``tail``: the median fall
    over the last 10% of the ``epochs`` (1: converged).
    """
    rows = []
    for exp, agg in aggregates.items():
        labels = method_labels(agg)
        final_loss, gap = compared_loss(agg, "final_loss"), bool(agg["loss_is_gap"])
        error_name = error_label(agg)
        dyn = dynamics(agg)
        drift, tail = drifting(dyn), dyn["tail"].median("seed")
        for opt in agg.optimizer.values:
            for method in labels:  # config order: the baseline first
                for width in agg.width.values:
                    where = {"optimizer": opt, "method": method, "width": width}
                    sel = agg.sel(where)
                    loss, err = final_loss.sel(where).values, sel["final_test_error"].values
                    rows.append({
                        "experiment": exp, "optimizer": str(opt), "method": str(method),
                        "label": labels[str(method)], "width": int(width),
                        "n_seeds": int(sel["trained"].sum()) if "trained" in sel else int(sel.sizes["seed"]),
                        "n_diverged": int(sel["diverged"].sum()), "loss_is_gap": gap, "error_name": error_name,
                        "loss_mean": _stat(np.nanmean, loss), "loss_std": _stat(_std, loss),
                        "error_mean": _stat(np.nanmean, err), "error_std": _stat(_std, err),
                        "drift": float(drift.sel(where)), "tail": float(tail.sel(where)),
                        "epochs": int(agg.sizes["epoch"] - 1), "baseline": bool(sel["is_baseline"]),
                    })
    return pd.DataFrame(rows)


def _std(values):
    return np.nanstd(values, ddof=1) if np.isfinite(values).sum() > 1 else np.nan


def _stat(fn, values):
    return float(fn(values)) if np.isfinite(values).any() else float("nan")
