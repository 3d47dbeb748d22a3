"""Train the runs of one training job, one after the other, and write their histories.

A job is a group of runs set by training.job_per (file results/runs/<experiment>/<job>.nc,
dims optimizer, method, width, seed); the CPU and wall seconds of each run go to a TSV.
By hand: python workflow/scripts/train.py --experiment sin1d --job adam/m100 \
    --data results/data/sin1d.nc --out job.nc --timings job.runs.tsv
"""

import time

import pandas as pd

from hrta import cli
from hrta.aggregate import combine, with_run_dims
from hrta.config import ConfigError, jobs, run_spec
from hrta.provenance import read_netcdf, stamp, write_netcdf, write_text
from hrta.training import train


def main(specs: list[dict], data: str, out: str, timings: str) -> None:
    dataset = read_netcdf(data)
    pieces, times = [], []
    for spec in specs:
        run = {"optimizer": spec["optimizer"]["name"], "method": spec["method"],
               "width": spec["width"], "seed": spec["seed"]}
        cpu, wall = time.process_time(), time.perf_counter()
        pieces.append(with_run_dims(run, train(dataset, spec["problem"], spec)))
        times.append({"experiment": spec["experiment"], **run, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu})
    job = combine(pieces)
    job.attrs["reference_loss"] = float(dataset.attrs.get("reference_loss", 0.0))
    write_netcdf(stamp(job, {"runs": specs}, data_seed=specs[0]["data_seed"]), out)
    write_text(pd.DataFrame(times).to_csv(sep="\t", index=False, float_format="%.3f"), timings)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.params.specs, snakemake.input[0], snakemake.output.runs, snakemake.output.timings)
else:
    p = cli.parser(__doc__)
    for key in ("experiment", "job", "data", "out", "timings"):
        p.add_argument(f"--{key}", required=True)
    a = p.parse_args()
    cfg = cli.config_from(a, __file__)
    grid = jobs(cfg)
    if (a.experiment, a.job) not in grid:
        names = ", ".join(job for exp, job in grid if exp == a.experiment)
        raise ConfigError(f"--job {a.job!r}: not a training job of experiment {a.experiment!r} "
                          f"(training.job_per = {cfg['training']['job_per']}; jobs: {names})")
    main([run_spec(cfg, **r) for r in grid[a.experiment, a.job]], a.data, a.out, a.timings)
