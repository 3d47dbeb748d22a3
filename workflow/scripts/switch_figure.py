"""Draw an experiment's switch figure: the loss jump at each schedule's switch against width.

By hand: python workflow/scripts/switch_figure.py experiment=sin1d [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.dynamics import switch_figure


def main(path: str, stem: str) -> None:
    switch_figure(read_netcdf(path), stem)


snakemake = scripts.rule_context(globals(), "switch_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
