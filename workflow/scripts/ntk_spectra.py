"""NTK spectra of one experiment: lambda_min and lambda_max of each Gram part against s.

By hand: python workflow/scripts/ntk_spectra.py experiment=sin1d [--configfile FILE]
"""

from hrta.model.run import Numerics
from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.theory.spectra import spectra


def main(data: str, networks: dict, theory: dict, out: str) -> None:
    result = spectra(read_netcdf(data), networks["widths"], networks["seeds"], networks["s"],
                     Numerics(**networks["numerics"]), theory)
    result = result.assign_coords(experiment=networks["experiment"])
    write_netcdf(stamp(result, {**networks, "theory": theory}, subsample_seed=theory["subsample_seed"]), out)


snakemake = scripts.rule_context(globals(), "ntk_spectra", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.params.networks, snakemake.params.theory, snakemake.output[0])
