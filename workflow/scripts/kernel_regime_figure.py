"""Draw the kernel-regime figure (GD training loss vs the linearised prediction).

By hand: python workflow/scripts/kernel_regime_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.theory import kernel_regime_figure


def main(path: str, stem: str) -> None:
    kernel_regime_figure(read_netcdf(path), stem)


snakemake = scripts.rule_context(globals(), "kernel_regime_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
