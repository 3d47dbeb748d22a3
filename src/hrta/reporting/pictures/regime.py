"""Regime maps' figures, from the map with its tests (hrta.reporting.numbers.regime): at one
budget, heat maps of the median ratio ReLU/HRTA over (learning rate x switch point), one row
per schedule and a last row for the control s = const (relaxation alone); and the verdict
against the budget."""

import numpy as np
import xarray as xr
from matplotlib.ticker import FuncFormatter, NullFormatter

from hrta.reporting.pictures import style

FAMILY_TITLES = {"adam": "Adam, lr", "gd": "GD, lr / (2n/λmax)"}
MARKS = {"holds": "▲", "contradicted": "▼"}
PATH_TICKS = {"jump": "jump", "plateau": "on\nplateau", "reset": "jump,\nstate reset"}
PLAIN = FuncFormatter(lambda v, _: f"{v:.3g}")  # ratios near 1 on a log axis, without powers of ten


def _setting_tick(setting: str) -> str:
    """A row's learning rate without the words the column title already says."""
    return setting.removeprefix("lr ").removesuffix(" × 2n/λmax")


def _cells(ax, ratio: np.ndarray, verdict: np.ndarray, vmax: float):
    with np.errstate(divide="ignore"):
        shown = np.clip(np.log10(ratio), -vmax, vmax)
    image = ax.imshow(shown, cmap="RdBu", vmin=-vmax, vmax=vmax, aspect="auto")
    for (i, j), r in np.ndenumerate(ratio):
        mark = MARKS.get(str(verdict[i, j]), "")
        dark = np.isfinite(shown[i, j]) and abs(shown[i, j]) > 0.6 * vmax
        ax.text(j, i, f"{r:.2g}{mark}" if np.isfinite(r) else "–", ha="center", va="center", fontsize=5,
                fontweight="bold" if mark else "normal", color="white" if dark else "black")
    ax.tick_params(length=2, pad=1)
    ax.grid(False)
    return image


def _panel(ax, ds, family, schedule, width, vmax):
    at = ds.sel(width=width).where(ds["family"] == family, drop=True)
    if schedule is None:  # the control: one column, no switch
        ratio = at["control_vs_relu_median_ratio"].values[:, None]
        verdict = at["control_vs_relu_verdict"].values[:, None]
        ax.set_xticks([0], ["none"], fontsize=6)
    else:
        cells = at.sel(schedule=schedule)
        ratio = cells["vs_relu_median_ratio"].transpose("optimizer", "switch").values
        verdict = cells["vs_relu_verdict"].transpose("optimizer", "switch").values
        ax.set_xticks(range(cells.sizes["switch"]), [str(e) for e in cells["switch_epoch"].values], fontsize=6)
    image = _cells(ax, ratio, verdict, vmax)
    ax.set_yticks(range(at.sizes["optimizer"]), [_setting_tick(str(s)) for s in at["setting"].values], fontsize=6)
    return image


def figure(ds: xr.Dataset, stem: str) -> list[str]:
    """One budget's map (``ds`` without the budget dim): rows the schedules and the control,
    columns (family, width); ▲ / ▼ where the adjusted test finds HRTA lower / higher."""
    families = list(dict.fromkeys(str(f) for f in ds["family"].values))
    columns = [(fam, int(w)) for fam in families for w in ds["width"].values]
    rows = [*ds["schedule"].values, None]
    ratios = np.concatenate([ds["vs_relu_median_ratio"].values.ravel(),
                             ds["control_vs_relu_median_ratio"].values.ravel()])
    finite = np.abs(np.log10(ratios[np.isfinite(ratios) & (ratios > 0)]))
    vmax = max(0.3, min(2.0, float(finite.max()) if finite.size else 1.0))
    width_in = style.TEXT_WIDTH_IN
    height_in = min(style.MAX_ASPECT * width_in * 1.15, 0.9 + 0.95 * len(rows))
    with style.paper_style():
        fig, axes = style.plt.subplots(len(rows), len(columns), figsize=(width_in, height_in), squeeze=False)
        for r, schedule in enumerate(rows):
            for c, (fam, width) in enumerate(columns):
                image = _panel(axes[r, c], ds, fam, schedule, width, vmax)
                if c and columns[c - 1][0] == fam:
                    axes[r, c].tick_params(labelleft=False)
            label = (f"control: s = {float(ds['control_s']):g}\nthroughout" if schedule is None
                     else str(ds["schedule_label"].sel(schedule=schedule).values).replace(" (s", "\n(s"))
            axes[r, 0].set_ylabel(label, fontsize=7)
        for c, (fam, width) in enumerate(columns):
            axes[0, c].set_title(f"{FAMILY_TITLES.get(fam, fam)}\nm = {width:,}", fontsize=7)
        fig.supxlabel("switch epoch", fontsize=7)
        bar = fig.colorbar(image, ax=axes, shrink=0.6, label="median ReLU / HRTA loss at the budget")
        ticks = np.linspace(-vmax, vmax, 5)
        bar.set_ticks(ticks, labels=[f"{10**t:.3g}" for t in ticks])
        fig.suptitle(f"Where HRTA helps: {ds.attrs['regime']} at a budget of {int(ds['budget'])} epochs, "
                     f"{ds.sizes['seed']} seeds; ▲/▼ {ds.attrs['adjust']}-adjusted p < {ds.attrs['alpha']:g}",
                     fontsize=8)
        return style.save(fig, stem)


