"""Train the runs of one training job, one after the other, and write their histories.

A job is a group of runs set by training.job_per (file results/runs/<experiment>/<job>.nc,
dims optimizer, method, width, seed); the CPU and wall seconds of each run go to a TSV.
By hand: python workflow/scripts/train.py experiment=sin1d job=adam/m100 [--configfile FILE]
"""

import time

import pandas as pd
import torch

from hrta.pipeline import scripts
from hrta.pipeline.aggregate import combine, with_run_dims
from hrta.pipeline.files import read_netcdf, write_netcdf, write_text
from hrta.pipeline.provenance import stamp
from hrta.training.run import train


def main(specs: list[dict], data: str, out: str, timings: str) -> None:
    dataset = read_netcdf(data)
    pieces, times = [], []
    for spec in specs:
        run = {"optimizer": spec["optimizer"]["name"], "method": spec["method"],
               "width": spec["width"], "seed": spec["seed"]}
        cpu, wall = time.process_time(), time.perf_counter()
        pieces.append(with_run_dims(run, train(dataset, spec)))
        times.append({"experiment": spec["experiment"], **run,
                      "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu})
    write_netcdf(stamp(combine(pieces), {"runs": specs}, data_seed=specs[0]["data_seed"]), out)
    write_text(pd.DataFrame(times).to_csv(sep="\t", index=False, float_format="%.3f"), timings)


snakemake = scripts.rule_context(globals(), "train", __doc__)
with scripts.logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.config["training"]["threads"])  # not --cores: same numbers
    main(snakemake.params.specs, snakemake.input[0], snakemake.output.runs, snakemake.output.timings)
