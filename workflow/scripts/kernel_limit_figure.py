"""Draw the kernel-limit figure: the ratio ReLU/HRTA of final GD loss against width,
measured and predicted by the kernel regime.

By hand: python workflow/scripts/kernel_limit_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.kernel_limit import figure


def main(path: str, stem: str) -> None:
    figure(read_netcdf(path), stem)


snakemake = scripts.rule_context(globals(), "kernel_limit_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
