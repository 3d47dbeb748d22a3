"""The problems layer: what a run learns. Each problem makes its dataset (train and test
points, targets, exact values), defines the training loss and the test error, and says
whether its loss is compared as a gap to a reference (a Ritz energy) or as is.

``make_problem`` builds a problem from its config block; importing this package registers
every problem (regression, Deep Ritz PDEs). May import hrta.model only. Problems take
tensors but do not import torch at import time, so the pipeline validates configs and
fills report captions without it.
"""

from hrta.problems import regression, ritz  # noqa: F401  (each registers its problems)
from hrta.problems.registry import PROBLEMS, make_problem

__all__ = ["PROBLEMS", "make_problem"]
