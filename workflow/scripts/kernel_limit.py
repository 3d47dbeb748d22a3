"""Toward the kernel limit: final GD training loss measured and predicted by the linearised
network at every width of theory.linearised's experiment.

By hand: python workflow/scripts/kernel_limit.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import check_config, read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.theory.linearised import width_series


def main(data: str, runs: list, aggregate: str, experiment: dict, out: str) -> None:
    agg = read_netcdf(aggregate)
    check_config(agg, aggregate, {k: v for k, v in experiment.items() if k != "theory"})  # the aggregate's own
    histories = {(r.method, r.width, r.seed): agg.sel(  # a dict: sel's own 'method' keyword
        {"optimizer": r.optimizer.name, "method": r.method, "width": r.width, "seed": r.seed}) for r in runs}
    result = width_series(read_netcdf(data), runs, histories, experiment["theory"]["linearised"]["ntk"])
    write_netcdf(stamp(result, experiment), out)


snakemake = scripts.rule_context(globals(), "kernel_limit", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input.data, snakemake.params.runs, snakemake.input.runs, snakemake.params.experiment,
         snakemake.output[0])
