"""Theorem 1's verdict as JSON: per experiment, is lambda_min of each analytic NTK part
non-decreasing in s on the fine grid (judged on its own scale, "not decidable" where it is
rounding noise)? With the numbers behind it and lambda_min, lambda_max at the schedules' s
(infinite width and the finite networks at initialisation) for the claims report.

By hand: python workflow/scripts/theorem1_verdict.py [--configfile FILE]
"""

import json

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_text
from hrta.pipeline.provenance import git_commit, versions
from hrta.theory.spectra import at_s, combined, monotone_verdict


def main(paths: list[str], tolerance: float, out: str) -> None:
    report = {"tolerance": tolerance, "experiments": {},
              "provenance": {"git_commit": git_commit(), "versions": versions()}}
    for path in paths:
        ds = read_netcdf(path)
        entry = monotone_verdict(ds, tolerance)
        entry["at_s"] = at_s(ds, ds["s_empirical"].values, tolerance)
        report["experiments"][str(ds["experiment"].values)] = entry
    report["verdict"] = combined(e["verdict"] for e in report["experiments"].values())
    report["theorem1_holds"] = report["verdict"] == "holds"
    write_text(json.dumps(report, indent=1) + "\n", out)


snakemake = scripts.rule_context(globals(), "theorem1_verdict", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input), snakemake.params.tolerance, snakemake.output[0])
