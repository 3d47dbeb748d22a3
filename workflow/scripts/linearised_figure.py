"""Draw the kernel-regime figure (GD training loss vs the linearised prediction).

By hand: python workflow/scripts/linearised_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.theory import linearised_figure


def main(path: str, stem: str) -> None:
    linearised_figure(read_netcdf(path), stem)


snakemake = scripts.rule_context(globals(), "linearised_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
