"""Convergence figures: loss and test error over epochs, one panel per width."""

import json

import numpy as np
import pandas as pd
import seaborn as sns
import xarray as xr
from matplotlib import pyplot as plt

from hrta import style
from hrta.schedule import Schedule

MAX_POINTS = 400  # epochs drawn per line; the curves are smooth at this resolution


def method_labels(agg: xr.Dataset) -> dict:
    """Method name -> label derived from its schedule ('ReLU', 'HRTA 0.5→1', ...)."""
    exp = json.loads(agg.attrs["config"])
    return {m["name"]: Schedule(m["schedule"]).label() for m in exp["methods"]}


def _long_frame(da: xr.DataArray, dim: str, labels: dict) -> pd.DataFrame:
    stride = max(1, da.sizes[dim] // MAX_POINTS)
    keep = np.unique(np.append(np.arange(0, da.sizes[dim], stride), da.sizes[dim] - 1))
    df = da.isel({dim: keep}).to_dataframe(name="value").reset_index()
    df["method"] = df["method"].map(labels)
    return df.rename(columns={dim: "epoch"})


def convergence_figure(agg: xr.Dataset, stem: str, title: str) -> list[str]:
    """Rows: training loss and test error for each optimizer; columns: widths.

    Lines are the median over seeds, bands the min-max range; a cross marks the epoch
    where a run diverged. A loss with a nonzero reference value (the exact solution's
    loss) is drawn as the gap loss - reference.
    """
    labels = method_labels(agg)
    palette = style.method_palette(list(labels.values()))
    reference = float(agg.attrs.get("reference_loss", 0.0))
    loss = agg["loss"] - reference
    loss_name = agg["loss"].attrs.get("long_name", "training loss")
    loss_label = f"{loss_name} − exact" if reference else loss_name
    metrics = [(loss, "epoch", loss_label), (agg["test_error"], "eval_epoch", "relative L2 error")]
    optimizers, widths = list(agg.optimizer.values), list(agg.width.values)
    rows = [(opt, m) for opt in optimizers for m in metrics]
    with style.paper_style():
        fig, axes = plt.subplots(len(rows), len(widths), figsize=style.figure_size(len(rows), len(widths)),
                                 squeeze=False, sharex=True)
        for r, (opt, (da, dim, ylabel)) in enumerate(rows):
            for c, width in enumerate(widths):
                ax = axes[r, c]
                sub = da.sel(optimizer=opt, width=width)
                df = _long_frame(sub, dim, labels)
                sns.lineplot(df, x="epoch", y="value", hue="method", palette=palette,
                             hue_order=list(palette),
                             estimator="median", errorbar=("pi", 100), ax=ax,
                             legend=(r == 0 and c == len(widths) - 1))
                _mark_divergence(ax, agg.sel(optimizer=opt, width=width), sub, dim, labels, palette)
                ax.set_yscale("log")
                ax.set_title(f"m = {width}, {opt}")
                ax.set_ylabel(ylabel if c == 0 else "")
                ax.set_xlabel("epoch" if r == len(rows) - 1 else "")
        if axes[0, -1].get_legend():
            sns.move_legend(axes[0, -1], "upper right", title=None, frameon=False)
        fig.suptitle(title)
        return style.save(fig, stem)


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
