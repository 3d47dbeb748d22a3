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
from hrta.pipeline.stability import resolve_lr
from hrta.training.progress import log_to
from hrta.training.run import train_runs


def main(runs: list, data: str, out: str, timings: str, training: dict, spectra: str | None = None) -> None:
    if spectra is not None:  # GD learning rates given as fractions of the stability limit
        kernel = read_netcdf(spectra)
        runs = [resolve_lr(run, kernel) for run in runs]
    histories, costs = train_runs(read_netcdf(data), runs, training["population_mb"], training["log_every_s"])
    pieces, times = [], []
    for run, hist, cost in zip(runs, histories, costs):
        dims = {"optimizer": run.optimizer.name, "method": run.method, "width": run.width, "seed": run.seed}
        pieces.append(with_run_dims(dims, hist))
        times.append({"experiment": run.experiment, **dims, **cost})
    write_netcdf(stamp(combine(pieces), {"runs": [run.as_dict() for run in runs]}, data_seed=runs[0].data_seed), out)
    write_text(pd.DataFrame(times).to_csv(sep="\t", index=False, float_format="%.3f"), timings)


snakemake = scripts.rule_context(globals(), "train", __doc__)
with scripts.logged(snakemake.log[0]):
    log_to(sys.stderr)  # the job's log: a line per run's start and end, progress lines
    torch.set_num_threads(snakemake.params.runs[0].numerics.threads)  # not --cores: same numbers
    main(snakemake.params.runs, snakemake.input.data, snakemake.output.runs, snakemake.output.timings,
         snakemake.config["training"], snakemake.input.get("spectra"))
