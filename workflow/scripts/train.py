"""Train one run (experiment, optimizer, method, width, seed) and write its history.

By hand: python workflow/scripts/train.py --experiment sin1d --optimizer adam \
    --method relu --width 100 --seed 0 --data results/data/sin1d.nc --out run.nc
"""

import xarray as xr

from hrta import cli
from hrta.config import run_spec
from hrta.provenance import stamp, write_netcdf
from hrta.training import train


def main(spec: dict, data: str, out: str) -> None:
    with xr.open_dataset(data) as ds:
        dataset = ds.load()
    history = train(dataset, spec["problem"], spec)
    write_netcdf(stamp(history, spec, seed=spec["seed"], data_seed=spec["data_seed"]), out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.params.spec, snakemake.input[0], snakemake.output[0])
else:
    p = cli.parser(__doc__)
    for key in ("experiment", "optimizer", "method", "data", "out"):
        p.add_argument(f"--{key}", required=True)
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    a = p.parse_args()
    cfg = cli.config_from(a, __file__)
    main(run_spec(cfg, a.experiment, a.optimizer, a.method, a.width, a.seed), a.data, a.out)
