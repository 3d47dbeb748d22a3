"""Write one experiment's dataset (train inputs and targets, test points) to netCDF.

By hand: python workflow/scripts/make_dataset.py experiment=sin1d [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.problems import make_problem


def main(experiment: dict, out: str) -> None:
    ds = make_problem(experiment["problem"]).make_dataset(experiment["data_seed"])
    ds = ds.assign_coords(experiment=experiment["experiment"])
    provenance = {"problem": experiment["problem"], "data_seed": experiment["data_seed"]}
    write_netcdf(stamp(ds, provenance, data_seed=experiment["data_seed"]), out)


snakemake = scripts.rule_context(globals(), "dataset", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.params.experiment, snakemake.output[0])
