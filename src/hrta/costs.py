"""Compute cost of the training runs: Snakemake's per-job benchmark files as one table."""

import numpy as np
import pandas as pd

GROUP = ["experiment", "optimizer", "method", "width"]
COLUMNS = {"s": "wall_s", "cpu_time": "cpu_s", "max_rss": "max_rss_mb"}


def read_benchmark(path) -> dict:
    """Wall seconds, CPU seconds and peak RSS (MB) of one job (mean / max over repeats).

    Snakemake writes 'NA' where it could not sample a value; that becomes NaN here.
    """
    df = pd.read_csv(path, sep="\t", na_values=["NA", "-"])
    missing = sorted(set(COLUMNS) - set(df.columns))
    if missing or df.empty:
        raise ValueError(f"{path}: not a Snakemake benchmark file (missing {missing or 'rows'})")
    return {"wall_s": float(df["s"].mean()), "cpu_s": float(df["cpu_time"].mean()),
            "max_rss_mb": float(df["max_rss"].max())}


def cost_table(runs: list[dict], paths: list) -> pd.DataFrame:
    """One row per (experiment, optimizer, method, width): runs, wall seconds (mean, max,
    total over seeds), mean CPU seconds and the largest peak RSS of its seeds."""
    if len(runs) != len(paths):
        raise ValueError(f"{len(runs)} runs but {len(paths)} benchmark files")
    rows = pd.DataFrame([{**{k: r[k] for k in GROUP}, **read_benchmark(p)}
                         for r, p in zip(runs, paths)])
    table = rows.groupby(GROUP, sort=False).agg(
        runs=("wall_s", "size"), wall_s_mean=("wall_s", "mean"), wall_s_max=("wall_s", "max"),
        wall_s_total=("wall_s", "sum"), cpu_s_mean=("cpu_s", "mean"),
        max_rss_mb=("max_rss_mb", "max"),
    )
    return table.reset_index()


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, with the total wall time of all runs underneath."""
    head = ["experiment", "optimizer", "method", "width", "runs", "wall s (mean)", "wall s (max)",
            "CPU s (mean)", "peak RSS MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.experiment} | {r.optimizer} | {r.method} | {r.width} | {r.runs} | "
                     f"{r.wall_s_mean:.1f} | {r.wall_s_max:.1f} | {r.cpu_s_mean:.1f} | "
                     f"{_mb(r.max_rss_mb)} |")
    total = table["wall_s_total"].sum()
    lines.append(f"\nTotal wall time of the {int(table['runs'].sum())} training jobs: "
                 f"{total:.0f} s (summed over jobs; jobs run in parallel with --cores > 1).")
    return "\n".join(lines) + "\n"


def _mb(value) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.0f}"
