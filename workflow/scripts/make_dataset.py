"""Write one experiment's dataset (train inputs and targets, test points) to netCDF.

By hand: python workflow/scripts/make_dataset.py --experiment sin1d --out results/data/sin1d.nc
"""

from hrta import cli
from hrta.problems import make_problem
from hrta.provenance import stamp, write_netcdf


def main(problem: dict, data_seed: int, out: str) -> None:
    ds = make_problem(problem).make_dataset(data_seed)
    write_netcdf(stamp(ds, {"problem": problem, "data_seed": data_seed}, data_seed=data_seed), out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.params.problem, snakemake.params.data_seed, snakemake.output[0])
else:
    p = cli.parser(__doc__)
    p.add_argument("--experiment", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    exp = cli.config_from(args, __file__)["experiments"][args.experiment]
    main(exp["problem"], exp["data_seed"], args.out)
