"""Draw the figure architectures (claims C3 and C4: other bases and depths beside two-layer ReLU).

By hand: python workflow/scripts/architectures_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.facts import by_experiment
from hrta.reporting.pictures.architectures import architectures_figure


def main(networks: list[str], sources: list[str], stem: str) -> None:
    architectures_figure(by_experiment(read_netcdf(p) for p in networks),
                         by_experiment(read_netcdf(p) for p in sources), stem)


snakemake = scripts.rule_context(globals(), "architectures_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input.networks), list(snakemake.input.sources), snakemake.output.pdf.removesuffix(".pdf"))
