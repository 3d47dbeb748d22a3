"""Draw the kernel-regime figure (GD training loss vs the linearised prediction).

By hand: python workflow/scripts/kernel_regime_figure.py results/theory/kernel_regime.nc \
    results/figures/kernel_regime
"""

import argparse

from hrta import cli
from hrta.theory_figures import kernel_regime_figure
from hrta.provenance import read_netcdf


def main(path: str, stem: str) -> None:
    kernel_regime_figure(read_netcdf(path), stem)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("kernel_regime")
    p.add_argument("stem", help="output path without extension; .pdf and .png are written")
    a = p.parse_args()
    main(a.kernel_regime, a.stem)
