"""Draw a regime map's heat maps (median ReLU/HRTA ratio over learning rate x switch point).

By hand: python workflow/scripts/regime_figure.py regime=sin1d [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.regime import figure


def main(path: str, stem: str) -> None:
    figure(read_netcdf(path), stem)


snakemake = scripts.rule_context(globals(), "regime_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
