"""Theory figures: Theorem 1 (lambda_min against s) and the kernel regime (GD loss vs prediction)."""

import numpy as np
import seaborn as sns
import xarray as xr
from matplotlib import pyplot as plt
from matplotlib.lines import Line2D

from hrta.reporting.facts import method_labels
from hrta.reporting.pictures import style

PART_TITLES = {"output": "output layer (λ_a)", "first": "first layer (λ_w)", "ntk": "NTK (sum)"}
DODGE = 0.015  # horizontal offset between the widths' markers
ANALYTIC = "m = ∞ (analytic)"
EPS = np.finfo(np.float64).eps
# How a finite network's lambda_min is drawn (``finite_points``): its kind -> (marker, fill, legend label)
KINDS = {"resolved": ("o", "full", "λ_min resolved"),
         "singular": ("o", "none", "exactly singular: λ_min beyond its null directions"),
         "below": ("v", "full", "at rounding level or below the axis (at its edge)"),
         "above": ("^", "full", "above the axis (at its edge)")}
NOTE_ROOM = 0.3  # of a panel's decades kept free above the data for its note of null directions


def finite_points(sel: xr.Dataset, n_used: int, scale: float = 1.0) -> list[dict]:
    """The finite networks' points of one panel: per width and s, the seeds grouped by what
    their Gram matrix shows (``KINDS``: resolved lambda_min, lambda_min beyond exact null
    directions, or a value at rounding level, then the level itself), each group's mean, min
    and max over ``scale``. Networks not computed (class 'none') give none."""
    out = []
    for k, width in enumerate(sel.width.values):
        at = sel.sel(width=width)
        for j, s in enumerate(at.s_empirical.values):
            groups = {}
            columns = [at[f"empirical_{v}"].values[:, j] for v in ("class", "lambda_min", "lambda_beyond_null",
                                                                    "lambda_max")]
            for cls, lam, beyond, top in zip(*columns):
                if str(cls) == "none":
                    continue
                level = EPS * n_used * top
                value, kind = {"singular": (beyond, "singular"), "resolved": (lam, "resolved")}.get(
                    str(cls), (level, "below"))
                if value <= level:
                    value, kind = level, "below"
                groups.setdefault(kind, []).append(value / scale)
            out += [{"width": int(width), "index": k, "s": float(s), "kind": kind, "mean": float(np.mean(v)),
                     "low": float(np.min(v)), "high": float(np.max(v))} for kind, v in groups.items()]
    return out


def draw_finite(ax, points: list[dict], colours: dict, widths: int, dodge: float) -> set:
    """Draw ``finite_points`` on a log axis whose limits are set: values inside as markers
    with min-max bars (hollow where beyond exact null directions), values at rounding level
    or outside the axis as triangles at its edge (never clipped away). The kinds drawn."""
    low, high = ax.get_ylim()
    edge = ax.get_xaxis_transform()  # x in data, y in axes fraction
    kinds = set()
    for p in points:
        x = p["s"] + (p["index"] - (widths - 1) / 2) * dodge
        kind = p["kind"] if low <= p["mean"] <= high else "below" if p["mean"] < low else "above"
        if kind == "below" or kind == "above":
            y = 0.0 if kind == "below" else 1.0
            (mark,) = ax.plot([x], [y], KINDS[kind][0], ms=4, color=colours[p["width"]], transform=edge,
                              clip_on=False, zorder=5, mfc=colours[p["width"]] if p["kind"] != "singular" else "none")
            mark.set_in_layout(False)
        else:
            ax.errorbar([x], [p["mean"]], yerr=[[p["mean"] - p["low"]], [p["high"] - p["mean"]]], fmt="o", ms=3,
                        lw=0.8, color=colours[p["width"]], fillstyle=KINDS[kind][1])
        kinds |= {kind, p["kind"]}  # a hollow triangle: beyond exact null directions, outside the axis
    return kinds


