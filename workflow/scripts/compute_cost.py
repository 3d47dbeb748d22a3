"""Gather the training jobs' Snakemake benchmark files and per-run timings into the compute-cost table.

Wall and CPU seconds per run and peak RSS per (experiment, optimizer, method, width), over seeds.
By hand: python workflow/scripts/compute_cost.py --config config.yaml --out results/tables/compute_cost
(reads results/benchmarks/train/<experiment>/<job>{.tsv,.runs.tsv} for every job of the profile).
"""

from hrta import cli, costs
from hrta.config import jobs
from hrta.provenance import write_text


def main(job_paths: list[str], timing_paths: list[str], stem: str) -> None:
    table, totals = costs.cost_table(job_paths, timing_paths)
    write_text(table.to_csv(index=False, float_format="%.3f"), f"{stem}.csv")
    write_text(costs.markdown(table, totals), f"{stem}.md")


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(list(snakemake.input.jobs), list(snakemake.input.runs), snakemake.output.csv.removesuffix(".csv"))
else:
    p = cli.parser(__doc__)
    p.add_argument("--out", default="results/tables/compute_cost")
    a = p.parse_args()
    stems = [f"results/benchmarks/train/{e}/{job}" for e, job in jobs(cli.config_from(a, __file__))]
    main([f"{s}.tsv" for s in stems], [f"{s}.runs.tsv" for s in stems], a.out)
