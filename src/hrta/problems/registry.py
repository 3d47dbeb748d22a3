"""The problem base class and the registry of problems by config name.

A problem turns its config block into a dataset (``x_train``, ``y_train``, ``x_test``,
``y_test``) and defines the training loss and the test error of a network on it. New
problems subclass :class:`Problem` and register themselves in ``PROBLEMS`` under the name
used in the config (and in the schema's ``problem.name`` list: a test keeps them equal).
xarray is imported where a dataset is made, so that validating a config stays light.
"""

import numpy as np

from hrta.problems.points import points

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


def relative_l2(pred, exact):
    """||pred - exact|| / ||exact|| over the points (the last dim), per network of a population."""
    return (pred - exact).norm(dim=-1) / exact.norm(dim=-1)


class Problem:
    """Shared set-up: dimension, train and test point sets, and the dataset layout."""

    name = ""
    loss_name = "training loss"
    loss_is_gap = False  # True: the loss is compared as loss - reference_loss (a Ritz energy)
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

    def make_dataset(self, seed: int):
        """Train and test sets drawn from independent streams of the data seed (an xarray Dataset)."""
        import xarray as xr

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
            attrs={"problem": self.name, "data_seed": seed},
        )
        ds["reference_loss"] = ((), self.reference_loss(x_train, x_test))
        ds["reference_loss"].attrs["long_name"] = f"{self.loss_name} of the exact solution"
        ds["loss_is_gap"] = ((), np.int8(self.loss_is_gap))
        ds["loss_is_gap"].attrs["description"] = "1: the loss is compared as loss - reference_loss"
        ds["x_train"].attrs["description"] = "training inputs in [0, 1]^dim"
        ds["x_test"].attrs["description"] = "test inputs in [0, 1]^dim"
        return ds

    def reference_loss(self, x_train: np.ndarray, x_test: np.ndarray) -> float:
        """The loss of the exact solution on the training points, or on the test points when
        the training points are redrawn every epoch (each epoch's own is then recorded)."""
        return self.point_reference(x_test if self.resample else x_train)

    def point_reference(self, x: np.ndarray) -> float:
        """The loss of the exact solution by the quadrature of points x (0 for regression)."""
        return 0.0

    def resampler(self, data_seed: int, run_seed: int):
        """epoch -> (x, target, point_reference(x)) drawn afresh: stream (2, run_seed, epoch)
        of the data seed."""
        def draw(epoch: int):
            seq = np.random.SeedSequence(data_seed, spawn_key=(2, run_seed, epoch))
            x = points(self.train_points, self.n_train, self.dim, np.random.default_rng(seq))
            return x, self.target(x), self.point_reference(x)
        return draw

    def loss(self, model, x, y):
        """The training loss of ``model`` on points x with targets y (tensors): a mean over
        the points (the last dim of the output), one value per network of a population."""
        raise NotImplementedError

    def test_error(self, model, x, y):
        """Relative L2 error of the network on the test points."""
        return relative_l2(model(x), y)
