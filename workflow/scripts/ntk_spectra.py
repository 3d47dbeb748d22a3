"""NTK spectra of one experiment: lambda_min and lambda_max of each Gram part against s.

By hand: python workflow/scripts/ntk_spectra.py --experiment sin1d \
    --data results/data/sin1d.nc --out results/theory/sin1d_spectra.nc
"""

from hrta import cli
from hrta.provenance import read_netcdf, stamp, write_netcdf
from hrta.theory import spectra


def main(data: str, experiment: dict, theory: dict, out: str) -> None:
    result = spectra(read_netcdf(data), experiment, experiment["training"], theory)
    write_netcdf(stamp(result, {**experiment, "theory": theory},
                       subsample_seed=theory["subsample_seed"]), out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input[0], snakemake.params.experiment, snakemake.params.theory,
             snakemake.output[0])
else:
    p = cli.parser(__doc__)
    for key in ("experiment", "data", "out"):
        p.add_argument(f"--{key}", required=True)
    a = p.parse_args()
    cfg = cli.config_from(a, __file__)
    exp = {"experiment": a.experiment, **cfg["experiments"][a.experiment], "training": cfg["training"]}
    main(a.data, exp, cfg["theory"], a.out)
