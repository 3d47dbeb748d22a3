"""Cluster resources of one training job (memory, time limit, GPUs), estimated from the
specs of the runs it trains one after the other.

The estimates are generous upper bounds for a single CPU thread: on a cluster a too-short
time limit kills the job, a too-long one only waits longer in the queue. They never change
results; override them per rule with ``--set-resources train:runtime=...``.
"""

import math

PROCESS_MB = 1000          # Python, torch and Lightning, measured at about 470 MB resident
TENSOR_COPIES = 8          # (points x width x features) tensors alive at once, with autograd
ITEM_BYTES = {"float32": 4, "float64": 8}
START_MIN = 5              # minutes for the job's start (imports, data) and the output
EPOCH_S = 5e-3             # Lightning's cost of one step, seconds
ELEMENT_S = 50e-9          # seconds per (training point x width x feature) and epoch
SAFETY = 2                 # multiplies the compute estimate


def _points_width_features(spec: dict) -> tuple[int, int, int]:
    problem = spec["problem"]
    features = problem["dim"] + (spec["training"]["bias"] == "augment")
    return problem["n_train"], spec["width"], features


def _tensor_mb(spec: dict) -> int:
    n_train, width, features = _points_width_features(spec)
    points = n_train + spec["problem"]["n_test"]
    tensor_bytes = TENSOR_COPIES * points * width * features * ITEM_BYTES[spec["training"]["dtype"]]
    return math.ceil(tensor_bytes / 2**20)


def _compute_s(spec: dict) -> float:
    n_train, width, features = _points_width_features(spec)
    epochs = sum(stage["epochs"] for stage in spec["schedule"])
    return epochs * (EPOCH_S + ELEMENT_S * n_train * width * features)


def mem_mb(specs: list[dict]) -> int:
    """Memory (MB): the process plus the full-batch activations (train and test points) of
    the largest run (runs are trained one at a time)."""
    return PROCESS_MB + max(_tensor_mb(spec) for spec in specs)


def runtime_min(specs: list[dict]) -> int:
    """Time limit (minutes): start-up plus, for every run, epochs x (step overhead +
    full-batch work)."""
    return START_MIN + math.ceil(SAFETY * sum(_compute_s(spec) for spec in specs) / 60)


def gpus(specs: list[dict]) -> int:
    """GPUs to request: one when training.accelerator is gpu; none for cpu and auto."""
    return int(specs[0]["training"]["accelerator"] == "gpu")
