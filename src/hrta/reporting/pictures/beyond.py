"""Figure theorem1_beyond: lambda_min(s) / lambda_min(1) of the NTK for deep ReLU and
smooth-base networks, per experiment (rows) and network (columns), finite networks beside."""

import numpy as np
import seaborn as sns
import xarray as xr
from matplotlib import pyplot as plt

from hrta.reporting.facts import BASE_NAMES
from hrta.reporting.pictures import style

DODGE = 0.03  # horizontal offset between the widths' markers
MAX_ASPECT = 0.8  # height / width
ANALYTIC = "m = ∞"
UNRESOLVED = "below resolution"


def title(base: str, depth: int) -> str:
    return f"{BASE_NAMES[base]}, L = {depth}"


def theorem1_beyond_figure(ds: xr.Dataset, stem: str) -> list[str]:
    """Line: infinite-width lambda_min(s) of the whole NTK over its value at s = 1, where
    resolved; grey band: below the resolution level (rounding plus quadrature error); dotted:
    s², the two-layer ReLU growth; markers: the finite networks at initialisation per width
    (mean over seeds, min-max bars) over the same infinite-width lambda_min(1)."""
    ntk = ds.sel(part="ntk")
    widths = [int(w) for w in ds.width.values]
    colours = dict(zip(widths, sns.color_palette("crest", len(widths))))
    rows, cols = ds.sizes["experiment"], ds.sizes["network"]
    width = style.TEXT_WIDTH_IN
    height = min(MAX_ASPECT * width, 1.35 * rows + 0.7)
    legend = {}
    with style.paper_style():
        fig, axes = plt.subplots(rows, cols, squeeze=False, sharex=True, figsize=(width, height))
        for r, exp in enumerate(ds.experiment.values):
            for c, net in enumerate(ds.network.values):
                ax = axes[r, c]
                sel = ntk.sel(experiment=exp, network=net)
                legend.update(_panel(ax, sel, colours))
                if r == 0:
                    ax.set_title(title(str(sel["base"].values), int(sel["depth"].values)))
                if c == 0:
                    n_used, n_train = int(sel["n_used"]), int(sel["n_train"])
                    points = f"{n_used} of {n_train}" if n_used < n_train else f"n = {n_train}"
                    ax.set_ylabel(f"{exp} ({points})\nλ_min(s) / λ_min(1)")
                if r == rows - 1:
                    ax.set_xlabel("s")
        order = [ANALYTIC, "s²", UNRESOLVED] + [f"m = {w} (init)" for w in widths]
        labels = [k for k in order if k in legend]
        fig.legend([legend[k] for k in labels], labels, loc="outside lower center", ncol=len(labels), frameon=False)
        fig.suptitle("Theorem 1 beyond two-layer ReLU: λ_min of the NTK Gram matrix against s")
        return style.save(fig, stem)


def _panel(ax, sel: xr.Dataset, colours: dict) -> dict:
    s = sel["s"].values
    lam, res = sel["lambda_min"].values, sel["resolution"].values
    ref = float(sel["lambda_min"].sel(s=1.0))
    handles = {}
    if ref <= float(sel["resolution"].sel(s=1.0)):
        ax.text(0.5, 0.5, "λ_min(1)\nunresolved:\nno ratios", transform=ax.transAxes,
                ha="center", va="center", fontsize=7)
        ax.set_yticks([])
        ax.grid(False)
        return handles
    ratio = np.where(lam > res, lam / ref, np.nan)
    (handles[ANALYTIC],) = ax.plot(s, ratio, color="black")
    (handles["s²"],) = ax.plot(s, s**2, color="grey", lw=0.7, ls=":")
    floor = res / abs(ref)
    bottom = np.nanmin(np.concatenate([ratio, s**2])) / 10 if np.isfinite(ratio).any() else floor.min() / 10
    handles[UNRESOLVED] = ax.fill_between(s, np.minimum(bottom, floor.min()), floor, color="grey", alpha=0.25, lw=0)
    emp = sel["empirical_lambda_min"]
    emp = emp.where(emp > float(sel["n_used"]) * np.finfo(float).eps * sel["empirical_lambda_max"])
    for k, width in enumerate(sel.width.values):
        vals = emp.sel(width=width) / ref
        if not np.isfinite(vals).any():
            continue
        mean, lo, hi = vals.mean("seed"), vals.min("seed"), vals.max("seed")
        x = sel.s_empirical.values + (k - (sel.sizes["width"] - 1) / 2) * DODGE
        handles[f"m = {int(width)} (init)"] = ax.errorbar(
            x, mean, yerr=[mean - lo, hi - mean], fmt="o", ms=2.5, lw=0.8, color=colours[int(width)])
    ax.set_yscale("log")
    ax.set_ylim(bottom=max(bottom, 1e-300))
    ax.axvline(1.0, color="grey", lw=0.6, ls=":")
    return handles
