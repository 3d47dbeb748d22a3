"""Toward the kernel limit, the figure: the ratio ReLU/HRTA of the final GD training loss
against width, trained and as the kernel predicts (hrta.reporting.numbers.kernel_limit)."""

import xarray as xr

from hrta.reporting.numbers.kernel_limit import ratios
from hrta.reporting.pictures import style


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
