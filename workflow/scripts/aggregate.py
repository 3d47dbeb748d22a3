"""Gather an experiment's training-job files into one netCDF with dims (optimizer, method, width, seed, epoch).

By hand: python workflow/scripts/aggregate.py --experiment sin1d --out results/aggregate/sin1d.nc
(reads the job files under results/runs/<experiment>/).
"""

from hrta import cli
from hrta.aggregate import combine
from hrta.config import jobs
from hrta.provenance import read_netcdf, stamp, write_netcdf


def main(paths: list[str], config: dict, out: str) -> None:
    pieces = [read_netcdf(path) for path in paths]
    reference_loss = pieces[0].attrs.get("reference_loss", 0.0)
    agg = combine(pieces)
    agg.attrs["reference_loss"] = reference_loss
    write_netcdf(stamp(agg, config), out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(list(snakemake.input), snakemake.params.config, snakemake.output[0])
else:
    p = cli.parser(__doc__)
    p.add_argument("--experiment", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    cfg = cli.config_from(a, __file__)
    files = [f"results/runs/{exp}/{job}.nc" for exp, job in jobs(cfg) if exp == a.experiment]
    main(files, {"experiment": a.experiment, **cfg["experiments"][a.experiment],
                 "training": cfg["training"]}, a.out)