def legend_handles(widths: list, colours: dict, kinds: set) -> tuple[list, list]:
    """Handles and labels: a colour per width, then a grey marker per kind drawn."""
    handles = [Line2D([], [], ls="", marker="o", ms=4, color=colours[w]) for w in widths]
    labels = [f"m = {w} (init)" for w in widths]
    for kind, (marker, fill, label) in KINDS.items():
        if kind in kinds:
            handles.append(Line2D([], [], ls="", marker=marker, ms=4, color="grey", fillstyle=fill))
            labels.append(label)
    return handles, labels


def null_note(sel: xr.Dataset) -> str:
    """'null directions\nm = 100: 73–79\nm = 1000: 1' of the exactly singular Gram matrices of a panel."""
    parts = []
    for width in sel.width.values:
        nulls = sel["empirical_null_directions"].sel(width=width).values
        if (nulls > 0).any():
            lo, hi = int(nulls[nulls > 0].min()), int(nulls.max())
            parts.append(f"m = {int(width)}: {lo}" + (f"–{hi}" if hi > lo else ""))
    return "\n".join(["exact null directions"] + parts) if parts else ""


def note(ax, text: str) -> None:
    """A panel's note in its upper left corner, outside the layout (room made by the limits)."""
    ax.text(0.03, 0.97, text, transform=ax.transAxes, ha="left", va="top", fontsize=5.5,
            linespacing=1.1).set_in_layout(False)


def theorem1_figure(spectra: list[xr.Dataset], stem: str) -> list[str]:
    """Rows: experiments (each dataset names its own); columns: NTK parts. Line: analytic
    lambda_min(s); markers: empirical lambda_min at initialisation per width, mean over
    seeds with min-max bars (``finite_points``): filled where resolved, hollow where the Gram
    matrix is exactly singular (lambda_min beyond its null directions; their count noted in
    the panel), a triangle at the lower edge where at rounding level (near-singular)."""
    widths = sorted({int(w) for ds in spectra for w in ds.width.values})
    parts = [str(p) for p in spectra[0].part.values]
    colours = dict(zip(widths, sns.color_palette("crest", len(widths))))
    kinds = set()
    with style.paper_style():
        fig, axes = plt.subplots(len(spectra), len(parts), squeeze=False, sharex=True,
                                 figsize=style.figure_size(len(spectra)))
        for r, ds in enumerate(spectra):
            name = str(ds["experiment"].values)
            n_used, n_train = ds.attrs["n_used"], ds.attrs["n_train"]
            for c, part in enumerate(parts):
                ax = axes[r, c]
                sel = ds.sel(part=part)
                points = finite_points(sel, int(n_used))
                ax.plot(ds.s, sel["lambda_min"], color="black")
                inside = [p["mean"] for p in points if p["kind"] != "below"]
                ax.set_yscale("log")
                curve = sel["lambda_min"].values
                low, high = min([curve.min(), *inside]) / 3, max([curve.max(), *inside]) * 3
                text = null_note(sel)
                ax.set_ylim(low, high * (high / low) ** (NOTE_ROOM if text else 0.0))
                kinds |= draw_finite(ax, points, colours, len(ds.width), DODGE)
                if text:
                    note(ax, text)
                ax.axvline(1.0, color="grey", lw=0.6, ls=":")
                points_text = f"{n_used} of {n_train} points" if n_used < n_train else f"n = {n_train}"
                ax.set_title(PART_TITLES[part] if r == 0 else "")
                ax.set_ylabel(f"{name} ({points_text})\nλ_min" if c == 0 else "")
                ax.set_xlabel("s" if r == len(spectra) - 1 else "")
        handles, labels = legend_handles(widths, colours, kinds)
        fig.legend([Line2D([], [], color="black")] + handles, [ANALYTIC] + labels, loc="outside lower center",
                   ncol=4, frameon=False)
        return style.save(fig, stem)


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

