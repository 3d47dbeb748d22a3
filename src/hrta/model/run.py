"""A training run, described once: what the config says about it, typed.

The pipeline builds every ``Run`` from the config (hrta.pipeline.grid) and hands it down to
training, resources and the theory checks; nothing downstream reads a raw schedule list or
decodes an experiment's name. A run holds only what shapes its numbers: logging, progress
and memory grouping stay outside (a change of them retrains nothing).

Free of torch, so that config validation (and every Snakemake start) stays light.
"""

import dataclasses
from dataclasses import dataclass

from hrta.model.schedule import Schedule

SLOPES = ("sorted", "fused", "autograd")  # training.slopes
DEFAULT_CHUNK = 2**18  # elements of the n x m slope matrix formed at once (1 MiB in float32)
BASE_NAMES = {"relu": "ReLU", "tanh": "tanh", "gelu": "GELU"}


def slope_method(slopes: str, in_dim: int) -> str:
    """How a two-layer ReLU network evaluates its slopes: 'sorted' only with one input
    coordinate (else 'fused'), 'fused' or 'autograd' as asked."""
    if slopes not in SLOPES:
        raise ValueError(f"slopes must be one of {SLOPES}, got {slopes!r}")
    return "fused" if slopes == "sorted" and in_dim != 1 else slopes


@dataclass(frozen=True)
class Numerics:
    """The training block's values that shape a run's numbers."""

    threads: int = 1
    dtype: str = "float32"
    accelerator: str = "cpu"
    bias: str = "augment"
    slopes: str = "sorted"
    chunk: int = DEFAULT_CHUNK

    @classmethod
    def of(cls, training: dict) -> "Numerics":
        """From the config's training block (keys that shape no number are left out)."""
        return cls(**{f.name: training[f.name] for f in dataclasses.fields(cls)})


@dataclass(frozen=True)
class Network:
    """The network a run trains: ``depth`` hidden layers of ``base``. ``source``: for a network
    generated from another experiment (hrta.pipeline.architectures), that experiment's name;
    None for the paper's two-layer ReLU network (slope kernels, hrta.model.network)."""

    base: str = "relu"
    depth: int = 1
    source: str | None = None

    @property
    def is_paper(self) -> bool:
        """The paper's network: not generated (a generated two-layer ReLU network is trained
        as a one-layer hrta.model.deep network, by autograd)."""
        return self.source is None

    @property
    def slug(self) -> str:
        """'tanh_L1': the network's name in file and experiment names."""
        return f"{self.base}_L{self.depth}"

    @property
    def plain_name(self) -> str:
        """The baseline's display label: its base at s = 1, with the hidden layers beyond
        one ('ReLU', 'tanh', 'ReLU, 3 hidden layers')."""
        name = BASE_NAMES[self.base]
        return name if self.depth == 1 else f"{name}, {self.depth} hidden layers"


@dataclass(frozen=True)
class Decay:
    """Per-epoch learning-rate decay: none, step (``gamma`` every ``step_size`` epochs) or
    exponential (``gamma`` every epoch)."""

    kind: str = "none"
    gamma: float = 1.0
    step_size: int = 1

    @classmethod
    def of(cls, cfg: dict) -> "Decay":
        return cls(**cfg)


@dataclass(frozen=True)
class Optimizer:
    """An optimizer setting. ``lr`` is None while a GD step is still a ``stability_fraction``
    of the kernel's limit 2n / lambda_max, the smallest over ``stability_s``; ``limit_from``
    names the Theorem-1-beyond spectra (experiment, network slug) that give it, None for
    the experiment's own spectra."""

    name: str
    algorithm: str
    lr: float | None = None
    decay: Decay = Decay()
    stability_fraction: float | None = None
    stability_s: tuple = ()
    limit_from: tuple | None = None

    @classmethod
    def of(cls, cfg: dict) -> "Optimizer":
        """From a config entry {name, algorithm, lr, decay} (or a generated one)."""
        return cls(name=cfg["name"], algorithm=cfg["algorithm"], lr=cfg.get("lr"),
                   decay=Decay.of(cfg.get("decay", {})),
                   stability_fraction=cfg.get("stability_fraction"),
                   stability_s=tuple(cfg.get("stability_s", ())),
                   limit_from=tuple(cfg["limit_from"]) if cfg.get("limit_from") else None)

    def with_lr(self, lr: float) -> "Optimizer":
        return dataclasses.replace(self, lr=float(lr))

    def as_dict(self) -> dict:
        """The setting as JSON-able config data."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(self).items()
                if v is not None and v != ()}


@dataclass(frozen=True)
class Run:
    """One training run: experiment, method (its schedule), optimizer, width and seed, with
    the problem, data seed, evaluation interval, network and numerics it is trained with."""

    experiment: str
    method: str
    schedule: Schedule
    optimizer: Optimizer
    width: int
    seed: int
    problem: dict
    data_seed: int
    eval_every: int
    network: Network = Network()
    numerics: Numerics = Numerics()

    @property
    def epochs(self) -> int:
        return self.schedule.total

    @property
    def name(self) -> str:
        """'<experiment> <optimizer> <method> m=<width> seed=<seed>'."""
        return f"{self.experiment} {self.optimizer.name} {self.method} m={self.width} seed={self.seed}"

    def as_dict(self) -> dict:
        """The run as JSON-able config data (its provenance)."""
        return {"experiment": self.experiment, "method": self.method, "schedule": self.schedule.as_list(),
                "optimizer": self.optimizer.as_dict(), "width": self.width, "seed": self.seed,
                "problem": self.problem, "data_seed": self.data_seed, "eval_every": self.eval_every,
                "network": dataclasses.asdict(self.network), "numerics": dataclasses.asdict(self.numerics)}
