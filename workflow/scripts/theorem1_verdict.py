"""Theorem 1's verdict as JSON: per experiment, is lambda_min of each analytic NTK part
non-decreasing in s on the fine grid? With the numbers behind it.

By hand: python workflow/scripts/theorem1_verdict.py results/theory/sin1d_spectra.nc ... \
    --out results/theory/theorem1.json
"""

import argparse
import json

from hrta import cli
from hrta.provenance import git_commit, read_netcdf, versions, write_text
from hrta.theory import monotone_verdict


def main(paths: list[str], tolerance: float, out: str) -> None:
    report = {"tolerance": tolerance, "experiments": {},
              "provenance": {"git_commit": git_commit(), "versions": versions()}}
    for path in paths:
        ds = read_netcdf(path)
        report["experiments"][json.loads(ds.attrs["config"])["experiment"]] = monotone_verdict(ds, tolerance)
    report["theorem1_holds"] = all(e["theorem1_holds"] for e in report["experiments"].values())
    write_text(json.dumps(report, indent=1) + "\n", out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(list(snakemake.input), snakemake.params.tolerance, snakemake.output[0])
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("spectra", nargs="+")
    p.add_argument("--tolerance", type=float, default=1e-10, help="as theory.monotone_tolerance")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    main(a.spectra, a.tolerance, a.out)
