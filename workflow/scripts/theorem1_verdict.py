"""Theorem 1's verdict as JSON: per experiment, is lambda_min of each analytic NTK part
non-decreasing in s on the fine grid (judged on its own scale, decided on the null space of
G)? With the numbers behind it (mu per part) and lambda_min, lambda_max at the schedules' s
(infinite width and the finite networks at initialisation, their Gram matrices classified)
for the claims report, which reads only this file: the parts' meanings and the sources of
null directions are written into it.

By hand: python workflow/scripts/theorem1_verdict.py [--configfile FILE]
"""

import json

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_text
from hrta.pipeline.provenance import run_state, versions
from hrta.theory.nullity import SOURCES
from hrta.theory.spectra import PART_MEANING, at_s, combined, monotone_verdict


def main(paths: list[str], tolerance: float, out: str) -> None:
    report = {"tolerance": tolerance, "part_meaning": PART_MEANING, "null_sources": SOURCES, "experiments": {},
              "provenance": {**run_state(), "versions": versions()}}
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
