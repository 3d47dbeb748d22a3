"""Point sets in the unit cube [0, 1]^dim: equispaced grids, uniform draws, scrambled Sobol."""

import numpy as np

POINT_SETS = ("grid", "uniform", "sobol")


def points(kind: str, n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """n points of the given kind in [0, 1]^dim, shape (n, dim), float64.

    'grid' is linspace(0, 1, n) in 1-D and the midpoint grid with k^dim = n points
    otherwise; 'uniform' draws iid from rng; 'sobol' is a scrambled Sobol set seeded
    from rng.
    """
    if kind == "grid":
        if dim == 1:
            return np.linspace(0.0, 1.0, n)[:, None]
        k = round(n ** (1.0 / dim))
        if k**dim != n:
            raise ValueError(f"a {dim}-D grid needs n = k^{dim} points, got n = {n}")
        axis = (np.arange(k) + 0.5) / k
        mesh = np.meshgrid(*([axis] * dim), indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)
    if kind == "uniform":
        return rng.random((n, dim))
    if kind == "sobol":
        from scipy.stats import qmc  # here, not at import: validating a config needs no scipy

        seed = int(rng.integers(2**63 - 1))
        return qmc.Sobol(d=dim, scramble=True, seed=seed).random(n)
    raise ValueError(f"point set must be one of {POINT_SETS}, got {kind!r}")
