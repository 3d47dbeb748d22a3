"""Draw the figure theorem1_beyond (lambda_min(s) / lambda_min(1) per experiment and network).

By hand: python workflow/scripts/theorem1_beyond_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.beyond import theorem1_beyond_figure


def main(path: str, stem: str) -> None:
    theorem1_beyond_figure(read_netcdf(path), stem)


snakemake = scripts.rule_context(globals(), "theorem1_beyond_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
