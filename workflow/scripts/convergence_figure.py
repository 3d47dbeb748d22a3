"""Draw a convergence figure (chosen metrics over epochs per width) from an aggregate.

By hand: python workflow/scripts/convergence_figure.py figure=fig4 [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.convergence import convergence_figure


def main(aggregate: str, stem: str, metrics: list[str], title: str) -> None:
    convergence_figure(read_netcdf(aggregate), stem, title, metrics)


snakemake = scripts.rule_context(globals(), "convergence_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"),
         snakemake.params.metrics, snakemake.params.title)
