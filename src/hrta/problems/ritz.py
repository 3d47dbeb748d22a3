"""PDEs solved by the Deep Ritz method: one description object per PDE, one generic problem.

A :class:`NeumannPDE` is ``-Δu + c u = f`` on (0, 1)^dim with homogeneous Neumann boundary
and a known exact solution. Its Ritz energy ``E(u) = mean over points of
(|∇u|²/2 + c u²/2 - f u)`` is minimised by u*, and the Neumann condition is natural (no
boundary term). To add a PDE of this form, define a ``NeumannPDE`` and pass it to
:func:`register_pde` (and list its name under ``problem.name`` in the config schema); the
trainer needs no change.

torch is imported inside the loss only, so that the pipeline can validate a config (which
registers every problem) without importing torch.
"""

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from hrta.problems.registry import Problem, register


@dataclass(frozen=True)
class NeumannPDE:
    """-Δu + reaction * u = source on (0, 1)^dim, ∂u/∂n = 0, with exact solution ``exact``.

    ``exact``, ``exact_grad`` and ``source`` take points of shape (n, dim) (numpy) and return
    shape (n,), (n, dim) and (n,).
    """

    name: str
    title: str
    dim: int
    reaction: float
    exact: Callable[[np.ndarray], np.ndarray]
    exact_grad: Callable[[np.ndarray], np.ndarray]
    source: Callable[[np.ndarray], np.ndarray]

    def energy_density(self, u, grad_u, f):
        """|∇u|²/2 + c u²/2 - f u per point; numpy arrays or torch tensors."""
        return 0.5 * (grad_u**2).sum(-1) + 0.5 * self.reaction * u**2 - f * u

    def exact_energy(self, x: np.ndarray) -> float:
        """E(u*) by the quadrature of the points x (the mean over them)."""
        return float(self.energy_density(self.exact(x), self.exact_grad(x), self.source(x)).mean())


class RitzProblem(Problem):
    """Deep Ritz: the loss is the Ritz energy of the network over the interior points.

    ``y_train`` holds the source f at the training points, ``y_test`` the exact solution;
    the test error is the relative L2 error on the test points. The reference loss is
    E(u*) by the same quadrature as the loss, so ``loss - reference`` is the energy gap:
    on the training points, or, when they are redrawn every epoch, on each epoch's points
    (recorded per epoch by the trainer, which also records the gap on the fixed test points).
    """

    pde: NeumannPDE
    loss_name = "Ritz energy"
    loss_is_gap = True

    def __init__(self, dim: int, n_train: int, train_points: str, n_test: int, test_points: str,
                 resample: bool = False):
        if dim != self.pde.dim:
            raise ValueError(f"problem {self.name!r} is posed in dim = {self.pde.dim}, got dim = {dim}")
        super().__init__(dim, n_train, train_points, n_test, test_points, resample)

    @property
    def title(self) -> str:
        return self.pde.title

    def target(self, x):
        return self.pde.source(x)

    def exact(self, x):
        return self.pde.exact(x)

    def point_reference(self, x):
        return self.pde.exact_energy(x)

    def loss(self, model, x, y):
        from torch.autograd import grad  # here: see the module docstring

        x = x.detach().requires_grad_(True)
        u = model(x)
        (grad_u,) = grad(u.sum(), x, create_graph=True)
        return self.pde.energy_density(u, grad_u, y).mean(-1)


def register_pde(pde: NeumannPDE) -> type:
    """Register a Ritz problem for ``pde`` under ``pde.name`` (see hrta.problems.make_problem)."""
    return register(type(f"Ritz_{pde.name}", (RitzProblem,), {"name": pde.name, "pde": pde}))


def _cos_cos(x):
    return np.cos(math.pi * x[:, 0]) * np.cos(math.pi * x[:, 1])


def _cos_cos_grad(x):
    c, s = np.cos(math.pi * x), np.sin(math.pi * x)
    return -math.pi * np.stack([s[:, 0] * c[:, 1], c[:, 0] * s[:, 1]], axis=1)


POISSON_NEUMANN = register_pde(NeumannPDE(
    name="poisson_neumann",
    title="−Δu + u = f on (0, 1)², u* = cos(πx₁)cos(πx₂)",
    dim=2,
    reaction=1.0,
    exact=_cos_cos,
    exact_grad=_cos_cos_grad,
    source=lambda x: (1 + 2 * math.pi**2) * _cos_cos(x),
))
