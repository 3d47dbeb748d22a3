"""Measured gradient-descent training loss against the prediction of the network linearised
at its initialisation, at the experiment's largest width.

By hand: python workflow/scripts/linearised.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import check_config, read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.theory.linearised import linearised


def main(data: str, runs: list, aggregate: str, experiment: dict, out: str) -> None:
    agg = read_netcdf(aggregate)
    check_config(agg, aggregate, {k: v for k, v in experiment.items() if k != "theory"})  # the aggregate's own
    histories = {(r.method, r.seed): agg.sel(  # a dict: sel's own 'method' keyword
        {"optimizer": r.optimizer.name, "method": r.method, "width": r.width, "seed": r.seed}) for r in runs}
    result = linearised(read_netcdf(data), {(r.method, r.seed): r for r in runs}, histories,
                        experiment["theory"]["linearised"]["ntk"])
    write_netcdf(stamp(result, experiment), out)


snakemake = scripts.rule_context(globals(), "linearised", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input.data, snakemake.params.runs, snakemake.input.runs, snakemake.params.experiment,
         snakemake.output[0])
