"""Cluster resources of one training job (memory, time limit, GPUs), estimated from the
specs of its runs, which train as populations one after the other (memory bound of a
population: hrta.training.populations).

The estimates are generous upper bounds for a single CPU thread: on a cluster a too-short
time limit kills the job, a too-long one only waits longer in the queue. They never change
results; override them per rule with ``--set-resources train:runtime=...``.
"""

import glob
import importlib.util
import math
import os
import platform
import re
from pathlib import Path

from hrta.model.run import Run
from hrta.pipeline import grid
from hrta.pipeline.config import ConfigError
from hrta.training.populations import population_bytes, populations

MB = 2**20
PROCESS_MB = 1000          # Python, torch and Lightning resident (a generous bound; docs/benchmarks.md)
START_MIN = 5              # minutes for the job's start (imports, data) and the output
EPOCH_S = 5e-3             # Lightning's cost of one step, seconds
ELEMENT_S = 50e-9          # seconds per (training point x width x feature) and epoch
SAFETY = 2                 # multiplies the compute estimate
THEORY_GRAMS = 16          # n x n float64 matrices alive at once in the NTK spectra
THEORY_JACOBIANS = 4       # n x m float64 matrices of the empirical NTK at initialisation


def _sizes(run: Run) -> tuple[int, int, int, int]:
    """(n, n', m, p): p the features per training point and width unit, with a deep network's
    further layers counted as m features each."""
    problem = run.problem
    features = problem["dim"] + (run.numerics.bias == "augment") + (run.network.depth - 1) * run.width
    return problem["n_train"], problem["n_test"], run.width, features


def _groups(runs: list[Run], limit_mb: int) -> list[list[Run]]:
    return [[runs[i] for i in group] for group in populations(runs, limit_mb)]


def mem_mb(runs: list[Run], limit_mb: int) -> int:
    """Memory (MB): the process plus the bound of the job's largest population (populations
    split under ``limit_mb``, training.population_mb)."""
    return PROCESS_MB + math.ceil(max(population_bytes(g[0], len(g)) for g in _groups(runs, limit_mb)) / MB)


def theory_mb(config: dict, experiment: str) -> int:
    """Memory (MB) of the experiment's NTK spectra: Gram matrices on at most
    ``theory.max_points`` inputs, and the empirical NTK of its widest network."""
    exp = config["experiments"][experiment]
    n = min(exp["problem"]["n_train"], config["theory"]["max_points"])
    big = THEORY_GRAMS * n * n + THEORY_JACOBIANS * n * max(exp["widths"])
    return PROCESS_MB + math.ceil(8 * big / MB)


def memory_limit_mb(config: dict) -> int:
    """``limits.memory_mb``, with 'auto' meaning this machine's physical memory."""
    limit = config["limits"]["memory_mb"]
    if limit == "auto":
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MB
    return limit


def check_memory(config: dict) -> None:
    """ConfigError, before any job runs, if a training job or a theory check of the config
    is estimated to need more memory than ``limits.memory_mb`` allows; names the key."""
    limit = memory_limit_mb(config)
    need = {}
    for (exp, job), runs in grid.jobs(config).items():
        key = f"experiments.{exp}.widths"
        est = mem_mb(runs, config["training"]["population_mb"])
        if est > need.get(key, (0, ""))[0]:
            need[key] = (est, f"training job {exp}/{job}")
    for exp in config["experiments"]:
        est = theory_mb(config, exp)
        if est > need.get(f"experiments.{exp}.widths", (0, ""))[0]:
            need[f"experiments.{exp}.widths"] = (est, f"the NTK spectra of {exp}")
    for key, (est, what) in need.items():
        if est > limit:
            raise ConfigError(
                f"config key '{key}': {what} needs an estimated {est:,} MB, above the limit of "
                f"{limit:,} MB (limits.memory_mb = {config['limits']['memory_mb']!r}); lower the width, "
                "the point counts (problem.n_train, n_test, theory.max_points) or training.chunk, "
                "or raise limits.memory_mb")


def runtime_min(runs: list[Run], limit_mb: int) -> int:
    """Time limit (minutes): start-up plus, for every population, epochs x (step overhead +
    the full-batch work of all its members)."""
    total = 0.0
    for group in _groups(runs, limit_mb):
        n, _, m, p = _sizes(group[0])
        total += group[0].epochs * (EPOCH_S + ELEMENT_S * len(group) * n * m * p)
    return START_MIN + math.ceil(SAFETY * total / 60)


def gpus(runs: list[Run]) -> int:
    """GPUs to request: one when training.accelerator is gpu; none for cpu and auto."""
    return int(runs[0].numerics.accelerator == "gpu")


def torch_build() -> dict:
    """torch's build as its version file states it ({'cuda': '12.4' or None, 'hip': ...}),
    read as text: importing torch would cost the workflow's start a second or more."""
    spec = importlib.util.find_spec("torch")
    folders = list(spec.submodule_search_locations or []) if spec else []
    try:
        text = (Path(folders[0]) / "version.py").read_text()
    except (IndexError, OSError):
        return {}
    found = {key: re.search(rf"^{key}(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", text, re.M) for key in ("cuda", "hip")}
    return {key: (m.group(1) if m else None) for key, m in found.items()}


def gpu_absent() -> str | None:
    """Why Lightning's accelerator 'gpu' would find no GPU on this machine, or None when it
    may find one: a CUDA (or ROCm) build of torch with a device file of the driver, or
    Apple's MPS. Imports no torch; a device the driver cannot use is not detected."""
    if platform.system() == "Darwin" and platform.machine() == "arm64":
        return None  # MPS
    build = torch_build()
    if not build.get("cuda") and not build.get("hip"):
        return "the installed torch is built without CUDA (a CPU build)"
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", os.environ.get("HIP_VISIBLE_DEVICES"))
    if visible is not None and visible.strip() in ("", "-1"):
        return f"CUDA_VISIBLE_DEVICES={visible!r} hides every device"
    devices = glob.glob("/dev/nvidia[0-9]*") + glob.glob("/proc/driver/nvidia/gpus/*") + (
        glob.glob("/dev/kfd") if build.get("hip") else [])
    return None if devices else "no GPU device (/dev/nvidia*, /dev/kfd) on this machine"


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def check_machine(config: dict) -> list[str]:
    """For jobs that run on this machine: ConfigError if training.accelerator is gpu and
    there is no GPU; warnings (returned) for more torch threads per job than cores."""
    training = config["training"]
    if training["accelerator"] == "gpu":
        why = gpu_absent()
        if why:
            raise ConfigError(f"config key 'training.accelerator': gpu, but {why}; every training job would fail"
                              " (expected: cpu or auto here, or a GPU node; a cluster plans its jobs elsewhere:"
                              " --workflow-profile workflow/profiles/slurm, or --jobs N with a dry run)")
    have = cores()
    if training["threads"] > have:
        return [f"config key 'training.threads': {training['threads']} torch threads per job, above this"
                f" machine's {have} cores: jobs would compete for them (the numbers do not change)"]
    return []
