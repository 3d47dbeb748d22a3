"""Lightning training path vs a hand-written PyTorch loop, side by side (run by hand).

    python benchmarks/bench_training.py                # all cells, 3 rounds
    python benchmarks/bench_training.py --rounds 1 --cells sin1d_m1e3

Every cell trains the same two-stage HRTA run (s = 0.5 then 1.5, Adam with step decay)
three ways:

- ``lightning``: ``hrta.training.run.train``, a population of one, as the workflow
                 trains a job of one run;
- ``plain``:     a plain PyTorch loop over the same network, loss, optimizer, scheduler,
                 dtype and threads, recording the same history (loss every epoch, test
                 error at the same evaluation epochs);
- ``textbook``:  the same plain loop over the unfused autograd network
                 (z = x~ w^T, leaky_relu, @ a), the reference for the kernel speed.

Each mode trains a short warm-up run, then E/5 and E epochs; ms/step is the E-epoch time
over E (set-up included), ``marginal`` is (T(E) - T(E/5)) / (4E/5) and ``fixed`` the rest.
Times are CPU time (time.process_time), which other jobs on a shared machine inflate far
less than wall time. The modes are timed one after the other in the same fresh process
(timings across processes differ by up to ~15% here); each round runs one process per
mode, that mode first, so its peak RSS (ru_maxrss, imports included; the value after the
imports beside it) is its own. The minimum over all runs is reported. Since processes
differ in speed and the machine's speed drifts, each process then times ``--pairs`` more
E-epoch runs of Lightning and plain back to back, alternating which goes first; its ratio
is its best Lightning time over its best plain time (noise only adds time), and the
median and range of that ratio over the processes are printed beside the best-of-rounds
ratio. Lightning and plain must agree to rounding (the batched slope product rounds
apart from the single-network one; bit-identical at s = 1); textbook must
agree to rounding.
"""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

import numpy as np

CELLS = {
    "sin1d_m1e3": {"problem": {"name": "sin_sum", "dim": 1, "n_train": 100, "train_points": "grid",
                               "n_test": 1000, "test_points": "grid"}, "width": 1000, "epochs": 3000},
    "sin1d_m1e4": {"problem": {"name": "sin_sum", "dim": 1, "n_train": 100, "train_points": "grid",
                               "n_test": 1000, "test_points": "grid"}, "width": 10000, "epochs": 1000},
    "sin3d_m1e4": {"problem": {"name": "sin_sum", "dim": 3, "n_train": 1000, "train_points": "uniform",
                               "n_test": 1000, "test_points": "uniform"}, "width": 10000, "epochs": 200},
    "ritz_m1e3": {"problem": {"name": "poisson_neumann", "dim": 2, "n_train": 1000, "train_points": "sobol",
                              "n_test": 1024, "test_points": "grid"}, "width": 1000, "epochs": 500},
}
MODES = ("lightning", "plain", "textbook")


