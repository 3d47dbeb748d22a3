"""Build a regime map from its experiment's aggregate: the runs on the map's axes and the
paired test of every cell at every budget (raw and adjusted p-values, verdicts), and the path
variants' switch shocks.

By hand: python workflow/scripts/regime_map.py regime=sin1d [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.pipeline.regime_map import map_dataset
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import with_tests


def main(aggregate: str, name: str, regime: dict, reading: dict, out: str) -> None:
    agg = read_netcdf(aggregate)
    ds = map_dataset(agg, name, regime)
    tested = with_tests(ds, Reading(**reading), agg)
    write_netcdf(stamp(tested, {"regime": regime, "claims": reading}), out)


snakemake = scripts.rule_context(globals(), "regime_map", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.wildcards.regime, snakemake.params.regime, snakemake.params.reading,
         snakemake.output[0])
