"""Learning problems: how a dataset is made and which loss and error a run reports.

A problem turns its config block into a dataset (``x_train``, ``y_train``, ``x_test``,
``y_test``) and defines the training loss and the test error of a network on it. New
problems register themselves in ``PROBLEMS`` under the name used in the config.
"""

import math

import numpy as np
import torch
import xarray as xr

from hrta.sampling import points

PROBLEMS: dict[str, type] = {}


def register(cls):
    PROBLEMS[cls.name] = cls
    return cls


def make_problem(params: dict):
    """The problem named by ``params['name']``, built from the rest of its config block."""
    name = params.get("name")
    if name not in PROBLEMS:
        raise ValueError(f"unknown problem {name!r}; known: {sorted(PROBLEMS)}")
    return PROBLEMS[name](**{k: v for k, v in params.items() if k != "name"})


def relative_l2(pred: torch.Tensor, exact: torch.Tensor) -> torch.Tensor:
    """||pred - exact|| / ||exact|| over the points given."""
    return torch.linalg.vector_norm(pred - exact) / torch.linalg.vector_norm(exact)


class Problem:
    """Shared set-up: dimension, train and test point sets, and the dataset layout."""

    name = ""
    loss_name = "training loss"
    title = ""

    def __init__(self, dim: int, n_train: int, train_points: str, n_test: int, test_points: str,
                 resample: bool = False):
        if resample and train_points == "grid":
            raise ValueError("resample needs random training points (uniform or sobol), not a grid")
        self.dim, self.n_train, self.train_points = dim, n_train, train_points
        self.n_test, self.test_points, self.resample = n_test, test_points, resample

    def target(self, x: np.ndarray) -> np.ndarray:
        """Values attached to the training points (labels, or a PDE's source term)."""
        raise NotImplementedError

    def exact(self, x: np.ndarray) -> np.ndarray:
        """The function the test error compares against."""
        raise NotImplementedError

    def make_dataset(self, seed: int) -> xr.Dataset:
        """Train and test sets drawn from independent streams of the data seed."""
        train_rng, test_rng = np.random.default_rng(seed).spawn(2)
        x_train = points(self.train_points, self.n_train, self.dim, train_rng)
        x_test = points(self.test_points, self.n_test, self.dim, test_rng)
        ds = xr.Dataset(
            {
                "x_train": (("train", "dim"), x_train),
                "y_train": ("train", self.target(x_train)),
                "x_test": (("test", "dim"), x_test),
                "y_test": ("test", self.exact(x_test)),
            },
            attrs={"problem": self.name, "data_seed": seed,
                   "reference_loss": self.reference_loss(x_train, x_test)},
        )
        ds["x_train"].attrs["description"] = "training inputs in [0, 1]^dim"
        ds["x_test"].attrs["description"] = "test inputs in [0, 1]^dim"
        return ds

    def reference_loss(self, x_train: np.ndarray, x_test: np.ndarray) -> float:
        """The loss of the exact solution by the loss's quadrature (0 for regression)."""
        return 0.0

    def resampler(self, data_seed: int, run_seed: int):
        """epoch -> (x, target) drawn afresh: stream (2, run_seed, epoch) of the data seed."""
        def draw(epoch: int):
            seq = np.random.SeedSequence(data_seed, spawn_key=(2, run_seed, epoch))
            x = points(self.train_points, self.n_train, self.dim, np.random.default_rng(seq))
            return x, self.target(x)
        return draw

    def loss(self, model, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def test_error(self, model, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Relative L2 error of the network on the test points."""
        return relative_l2(model(x), y)


@register
class SinSum(Problem):
    """Regression of y = sin(2 pi (x_1 + ... + x_dim)) with L = 1/(2n) sum (phi - y)^2."""

    name = "sin_sum"

    @property
    def title(self) -> str:
        arg = "x" if self.dim == 1 else "(" + " + ".join(f"x{i + 1}" for i in range(self.dim)) + ")"
        return f"sin(2π{arg})"

    def target(self, x):
        return np.sin(2 * math.pi * x.sum(axis=1))

    exact = target

    def loss(self, model, x, y):
        return 0.5 * torch.mean((model(x) - y) ** 2)


# Problems defined elsewhere register themselves on import (kept last: they import Problem).
from hrta import pde  # noqa: E402,F401
