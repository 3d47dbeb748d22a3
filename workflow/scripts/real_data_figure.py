"""Draw a real-data experiment's figure: training loss and held-out error over epochs per
method, one panel per width, median over seeds with a min-max band.

By hand: python workflow/scripts/real_data_figure.py dataset=digits [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.problems.bundled import DATASETS
from hrta.reporting.pictures.convergence import convergence_figure


def main(aggregate: str, stem: str, bundled: str) -> None:
    convergence_figure(read_netcdf(aggregate), stem, DATASETS[bundled])


snakemake = scripts.rule_context(globals(), "real_data_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"), snakemake.params.bundled)
