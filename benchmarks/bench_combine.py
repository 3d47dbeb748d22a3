"""Combining a training job's run histories (hrta.pipeline.aggregate.combine): the default
profile's sin1d job at full size (2 optimizers x 7 methods x 3 widths x 8 seeds, 6000
epochs). Prints the wall seconds and the peak RSS; run by hand:

    .venv/bin/python benchmarks/bench_combine.py
"""

import resource
import time

import numpy as np
import xarray as xr

from hrta.model.schedule import Schedule
from hrta.pipeline.aggregate import combine, with_run_dims
from hrta.training.history import method_facts

E = 6000
S = {f"m{k}": [{"s": 0.5, "epochs": E // 2}, {"s": 1.0 + 0.1 * k, "epochs": E // 2}] for k in range(7)}
def hist(method):
    sch = Schedule(S[method])
    ds = xr.Dataset({"loss": ("epoch", np.random.rand(E + 1)), "test_error": ("eval_epoch", np.random.rand(121)),
                     "diverged": ((), 0), "diverged_epoch": ((), -1)},
                    coords={"epoch": np.arange(E + 1), "eval_epoch": np.arange(0, E + 1, 50), "experiment": "exp",
                            "reference_loss": 0.0, "loss_is_gap": np.int8(0)})
    return ds.assign_coords(method_facts(sch))
pieces = [with_run_dims({"optimizer": o, "method": m, "width": w, "seed": s}, hist(m))
          for o in ("adam", "gd") for m in S for w in (100, 1000, 10000) for s in range(8)]
start = time.time()
out = combine(pieces)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{len(pieces)} pieces into {dict(out['loss'].sizes)}: {time.time() - start:.1f} s, peak RSS {peak} MB")
