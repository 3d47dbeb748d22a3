"""The switch figure of an experiment: the loss jump at each schedule's switch against width,
per optimizer, from the run measures (hrta.reporting.numbers.dynamics): the median over
seeds with its min-max bar, filled where most seeds recovered (their loss fell below its
value before the switch again), empty where most never did."""

import numpy as np
import xarray as xr

from hrta.reporting.pictures import style


def switch_figure(dyn: xr.Dataset, stem: str) -> list[str]:
    """One panel per optimizer; one line per HRTA schedule (its first switch)."""
    optimizers = list(dyn.optimizer.values)
    methods = [m for m, base in zip(dyn.method.values, dyn["is_baseline"].values) if not base]
    colours = dict(zip(methods, style.COLORBLIND))
    widths = dyn.width.values
    with style.paper_style():
        fig, axes = style.plt.subplots(1, len(optimizers), figsize=(style.TEXT_WIDTH_IN, 2.6), squeeze=False,
                                       sharey=True)
        for ax, opt in zip(axes[0], optimizers):
            for method in methods:
                cell = dyn.sel({"optimizer": opt, "method": method}).isel(switch=0)
                shock = cell["shock"].transpose("width", "seed").values
                if not np.isfinite(shock).any():
                    continue
                with np.errstate(all="ignore"):
                    median, low, high = np.nanmedian(shock, 1), np.nanmin(shock, 1), np.nanmax(shock, 1)
                recovered = np.isfinite(cell["recovery"].transpose("width", "seed").values).mean(1) > 0.5
                colour = colours[method]
                label = str(dyn["label"].sel({"method": method}).values)
                ax.errorbar(widths, median, yerr=[median - low, high - median], color=colour, lw=0.9, capsize=2,
                            label=label)
                for w, m, r in zip(widths, median, recovered):
                    ax.scatter([w], [m], s=20, zorder=3, edgecolor=colour, facecolor=colour if r else "white")
            ax.axhline(1.0, color="black", lw=0.7)
            ax.set(xscale="log", yscale="log", title=str(opt), xlabel="width m")
            ax.set_xticks(widths, [f"{int(w):,}" for w in widths])
            ax.xaxis.set_minor_formatter(style.plt.NullFormatter())
        axes[0, 0].set_ylabel("loss after / before the switch\n(filled: most seeds recovered)")
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 3), frameon=False)
        fig.suptitle(f"{dyn['experiment'].values}: the loss jump at the switch, {dyn.sizes['seed']} seeds")
        return style.save(fig, stem)
