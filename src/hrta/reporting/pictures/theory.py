"""Theory figures: Theorem 1 (lambda_min against s) and the kernel regime (GD loss vs prediction)."""

import numpy as np
import seaborn as sns
import xarray as xr
from matplotlib import pyplot as plt

from hrta.reporting.facts import method_labels
from hrta.reporting.pictures import style

PART_TITLES = {"output": "output layer (λ_a)", "first": "first layer (λ_w)", "ntk": "NTK (sum)"}
DODGE = 0.015  # horizontal offset between the widths' markers
ANALYTIC = "m = ∞ (analytic)"


def theorem1_figure(spectra: list[xr.Dataset], stem: str) -> list[str]:
    """Rows: experiments (each dataset names its own); columns: NTK parts. Line: analytic
    lambda_min(s); markers: empirical lambda_min at initialisation per width, mean over
    seeds with min-max bars. Empirical values below n eps lambda_max (rounding: a
    rank-deficient Gram matrix) are not drawn."""
    widths = sorted({int(w) for ds in spectra for w in ds.width.values})
    parts = [str(p) for p in spectra[0].part.values]
    colours = dict(zip(widths, sns.color_palette("crest", len(widths))))
    legend = {}
    with style.paper_style():
        fig, axes = plt.subplots(len(spectra), len(parts), squeeze=False, sharex=True,
                                 figsize=style.figure_size(len(spectra)))
        for r, ds in enumerate(spectra):
            name = str(ds["experiment"].values)
            for c, part in enumerate(parts):
                ax = axes[r, c]
                (line,) = ax.plot(ds.s, ds["lambda_min"].sel(part=part), color="black")
                legend[ANALYTIC] = line
                legend.update(_empirical(ax, ds.sel(part=part), colours))
                ax.set_yscale("log")
                ax.axvline(1.0, color="grey", lw=0.6, ls=":")
                n_used, n_train = ds.attrs["n_used"], ds.attrs["n_train"]
                points = f"{n_used} of {n_train} points" if n_used < n_train else f"n = {n_train}"
                ax.set_title(PART_TITLES[part] if r == 0 else "")
                ax.set_ylabel(f"{name} ({points})\nλ_min" if c == 0 else "")
                ax.set_xlabel("s" if r == len(spectra) - 1 else "")
        labels = [ANALYTIC] + [f"m = {w} (init)" for w in widths if f"m = {w} (init)" in legend]
        fig.legend([legend[k] for k in labels], labels, loc="outside lower center", ncol=len(labels),
                   frameon=False)
        return style.save(fig, stem)


def _empirical(ax, ds: xr.Dataset, colours: dict) -> dict:
    """Draw the empirical lambda_min per width; return {legend label: handle}."""
    lam = ds["empirical_lambda_min"]
    lam = lam.where(lam > ds.attrs["n_used"] * np.finfo(float).eps * ds["empirical_lambda_max"])
    handles = {}
    for k, width in enumerate(ds.width.values):
        vals = lam.sel(width=width)
        if not np.isfinite(vals).any():
            continue  # nothing above rounding: no marker, and no legend entry from this panel
        mean, lo, hi = vals.mean("seed"), vals.min("seed"), vals.max("seed")
        x = ds.s_empirical.values + (k - (len(ds.width) - 1) / 2) * DODGE
        handles[f"m = {int(width)} (init)"] = ax.errorbar(
            x, mean, yerr=[mean - lo, hi - mean], fmt="o", ms=2.5, lw=0.8, color=colours[int(width)])
    return handles


def linearised_figure(ds: xr.Dataset, stem: str) -> list[str]:
    """Top: measured GD loss (median over seeds, min-max band) and the kernel prediction
    (dashed) per method; bottom: predicted / measured loss."""
    labels = method_labels(ds)
    palette = style.method_palette(ds)
    ratio = ds["predicted_loss"] / ds["measured_loss"]
    with style.paper_style():
        fig, axes = plt.subplots(2, len(ds.method), squeeze=False, sharex=True, sharey="row",
                                 figsize=style.figure_size(2))
        for c, method in enumerate(ds.method.values):
            colour = palette[labels[str(method)]]
            ax = axes[0, c]
            meas = ds["measured_loss"].sel({"method": method})
            ax.fill_between(ds.epoch, meas.min("seed"), meas.max("seed"), color=colour, alpha=0.25, lw=0)
            ax.plot(ds.epoch, meas.median("seed"), color=colour, label="measured")
            ax.plot(ds.epoch, ds["predicted_loss"].sel({"method": method}).median("seed"), color=colour,
                    ls="--", label="kernel prediction")
            ax.set_yscale("log")
            ax.set_title(labels[str(method)].replace(" (s decreasing)", "\n(s decreasing)"))
            ax.set_ylabel("training loss" if c == 0 else "")
            ax = axes[1, c]
            rat = ratio.sel({"method": method})
            ax.fill_between(ds.epoch, rat.min("seed"), rat.max("seed"), color=colour, alpha=0.25, lw=0)
            ax.plot(ds.epoch, rat.median("seed"), color=colour)
            ax.axhline(1.0, color="grey", lw=0.6)
            ax.set_yscale("log")
            ax.set_ylabel("predicted / measured" if c == 0 else "")
            ax.set_xlabel("epoch")
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=2, frameon=False)
        stable = ", ".join(f"s={float(s):g}: {float(v):.3g}" for s, v in zip(ds.s_stage, ds["stable_lr"]))
        fig.suptitle(f"{ds.attrs['experiment']}, {ds.attrs['optimizer']} (lr {ds.attrs['lr']:g}; 2n/λ_max {stable}), "
                     f"m = {ds.attrs['width']}, {ds.attrs['kernel']} kernel")
        return style.save(fig, stem)

