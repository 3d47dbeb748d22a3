"""Gather the training jobs' Snakemake benchmark files and per-run timings into the compute-cost table.

Wall and CPU seconds per run and peak RSS per (experiment, optimizer, method, width), over seeds.
By hand: python workflow/scripts/compute_cost.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import write_text
from hrta.reporting.numbers.costs import cost_table
from hrta.reporting.words import costs


def main(job_paths: list[str], timing_paths: list[str], stem: str) -> None:
    table, totals = cost_table(job_paths, timing_paths)
    write_text(table.to_csv(index=False, float_format="%.3f"), f"{stem}.csv")
    write_text(costs.markdown(table, totals), f"{stem}.md")


snakemake = scripts.rule_context(globals(), "compute_cost", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input.jobs), list(snakemake.input.runs), snakemake.output.csv.removesuffix(".csv"))
