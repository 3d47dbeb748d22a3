"""Train a real-data experiment (real_data.<name>: a plain MLP whose ReLUs are homotopized,
under the HRTA schedules) and write its aggregate, dims (optimizer, method, width, seed,
epoch / eval_epoch) as the other experiments'.

By hand: python workflow/scripts/real_data.py dataset=digits [--configfile FILE]
"""

import torch

from hrta.pipeline import scripts
from hrta.pipeline.aggregate import combine, complete, with_run_dims
from hrta.pipeline.files import write_netcdf
from hrta.pipeline.provenance import stamp
from hrta.problems.bundled import load
from hrta.training.real_data import train_runs


def main(experiment: dict, runs: list, out: str) -> None:
    data = load(experiment["dataset"], experiment["held_out"], experiment["data_seed"])
    pieces = [with_run_dims({"optimizer": run.optimizer.name, "method": run.method, "width": run.width,
                             "seed": run.seed}, hist)
              for run, hist in zip(runs, train_runs(data, runs))]
    agg = complete(combine(pieces), experiment)
    write_netcdf(stamp(agg, experiment, data_seed=experiment["data_seed"]), out)


snakemake = scripts.rule_context(globals(), "real_data", __doc__)
with scripts.logged(snakemake.log[0]):
    torch.set_num_threads(snakemake.params.runs[0].numerics.threads)  # not --cores: same numbers
    main(snakemake.params.experiment, snakemake.params.runs, snakemake.output[0])
