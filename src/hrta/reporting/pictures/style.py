"""One place for figure sizes, fonts and colours, applied per figure (tueplots-like).

Seaborn's "ticks" style and "colorblind" palette are written out here, so that a figure
that draws with matplotlib alone does not import seaborn (whose import pulls scipy.stats,
most of a figure job's start-up); the figures that draw with seaborn import it themselves.
"""

import contextlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.ticker import LogLocator  # noqa: E402

TEXT_WIDTH_IN = 6.5  # a journal's full text width
ROW_HEIGHT_IN = 1.9
MAX_ASPECT = 0.75  # height / width of every figure: it fits a 1366 x 768 screen's report pane
PNG_MAX_HEIGHT_PX = 720  # a 768-px-high window's report pane, less its padding: the PNG is never taller
TICKS = {  # seaborn.axes_style("ticks")
    "figure.facecolor": "white", "axes.labelcolor": ".15", "xtick.direction": "out", "ytick.direction": "out",
    "xtick.color": ".15", "ytick.color": ".15", "axes.axisbelow": True, "grid.linestyle": "-", "text.color": ".15",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "xtick.top": False, "ytick.right": False, "axes.grid": False, "axes.facecolor": "white", "axes.edgecolor": ".15",
    "grid.color": ".8", "axes.spines.left": True, "axes.spines.bottom": True, "axes.spines.right": True,
    "axes.spines.top": True, "xtick.bottom": True, "ytick.left": True,
}
COLORBLIND = [to_rgb(c) for c in ("#0173B2", "#DE8F05", "#029E73", "#D55E00", "#CC78BC", "#CA9161", "#FBAFE4",
                                  "#949494", "#ECE133", "#56B4E9")]  # seaborn.color_palette("colorblind")
RC = {
    "font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8, "legend.fontsize": 7,
    "xtick.labelsize": 7, "ytick.labelsize": 7, "lines.linewidth": 1.1,
    "axes.grid": True, "grid.alpha": 0.3, "savefig.dpi": 200, "figure.dpi": 100,
    "pdf.fonttype": 42, "svg.hashsalt": "hrta", "figure.constrained_layout.use": True,
}


@contextlib.contextmanager
def paper_style():
    """Seaborn's ticks style with the paper's font sizes, for the duration of one figure."""
    with plt.rc_context({**TICKS, **RC}):
        yield


def log_y(ax) -> None:
    """A log y axis, non-positive values masked, with decades and a few minor ticks (2, 5):
    matplotlib's default minor ticks over many decades cost most of a figure's drawing."""
    ax.set_yscale("log", nonpositive="mask")
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0), numticks=8))


def method_palette(ds) -> dict:
    """A fixed colour per method label, in method order: the baseline black, the HRTA
    schedules from a colour-blind palette."""
    colours = COLORBLIND
    out, k = {}, 0
    for label, base in zip(ds["label"].values, ds["is_baseline"].values):
        if base:
            out[str(label)] = "black"
        else:
            out[str(label)] = colours[k % len(colours)]
            k += 1
    return out


def figure_size(rows: int) -> tuple[float, float]:
    """The text width, and a height of ``rows`` panel rows, at most MAX_ASPECT of the width
    (a figure taller than that overflows a screen)."""
    return TEXT_WIDTH_IN, min(MAX_ASPECT * TEXT_WIDTH_IN, ROW_HEIGHT_IN * rows + 0.4)


def save(fig, stem) -> list[str]:
    """Save as PDF and PNG (deterministic metadata), the PNG at most PNG_MAX_HEIGHT_PX high
    (the report centres a taller image and cuts its top off); return the paths written."""
    paths = []
    png_dpi = min(plt.rcParams["savefig.dpi"], PNG_MAX_HEIGHT_PX / fig.get_figheight())
    for ext in ("pdf", "png"):
        path = f"{stem}.{ext}"
        meta = {"CreationDate": None} if ext == "pdf" else {"Software": None}
        fig.savefig(path, metadata=meta, **({"dpi": png_dpi} if ext == "png" else {}))
        paths.append(path)
    plt.close(fig)
    return paths
