"""Toward the kernel limit: the figure and the claims report's sentences on the ratios of
hrta.reporting.numbers.kernel_limit."""

import numpy as np
import xarray as xr

from hrta.reporting import style
from hrta.reporting.numbers.kernel_limit import ratios


def figure(ds: xr.Dataset, stem: str) -> list[str]:
    """One panel per HRTA schedule: median ratio over seeds (min-max bar) against width,
    trained (markers) and kernel prediction (dashed)."""
    rat = ratios(ds)
    palette = style.method_palette(ds)
    with style.paper_style():
        fig, axes = style.plt.subplots(1, rat.sizes["method"], squeeze=False, sharey=True,
                                       figsize=(style.TEXT_WIDTH_IN, 2.4))
        for ax, method in zip(axes[0], rat["method"].values):
            label = str(rat["label"].sel({"method": method}).values)
            meas = rat["measured"].sel({"method": method})
            med = meas.median("seed")
            ax.errorbar(rat["width"], med, yerr=[med - meas.min("seed"), meas.max("seed") - med], fmt="o",
                        ms=3, color=palette[label], label="trained")
            ax.plot(rat["width"], rat["kernel"].sel({"method": method}).median("seed"), ls="--",
                    color=palette[label], label="kernel prediction")
            ax.axhline(1.0, color="grey", lw=0.6)
            ax.set(xscale="log", yscale="log", xlabel="width m", title=label)
            ax.set_xticks(rat["width"].values, [f"{int(w):,}" for w in rat["width"].values])
            ax.xaxis.set_minor_formatter(style.plt.NullFormatter())
        axes[0, 0].set_ylabel("ReLU / HRTA final loss")
        axes[0, 0].legend(frameon=False)
        fig.suptitle(f"Toward the kernel limit: {ds.attrs['optimizer']}, {ds.attrs['kernel']} kernel, "
                     f"{ds.sizes['seed']} seeds")
        return style.save(fig, stem)


def sentences(ds: xr.Dataset) -> list[str]:
    """Per schedule: measured and kernel ratio at the smallest and the largest width, and
    whether the gap between them (in log) shrinks."""
    rat = ratios(ds).median("seed")
    small, large = int(rat["width"].min()), int(rat["width"].max())
    out = []
    for method in rat["method"].values:
        r = rat.sel({"method": method})
        gap = np.abs(np.log(r["measured"] / r["kernel"]))
        trend = "closer to" if float(gap.sel(width=large)) < float(gap.sel(width=small)) else "not closer to"
        out.append(
            f"- {str(r['label'].values)} under GD: ReLU/HRTA final loss {float(r['measured'].sel(width=small)):.3g} "
            f"trained against {float(r['kernel'].sel(width=small)):.3g} predicted at m = {small}, "
            f"{float(r['measured'].sel(width=large)):.3g} against {float(r['kernel'].sel(width=large)):.3g} at "
            f"m = {large}: the trained advantage is {trend} the kernel's at the largest width.")
    return out
