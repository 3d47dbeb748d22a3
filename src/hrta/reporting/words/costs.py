"""The compute-cost table (hrta.reporting.numbers.costs.cost_table) as Markdown, with the
totals underneath."""

import numpy as np
import pandas as pd

from hrta.reporting.words import kit

COLUMNS = [("experiment", "l", lambda r: r.experiment), ("optimizer", "l", lambda r: r.optimizer),
           ("method", "l", lambda r: r.method), ("width", "l", lambda r: r.width), ("runs", "l", lambda r: r.runs),
           ("population size", "l", lambda r: r.members),
           ("wall s per run (population / members)", "l", lambda r: f"{r.wall_s_mean:.2f}"),
           ("CPU s per run", "l", lambda r: f"{r.cpu_s_mean:.2f}"),
           ("peak RSS MB (population)", "l", lambda r: _mb(r.population_rss_mb)),
           ("peak RSS MB (job)", "l", lambda r: _mb(r.max_rss_mb))]


def markdown(table: pd.DataFrame, totals: dict) -> str:
    """The table as Markdown, with the totals underneath."""
    lines = kit.pipe_table(COLUMNS, table.itertuples(index=False))
    lines.append(
        f"\n{totals['runs']} runs in {totals['jobs']} training jobs: {totals['job_wall_s']:.0f} s "
        f"of job wall time (summed over jobs; jobs run in parallel with --cores > 1), of which "
        f"{totals['run_wall_s']:.0f} s training and {totals['job_wall_s'] - totals['run_wall_s']:.0f} s "
        "start-up (imports), data and output.")
    return "\n".join(lines) + "\n"


def _mb(value) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.0f}"
