"""Draw a convergence figure (loss and test error over epochs per width) from an aggregate.

By hand: python workflow/scripts/convergence_figure.py results/aggregate/sin1d.nc results/figures/fig2
"""

import argparse

import xarray as xr

from hrta import cli
from hrta.figures import convergence_figure


def main(aggregate: str, stem: str, title: str | None = None) -> None:
    with xr.open_dataset(aggregate) as ds:
        agg = ds.load()
    convergence_figure(agg, stem, title or agg.attrs.get("title", ""))


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"), snakemake.params.title)
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("aggregate")
    p.add_argument("stem", help="output path without extension; .pdf and .png are written")
    a = p.parse_args()
    main(a.aggregate, a.stem)
