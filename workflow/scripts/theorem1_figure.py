"""Draw the Theorem 1 figure (lambda_min against s per experiment and NTK part).

By hand: python workflow/scripts/theorem1_figure.py results/theory/*_spectra.nc \
    --stem results/figures/theorem1
"""

import argparse
import json

from hrta import cli
from hrta.theory_figures import theorem1_figure
from hrta.provenance import read_netcdf


def main(paths: list[str], stem: str) -> None:
    loaded = [read_netcdf(path) for path in paths]
    spectra = {json.loads(ds.attrs["config"])["experiment"]: ds for ds in loaded}
    theorem1_figure(spectra, stem)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(list(snakemake.input), snakemake.output.pdf.removesuffix(".pdf"))
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("spectra", nargs="+")
    p.add_argument("--stem", required=True, help="output path without extension")
    a = p.parse_args()
    main(a.spectra, a.stem)
