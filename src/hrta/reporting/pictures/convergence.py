"""Convergence figures: chosen metrics over epochs, one row per (optimizer, metric), one panel per width."""

import warnings

import numpy as np
import xarray as xr
from matplotlib import pyplot as plt

from hrta.pipeline.config import METRICS
from hrta.reporting.facts import compared_loss, error_label, loss_label, method_labels, switch_epochs
from hrta.reporting.numbers.dynamics import drifting, dynamics
from hrta.reporting.pictures import style

MAX_POINTS = 400  # epochs drawn per line; the curves are smooth at this resolution


def _metric(agg: xr.Dataset, metric: str) -> tuple[xr.DataArray, str, str]:
    """(values, epoch dim, axis label) of a metric; a loss that is a gap is drawn as the gap."""
    if metric == "loss":
        return compared_loss(agg), "epoch", loss_label(agg)
    if metric == "test_error":
        return agg["test_error"], "eval_epoch", error_label(agg)
    raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")


def _thinned(da: xr.DataArray, dim: str) -> xr.DataArray:
    """At most MAX_POINTS epochs of a line, evenly spaced, the last one kept."""
    stride = max(1, da.sizes[dim] // MAX_POINTS)
    return da.isel({dim: np.unique(np.append(np.arange(0, da.sizes[dim], stride), da.sizes[dim] - 1))})


def _lines(ax, da: xr.DataArray, dim: str, labels: dict, palette: dict, legend: bool) -> None:
    """Per method, the median over seeds as a line and the min-max range as a band (NaN left
    out: a diverged run's epochs after divergence)."""
    thin = _thinned(da, dim)
    x = thin[dim].values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an epoch where every seed is NaN
        median, low, high = (thin.median("seed").values, thin.min("seed").values, thin.max("seed").values)
    for k, method in enumerate(thin.method.values):
        colour = palette[labels[str(method)]]
        ax.fill_between(x, low[k], high[k], color=colour, alpha=0.2, linewidth=0)
        ax.plot(x, median[k], color=colour, label=labels[str(method)] if legend else None)
    if legend:
        ax.legend()


def convergence_figure(agg: xr.Dataset, stem: str, title: str,
                       metrics=METRICS) -> list[str]:
    """Rows: the given metrics; columns: each optimizer's widths, side by side (a row shares
    its y axis), so that the figure stays wider than tall.

    Lines are the median over seeds, bands the min-max range; a cross marks the epoch
    where a run diverged, a dotted line a homotopy switch, a triangle the median minimum of
    a method that drifts up after it (hrta.reporting.numbers.dynamics.drifting). A loss that is a gap (a Ritz
    energy) is drawn minus the aggregate's reference_loss; on the log scale, non-positive
    values are left out.
    """
    labels = method_labels(agg)
    palette = style.method_palette(agg)
    drawn = [_metric(agg, m) for m in metrics]
    dyn = dynamics(agg)
    drift, lowest = drifting(dyn), dyn["min_epoch"].where(dyn["min_epoch"] >= 0).median("seed")  # trained runs
    optimizers, widths = list(agg.optimizer.values), list(agg.width.values)
    columns = [(opt, width) for opt in optimizers for width in widths]
    with style.paper_style():
        fig, axes = plt.subplots(len(drawn), len(columns), figsize=style.figure_size(len(drawn)),
                                 squeeze=False, sharex=True, sharey="row")
        for r, (da, dim, ylabel) in enumerate(drawn):
            for c, (opt, width) in enumerate(columns):
                ax = axes[r, c]
                sub = da.sel(optimizer=opt, width=width).transpose("method", "seed", dim)
                _lines(ax, sub, dim, labels, palette, legend=(r == 0 and c == len(columns) - 1))
                _mark_divergence(ax, agg.sel(optimizer=opt, width=width), sub, dim, labels, palette)
                if dim == "epoch":
                    where = {"optimizer": opt, "width": width}
                    _mark_drift(ax, drift.sel(where), lowest.sel(where), sub, labels, palette)
                for epoch in switch_epochs(agg):
                    ax.axvline(epoch, color="0.5", linestyle=":", linewidth=0.8)
                style.log_y(ax)
                ax.set_title(f"{opt}\nm = {width}" if r == 0 else "")  # columns keep their order down the rows
                ax.set_ylabel(ylabel if c == 0 else "")
                ax.set_xlabel("epoch" if r == len(drawn) - 1 else "")
        fig.suptitle(title)
        _legend_below(fig, axes[0, -1])
        return style.save(fig, stem)


def _legend_below(fig, ax) -> None:
    """Move the one panel legend below the panels (one row), where it hides no curve."""
    legend = ax.get_legend()
    if legend is None:
        return
    handles, names = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    legend.remove()
    fig.legend(handles, names, loc="outside lower center", ncol=min(len(names), 4), frameon=False)


def _mark_divergence(ax, runs: xr.Dataset, da: xr.DataArray, dim: str, labels, palette) -> None:
    for method in runs.method.values:
        for seed in runs.seed.values:
            at = int(runs["diverged_epoch"].sel({"method": method, "seed": seed}))
            if at < 0:
                continue
            line = da.sel({"method": method, "seed": seed})
            finite = line.where(np.isfinite(line) & (line[dim] <= at), drop=True)
            y = float(finite[-1]) if finite.size else float(np.nanmax(da))
            ax.scatter([at], [y], marker="x", s=30, color=palette[labels[str(method)]], zorder=5)


def _mark_drift(ax, drift: xr.DataArray, lowest: xr.DataArray, da: xr.DataArray, labels, palette) -> None:
    """A triangle at the median epoch of the minimum of each method that drifts up after it."""
    for method in drift.method.values:
        if np.isnan(float(drift.sel({"method": method}))):
            continue
        at = int(round(float(lowest.sel({"method": method}))))
        y = float(da.sel({"method": method, "epoch": at}).median("seed"))
        ax.scatter([at], [y], marker="v", s=28, color=palette[labels[str(method)]], edgecolor="black",
                   linewidth=0.5, zorder=6)
