"""Gather the training jobs' Snakemake benchmark files into the compute-cost table.

Wall and CPU seconds and peak RSS per (experiment, optimizer, method, width), over seeds.
By hand: python workflow/scripts/compute_cost.py --config config.yaml --out results/tables/compute_cost
(reads results/benchmarks/train/... for every run of the profile).
"""

from hrta import cli, costs
from hrta.config import runs
from hrta.provenance import write_text

PATH = "results/benchmarks/train/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.tsv"


def main(run_list: list[dict], paths: list[str], stem: str) -> None:
    table = costs.cost_table(run_list, paths)
    write_text(table.to_csv(index=False, float_format="%.3f"), f"{stem}.csv")
    write_text(costs.markdown(table), f"{stem}.md")


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.params.runs, list(snakemake.input), snakemake.output.csv.removesuffix(".csv"))
else:
    p = cli.parser(__doc__)
    p.add_argument("--out", default="results/tables/compute_cost")
    a = p.parse_args()
    run_list = list(runs(cli.config_from(a, __file__)))
    main(run_list, [PATH.format(**r) for r in run_list], a.out)
