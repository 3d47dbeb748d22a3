"""Instructions per training step, Lightning path against the plain loop (run by hand).

    python benchmarks/count_instructions.py                  # sin1d_m1e3
    python benchmarks/count_instructions.py --cells ritz_m1e3 --sim

Timings on a shared machine vary by ±10% between processes; instruction counts do not.
Each mode of ``bench_training.py`` (``lightning``: ``hrta.training.train``; ``plain``: the
hand-written loop) runs under valgrind's cachegrind twice, for E1 and E2 epochs after the
same set-up and warm-up; (count(E2) - count(E1)) / (E2 - E1) is the cost of one step.
``--sim`` also simulates the caches (the L2 of this machine as the last level: 1 MiB)
and the branch predictor, and reports the misses per step. Needs ``valgrind`` on PATH;
numpy's OpenBLAS is kept to one thread (its idle threads' polling would be counted).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import bench_training as bench

EVENTS = {"Ir": "instructions", "Bcm": "mispredicted cond. branches", "Bim": "mispredicted ind. branches",
          "DLmr": "last-level data read misses", "ILmr": "last-level instruction misses"}
SIM = ["--cache-sim=yes", "--branch-sim=yes", "--I1=32768,8,64", "--D1=32768,8,64", "--LL=1048576,16,64"]


def worker(cell_name: str, mode: str, epochs: int) -> None:
    """Set up as the benchmark does, warm up with 20 epochs, then train ``epochs``."""
    import torch

    from hrta.problems import make_problem
    from hrta.training.run import train

    torch.set_num_threads(1)
    cell = bench.CELLS[cell_name]
    dataset = make_problem(cell["problem"]).make_dataset(0)
    run = train if mode == "lightning" else bench.plain_train
    for e in (20, epochs):
        run(dataset, bench.make_run(cell, e, "float32", 1))


def count(cell: str, mode: str, epochs: int, sim: bool, tmp: str) -> dict[str, int]:
    """Event totals of one worker process under cachegrind."""
    out = os.path.join(tmp, f"{cell}.{mode}.{epochs}.out")
    cmd = ["valgrind", "--tool=cachegrind", f"--cachegrind-out-file={out}",
           *(SIM if sim else ["--cache-sim=no", "--branch-sim=no"]),
           sys.executable, __file__, "--worker", cell, mode, str(epochs)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    with open(out) as fh:
        text = fh.read()
    names = re.search(r"^events: (.*)$", text, re.M).group(1).split()
    totals = re.search(r"^summary: (.*)$", text, re.M).group(1).split()
    return {k: int(v) for k, v in zip(names, totals) if k in EVENTS}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", nargs="+", default=["sin1d_m1e3"], choices=list(bench.CELLS))
    p.add_argument("--epochs", nargs=2, type=int, default=[100, 400], metavar=("E1", "E2"))
    p.add_argument("--sim", action="store_true", help="simulate caches and branch prediction too")
    p.add_argument("--worker", nargs=3, metavar=("CELL", "MODE", "EPOCHS"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], int(args.worker[2]))
        return
    e1, e2 = args.epochs
    jobs = [(cell, mode, e) for cell in args.cells for mode in ("lightning", "plain") for e in (e1, e2)]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(os.cpu_count()) as pool:
        counts = dict(zip(jobs, pool.map(lambda j: count(*j, args.sim, tmp), jobs)))
    events = list(counts[jobs[0]])
    print("| cell | event per step | lightning | plain | lightning − plain | lightning / plain |")
    print("|---|---|---|---|---|---|")
    for cell in args.cells:
        per = {mode: {k: (counts[cell, mode, e2][k] - counts[cell, mode, e1][k]) / (e2 - e1) for k in events}
               for mode in ("lightning", "plain")}
        for k in events:
            lt, pl = per["lightning"][k], per["plain"][k]
            print(f"| {cell} | {EVENTS[k]} | {lt:,.0f} | {pl:,.0f} | {lt - pl:,.0f} | {lt / pl:.3f} |")


if __name__ == "__main__":
    main()
