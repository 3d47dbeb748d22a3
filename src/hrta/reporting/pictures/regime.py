"""Regime maps' figure: heat maps of the median ratio ReLU/HRTA of the final loss over
(learning rate x switch point), from the map with its tests (hrta.reporting.numbers.regime)."""

import numpy as np
import xarray as xr

from hrta.reporting.pictures import style

FAMILY_TITLES = {"adam": "Adam, lr", "gd": "GD, lr / (2n/λmax)"}


def _setting_tick(setting: str) -> str:
    """A row's learning rate without the words the column title already says."""
    return setting.removeprefix("lr ").removesuffix(" × 2n/λmax")


def _panel(ax, ds, family, schedule, width, vmax):
    cells = ds.sel(schedule=schedule, width=width).where(ds["family"] == family, drop=True)
    ratio = cells["vs_relu_median_ratio"].transpose("optimizer", "switch").values
    verdict = cells["vs_relu_verdict"].transpose("optimizer", "switch").values
    with np.errstate(divide="ignore"):
        shown = np.clip(np.log10(ratio), -vmax, vmax)
    image = ax.imshow(shown, cmap="RdBu", vmin=-vmax, vmax=vmax, aspect="auto")
    for (i, j), r in np.ndenumerate(ratio):
        mark = {"holds": "▲", "contradicted": "▼"}.get(str(verdict[i, j]), "")
        dark = np.isfinite(shown[i, j]) and abs(shown[i, j]) > 0.6 * vmax
        ax.text(j, i, f"{r:.2g}{mark}" if np.isfinite(r) else "–", ha="center", va="center", fontsize=5,
                fontweight="bold" if mark else "normal", color="white" if dark else "black")
    ax.set_xticks(range(cells.sizes["switch"]), [f"{f:g}" for f in cells["switch"].values], fontsize=6)
    ax.set_yticks(range(cells.sizes["optimizer"]), [_setting_tick(str(s)) for s in cells["setting"].values],
                  fontsize=6)
    ax.tick_params(length=2, pad=1)
    ax.grid(False)
    return image


def figure(ds: xr.Dataset, stem: str) -> list[str]:
    """Heat maps of the median ratio ReLU/HRTA of the final loss over (learning rate x switch
    point): rows the schedules, columns (family, width); ▲ / ▼ where the adjusted test finds
    HRTA lower / higher."""
    families = list(dict.fromkeys(str(f) for f in ds["family"].values))
    columns = [(fam, int(w)) for fam in families for w in ds["width"].values]
    rows = list(ds["schedule"].values)
    finite = np.abs(np.log10(ds["vs_relu_median_ratio"].values[np.isfinite(ds["vs_relu_median_ratio"].values)
                                                                 & (ds["vs_relu_median_ratio"].values > 0)]))
    vmax = max(0.3, min(2.0, float(finite.max()) if finite.size else 1.0))
    width_in = style.TEXT_WIDTH_IN
    height_in = min(0.8 * width_in, 0.9 + 1.05 * len(rows))
    with style.paper_style():
        fig, axes = style.plt.subplots(len(rows), len(columns), figsize=(width_in, height_in), squeeze=False)
        for r, schedule in enumerate(rows):
            for c, (fam, width) in enumerate(columns):
                image = _panel(axes[r, c], ds, fam, schedule, width, vmax)
                first_of_family = c == 0 or columns[c - 1][0] != fam
                if not first_of_family:
                    axes[r, c].tick_params(labelleft=False)
                if r < len(rows) - 1:
                    axes[r, c].tick_params(labelbottom=False)
            label = str(ds["schedule_label"].sel(schedule=schedule).values)
            axes[r, 0].set_ylabel(label.replace(" (s decreasing)", "\n(s decreasing)"), fontsize=7)
        for c, (fam, width) in enumerate(columns):
            axes[0, c].set_title(f"{FAMILY_TITLES.get(fam, fam)}\nm = {width:,}", fontsize=7)
        fig.supxlabel("switch point (fraction of the epochs)", fontsize=7)
        bar = fig.colorbar(image, ax=axes, shrink=0.6, label="median ReLU / HRTA final loss")
        ticks = np.linspace(-vmax, vmax, 5)
        bar.set_ticks(ticks, labels=[f"{10**t:.3g}" for t in ticks])
        fig.suptitle(f"Where HRTA helps: {ds.attrs['regime']}, {ds.sizes['seed']} seeds; "
                     f"▲/▼ {ds.attrs['adjust']}-adjusted p < {ds.attrs['alpha']:g}", fontsize=8)
        return style.save(fig, stem)
