"""Figure ``architectures`` (issue 19): the ratio plain/HRTA of the final training loss per
seed for every network (and width) of claims C3 and C4, beside the two-layer ReLU runs of the source
experiment at the same width: one panel per (experiment, optimizer), a colour per schedule,
the median as a bar. Runs that diverged have no ratio and are left out here (the claims
count them)."""

import numpy as np
import seaborn as sns

from hrta.reporting.numbers.architectures import ratios
from hrta.reporting.pictures import style


def architectures_figure(aggregates: dict, sources: dict, stem: str) -> list[str]:
    """Draw the figure; return the paths written."""
    df = ratios(aggregates, sources)
    panels = list(dict.fromkeys(zip(df["experiment"], df["optimizer"])))
    schedules = list(dict.fromkeys(df["schedule"]))
    palette = dict(zip(schedules, style.COLORBLIND))
    state = np.random.get_state()
    np.random.seed(0)  # seaborn's jitter draws from numpy's global generator: the same figure every time
    try:
        return _draw(df, panels, schedules, palette, stem)
    finally:
        np.random.set_state(state)


def _draw(df, panels: list, schedules: list, palette: dict, stem: str) -> list[str]:
    with style.paper_style():
        fig, axes = style.plt.subplots(1, len(panels), figsize=(style.TEXT_WIDTH_IN, 2.9), sharey=True, squeeze=False)
        for ax, (exp, opt) in zip(axes[0], panels):
            sub = df[(df["experiment"] == exp) & (df["optimizer"] == opt)].sort_values("order")
            order = list(dict.fromkeys(sub["network"]))
            dodge = len(schedules) > 1  # seaborn divides by the number of hues less one
            sns.stripplot(sub, x="network", y="ratio", hue="schedule", order=order, hue_order=schedules,
                          palette=palette, dodge=dodge, size=3, jitter=0.15, ax=ax, legend=False, log_scale=True)
            sns.pointplot(sub, x="network", y="ratio", hue="schedule", order=order, hue_order=schedules,
                          palette=palette, dodge=0.53 if dodge else False, estimator=np.median, errorbar=None,
                          markers="_", markersize=12, linestyles="none", ax=ax, legend=ax is axes[0][0], log_scale=True)
            ax.axhline(1.0, color="black", lw=0.8, ls="--")
            ax.set_title(f"{exp}, {opt}")
            ax.set_xlabel("")
            ax.tick_params(axis="x", rotation=45)
        axes[0][0].set_ylabel("plain / HRTA final loss\n(above 1: HRTA lower)")
        handles, labels = axes[0][0].get_legend_handles_labels()
        if axes[0][0].get_legend() is not None:
            axes[0][0].get_legend().remove()
        fig.legend(handles, labels, loc="outside lower center", ncol=len(schedules), frameon=False)
        return style.save(fig, stem)
