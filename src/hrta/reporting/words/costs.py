"""The compute-cost table (hrta.reporting.numbers.costs.cost_table) as Markdown, with the
totals underneath."""

import numpy as np
import pandas as pd


def markdown(table: pd.DataFrame, totals: dict) -> str:
    """The table as Markdown, with the totals underneath."""
    head = ["experiment", "optimizer", "method", "width", "runs", "population size",
            "wall s per run (population / members)", "CPU s per run", "peak RSS MB (population)",
            "peak RSS MB (job)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.experiment} | {r.optimizer} | {r.method} | {r.width} | {r.runs} | {r.members} | "
                     f"{r.wall_s_mean:.2f} | {r.cpu_s_mean:.2f} | {_mb(r.population_rss_mb)} | "
                     f"{_mb(r.max_rss_mb)} |")
    lines.append(
        f"\n{totals['runs']} runs in {totals['jobs']} training jobs: {totals['job_wall_s']:.0f} s "
        f"of job wall time (summed over jobs; jobs run in parallel with --cores > 1), of which "
        f"{totals['run_wall_s']:.0f} s training and {totals['job_wall_s'] - totals['run_wall_s']:.0f} s "
        "start-up (imports), data and output.")
    return "\n".join(lines) + "\n"


def _mb(value) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.0f}"
