"""Figure theorem1_beyond: lambda_min(s) / lambda_min(1) of the NTK for deep ReLU networks
(a column per parametrisation of the hidden layers, a line per depth) and smooth-base
networks (a column each), per experiment (rows), the finite networks at initialisation beside."""

import numpy as np
import seaborn as sns
import xarray as xr
from matplotlib import pyplot as plt

from hrta.reporting.facts import BASE_NAMES
from hrta.reporting.pictures import style
from hrta.reporting.pictures.theory import draw_finite, finite_points, legend_handles

DODGE = 0.03  # horizontal offset between the widths' (or depths') markers
MAX_ASPECT = 0.8  # height / width
ANALYTIC = "m = ∞ (tanh, GELU)"
UNRESOLVED = "below resolution"
Y_LABEL = "λ_min(s) / λ_min(1) at m = ∞ (the finite networks' λ_min(s) over the same)"
TITLE = "Theorem 1 beyond two-layer ReLU: λ_min of the NTK Gram matrix against s"
GROUP_TITLES = {"unnormalised": "ReLU, unnormalised", "variance_preserving": "ReLU, var.-preserving"}


def title(base: str, depth: int) -> str:
    return f"{BASE_NAMES[base]}, L = {depth}"


def column_groups(ds: xr.Dataset) -> list[tuple[str, list[str]]]:
    """(column title, networks) per column: the ReLU networks of each parametrisation (the
    two-layer one in every such column, the same network), then each other network alone."""
    params = ds["parametrisation"].values if "parametrisation" in ds.coords else ["unnormalised"] * ds.sizes["network"]
    relu = [(str(n), int(d), str(p)) for n, b, d, p in zip(ds.network.values, ds["base"].values, ds["depth"].values,
                                                            params) if b == "relu"]
    out = []
    for param in dict.fromkeys(p for *_, p in relu):
        nets = [n for n, d, p in relu if p == param or d == 1]
        out.append((GROUP_TITLES.get(param, param), nets))
    return out + [(title(str(b), int(d)), [str(n)]) for n, b, d in zip(ds.network.values, ds["base"].values,
                                                                      ds["depth"].values) if b != "relu"]


def theorem1_beyond_figure(ds: xr.Dataset, stem: str) -> list[str]:
    """Lines: infinite-width lambda_min(s) of the whole NTK over its value at s = 1, where
    resolved, per network (ReLU: a colour per depth; smooth bases: black); grey band: below
    the resolution level (rounding plus quadrature error); dotted: s², the two-layer ReLU
    growth; markers: the finite networks at initialisation over the same infinite-width
    lambda_min(1), mean over seeds with min-max bars, drawn as in the Theorem 1 figure
    (hrta.reporting.pictures.theory.finite_points: hollow beyond exact null directions,
    triangles at the axis' edge where at rounding level or outside the axis), per width for
    the smooth bases and at the largest width, in the depth's colour, for ReLU."""
    ntk = ds.sel(part="ntk")
    widths = [int(w) for w in ds.width.values]
    colours = dict(zip(widths, sns.color_palette("crest", len(widths))))
    depths = sorted({int(d) for d, b in zip(ds["depth"].values, ds["base"].values) if b == "relu"})
    by_depth = dict(zip(depths, sns.color_palette("flare", len(depths))))
    groups = column_groups(ds)
    rows = ds.sizes["experiment"]
    width = style.TEXT_WIDTH_IN
    height = min(MAX_ASPECT * width, 1.45 * rows + 1.0)
    legend, kinds = {}, set()
    with style.paper_style():
        fig, axes = plt.subplots(rows, len(groups), squeeze=False, sharex=True, figsize=(width, height))
        for r, exp in enumerate(ds.experiment.values):
            for c, (name, nets) in enumerate(groups):
                ax = axes[r, c]
                drawn, found = _panel(ax, ntk.sel(experiment=exp), nets, colours, by_depth)
                legend.update(drawn)
                kinds |= found
                ax.set_title(name if r == 0 else "", fontsize=7)
                if c == 0:
                    sel = ntk.sel(experiment=exp)
                    n_used, n_train = int(sel["n_used"]), int(sel["n_train"])
                    points = f"{n_used} of {n_train}" if n_used < n_train else f"n = {n_train}"
                    ax.set_ylabel(f"{exp} ({points})")
                if r == rows - 1:
                    ax.set_xlabel("s")
        lines = sorted((k for k in legend if k.startswith("L = ")), key=lambda k: int(k[4:]))
        fig.legend([legend[k] for k in lines], lines, loc="outside upper center", ncol=len(lines), frameon=False,
                   title=f"{TITLE}\nReLU at m = ∞ by depth L (the finite networks at m = {widths[-1]} in its colour)",
                   handlelength=1.2, columnspacing=1.0)
        order = [k for k in (ANALYTIC, "s²", UNRESOLVED) if k in legend]
        handles, labels = legend_handles(widths, colours, kinds)
        labels = [f"{label}, tanh, GELU" if label.startswith("m = ") else label for label in labels]
        fig.legend([legend[k] for k in order] + handles, order + labels, loc="outside lower center", ncol=3,
                   frameon=False)
        fig.supylabel(Y_LABEL, fontsize=8)
        return style.save(fig, stem)


def _panel(ax, exp: xr.Dataset, nets: list, colours: dict, by_depth: dict) -> tuple[dict, set]:
    """One column's networks on one experiment; (legend handles, kinds of finite points drawn)."""
    handles, curves, floors, finite = {}, [], [], []
    s = exp["s"].values
    for k, net in enumerate(nets):
        sel = exp.sel(network=net)
        lam, res = sel["lambda_min"].values, sel["resolution"].values
        ref = float(sel["lambda_min"].sel(s=1.0))
        if ref <= float(sel["resolution"].sel(s=1.0)):
            continue
        relu = str(sel["base"].values) == "relu"
        colour = by_depth[int(sel["depth"].values)] if relu else "black"
        label = f"L = {int(sel['depth'].values)}" if relu else ANALYTIC
        ratio = np.where(lam > res, lam / ref, np.nan)
        (handles[label],) = ax.plot(s, ratio, color=colour, lw=0.9)
        curves.append(ratio)
        floors.append(res / abs(ref))
        points = finite_points(sel, int(sel["n_used"]), ref)
        if relu:
            points = [{**p, "width": ("depth", k), "index": k} for p in points if p["width"] == max(sel.width.values)]
        finite.append((points, {("depth", k): colour} if relu else colours, len(nets) if relu else sel.sizes["width"]))
    if not curves:
        ax.text(0.5, 0.5, "λ_min(1)\nunresolved:\nno ratios", transform=ax.transAxes, ha="center", va="center",
                fontsize=7)
        ax.set_yticks([])
        ax.grid(False)
        return handles, set()
    (handles["s²"],) = ax.plot(s, s**2, color="grey", lw=0.7, ls=":")
    values = np.concatenate(curves + [s**2])
    floor = np.min(floors, axis=0)
    bottom = np.nanmin(values) / 10 if np.isfinite(values).any() else floor.min() / 10
    handles[UNRESOLVED] = ax.fill_between(s, np.minimum(bottom, floor.min()), floor, color="grey", alpha=0.25, lw=0)
    ax.set_yscale("log")
    ax.set_ylim(max(bottom, 1e-300), np.nanmax(values) * 3)
    kinds = set()
    for points, palette, count in finite:
        kinds |= draw_finite(ax, points, palette, count, DODGE)
    ax.axvline(1.0, color="grey", lw=0.6, ls=":")
    return handles, kinds
