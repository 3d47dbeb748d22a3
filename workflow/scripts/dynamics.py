"""Write how an experiment's runs trained (hrta.reporting.numbers.dynamics): the switch shock
and recovery, the minimum and the drift after it, the tail of every run.

By hand: python workflow/scripts/dynamics.py experiment=sin1d [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.reporting.numbers.dynamics import dynamics


def main(aggregate: str, out: str) -> None:
    agg = read_netcdf(aggregate)
    write_netcdf(stamp(dynamics(agg), {"aggregate": agg.attrs.get("config", "")}), out)


snakemake = scripts.rule_context(globals(), "dynamics", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output[0])
