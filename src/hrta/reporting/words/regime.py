"""Regime maps in the claims report: the bottom line's sentences and the "Where HRTA helps"
section, from the map with its tests (hrta.reporting.numbers.regime)."""

import math

import numpy as np

from hrta.reporting.numbers import paired
from hrta.reporting.numbers.regime import hrta_cells, verdict_counts
from hrta.reporting.words import kit


def _cell_name(ds, cell) -> str:
    return (f"{cell['setting']} ({cell['family']}), switch at {cell['switch']:g} of the epochs, "
            f"m = {cell['width']}")


def _ratio(x: float) -> str:
    return "∞" if x == math.inf else (f"{x:.3g}" if np.isfinite(x) else "n/a")


def _capped(p: float) -> str:
    return f"{p:.2g}" if p <= 1 else f"{p:.3g}, capped at 1"


def _sign(counts: dict) -> str:
    """Whether the decided cells of a row of the map agree in sign."""
    h, c = counts["holds"], counts["contradicted"]
    if h and c:
        return f"flips ({h} lower, {c} higher)"
    if h or c:
        return f"robust: HRTA {'lower' if h else 'higher'} in all {h or c} decided"
    return "nothing decided"


COLUMNS = [("family", "l", lambda r: r["family"]), ("schedule", "l", lambda r: r["label"]),
           *[(v, "l", lambda r, v=v: r["counts"][v]) for v in paired.VERDICTS],
           ("raw p < level", "l", lambda r: r["raw"]), ("robust to lr and switch?", "l", lambda r: r["per_width"])]


def _schedule_rows(ds, alpha: float) -> list[dict]:
    """Per optimizer family and schedule: the verdict counts, the raw p-values below the level
    and, per width, whether the decided cells agree in sign."""
    rows = []
    for fam in dict.fromkeys(str(f) for f in ds["family"].values):
        fds = ds.where(ds["family"] == fam, drop=True)
        for sch in ds["schedule"].values:
            sub = fds.sel(schedule=sch)
            per_width = "; ".join(f"m = {int(w)}: {_sign(verdict_counts(sub.sel(width=w)['vs_relu_verdict'].values))}"
                                  for w in ds["width"].values)
            rows.append({"family": fam, "label": str(sub["schedule_label"].values),
                         "counts": verdict_counts(sub["vs_relu_verdict"].values),
                         "raw": int((sub["vs_relu_p_value"] < alpha).sum()), "per_width": per_width})
    return rows


def bottom_line(maps: dict) -> list[str]:
    """One sentence per map and optimizer family for the claims report's bottom line."""
    out = []
    for name, ds in maps.items():
        for fam in dict.fromkeys(str(f) for f in ds["family"].values):
            verdicts = ds["vs_relu_verdict"].where(ds["family"] == fam, drop=True).values
            counts = verdict_counts(verdicts)
            out.append(f"Regime map {name}, {fam}: of {sum(counts.values())} protocol cells (learning rate × switch × "
                       f"schedule × width, {ds.sizes['seed']} seeds, {ds.attrs['adjust']}-adjusted), HRTA ends lower "
                       f"than ReLU in {counts['holds']}, higher in {counts['contradicted']}, undecided in "
                       f"{counts['undecided']}.")
    return [*out, ""] if out else []


def section(maps: dict) -> str:
    """The claims report's "Where HRTA helps" section from the maps (name -> tested map)."""
    lines = ["## Where HRTA helps: the regime maps", "",
             "Each map sweeps the protocol choices the paper does not state (optimizer family and "
             "learning rate, switch point, schedule) and compares every cell's final loss with "
             "ReLU under the same protocol over paired seeds. A diverged run counts as the worst "
             "outcome. Verdicts are after adjusting for every test of the map; ▲/▼ cells of "
             "the figure are these.", ""]
    for name, ds in maps.items():
        a, adj, n_seeds = ds.attrs["alpha"], ds.attrs["adjust"], ds.sizes["seed"]
        total = int(np.prod([ds.sizes[d] for d in ("optimizer", "schedule", "switch", "width")]))
        floor = 2.0 / 2**n_seeds
        lines += [f"### {name}", "",
                  f"{total} cells (HRTA against ReLU), {n_seeds} seeds each, {ds.attrs['test']}, "
                  f"p-values {adj}-adjusted over the {total} cells, level {a:g}. With {n_seeds} seeds the "
                  f"smallest two-sided p the test can give is 2/2^{n_seeds} = {floor:.2g}; Holm's adjustment "
                  f"multiplies the smallest by {total} ({_capped(total * floor)}), Benjamini-Hochberg's "
                  f"leaves it at {floor:.2g} when every cell reaches it.", ""]
        lines += kit.pipe_table(COLUMNS, _schedule_rows(ds, a)) + [""]
        cells = [c for c in hrta_cells(ds) if np.isfinite(c["median_ratio"])]
        for fam in dict.fromkeys(c["family"] for c in cells):
            fam_cells = [c for c in cells if c["family"] == fam]
            best = max(fam_cells, key=lambda c: c["median_ratio"])
            worst = min(fam_cells, key=lambda c: c["median_ratio"])
            for word, c in (("Best", best), ("Worst", worst)):
                lines.append(
                    f"- {word} protocol for HRTA under {fam}: {c['label']} with {_cell_name(ds, c)}: "
                    f"median ratio ReLU/HRTA {_ratio(c['median_ratio'])}, estimate "
                    f"{_ratio(math.exp(c['estimate']))} (CI {_ratio(math.exp(c['ci_low']))} to "
                    f"{_ratio(math.exp(c['ci_high']))}), p = {c['p_value']:.2g} raw, {c['p_adjusted']:.2g} "
                    f"adjusted: {c['verdict']}.")
        lines.append("")
        control = verdict_counts(ds["control_vs_relu_verdict"].values)
        lines.append(f"- Relaxation alone (s = {float(ds['control_s']):g} throughout) against ReLU: holds in "
                     f"{control['holds']}, contradicted in {control['contradicted']}, undecided in "
                     f"{control['undecided']} of {sum(control.values())} (optimizer, width) cells.")
        for sch in ds["schedule"].values:
            homotopy = verdict_counts(ds.sel(schedule=sch)["vs_control_verdict"].values)
            label = str(ds.sel(schedule=sch)["schedule_label"].values)
            lines.append(f"- Homotopy against relaxation, {label} against the control: lower in "
                         f"{homotopy['holds']}, higher in {homotopy['contradicted']}, undecided in "
                         f"{homotopy['undecided']} of {sum(homotopy.values())} cells.")
        lines.append("")
    return "\n".join(lines)
