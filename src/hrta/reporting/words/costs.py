"""The compute-cost table (hrta.reporting.numbers.costs.cost_table) for reading: the totals and
one row per experiment; the full table is the CSV written beside it."""

import numpy as np
import pandas as pd

from hrta.reporting.words import kit

SUMMARY = [("experiment", "l", lambda r: r.experiment), ("runs", "r", lambda r: r.runs),
           ("widths", "l", lambda r: r.widths), ("training wall s", "r", lambda r: f"{r.wall_s:.1f}"),
           ("training CPU s", "r", lambda r: f"{r.cpu_s:.1f}"), ("peak memory MB", "r", lambda r: _mb(r.max_rss_mb))]
DETAILS = "compute_cost.csv"  # beside the Markdown: one row per experiment, optimizer, method and width


def per_experiment(table: pd.DataFrame) -> pd.DataFrame:
    """One row per experiment: its runs, widths, the runs' summed shares of their populations'
    wall and CPU seconds, and the largest peak memory of its jobs."""
    spent = table.assign(wall_s=table.runs * table.wall_s_mean, cpu_s=table.runs * table.cpu_s_mean)
    grouped = spent.groupby("experiment", sort=False)
    return pd.DataFrame({
        "runs": grouped.runs.sum(), "widths": grouped.width.agg(lambda w: ", ".join(map(str, sorted(set(w))))),
        "wall_s": grouped.wall_s.sum(), "cpu_s": grouped.cpu_s.sum(), "max_rss_mb": grouped.max_rss_mb.max(),
    }).reset_index()


def markdown(table: pd.DataFrame, totals: dict) -> str:
    """The totals, then one row per experiment; the full table is the CSV beside it."""
    lines = ["# Compute cost", "",
             f"{totals['runs']} runs in {totals['jobs']} training jobs: {totals['job_wall_s']:.0f} s "
             f"of job wall time (summed over jobs; jobs run in parallel with --cores > 1), of which "
             f"{totals['run_wall_s']:.0f} s training and {totals['job_wall_s'] - totals['run_wall_s']:.0f} s "
             "start-up (imports), data and output.", "", "## Per experiment", ""]
    lines += kit.pipe_table(SUMMARY, per_experiment(table).itertuples(index=False))
    lines += ["", f"Per experiment, optimizer, method and width (population sizes, each run's share of its "
              f"population's wall and CPU seconds, peak memory): `{DETAILS}` beside this table."]
    return "\n".join(lines) + "\n"


def _mb(value) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.0f}"
