"""Keep the slope matrix from forward for backward, or form it again? (run by hand)

One member's training step of the multi-coordinate kernel is S @ v (forward) and S^T @ g
(backward), S = slope_s(x~ w^T) (n x m). Today each product forms its chunks of S again in a
cache-sized buffer (hrta.model.activation.chunked_slope_product: four passes, two of them
forming). The alternative keeps B = (x~ w^T > 0) whole from forward (n m floats more memory
per member) and reads it back for backward (three passes). This times, one thread, for the
cells of sin3d and Poisson, interleaved ``--rounds`` times: a population of ``--members``
as a population step runs it (forward for every member, then backward for every member),
with the chunks formed again ('chunked', today) or B kept ('kept': it goes to and from main
memory), and B kept member by member (forward then backward of one member while its B is
in cache: 'kept, member by member'); it prints the median milliseconds per member and step.
With ``--step`` it times whole training steps instead (the loss of sin3d or Poisson, forward
and backward, autograd included) of a population as trained today against its members one
by one with B kept (``Kept``), and checks that both give the same gradients.

    .venv/bin/python benchmarks/bench_slope_passes.py [--step]
"""

import argparse
import statistics
import time

import torch
from torch.nn import functional as F

from hrta.model.activation import chunked_slope_product
from hrta.model.network import initial_network
from hrta.model.population import PopulationNet
from hrta.model.run import Numerics
from hrta.problems import make_problem

CELLS = {"sin3d m = 1000": (1000, 1000, 4), "sin3d m = 3000": (1000, 3000, 4),
         "Poisson m = 1000": (1024, 1000, 3), "Poisson m = 3000": (1024, 3000, 3)}
CHUNK, S = 262144, 0.5
PROBLEMS = {"sin3d": {"name": "sin_sum", "dim": 3, "n_train": 1000, "train_points": "uniform", "n_test": 10000,
                      "test_points": "uniform"},
            "Poisson": {"name": "poisson_neumann", "dim": 2, "n_train": 1024, "train_points": "sobol",
                        "n_test": 10000, "test_points": "grid"}}


def chunked(members):
    for xt, w, v, _ in members:
        chunked_slope_product(xt, w, v, S, CHUNK, False)
    for xt, w, _, g in members:
        chunked_slope_product(xt, w, g, S, CHUNK, True)


def kept(members):
    """The single-chunk path of chunked_slope_product, each member's B = (x~ w^T > 0) kept
    from forward for backward."""
    kept_b = []
    for xt, w, v, _ in members:
        b = torch.mm(xt, w.T).gt_(0)
        torch.addmm(((1.0 - S) * v.sum(0))[:, None].expand(v.shape[1], b.shape[0]), v.T.contiguous(), b.T, alpha=S)
        kept_b.append(b)
    for (_, _, _, g), b in zip(members, kept_b):
        torch.addmm(((1.0 - S) * g.sum(0))[:, None].expand(g.shape[1], b.shape[1]), g.T, b, alpha=S)


def kept_by_member(members):
    for member in members:
        kept([member])


class Kept(torch.autograd.Function):
    """s B v + (1 - s) sum(v) (or with B^T) for a given B, differentiable in v to any order."""

    @staticmethod
    def forward(ctx, b, v, s, transpose):
        ctx.save_for_backward(b)
        ctx.s, ctx.transpose = s, transpose
        base = ((1.0 - s) * v.sum(0))[:, None].expand(v.shape[1], b.shape[1] if transpose else b.shape[0])
        return torch.addmm(base, v.T if transpose else v.T.contiguous(), b if transpose else b.T, alpha=s).T

    @staticmethod
    def backward(ctx, grad):
        (b,) = ctx.saved_tensors
        return None, Kept.apply(b, grad, ctx.s, not ctx.transpose), None, None


class Member(torch.nn.Module):
    """Member k of a population as a network of its own whose B is formed once a step."""

    def __init__(self, net: PopulationNet, k: int):
        super().__init__()
        self.net, self.k = net, k

    def forward(self, x):
        net, k = self.net, self.k
        xt = F.pad(x[0], (0, 1), value=1.0)
        b = torch.mm(xt.detach(), net.w[k].detach().T).gt_(0)
        return (torch.linalg.vecdot(xt, Kept.apply(b, net.a[k][:, None] * net.w[k], net.s_list[k], False))
                * net.scale)[None]


def whole_steps(args) -> None:
    for name, problem in PROBLEMS.items():
        prob = make_problem(problem)
        data = prob.make_dataset(0)
        x = torch.as_tensor(data["x_train"].values, dtype=torch.float32)
        y = torch.as_tensor(data["y_train"].values, dtype=torch.float32)
        xk = x.expand(args.members, *x.shape).contiguous()
        for m in (1000, 3000):
            net = PopulationNet([initial_network(problem["dim"], m, k, Numerics(slopes="fused"), s=(1.0, 1.5)[k % 2])
                                 for k in range(args.members)])

            def today():
                net.zero_grad(set_to_none=True)
                prob.loss(net, xk, y).sum().backward()
                return net.w.grad.clone()

            def by_member():
                net.zero_grad(set_to_none=True)
                for k in range(args.members):
                    prob.loss(Member(net, k), xk[k:k + 1], y).sum().backward()
                return net.w.grad.clone()

            diff = float((today() - by_member()).abs().max() / today().abs().max())
            times = {"today": [], "kept, member by member": []}
            for _ in range(args.rounds):
                for label, step in zip(times, (today, by_member)):
                    start = time.perf_counter()
                    step()
                    times[label].append(1e3 * (time.perf_counter() - start))
            med = {k: statistics.median(t) for k, t in times.items()}
            print(f"{name} m = {m}, K = {args.members}: ms per population step: "
                  + ", ".join(f"{label} {t:.1f}" for label, t in med.items())
                  + f" (ratio {med['kept, member by member'] / med['today']:.2f}; gradients differ by {diff:.1e})")


def timed(step, members, repeats: int) -> float:
    step(members)
    start = time.perf_counter()
    for _ in range(repeats):
        step(members)
    return 1e3 * (time.perf_counter() - start) / repeats / len(members)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--step", action="store_true", help="time whole training steps")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.step:
        whole_steps(args)
        return
    gen = torch.Generator().manual_seed(0)
    for name, (n, m, p) in CELLS.items():
        members = [(torch.randn(n, p, generator=gen), torch.randn(m, p, generator=gen),
                    torch.randn(m, p, generator=gen), torch.randn(n, p, generator=gen)) for _ in range(args.members)]
        steps = {"chunked": chunked, "kept": kept, "kept, member by member": kept_by_member}
        times = {label: [] for label in steps}
        for _ in range(args.rounds):
            for label, step in steps.items():
                times[label].append(timed(step, members, args.repeats))
        med = {k: statistics.median(t) for k, t in times.items()}
        ratios = ", ".join(f"{label} {t:.2f} ms ({t / med['chunked']:.2f})" for label, t in med.items())
        print(f"{name} (n = {n}, p = {p}; B whole: {4 * n * m / 2**20:.0f} MB a member), per member and step: {ratios}")


if __name__ == "__main__":
    main()
