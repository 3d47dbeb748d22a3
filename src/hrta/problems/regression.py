"""Regression problems: least-squares fit of a known function on the unit cube."""

import math

import numpy as np

from hrta.problems.registry import Problem, register


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
        return 0.5 * ((model(x) - y) ** 2).mean(-1)
