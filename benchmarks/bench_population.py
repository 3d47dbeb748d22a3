"""Population training against the same runs trained one after the other (run by hand).

    python benchmarks/bench_population.py [--cells ...] [--members 1 12 48] [--scale 1.0] [--slopes sorted]
                                          [--accelerator cpu]

For each cell (problem, n, width m) and each population size K, one fresh process trains
a population of K members (seeds 0..K-1, the HRTA 0.5→1.5 schedule, Adam) for E epochs
after a short warm-up, and another trains single runs (populations of one) one after the
other; K sequential runs cost K times one run, so the sequential time per run is the mean
over ``--sequential`` runs. Printed per cell and K: run-epochs per second both ways, the
speed-up, the peak resident memory while training above the resident memory just before
(sampled every millisecond from /proc/self/statm), and the fraction of the machine's bound
that the population's step reaches.

The bound: this machine's single-core rates are measured first (a large float32 copy:
bytes per second; a 1024² float32 matmul: flops per second). One fused step of a member
forms its n x m slope matrix twice (forward and backward) and multiplies with it twice
(forward and backward, inner size p): about 8 n m p flops, and, for each of the two
products, the matrix written by the first matmul, turned into 0/1 in place and read by
the second, 16 n m bytes, i.e. 32 n m bytes a step (the chunks are cache-sized, so this
is traffic through the cache, and the memory rate an optimistic bound). The bound of a
step is max(flops / flop rate, bytes / byte rate); the fraction is bound / measured.
With ``--slopes sorted`` (the default profile's) the one-dimensional cells use
hrta.model.sorted_slopes instead: per member and step, the kinks read w and write t, the
ranks and the bins (m (p + 1) b + 24 m bytes), and each of the two products reads the bins
and v and writes its result (2 (8 m + 2 m q b) bytes, q = p): about 72 m bytes in float32,
and no n m term; its bound is these bytes at the copy rate. The Ritz cell (two input
coordinates) uses the fused kernel either way.
CPU time (time.process_time) is reported, one torch thread. With ``--accelerator gpu`` the
runs train on the first CUDA device instead: times are wall seconds (a run's history is
copied back to the host at its end, which waits for the device), memory is the device's
peak allocation above the allocation before, and the bound takes the device's copy rate
(a 1 GiB float32 copy) and float32 matmul rate (4096², TF32 off, torch's default).
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time

from hrta.model.run import DEFAULT_CHUNK

CELLS = {
    "sin1d_m100": ({"name": "sin_sum", "dim": 1, "n_train": 100, "train_points": "grid", "n_test": 1000,
                    "test_points": "grid"}, 100, 2000),
    "sin1d_m1e3": ({"name": "sin_sum", "dim": 1, "n_train": 100, "train_points": "grid", "n_test": 1000,
                    "test_points": "grid"}, 1000, 600),
    "sin1d_m1e4": ({"name": "sin_sum", "dim": 1, "n_train": 100, "train_points": "grid", "n_test": 1000,
                    "test_points": "grid"}, 10000, 100),
    "ritz_m1e3": ({"name": "poisson_neumann", "dim": 2, "n_train": 1024, "train_points": "sobol",
                   "n_test": 10000, "test_points": "grid"}, 1000, 100),
}
def spec(cell: str, seed: int, epochs: int, slopes: str, accelerator: str, chunk: int):
    """The benchmark's run of a cell and seed (as bench_training.make_run, evaluated every
    tenth, with this training.chunk)."""
    import dataclasses

    from bench_training import make_run

    problem, width, _ = CELLS[cell]
    run = make_run({"problem": problem, "width": width}, epochs, "float32", 1, slopes, accelerator)
    return dataclasses.replace(run, seed=seed, eval_every=max(1, epochs // 10),
                               numerics=dataclasses.replace(run.numerics, chunk=chunk))


class PeakRSS:
    """The largest resident memory (MB) of this process while the block runs, sampled."""

    def __enter__(self):
        self.base = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.wait(0.001):
            self.peak = max(self.peak, self._rss())

    @staticmethod
    def _rss() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakDevice:
    """The device's peak allocation (MB) while the block runs, above the allocation before."""

    def __enter__(self):
        import torch

        torch.cuda.reset_peak_memory_stats()
        self.base = torch.cuda.memory_allocated() / 2**20
        return self

    def __exit__(self, *exc):
        import torch

        self.peak = torch.cuda.max_memory_allocated() / 2**20


