"""Compute cost of training: Snakemake's per-job benchmark files and the jobs' per-run
timings as one table."""

import pandas as pd

GROUP = ["experiment", "optimizer", "method", "width"]
COLUMNS = {"s": "wall_s", "cpu_time": "cpu_s", "max_rss": "max_rss_mb"}
TIMING_COLUMNS = GROUP + ["seed", "members", "wall_s", "cpu_s", "peak_rss_mb"]


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


def read_timings(path) -> pd.DataFrame:
    """The per-run seconds a training job wrote (one row per run)."""
    df = pd.read_csv(path, sep="\t")
    missing = sorted(set(TIMING_COLUMNS) - set(df.columns))
    if missing or df.empty:
        raise ValueError(f"{path}: not a training job's timings file (missing {missing or 'rows'})")
    return df


def cost_table(job_paths: list, timing_paths: list) -> tuple[pd.DataFrame, dict]:
    """One row per (experiment, optimizer, method, width): runs, the size of the populations
    that trained them, each run's share of its population's wall and CPU seconds (mean),
    the process's peak RSS after the population and the peak RSS of the job; and the totals
    over jobs (wall seconds of the jobs, of the populations inside them)."""
    if len(job_paths) != len(timing_paths):
        raise ValueError(f"{len(job_paths)} benchmark files but {len(timing_paths)} timings files")
    rows, job_wall = [], 0.0
    for bench_path, timing_path in zip(job_paths, timing_paths):
        bench = read_benchmark(bench_path)
        rows.append(read_timings(timing_path).assign(job_rss_mb=bench["max_rss_mb"]))
        job_wall += bench["wall_s"]
    runs = pd.concat(rows, ignore_index=True)
    table = runs.groupby(GROUP, sort=False).agg(
        runs=("wall_s", "size"), members=("members", "max"), wall_s_mean=("wall_s", "mean"),
        cpu_s_mean=("cpu_s", "mean"), population_rss_mb=("peak_rss_mb", "max"),
        max_rss_mb=("job_rss_mb", "max"),
    ).reset_index()
    totals = {"jobs": len(job_paths), "runs": len(runs), "job_wall_s": job_wall,
              "run_wall_s": float(runs["wall_s"].sum())}
    return table, totals
