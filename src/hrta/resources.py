"""Cluster resources of one training run (memory, time limit, GPUs), estimated from its spec.

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


def mem_mb(spec: dict) -> int:
    """Memory (MB) for the process plus the full-batch activations of train and test points."""
    n_train, width, features = _points_width_features(spec)
    points = n_train + spec["problem"]["n_test"]
    tensor_bytes = TENSOR_COPIES * points * width * features * ITEM_BYTES[spec["training"]["dtype"]]
    return PROCESS_MB + math.ceil(tensor_bytes / 2**20)


def runtime_min(spec: dict) -> int:
    """Time limit (minutes): start-up plus epochs x (step overhead + full-batch work)."""
    n_train, width, features = _points_width_features(spec)
    epochs = sum(stage["epochs"] for stage in spec["schedule"])
    seconds = epochs * (EPOCH_S + ELEMENT_S * n_train * width * features)
    return START_MIN + math.ceil(SAFETY * seconds / 60)


def gpus(spec: dict) -> int:
    """GPUs to request: one when training.accelerator is gpu; none for cpu and auto."""
    return int(spec["training"]["accelerator"] == "gpu")
