"""Gather an experiment's training-job files into one netCDF with dims (optimizer, method,
width, seed, epoch), optimizers and methods in config order.

By hand: python workflow/scripts/aggregate.py experiment=sin1d [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.aggregate import check_runs, combine, complete
from hrta.pipeline.files import read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp


def main(paths: list[str], experiment: dict, allow_gaps: bool, out: str, runs: list[list[dict]]) -> None:
    pieces = [read_netcdf(path) for path in paths]  # each readable, unaltered, with its dims
    for path, piece, expected in zip(paths, pieces, runs, strict=True):
        check_runs(piece, path, expected)  # and holding the runs of the config in force
    agg = complete(combine(pieces), experiment, allow_gaps)
    write_netcdf(stamp(agg, experiment), out)


snakemake = scripts.rule_context(globals(), "aggregate", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input), snakemake.params.experiment, snakemake.params.allow_gaps, snakemake.output[0],
         snakemake.params.runs)