def worker(cell: str, mode: str, members: int, epochs: int, sequential: int, slopes: str,
           accelerator: str, chunk: int) -> dict:
    """In this process: a warm-up, then one population of ``members`` (mode 'population') or
    ``sequential`` single runs one after the other (mode 'sequential'), timed."""
    import torch

    from hrta.problems import make_problem
    from hrta.training.run import train_population

    torch.set_num_threads(1)
    data = make_problem(CELLS[cell][0]).make_dataset(0)
    warm = max(4, epochs // 20)
    clock, memory = (time.perf_counter, PeakDevice) if accelerator == "gpu" else (time.process_time, PeakRSS)

    def run(seed: int, n_epochs: int):
        return spec(cell, seed, n_epochs, slopes, accelerator, chunk)

    if mode == "population":
        warmup, timed = [run(k, warm) for k in range(members)], [[run(k, epochs) for k in range(members)]]
    else:
        warmup, timed = [run(0, warm)], [[run(k, epochs)] for k in range(sequential)]
    train_population(data, warmup)
    with memory() as mem:
        seconds = clock()
        for population in timed:
            train_population(data, population)
        seconds, runs = clock() - seconds, sum(map(len, timed))
    return {"seconds": seconds, "runs": runs, "epochs": epochs, "rss_mb": mem.peak - mem.base}


def machine_rates() -> dict:
    """Single-core float32 copy bandwidth (bytes/s, read + write) and matmul rate (flop/s)."""
    import torch

    torch.set_num_threads(1)
    src = torch.ones(2**26)  # 256 MiB
    dst = torch.empty_like(src)
    best_copy = min(_timed(lambda: dst.copy_(src)) for _ in range(5))
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    best_mm = min(_timed(lambda: torch.mm(a, b)) for _ in range(10))
    return {"bytes_per_s": 2 * src.numel() * 4 / best_copy, "flops_per_s": 2 * 1024**3 / best_mm}


def device_rates() -> dict:
    """The first CUDA device's float32 copy bandwidth (bytes/s, read + write) and matmul
    rate (flop/s), each the best of ten after a warm-up."""
    import torch

    src = torch.ones(2**28, device="cuda")  # 1 GiB
    dst = torch.empty_like(src)
    a, b = torch.randn(4096, 4096, device="cuda"), torch.randn(4096, 4096, device="cuda")

    def best(fn) -> float:
        fn()
        times = []
        for _ in range(10):
            torch.cuda.synchronize()
            start = time.perf_counter()
            fn()
            torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
        return min(times)

    copy, mm = best(lambda: dst.copy_(src)), best(lambda: torch.mm(a, b))
    return {"bytes_per_s": 2 * src.numel() * 4 / copy, "flops_per_s": 2 * 4096**3 / mm,
            "name": torch.cuda.get_device_name(0)}


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def step_bound_s(cell: str, members: int, rates: dict, slopes: str) -> float:
    """The lower bound on one population step (module docstring)."""
    problem, m, _ = CELLS[cell]
    n, p = problem["n_train"], problem["dim"] + 1
    if slopes == "sorted" and problem["dim"] == 1:
        return members * (m * (p + 1) * 4 + 24 * m + 2 * (8 * m + 2 * m * p * 4)) / rates["bytes_per_s"]
    flops, bytes_ = 8 * n * m * p * members, 32 * n * m * members
    return max(flops / rates["flops_per_s"], bytes_ / rates["bytes_per_s"])


def run_worker(*args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", json.dumps(args)], capture_output=True,
                         text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", nargs="+", default=list(CELLS), choices=list(CELLS))
    p.add_argument("--members", nargs="+", type=int, default=[1, 12, 48])
    p.add_argument("--sequential", type=int, default=3, help="single runs timed for the sequential rate")
    p.add_argument("--scale", type=float, default=1.0, help="multiplies every cell's epochs")
    p.add_argument("--slopes", choices=["sorted", "fused"], default="sorted", help="training.slopes")
    p.add_argument("--accelerator", choices=["cpu", "gpu"], default="cpu", help="training.accelerator")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="training.chunk (slope-matrix elements)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        args = json.loads(a.worker)
        print(json.dumps(device_rates() if args == ["rates"] else worker(*args)))
        return
    if a.accelerator == "gpu":
        rates = run_worker("rates")
        print(f"device {rates['name']}: copy {rates['bytes_per_s'] / 1e9:.0f} GB/s (read + write), "
              f"4096² float32 matmul {rates['flops_per_s'] / 1e12:.1f} TFLOP/s; wall seconds, slopes {a.slopes}, "
              f"chunk {a.chunk}")
    else:
        rates = machine_rates()
        print(f"machine, one core: copy {rates['bytes_per_s'] / 1e9:.1f} GB/s (read + write), "
              f"1024² float32 matmul {rates['flops_per_s'] / 1e9:.1f} GFLOP/s; slopes {a.slopes}, chunk {a.chunk}")
    print("| cell | K | sequential run-epochs/s | population run-epochs/s | speed-up | ms per population step "
          "| bound ms | fraction of bound | memory MB (population) | memory MB (one run) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for cell in a.cells:
        epochs = max(10, int(CELLS[cell][2] * a.scale))
        seq = run_worker(cell, "sequential", 1, epochs, a.sequential, a.slopes, a.accelerator, a.chunk)
        seq_rate = seq["runs"] * seq["epochs"] / seq["seconds"]
        for k in a.members:
            pop = run_worker(cell, "population", k, epochs, a.sequential, a.slopes, a.accelerator, a.chunk)
            rate = pop["runs"] * pop["epochs"] / pop["seconds"]
            step_ms = 1e3 * pop["seconds"] / pop["epochs"]
            bound_ms = 1e3 * step_bound_s(cell, k, rates, a.slopes)
            print(f"| {cell} | {k} | {seq_rate:.0f} | {rate:.0f} | {rate / seq_rate:.2f} | {step_ms:.2f} | "
                  f"{bound_ms:.3f} | {bound_ms / step_ms:.2f} | {pop['rss_mb']:.1f} | {seq['rss_mb']:.1f} |",
                  flush=True)


if __name__ == "__main__":
    main()
