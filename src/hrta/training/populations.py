"""Which runs of a job train together: one population per width, optimizer family, length
and evaluation interval (members may differ in method, seed, learning rate and decay),
split so that no population's memory bound exceeds ``training.population_mb``.

Memory bound of one population of K members of width m, n training and n' test points,
p = dim + bias features, chunk c slope elements and b bytes per number: with the fused
kernel b (PARAM_COPIES K m (p + 1) + POINT_COPIES K (n + n') p + SLOPE_COPIES c), i.e. the
parameters with their gradients and Adam moments, the per-member inputs and outputs, and
the slope elements formed at once, which ``chunk`` bounds whatever K; with the autograd
kernel b TENSOR_COPIES K (n + n') m p (the n x m activations of every member are kept);
with the sorted kernel and one input coordinate the fused bound without its chunk term,
plus KINK_BYTES K m (each neuron's kink rank and the search's temporaries).
A network of L hidden layers (hrta.model.deep, autograd) needs b (PARAM_COPIES K (m p +
(L - 1) m^2 + m) + TENSOR_COPIES K n m L + LAYER_COPIES K n' m): the parameters, every
layer's training activations and the test evaluation's.

Free of torch, so that the pipeline can size a job's resources from it.
"""

from hrta.model.run import Run, slope_method

PARAM_COPIES = 8           # parameters, gradients, two Adam moments, temporaries of the update
POINT_COPIES = 16          # per-member inputs, outputs and their gradients (Ritz: second order)
SLOPE_COPIES = 4           # the chunk of slopes and its products, forward and backward
TENSOR_COPIES = 8          # (points x width x features) tensors alive at once, with autograd
LAYER_COPIES = 3           # (test points x width) tensors alive at once, evaluating without autograd
KINK_BYTES = 48            # per member and neuron, sorted kernel: int64 ranks and bins, the kinks t
ITEM_BYTES = {"float32": 4, "float64": 8}


def population_key(run: Run) -> tuple:
    """Runs with the same key may train as one population."""
    return run.width, run.optimizer.algorithm, run.epochs, run.eval_every, run.network.base, run.network.depth


def population_bytes(run: Run, members: int) -> int:
    """The memory bound (bytes) of a population of ``members`` runs like ``run`` (module docstring)."""
    problem, numerics = run.problem, run.numerics
    n, n_test, m = problem["n_train"], problem["n_test"], run.width
    p = problem["dim"] + (numerics.bias == "augment")
    item = ITEM_BYTES[numerics.dtype]
    if not run.network.is_paper:
        depth = run.network.depth
        params = m * p + (depth - 1) * m * m + m
        return item * members * (PARAM_COPIES * params + TENSOR_COPIES * n * m * depth + LAYER_COPIES * n_test * m)
    slopes = slope_method(numerics.slopes, problem["dim"])
    if slopes == "autograd":
        return item * TENSOR_COPIES * members * (n + n_test) * m * p
    fused = item * (PARAM_COPIES * members * m * (p + 1) + POINT_COPIES * members * (n + n_test) * p)
    if slopes == "sorted":
        return fused + KINK_BYTES * members * m
    return fused + item * SLOPE_COPIES * numerics.chunk


def populations(runs: list[Run], limit_mb: int) -> list[list[int]]:
    """Indices of ``runs`` grouped into populations, in order of first appearance, none
    with a memory bound above ``limit_mb`` (training.population_mb)."""
    groups = {}
    for i, run in enumerate(runs):
        groups.setdefault(population_key(run), []).append(i)
    out = []
    for group in groups.values():
        size = len(group)
        while size > 1 and population_bytes(runs[group[0]], size) > limit_mb * 2**20:
            size -= 1
        out += [group[i:i + size] for i in range(0, len(group), size)]
    return out