def budget_figure(ds: xr.Dataset, stem: str) -> list[str]:
    """The verdict against the budget: per (family, width) panel, each schedule's and the
    control's median ratio ReLU/HRTA over the family's cells against the budget, a filled
    marker where most of those cells are decided lower, an empty one where most are decided
    higher; below, ReLU's fall over the budget's last 10% (1: converged)."""
    families = list(dict.fromkeys(str(f) for f in ds["family"].values))
    columns = [(fam, int(w)) for fam in families for w in ds["width"].values]
    budgets = ds["budget"].values
    colours = dict(zip([*ds["schedule"].values, "control"], style.COLORBLIND))
    with style.paper_style():
        fig, axes = style.plt.subplots(2, len(columns), figsize=style.figure_size(2), squeeze=False, sharex=True,
                                       sharey="row", height_ratios=(2, 1))
        for c, (fam, width) in enumerate(columns):
            at = ds.sel(width=width).where(ds["family"] == fam, drop=True)
            lines = [(str(s), str(at["schedule_label"].sel(schedule=s).values), at["vs_relu_median_ratio"].sel(
                schedule=s), at["vs_relu_verdict"].sel(schedule=s)) for s in at["schedule"].values]
            lines.append(("control", f"s = {float(ds['control_s']):g} throughout", at["control_vs_relu_median_ratio"],
                          at["control_vs_relu_verdict"]))
            for key, label, ratio, verdict in lines:
                over = [d for d in ratio.dims if d != "budget"]
                median = ratio.median(over).values
                holds = (verdict == "holds").sum(over).values
                contra = (verdict == "contradicted").sum(over).values
                cells = int(np.prod([ratio.sizes[d] for d in over]))
                ax = axes[0, c]
                ax.plot(budgets, median, color=colours[key], label=label, ls="--" if key == "control" else "-")
                for b, m, h, k in zip(budgets, median, holds, contra):
                    face = colours[key] if h > cells / 2 else "white"
                    if h > cells / 2 or k > cells / 2:
                        ax.scatter([b], [m], s=18, facecolor=face, edgecolor=colours[key], zorder=3)
            ax.axhline(1.0, color="black", lw=0.7)
            ax.set(xscale="log", yscale="log", title=f"{FAMILY_TITLES.get(fam, fam).split(',')[0]}, m = {width:,}")
            ax.yaxis.set_major_formatter(PLAIN)
            ax.yaxis.set_minor_formatter(PLAIN)
            for k, opt in enumerate(at["optimizer"].values):
                axes[1, c].plot(budgets, at["relu_tail"].sel(optimizer=opt).values, color=str(0.15 + 0.25 * k), lw=0.8,
                                label=_setting_tick(str(at["setting"].sel(optimizer=opt).values)))
            axes[1, c].legend(fontsize=5, title="lr" if fam != "gd" else "lr / (2n/λmax)", title_fontsize=5)
            axes[1, c].set_xlabel("budget (epochs)")
            axes[1, c].set_xticks(budgets, [str(b) for b in budgets])
            axes[1, c].xaxis.set_minor_formatter(NullFormatter())
        axes[0, 0].set_ylabel("median ReLU / HRTA\n(filled: most cells ▲, empty: ▼)")
        axes[1, 0].set_ylabel("ReLU's fall over\nthe last 10%")
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False)
        fig.suptitle(f"{ds.attrs['regime']}: the verdict against the training budget, {ds.sizes['seed']} seeds")
        return style.save(fig, stem)


