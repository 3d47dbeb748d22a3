"""Draw a convergence figure (chosen metrics over epochs per width) from an aggregate.

By hand: python workflow/scripts/convergence_figure.py results/aggregate/poisson.nc \
    results/figures/fig4 --metrics loss
"""

import argparse

from hrta import cli
from hrta.config import METRICS
from hrta.figures import convergence_figure
from hrta.provenance import read_netcdf


def main(aggregate: str, stem: str, metrics, title: str | None = None) -> None:
    agg = read_netcdf(aggregate)
    convergence_figure(agg, stem, title or agg.attrs.get("title", ""), metrics)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"),
             snakemake.params.metrics, snakemake.params.caption["title"])
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("aggregate")
    p.add_argument("stem", help="output path without extension; .pdf and .png are written")
    p.add_argument("--metrics", nargs="+", choices=METRICS, default=list(METRICS))
    p.add_argument("--title", default=None)
    a = p.parse_args()
    main(a.aggregate, a.stem, a.metrics, a.title)
