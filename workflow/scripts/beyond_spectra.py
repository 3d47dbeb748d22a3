"""Theorem 1 beyond two-layer ReLU: lambda_min and lambda_max of deep ReLU and smooth-base
NTK Gram matrices against s on every experiment's training inputs, with finite networks.

By hand: python workflow/scripts/beyond_spectra.py [--configfile FILE]
"""

import xarray as xr

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.theory.beyond import experiment_spectra


def main(paths: list[str], experiments: list[dict], theory: dict, out: str) -> None:
    parts = []
    for path, experiment in zip(paths, experiments):
        x = read_netcdf(path)["x_train"].values
        ds = experiment_spectra(x, theory["beyond"], experiment["numerics"]["bias"], theory["subsample_seed"])
        parts.append(ds.expand_dims(experiment=[experiment["experiment"]]))
    result = xr.concat(parts, dim="experiment")
    write_netcdf(stamp(result, {"experiments": experiments, "theory": theory},
                       subsample_seed=theory["subsample_seed"]), out)


snakemake = scripts.rule_context(globals(), "beyond_spectra", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input), snakemake.params.experiments, snakemake.params.theory, snakemake.output[0])
