"""Cluster resources of one training job (memory, time limit, GPUs), estimated from the
specs of its runs, which train as populations (hrta.training.populations), one after the
other.

Memory bound of one population of K members of width m, n training and n' test points,
p = dim + bias features, chunk c slope elements and b bytes per number: with the fused
kernel b (PARAM_COPIES K m (p + 1) + POINT_COPIES K (n + n') p + SLOPE_COPIES c), i.e. the
parameters with their gradients and Adam moments, the per-member inputs and outputs, and
the slope elements formed at once, which ``chunk`` bounds whatever K; with the autograd
kernel b TENSOR_COPIES K (n + n') m p (the n x m activations of every member are kept).

The estimates are generous upper bounds for a single CPU thread: on a cluster a too-short
time limit kills the job, a too-long one only waits longer in the queue. They never change
results; override them per rule with ``--set-resources train:runtime=...``.
"""

import math

from hrta.model.schedule import Schedule
from hrta.training.populations import populations

PROCESS_MB = 1000          # Python, torch and Lightning, measured at about 470 MB resident
PARAM_COPIES = 8           # parameters, gradients, two Adam moments, temporaries of the update
POINT_COPIES = 16          # per-member inputs, outputs and their gradients (Ritz: second order)
SLOPE_COPIES = 4           # the chunk of slopes and its products, forward and backward
TENSOR_COPIES = 8          # (points x width x features) tensors alive at once, with autograd
ITEM_BYTES = {"float32": 4, "float64": 8}
START_MIN = 5              # minutes for the job's start (imports, data) and the output
EPOCH_S = 5e-3             # Lightning's cost of one step, seconds
ELEMENT_S = 50e-9          # seconds per (training point x width x feature) and epoch
SAFETY = 2                 # multiplies the compute estimate


def _sizes(spec: dict) -> tuple[int, int, int, int]:
    problem = spec["problem"]
    features = problem["dim"] + (spec["training"]["bias"] == "augment")
    return problem["n_train"], problem["n_test"], spec["width"], features


def population_bytes(specs: list[dict]) -> int:
    """The memory bound (bytes) of one population's training step (module docstring)."""
    n, n_test, m, p = _sizes(specs[0])
    training, k = specs[0]["training"], len(specs)
    item = ITEM_BYTES[training["dtype"]]
    if training["kernel"] == "autograd":
        return item * TENSOR_COPIES * k * (n + n_test) * m * p
    return item * (PARAM_COPIES * k * m * (p + 1) + POINT_COPIES * k * (n + n_test) * p
                   + SLOPE_COPIES * training["chunk"])


def _groups(specs: list[dict]) -> list[list[dict]]:
    return [[specs[i] for i in group] for group in populations(specs)]


def mem_mb(specs: list[dict]) -> int:
    """Memory (MB): the process plus the bound of the job's largest population."""
    return PROCESS_MB + math.ceil(max(population_bytes(g) for g in _groups(specs)) / 2**20)


def runtime_min(specs: list[dict]) -> int:
    """Time limit (minutes): start-up plus, for every population, epochs x (step overhead +
    the full-batch work of all its members)."""
    total = 0.0
    for group in _groups(specs):
        n, _, m, p = _sizes(group[0])
        epochs = Schedule(group[0]["schedule"]).total_epochs
        total += epochs * (EPOCH_S + ELEMENT_S * len(group) * n * m * p)
    return START_MIN + math.ceil(SAFETY * total / 60)


def gpus(specs: list[dict]) -> int:
    """GPUs to request: one when training.accelerator is gpu; none for cpu and auto."""
    return int(specs[0]["training"]["accelerator"] == "gpu")
