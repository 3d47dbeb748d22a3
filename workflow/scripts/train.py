"""Train the runs of one training job and write their histories.

A job is a group of runs set by training.job_per (file results/runs/<experiment>/<job>.nc,
dims optimizer, method, width, seed); its runs of one width and optimizer family train
together as one population. Each run's share of its population's CPU and wall seconds,
and the peak RSS, go to a TSV.
By hand: python workflow/scripts/train.py experiment=sin1d job=adam/m100 [--configfile FILE]
"""

import sys

import pandas as pd
import torch

from hrta.pipeline import scripts
from hrta.pipeline.aggregate import combine, with_run_dims
from hrta.pipeline.files import read_netcdf, write_netcdf, write_text
from hrta.pipeline.provenance import stamp
from hrta.pipeline.regimes import resolve_lr
from hrta.training.progress import log_to
from hrta.training.run import train_runs


def main(specs: list[dict], data: str, out: str, timings: str, spectra: str | None = None) -> None:
    if spectra is not None:  # GD learning rates given as fractions of the stability limit
        kernel = read_netcdf(spectra)
        specs = [resolve_lr(spec, kernel) for spec in specs]
    histories, costs = train_runs(read_netcdf(data), specs)
    pieces, times = [], []
    for spec, hist, cost in zip(specs, histories, costs):
        run = {"optimizer": spec["optimizer"]["name"], "method": spec["method"],
               "width": spec["width"], "seed": spec["seed"]}
        pieces.append(with_run_dims(run, hist))
        times.append({"experiment": spec["experiment"], **run, **cost})
    write_netcdf(stamp(combine(pieces), {"runs": specs}, data_seed=specs[0]["data_seed"]), out)
    write_text(pd.DataFrame(times).to_csv(sep="\t", index=False, float_format="%.3f"), timings)


snakemake = scripts.rule_context(globals(), "train", __doc__)
with scripts.logged(snakemake.log[0]):
    log_to(sys.stderr)  # the job's log: a line per run's start and end, progress lines
    torch.set_num_threads(snakemake.config["training"]["threads"])  # not --cores: same numbers
    main(snakemake.params.specs, snakemake.input.data, snakemake.output.runs, snakemake.output.timings,
         snakemake.input.get("spectra"))
