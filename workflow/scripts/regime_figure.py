"""Draw a regime map's figure: the heat maps at one budget (view b<budget>: median ReLU/HRTA
ratio over learning rate x switch point), the verdict against the budget (view budget) or the
path axis at the largest budget (view paths).

By hand: python workflow/scripts/regime_figure.py regime=sin1d view=b2000 [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf
from hrta.reporting.pictures.regime import budget_figure, figure, paths_figure


def main(path: str, view: str, stem: str) -> None:
    ds = read_netcdf(path)
    if view == "budget":
        budget_figure(ds, stem)
    elif view == "paths":
        paths_figure(ds, stem)
    else:
        figure(ds.sel(budget=int(view.removeprefix("b"))), stem)


snakemake = scripts.rule_context(globals(), "regime_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.wildcards.view, snakemake.output.pdf.removesuffix(".pdf"))
