"""Write the claims report (results/claims.md and .json) from the experiments' aggregates.

By hand: python workflow/scripts/claims.py [--configfile FILE]
"""

import json
from pathlib import Path

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_text
from hrta.pipeline.provenance import run_state, versions
from hrta.reporting.facts import by_experiment
from hrta.reporting.numbers import architectures, claims, regime
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.words.claims import markdown


def main(aggregates: list[str], stem: str, settings: dict, theory: str, regimes: list[str],
         kernel_limit: list[str], beyond: list[str], real_data: list[str], networks: list[str],
         left_out: list[str]) -> None:
    aggs = by_experiment(read_netcdf(path) for path in aggregates)
    real = by_experiment(read_netcdf(path) for path in real_data)
    rep = claims.report(aggs, Reading(**settings), json.loads(Path(theory).read_text()), real)
    if networks:  # other bases and depths: C3, C4
        rep = architectures.add_to(rep, by_experiment(read_netcdf(path) for path in networks), aggs)
    maps = {Path(path).stem: read_netcdf(path) for path in regimes}
    rep["maps"] = {name: regime.summary(ds) for name, ds in maps.items()}
    rep["without_jump_maps"] = {name: rows for name, ds in maps.items() if (rows := regime.paths_summary(ds))}
    widths = read_netcdf(kernel_limit[0]) if kernel_limit else None
    beyond_verdict = json.loads(Path(beyond[0]).read_text()) if beyond else None
    rep["left_out"] = list(left_out)
    rep["provenance"] = {**run_state(), "versions": versions()}  # the run's checkout, as its netCDF files
    write_text(claims.to_json(rep), f"{stem}.json")
    budgets = {name: [int(b) for b in ds["budget"].values] for name, ds in maps.items()}
    write_text(markdown(rep, budgets, widths, beyond_verdict), f"{stem}.md")


snakemake = scripts.rule_context(globals(), "claims", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input.aggregates), snakemake.output.md.removesuffix(".md"),
         snakemake.params.settings, snakemake.input.theory, list(snakemake.input.regimes),
         list(snakemake.input.kernel_limit), list(snakemake.input.beyond), list(snakemake.input.real_data),
         list(snakemake.input.architectures), snakemake.params.left_out)
