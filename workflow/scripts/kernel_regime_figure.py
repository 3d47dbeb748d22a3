"""Draw the kernel-regime figure (GD training loss vs the linearised prediction).

By hand: python workflow/scripts/kernel_regime_figure.py results/theory/kernel_regime.nc \
    results/figures/kernel_regime
"""

import argparse

import xarray as xr

from hrta import cli
from hrta.theory_figures import kernel_regime_figure


def main(path: str, stem: str) -> None:
    with xr.open_dataset(path) as ds:
        kernel_regime_figure(ds.load(), stem)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("kernel_regime")
    p.add_argument("stem", help="output path without extension; .pdf and .png are written")
    a = p.parse_args()
    main(a.kernel_regime, a.stem)
