"""Theorem 1 beyond two-layer ReLU as JSON: per experiment and network (deep ReLU, smooth
bases), is lambda_min of each NTK part non-decreasing in s, and where not, on which s
intervals? With the finite networks' verdicts and the numbers behind them.

By hand: python workflow/scripts/beyond_verdict.py [--configfile FILE]
"""

import json

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_text
from hrta.pipeline.provenance import run_state, versions
from hrta.theory.beyond import beyond_verdict


def main(path: str, tolerance: float, out: str) -> None:
    ds = read_netcdf(path)
    report = beyond_verdict([ds.sel(experiment=e) for e in ds.experiment.values], tolerance)
    report["provenance"] = {**run_state(), "versions": versions()}
    write_text(json.dumps(report, indent=1) + "\n", out)


snakemake = scripts.rule_context(globals(), "beyond_verdict", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.params.tolerance, snakemake.output[0])
