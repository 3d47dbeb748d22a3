"""Draw the Theorem 1 figure (lambda_min against s per experiment and NTK part).

By hand: python workflow/scripts/theorem1_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.theory import theorem1_figure


def main(paths: list[str], stem: str) -> None:
    theorem1_figure([read_netcdf(path) for path in paths], stem)


snakemake = scripts.rule_context(globals(), "theorem1_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input), snakemake.output.pdf.removesuffix(".pdf"))
