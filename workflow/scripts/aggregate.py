"""Gather an experiment's run histories into one netCDF with dims (optimizer, method, width, seed, epoch).

By hand: python workflow/scripts/aggregate.py --experiment sin1d --out results/aggregate/sin1d.nc
(reads the run files under results/runs/<experiment>/).
"""

import xarray as xr

from hrta import cli
from hrta.aggregate import combine
from hrta.config import runs
from hrta.provenance import stamp, write_netcdf


def main(run_keys: list[dict], paths: list[str], config: dict, out: str) -> None:
    pieces = []
    for key, path in zip(run_keys, paths):
        with xr.open_dataset(path) as ds:
            pieces.append((key, ds.load()))
    agg = combine(pieces)
    agg.attrs["reference_loss"] = pieces[0][1].attrs.get("reference_loss", 0.0)
    write_netcdf(stamp(agg, config), out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.params.runs, list(snakemake.input), snakemake.params.config, snakemake.output[0])
else:
    p = cli.parser(__doc__)
    p.add_argument("--experiment", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    cfg = cli.config_from(a, __file__)
    keys = [r for r in runs(cfg) if r["experiment"] == a.experiment]
    files = ["results/runs/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.nc".format(**r) for r in keys]
    main(keys, files, {"experiment": a.experiment, **cfg["experiments"][a.experiment],
                       "training": cfg["training"]}, a.out)
