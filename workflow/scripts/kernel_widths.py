"""Toward the kernel limit: final GD training loss measured and predicted by the linearised
network at every width of theory.kernel_regime's experiment.

By hand: python workflow/scripts/kernel_widths.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.theory.kernel_regime import width_series


def main(data: str, specs: list[dict], aggregate: str, experiment: dict, out: str) -> None:
    agg = read_netcdf(aggregate)
    histories = {(s["method"], s["width"], s["seed"]): agg.sel(  # a dict: sel's own 'method' keyword
        {"optimizer": s["optimizer"]["name"], "method": s["method"], "width": s["width"],
         "seed": s["seed"]}) for s in specs}
    result = width_series(read_netcdf(data), specs, histories, experiment["theory"]["kernel_regime"]["kernel"])
    write_netcdf(stamp(result, experiment), out)


snakemake = scripts.rule_context(globals(), "kernel_widths", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input.data, snakemake.params.specs, snakemake.input.runs,
         snakemake.params.experiment, snakemake.output[0])
