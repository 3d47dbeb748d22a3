"""Regime maps in the claims report: "Where HRTA helps" (per budget and optimizer family,
the verdict counts of every schedule against ReLU, ReLU's convergence there, the best cell)
and "Relaxation against homotopy" (every schedule against the control s = const, the control
against ReLU), from the map summaries (hrta.reporting.numbers.regime.summary)."""

from hrta.reporting.words import kit
from hrta.reporting.words.format import num

COUNT_COLUMNS = [("cells", "r", lambda r: r["cells"]), ("holds", "r", lambda r: r["holds"]),
                 ("contradicted", "r", lambda r: r["contradicted"]), ("undecided", "r", lambda r: r["undecided"]),
                 ("no verdict", "r", lambda r: r["no verdict"]),
                 ("median ratio", "r", lambda r: num(r["median_ratio"]))]


def _best(row: dict) -> str:
    c = row["best"]
    if c is None:
        return "–"
    return (f"{c['setting']}, switch at epoch {c['switch_epoch']}, m = {c['width']}: {num(c['median_ratio'])}"
            f" ({c['verdict']})")


def section(summaries: dict, budgets: dict) -> list[str]:
    """## Where HRTA helps: per map a table of budget × family × schedule against ReLU."""
    out = ["## Where HRTA helps: the regime maps", "",
           "Each map sweeps the protocol choices the paper does not state (optimizer family and learning rate, "
           "switch point, schedule, width) and reads every run at several training budgets along the same runs "
           "(switch points and learning-rate decay in absolute epochs). A cell compares its loss at the budget "
           "with ReLU under the same protocol over paired seeds; each comparison, optimizer family and budget is "
           "one family of the report's reading. *ReLU's fall*: the factor by which ReLU's loss fell over the "
           "budget's last 10% (median over the family's cells; 1: converged). Ratios are ReLU/HRTA (above 1: HRTA "
           "lower), the median over the cells.", ""]
    for name, rows in summaries.items():
        figures = ", ".join(f"regime_{name}_b{b}" for b in budgets[name])
        out += [f"### {name}", "", f"Budgets: {', '.join(str(b) for b in budgets[name])} epochs; "
                f"{rows[0]['seeds']} seeds per cell. Figures: {figures} (every cell at each budget), "
                f"regime_{name}_budget (the verdict against the budget).", ""]
        vs_relu = [r for r in rows if r["comparison"] == "vs_relu"]
        out += kit.pipe_table([("budget", "r", lambda r: r["budget"]), ("family", "l", lambda r: r["family"]),
                               ("ReLU's fall", "r", lambda r: f"{num(r['relu_tail'])}×"),
                               ("schedule", "l", lambda r: r["label"]), *COUNT_COLUMNS,
                               ("best cell", "l", _best)], vs_relu) + [""]
    return out


def relaxation_section(summaries: dict) -> list[str]:
    """## Relaxation against homotopy: the control s = const against ReLU, and every two-stage
    schedule against the control, per map, budget and family."""
    out = ["## Relaxation against homotopy", "",
           "Is the gain the relaxed activation itself, or the homotopy path to it? The control trains with s = "
           "control_s throughout (no switch); *control vs ReLU* compares it with ReLU, *schedule vs control* "
           "each two-stage schedule with the control (ratio control/HRTA: above 1, the path beats relaxation "
           "alone), per map cell as above.", ""]
    for name, rows in summaries.items():
        picked = [r for r in rows if r["comparison"] in ("control_vs_relu", "vs_control")]
        out += [f"### {name}", ""]
        out += kit.pipe_table([("budget", "r", lambda r: r["budget"]), ("family", "l", lambda r: r["family"]),
                               ("comparison", "l", lambda r: "control vs ReLU" if r["comparison"] == "control_vs_relu"
                                else f"{r['label']} vs control"), *COUNT_COLUMNS], picked) + [""]
    return out
