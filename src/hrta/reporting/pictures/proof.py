"""Figure 1: a proof's structure (hrta.reporting.numbers.proof reads and checks it) drawn as a
layered graph, every arrow pointing down from a used result to the result using it.
"""

import textwrap

from matplotlib import pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from hrta.reporting.numbers.proof import layers
from hrta.reporting.pictures import style

BOX_W, GAP_Y = 0.29, 0.1  # box width and vertical margin, in axes units
TITLE_CHARS = 30  # bold 7.5 pt titles longer than this are scaled down to fit the box


def positions(results: dict) -> dict:
    """Result -> (x, y) box centre in [0, 1]^2; within a layer, ordered by the mean x of its uses."""
    depth = layers(results)
    n_layers = max(depth.values()) + 1
    pos = {}
    for layer in range(n_layers):
        names = [n for n in results if depth[n] == layer]
        names.sort(key=lambda n: sum(pos[u][0] for u in results[n]["uses"]) / len(results[n]["uses"])
                   if results[n]["uses"] else 0.5)
        for i, name in enumerate(names):
            pos[name] = ((i + 0.5) / len(names), 1 - (layer + 0.5) / n_layers)
    return pos


def _box_text(res: dict, width_chars: int) -> str:
    statement = textwrap.fill(" ".join(str(res["statement"]).split()), width_chars)
    return f"{statement}\n[{res['source']}]"


def draw(graph: dict, stem) -> list[str]:
    """Draw the graph (boxes: label, statement, source; arrows: used -> user); save PDF and PNG."""
    results = graph["results"]
    pos = positions(results)
    n_layers = max(layers(results).values()) + 1
    height = min(style.MAX_ASPECT * style.TEXT_WIDTH_IN, 1.2 * n_layers + 0.4)
    with style.paper_style():
        fig, ax = plt.subplots(figsize=(style.TEXT_WIDTH_IN, height))
        ax.set_axis_off()
        ax.set(xlim=(0, 1), ylim=(0, 1))
        box_h = (1 - GAP_Y) / n_layers * 0.62
        for name, (x, y) in pos.items():
            ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - box_h / 2), BOX_W, box_h,
                                        boxstyle="round,pad=0.005", facecolor="0.96",
                                        edgecolor="0.2", linewidth=0.8))
            label = results[name]["label"]
            ax.text(x, y + box_h / 2 - 0.012, label, ha="center", va="top",
                    fontsize=7.5 * min(1.0, TITLE_CHARS / max(len(label), 1)), fontweight="bold")
            ax.text(x, y + box_h / 2 - 0.045, _box_text(results[name], 46), ha="center", va="top",
                    fontsize=5.8, linespacing=1.15)
        depth = layers(results)
        for name, res in results.items():
            for used in res["uses"]:
                (x0, y0), (x1, y1) = pos[used], pos[name]
                bend = 0.0 if depth[name] - depth[used] == 1 else 0.35  # skip edges arc past boxes
                ax.add_patch(FancyArrowPatch((x0, y0 - box_h / 2), (x1, y1 + box_h / 2),
                                             arrowstyle="-|>", mutation_scale=9, linewidth=0.8,
                                             color="0.25", connectionstyle=f"arc3,rad={bend}",
                                             shrinkA=1, shrinkB=1))
        if graph["title"]:
            fig.suptitle(graph["title"])
        return style.save(fig, stem)
