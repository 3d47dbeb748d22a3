"""Cluster resources of one training job (memory, time limit, GPUs), estimated from the
specs of its runs, which train as populations one after the other (memory bound of a
population: hrta.training.populations).

The estimates are generous upper bounds for a single CPU thread: on a cluster a too-short
time limit kills the job, a too-long one only waits longer in the queue. They never change
results; override them per rule with ``--set-resources train:runtime=...``.
"""

import math

from hrta.model.schedule import Schedule
from hrta.training.populations import population_bytes, populations

PROCESS_MB = 1000          # Python, torch and Lightning, measured at about 470 MB resident
START_MIN = 5              # minutes for the job's start (imports, data) and the output
EPOCH_S = 5e-3             # Lightning's cost of one step, seconds
ELEMENT_S = 50e-9          # seconds per (training point x width x feature) and epoch
SAFETY = 2                 # multiplies the compute estimate


def _sizes(spec: dict) -> tuple[int, int, int, int]:
    problem = spec["problem"]
    features = problem["dim"] + (spec["training"]["bias"] == "augment")
    return problem["n_train"], problem["n_test"], spec["width"], features


def _groups(specs: list[dict]) -> list[list[dict]]:
    return [[specs[i] for i in group] for group in populations(specs)]


def mem_mb(specs: list[dict]) -> int:
    """Memory (MB): the process plus the bound of the job's largest population."""
    return PROCESS_MB + math.ceil(max(population_bytes(g[0], len(g)) for g in _groups(specs)) / 2**20)


def runtime_min(specs: list[dict]) -> int:
    """Time limit (minutes): start-up plus, for every population, epochs x (step overhead +
    the full-batch work of all its members)."""
    total = 0.0
    for group in _groups(specs):
        n, _, m, p = _sizes(group[0])
        epochs = Schedule(group[0]["schedule"]).total
        total += epochs * (EPOCH_S + ELEMENT_S * len(group) * n * m * p)
    return START_MIN + math.ceil(SAFETY * total / 60)


def gpus(specs: list[dict]) -> int:
    """GPUs to request: one when training.accelerator is gpu; none for cpu and auto."""
    return int(specs[0]["training"]["accelerator"] == "gpu")