def paths_figure(ds: xr.Dataset, stem: str) -> list[str]:
    """The path axis at the largest budget: per optimizer family a panel, each path variant
    (the jump, ramps, on plateau, reset) a column of markers, one per (setting, width): the
    geometric mean over seeds of ReLU's loss over the variant's with its t interval, filled
    where the adjusted test decides (▲ above 1, ▼ below); each (setting, width)'s control
    against ReLU (median ratio) a dashed line of its colour, ReLU itself the black line at 1."""
    budget = int(ds["budget"].max())
    at = ds.sel(budget=budget)
    families = list(dict.fromkeys(str(f) for f in at["family"].values))
    paths = [str(p) for p in at["path"].values]
    ramps = dict(zip(paths, at["path_ramp_epochs"].values))
    ticks = [f"ramp\n{int(ramps[p])} epochs" if p.startswith("ramp ") else PATH_TICKS.get(p, p) for p in paths]
    with style.paper_style():
        fig, axes = style.plt.subplots(1, len(families), figsize=style.figure_size(1.6), squeeze=False,
                                       sharey=True)
        for c, fam in enumerate(families):
            ax = axes[0, c]
            opts = [o for o in at["optimizer"].values if str(at["family"].sel(optimizer=o).values) == fam]
            series = [(o, int(w)) for o in opts for w in at["width"].values]
            step = 0.7 / max(len(series), 1)
            for k, (opt, width) in enumerate(series):
                cell = at.sel(optimizer=opt, width=width)
                colour = style.COLORBLIND[k % len(style.COLORBLIND)]
                x = np.arange(len(paths)) - 0.35 + step * (k + 0.5)
                mean = cell["path_vs_relu_mean_ratio"].values
                low, high = cell["path_vs_relu_mean_low"].values, cell["path_vs_relu_mean_high"].values
                err = np.vstack([np.where(np.isfinite(low), mean - low, 0),
                                 np.where(np.isfinite(high), high - mean, 0)])
                decided = np.isin(cell["path_vs_relu_verdict"].values, list(MARKS))
                setting = _setting_tick(str(at["setting"].sel(optimizer=opt).values))
                ax.errorbar(x, mean, yerr=err, fmt="none", ecolor=colour, elinewidth=0.8, capsize=1.5)
                ax.scatter(x, mean, s=16, edgecolor=colour, facecolor=[colour if d else "white" for d in decided],
                           zorder=3, label=f"{setting}, m = {width:,}")
                ax.axhline(float(cell["control_vs_relu_median_ratio"]), color=colour, lw=0.7, ls="--")
            ax.axhline(1.0, color="black", lw=0.7)
            style.log_y(ax)
            ax.yaxis.set_major_formatter(PLAIN)
            ax.yaxis.set_minor_formatter(PLAIN)
            ax.set_xticks(range(len(paths)), ticks, fontsize=6)
            ax.set_xlim(-0.5, len(paths) - 0.5)
            ax.set_title(FAMILY_TITLES.get(fam, fam), fontsize=7)
            ax.legend(fontsize=5, frameon=False)
        axes[0, 0].set_ylabel("ReLU / variant loss at the budget\n(geometric mean, t interval)")
        fig.supxlabel(f"path of s {ds.attrs.get('paths', '').removeprefix('s ')}", fontsize=7)
        fig.suptitle(f"Without the jump: {ds.attrs['regime']} at a budget of {budget} epochs, {ds.sizes['seed']} "
                     f"seeds\nfilled: {ds.attrs['adjust']}-adjusted p < {ds.attrs['alpha']:g}; dashed: the control "
                     f"s = {float(ds['control_s']):g} throughout vs ReLU (median)", fontsize=7)
        return style.save(fig, stem)
