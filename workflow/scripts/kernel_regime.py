"""Measured gradient-descent training loss against the kernel-regime prediction.

By hand (default profile, after the aggregate of the experiment):
    python workflow/scripts/kernel_regime.py --out results/theory/kernel_regime.nc
"""

from hrta import cli
from hrta.provenance import read_netcdf, stamp, write_netcdf
from hrta.theory import kernel_regime, kernel_regime_specs


def main(data: str, specs: list[dict], aggregate: str, experiment: dict, out: str) -> None:
    agg = read_netcdf(aggregate)
    histories = {(s["method"], s["seed"]): agg.sel(  # a dict: sel's own 'method' keyword
        {"optimizer": s["optimizer"]["name"], "method": s["method"], "width": s["width"],
         "seed": s["seed"]}) for s in specs}
    result = kernel_regime(read_netcdf(data), {(s["method"], s["seed"]): s for s in specs}, histories,
                           experiment["theory"]["kernel_regime"]["kernel"])
    write_netcdf(stamp(result, experiment), out)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input.data, snakemake.params.specs, snakemake.input.runs,
             snakemake.params.experiment, snakemake.output[0])
else:
    p = cli.parser(__doc__)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    cfg = cli.config_from(a, __file__)
    name = cfg["theory"]["kernel_regime"]["experiment"]
    specs = kernel_regime_specs(cfg)
    exp = {"experiment": name, **cfg["experiments"][name], "training": cfg["training"],
           "theory": cfg["theory"]}
    main(f"results/data/{name}.nc", specs, f"results/aggregate/{name}.nc", exp, a.out)
