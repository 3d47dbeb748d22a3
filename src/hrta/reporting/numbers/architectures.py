"""Claims C3 and C4 (issue 19): does HRTA beat the plain activation for other bases (C3: tanh,
GELU, two-layer), and does the benefit carry over to depth (C4: 2 or more hidden ReLU
layers), and how does it change with depth?

C3 and C4 are C1's paired comparison (hrta.reporting.numbers.claims.c1) on the generated experiments
of hrta.pipeline.architectures, the baseline being the plain activation (s = 1), each claim's
rows one family of the report's reading. The depth trend is C2's rank test with the number
of hidden layers in place of the width (hrta.reporting.numbers.trend.depth_trend), per source
experiment, optimizer, schedule and width; depth 1 is the generated two-layer ReLU network
of that width, or else the source's own runs where it has that width.

``ratios`` is the per-seed frame the figure ``architectures`` draws (hrta.reporting.pictures):
the ratio plain/HRTA of every network beside the source's two-layer ReLU runs; runs that
diverged have no ratio and are left out there (the claims count them).
"""

import pandas as pd

from hrta.reporting.facts import BASE_NAMES, baseline, method_labels
from hrta.reporting.numbers import paired, trend
from hrta.reporting.numbers.claims import c1, count, diverged_runs, seed_pairs


def network(agg) -> tuple[str, int, str]:
    """(base, depth, source experiment) of a generated experiment's aggregate, as its runs record them."""
    return str(agg["base"].values), int(agg["depth"].values), str(agg["source"].values)


def split(aggregates: dict) -> tuple[dict, dict, dict]:
    """(other bases at depth 1, deep networks, two-layer ReLU at widths its source lacks) of
    the generated experiments' aggregates."""
    parts = ({}, {}, {})
    for e, a in aggregates.items():
        base, depth, _ = network(a)
        parts[0 if base != "relu" else 1 if depth > 1 else 2][e] = a
    return parts


def rows(aggregates: dict, reading: paired.Reading) -> list[dict]:
    """C1's rows on these aggregates as one family, each with the network's base, depth and source."""
    out = [row for exp in aggregates for row in c1({exp: aggregates[exp]}, reading)]
    paired.decide(out, reading)
    for row in out:
        base, depth, source = network(aggregates[row["experiment"]])
        row.update(base=base, depth=depth, source=source)
    return out


def depth_rows(deep: dict, two_layer: dict, sources: dict, reading: paired.Reading) -> list[dict]:
    """One row per (source, optimizer, schedule, width) of the deep networks: the median
    ratio plain/HRTA by depth and the depth trend of the paired log ratios. Depth 1: the
    generated two-layer ReLU runs of that width, else the source's own."""
    cells = {}
    for agg in [*deep.values(), *two_layer.values()]:
        _, depth, source = network(agg)
        base, labels = baseline(agg), method_labels(agg)
        for opt in agg.optimizer.values:
            for method, label in labels.items():
                if method == base:
                    continue
                for width in agg.width.values:
                    key = (source, str(opt), method, int(width))
                    cell = cells.setdefault(key, {"label": label, "pairs": {}})
                    cell["pairs"][depth] = seed_pairs(agg, str(opt), base, method, width)
    out = []
    for (source, opt, method, width), cell in cells.items():
        pairs = dict(sorted(cell["pairs"].items()))
        if max(pairs) == 1:
            continue  # no deeper network of this width
        own = sources.get(source)
        if 1 not in pairs and own is not None and _has(own, opt, method, width):
            pairs = {1: seed_pairs(own, opt, baseline(own), method, width), **pairs}
        medians = {d: paired.median_ratio(*p) for d, p in pairs.items()}
        out.append({"source": source, "optimizer": opt, "method": method, "label": cell["label"], "width": width,
                    "median_ratio_by_depth": medians, **trend.depth_trend(pairs, reading.alpha).as_dict()})
    return trend.decide(out, reading, [True] * len(out))


def _has(agg, opt: str, method: str, width: int) -> bool:
    return (opt in agg.optimizer.values and method in agg.method.values and width in agg.width.values
            and baseline(agg) is not None)


def add_to(rep: dict, aggregates: dict, sources: dict) -> dict:
    """The claims report (hrta.reporting.numbers.claims.report) with C3, C4 and the depth trend of the
    generated experiments' aggregates, their diverged runs and counts; sources: the paper
    experiments' aggregates (depth 1 of the trend)."""
    s = rep["settings"]
    reading = paired.Reading(s["alpha"], {v: k for k, v in paired.ADJUST_NAMES.items()}[s["adjust"]], s["min_pairs"])
    smooth, deep, two_layer = split(aggregates)
    rep = {**rep, "architectures": list(aggregates), "C3": rows(smooth, reading),
           "C4": rows(deep, reading), "C4_depth": depth_rows(deep, two_layer, sources, reading)}
    rep["diverged"] = rep["diverged"] + diverged_runs(aggregates)
    rep["summary"] = {**rep["summary"], "C3": count(rep["C3"]), "C4": count(rep["C4"]),
                      "C4_depth": count(rep["C4_depth"])}
    return rep


ORDER_KEY = {"relu": 0, "tanh": 1, "gelu": 2}


def _label(base: str, depth: int, width: int) -> str:
    return f"{BASE_NAMES.get(base, base)} L{depth}, m{width}"


def ratios(aggregates: dict, sources: dict) -> pd.DataFrame:
    """One row per (experiment, optimizer, network, schedule, seed) with the ratio plain/HRTA;
    the source's two-layer ReLU runs join at each width and schedule a generated network has."""
    out = []

    def add(agg, source, base, depth, widths, methods=None):
        plain, labels = baseline(agg), method_labels(agg)
        for opt in agg.optimizer.values:
            for method, label in labels.items():
                if method == plain or (methods is not None and method not in methods):
                    continue
                for width in widths:
                    b, bd, h, hd, done = seed_pairs(agg, str(opt), plain, method, width)
                    keep = done & ~(bd | hd) & (b > 0) & (h > 0)
                    out.extend({"experiment": source, "optimizer": str(opt), "network": _label(base, depth, width),
                                "order": (depth, ORDER_KEY[base], int(width)), "width": int(width), "schedule": label,
                                "ratio": float(r)} for r in (b / h)[keep])

    widths_of, methods_of = {}, {}
    for agg in aggregates.values():
        base, depth, source = network(agg)
        add(agg, source, base, depth, agg.width.values)
        widths_of.setdefault(source, set()).update(int(w) for w in agg.width.values)
        methods_of.setdefault(source, set()).update(str(m) for m in agg.method.values)
    for source, widths in widths_of.items():
        agg = sources.get(source)
        if agg is not None:
            add(agg, source, "relu", 1, sorted(widths & {int(w) for w in agg.width.values}), methods_of[source])
    return pd.DataFrame(out)