def make_run(cell: dict, epochs: int, dtype: str, threads: int, slopes: str = "fused", accelerator: str = "cpu"):
    """The benchmark's run: HRTA 0.5 -> 1.5 with Adam and step decay on the cell's problem."""
    from hrta.model.run import Decay, Numerics, Optimizer, Run
    from hrta.model.schedule import Schedule

    half = epochs // 2
    return Run(experiment="benchmark", method="hrta_0.5-1.5", problem=cell["problem"], width=cell["width"], seed=0,
               data_seed=0, eval_every=epochs, schedule=Schedule([(0.5, half), (1.5, epochs - half)]),
               optimizer=Optimizer("adam", "adam", 1e-3, Decay("step", 0.5, max(1, epochs // 3))),
               numerics=Numerics(threads=threads, dtype=dtype, accelerator=accelerator, slopes=slopes))


def plain_train(dataset, run) -> np.ndarray:
    """The hand-written single-network loop: the same step and records as a population of one."""
    import torch

    from hrta.model.network import DTYPES, initial_network
    from hrta.model.optimizers import make_lr_scheduler, make_optimizer
    from hrta.problems import make_problem

    dtype = DTYPES[run.numerics.dtype]
    schedule, problem = run.schedule, make_problem(run.problem)
    torch.manual_seed(run.seed)
    net = initial_network(dataset.sizes["dim"], run.width, run.seed, run.numerics, s=schedule.s_at(0))
    x, y, xt, yt = (torch.as_tensor(dataset[k].values, dtype=dtype)
                    for k in ("x_train", "y_train", "x_test", "y_test"))
    opt = make_optimizer(net.parameters(), run.optimizer)
    sched = make_lr_scheduler(opt, run.optimizer)
    epochs, every = schedule.total, run.eval_every
    losses = torch.full((epochs + 1,), math.nan, dtype=dtype)
    errors = torch.full((len(range(0, epochs, every)) + 1,), math.nan, dtype=dtype)
    lrs = np.full(epochs, math.nan)
    for epoch in range(epochs):
        s = schedule.s_at(epoch)
        if s != net.s:
            net.set_s(s)
        loss = problem.loss(net, x, y)
        losses[epoch] = loss.detach()
        if epoch % every == 0:
            with torch.no_grad():
                errors[epoch // every] = problem.test_error(net, xt, yt)
            if not torch.isfinite(loss).item():
                break
        lrs[epoch] = sched.get_last_lr()[0]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
    losses[epochs] = problem.loss(net, x, y).detach()
    with torch.no_grad():
        errors[-1] = problem.test_error(net, xt, yt)
    return losses.double().numpy()


def worker(cell_name: str, first: str, modes: list[str], dtype: str, threads: int,
           epochs: int, pairs: int) -> list[dict]:
    """Train ``first``, then the other modes, in this process; each: a warm-up, E/5 and E
    epochs. Peak RSS is reported for ``first`` only (measured before the others run). Then
    ``pairs`` E-epoch Lightning/plain pairs, alternating the order; every E-epoch time of a
    mode goes into its record as ``t_runs``."""
    import torch  # imports count as start-up, not as training

    from hrta.problems import make_problem
    from hrta.training.run import train

    torch.set_num_threads(threads)
    cell = CELLS[cell_name]
    dataset = make_problem(cell["problem"]).make_dataset(0)
    runners = {
        "lightning": lambda e: train(dataset, make_run(cell, e, dtype, threads)).loss.values,
        "plain": lambda e: plain_train(dataset, make_run(cell, e, dtype, threads)),
        "textbook": lambda e: plain_train(dataset, make_run(cell, e, dtype, threads, slopes="autograd")),
    }
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    short, results = max(2, epochs // 5), []
    for mode in [first] + [m for m in modes if m != first]:
        runners[mode](max(4, epochs // 20))
        times = {}
        for e in (short, epochs):
            t0, w0 = time.process_time(), time.perf_counter()
            losses = runners[mode](e)
            times[e] = (time.process_time() - t0, time.perf_counter() - w0)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if mode == first else None
        results.append({"cell": cell_name, "mode": mode, "short": short, "epochs": epochs,
                        "t_short": times[short][0], "t_full": times[epochs][0],
                        "wall_full": times[epochs][1], "t_runs": [times[epochs][0]], "losses": losses.tolist(),
                        "rss_start_mb": rss_start, "rss_peak_mb": rss,
                        "n": cell["problem"]["n_train"], "m": cell["width"]})
    records = {r["mode"]: r for r in results}
    if {"lightning", "plain"} <= records.keys():
        for i in range(pairs):
            for mode in ("lightning", "plain")[::1 if i % 2 else -1]:
                t0 = time.process_time()
                runners[mode](epochs)
                records[mode]["t_runs"].append(time.process_time() - t0)
    return results


def spawn(cell: str, first: str, args) -> list[dict]:
    cmd = [sys.executable, __file__, "--worker", cell, first, "--modes", *args.modes,
           "--dtype", args.dtype, "--threads", str(args.threads), "--epochs", str(epochs_of(cell, args)),
           "--pairs", str(args.pairs)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def epochs_of(cell: str, args) -> int:
    return max(10, int(CELLS[cell]["epochs"] * args.scale))


def marginal(r: dict) -> float:
    """Seconds per step beyond the fixed set-up: (T(E) - T(E/5)) / (E - E/5)."""
    return (r["t_full"] - r["t_short"]) / (r["epochs"] - r["short"])


def in_process_ratios(results: list[dict], cell: str) -> list[float]:
    """Per process that ran both: its best Lightning E-epoch time over its best plain one.
    Immune to the ~10% speed differences between processes, which the best-of-rounds ratio
    is not, and (through the minimum) to bursts of load on a shared machine."""
    best = {}
    for r in results:
        if r["cell"] == cell:
            best.setdefault(r["process"], {})[r["mode"]] = min(r["t_runs"])
    return [t["lightning"] / t["plain"] for t in best.values() if {"lightning", "plain"} <= t.keys()]


def summarise(results: list[dict], cells: list[str]) -> None:
    """Markdown tables: per mode (best of the rounds), then Lightning against plain per cell."""
    best, rss = {}, {}
    for r in results:
        key = (r["cell"], r["mode"])
        if key not in best or r["t_full"] < best[key]["t_full"]:
            best[key] = {**r, "t_short": min(r["t_short"], best.get(key, r)["t_short"])}
        if r["rss_peak_mb"] is not None:
            rss[key] = (max(r["rss_peak_mb"], rss.get(key, (0, 0))[0]), r["rss_start_mb"])
    print("\n| cell | n | m | epochs | mode | ms/step | marginal ms/step | fixed s | "
          "ns per n·m·step | peak RSS MB (after imports) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (cell, mode), r in sorted(best.items(), key=lambda kv: (cells.index(kv[0][0]), MODES.index(kv[0][1]))):
        step = marginal(r)
        print(f"| {cell} | {r['n']} | {r['m']} | {r['epochs']} | {mode} | "
              f"{1e3 * r['t_full'] / r['epochs']:.3f} | {1e3 * step:.3f} | "
              f"{r['t_full'] - step * r['epochs']:.2f} | {1e9 * step / (r['n'] * r['m']):.2f} | "
              f"{rss[cell, mode][0]:.0f} ({rss[cell, mode][1]:.0f}) |")
    print("\n| cell | lightning / plain (ms/step) | lightning / plain (marginal) | "
          "in-process ratio of best times: median (range; processes) | "
          "max rel. diff lightning vs plain | textbook / plain (ms/step) | max rel. diff textbook vs plain |")
    print("|---|---|---|---|---|---|---|")
    for cell in cells:
        lt, pl, tb = (best.get((cell, mode)) for mode in MODES)
        if not (lt and pl):
            continue
        same = f"{np.max(np.abs(np.subtract(lt['losses'], pl['losses'])) / np.abs(pl['losses'])):.1e}"
        ref = ("- | -" if tb is None else f"{tb['t_full'] / pl['t_full']:.2f} | "
               f"{np.max(np.abs(np.subtract(tb['losses'], pl['losses'])) / np.abs(tb['losses'])):.1e}")
        pairs = in_process_ratios(results, cell)
        print(f"| {cell} | {lt['t_full'] / pl['t_full']:.3f} | {marginal(lt) / marginal(pl):.3f} | "
              f"{np.median(pairs):.3f} ({min(pairs):.3f}–{max(pairs):.3f}; {len(pairs)}) | {same} | {ref} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", nargs="+", default=list(CELLS), choices=list(CELLS))
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--rounds", type=int, default=3, help="repetitions; the minimum is reported")
    p.add_argument("--scale", type=float, default=1.0, help="multiplies every cell's epochs")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--pairs", type=int, default=3,
                   help="extra back-to-back Lightning/plain E-epoch pairs per process (in-process ratio)")
    p.add_argument("--worker", nargs=2, metavar=("CELL", "MODE"), help=argparse.SUPPRESS)
    p.add_argument("--epochs", type=int, help=argparse.SUPPRESS)
    p.add_argument("--json", help="also write every raw result to this file")
    args = p.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, args.modes, args.dtype, args.threads, args.epochs, args.pairs)))
        return
    import torch

    print(f"torch {torch.__version__}, {args.dtype}, {args.threads} thread(s), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    results = []
    for rnd in range(args.rounds):
        for cell in args.cells:
            for first in args.modes:
                rs = [{**r, "process": len(results)} for r in spawn(cell, first, args)]
                print(f"round {rnd} {cell:11s} " + "  ".join(
                    f"{r['mode']} {1e3 * r['t_full'] / r['epochs']:.3f}" for r in rs)
                    + f" ms/step (load {os.getloadavg()[0]:.2f})", flush=True)
                results.extend(rs)
    summarise(results, args.cells)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh)


if __name__ == "__main__":
    main()
