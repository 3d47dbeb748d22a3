"""Slope products of one-dimensional inputs by sorting (``training.kernel: sorted``).

With one input coordinate x (and the bias coordinate), neuron j's pre-activation
c_j x + b_j changes sign once, at its kink t_j = -b_j / c_j: over the inputs sorted, its
slope is 1 on one side of t_j and 1 - s on the other. So S @ v and S^T @ g are prefix sums:
each neuron's v goes into a bin at its kink's rank among the inputs (one binary search), the
bins are summed cumulatively, and S^T g reads prefix or suffix sums of g at the kinks. That
is O(m log n + n) per member instead of O(n m). The products equal the dense kernel's
(hrta.model.population) to rounding, except for an input within rounding of a kink: the
dense kernel rounds c x + b, this one compares x with the rounded t (the activation is
continuous there, only that point's slope differs).
"""

from typing import NamedTuple

import torch


class Kinks(NamedTuple):
    """Where each member's neurons switch, over its inputs sorted (K members, n inputs, m neurons).

    ``inputs`` is n; ``perm`` (K, n) sorts each member's inputs (None if they are sorted). ``bin``
    (K, m) codes each neuron's on-set (slope 1) as one index into 2 (n + 1) bins: b < n + 1,
    on at the sorted positions >= b (c > 0: b = the number of inputs <= t; c = 0: 0 if the
    bias b > 0, else n, never); b = n + 1 + r, on at the positions < r (c < 0: r = the
    number of inputs < t).
    """

    inputs: int
    perm: torch.Tensor | None
    bin: torch.Tensor


def _ranks(xs: torch.Tensor, t: torch.Tensor, right: bool) -> torch.Tensor:
    """The number of sorted inputs xs (K, n) <= t (right) or < t, per member; one search
    for all members when they share their inputs."""
    if bool((xs == xs[:1]).all()):
        return torch.bucketize(t, xs[0].contiguous(), right=right)
    return torch.stack([torch.bucketize(t[k], xs[k].contiguous(), right=right) for k in range(len(xs))])


def kinks(xt: torch.Tensor, w: torch.Tensor) -> Kinks:
    """The kinks of K members: xt (K, n, p) with p = 1, or 2 when the last column is the
    bias coordinate 1; w (K, m, p). No autograd (the slopes are piecewise constant)."""
    x, c = xt[..., 0], w[..., 0]
    n = x.shape[1]
    b = w[..., 1] if w.shape[-1] == 2 else torch.zeros_like(c)
    if bool((x[:, 1:] >= x[:, :-1]).all()):
        xs, perm = x, None
    else:
        xs, perm = torch.sort(x, dim=1)
    t = -b / c  # c = 0: +-inf or NaN, replaced below
    above = _ranks(xs, t, right=True)
    tied = (torch.gather(xs, 1, (above - 1).clamp_(min=0)) == t) & (above > 0)
    if bool(tied.any()):  # an input equal to t is off: c < 0 counts the inputs < t
        bins = torch.where(c > 0, above, _ranks(xs, t, right=False) + (n + 1))
    else:  # no input at a kink: c < 0 adds n + 1
        bins = above + (c < 0) * (n + 1)
    flat = c == 0
    if bool(flat.any()):
        bins = torch.where(flat, torch.where(b > 0, 0, n), bins)
    return Kinks(n, perm, bins)


def sorted_slope_product(k: Kinks, v: torch.Tensor, s: torch.Tensor, transpose: bool) -> torch.Tensor:
    """S @ v (K, n, q) for v (K, m, q), or S^T @ v (K, m, q) for v (K, n, q) with transpose,
    S = (1 - s) + s B per member, B the 0/1 matrix of the neurons that are on."""
    members, q, n = v.shape[0], v.shape[2], k.inputs
    bins = k.bin[..., None].expand(-1, -1, q)
    s3 = s[:, None, None]
    if not transpose:
        acc = v.new_zeros(members, 2 * (n + 1), q).scatter_add_(1, bins, v)
        on = acc[:, :n].cumsum(1) + acc[:, n + 1:].flip(1).cumsum(1).flip(1)[:, 1:]
        out = torch.addcmul((1.0 - s3) * v.sum(1, keepdim=True), on, s3)  # in sorted order
        if k.perm is None:
            return out
        return torch.empty_like(out).scatter_(1, k.perm[..., None].expand(-1, -1, q), out)
    g = v if k.perm is None else torch.gather(v, 1, k.perm[..., None].expand(-1, -1, q))  # sorted
    zero = g.new_zeros(members, 1, q)
    after = torch.cat([g.flip(1).cumsum(1).flip(1), zero], 1)  # after[i]: the sum from i on
    sums = torch.cat([after, zero, g.cumsum(1)], 1)  # then before[r], the sum of the first r
    return torch.addcmul((1.0 - s3) * after[:, :1], torch.gather(sums, 1, bins), s3)


def sorted_product(xt: torch.Tensor, w: torch.Tensor, v: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """S @ v per member (K, n, q) for inputs with one coordinate, S = slope_s(xt w^T);
    gradients flow to v only (xt and w only locate the kinks)."""
    return SortedSlopeProduct.apply(v, s, kinks(xt.detach(), w.detach()), False)


class SortedSlopeProduct(torch.autograd.Function):
    """Differentiable in v (any order): the transpose product is its derivative."""

    @staticmethod
    def forward(ctx, v, s, k: Kinks, transpose: bool):
        ctx.kinks, ctx.transpose = k, transpose
        ctx.save_for_backward(s)
        return sorted_slope_product(k, v, s, transpose)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.needs_input_grad[0]:
            return None, None, None, None
        (s,) = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph: record the product for a further derivative
            grad_v = SortedSlopeProduct.apply(grad, s, ctx.kinks, not ctx.transpose)
        else:
            grad_v = sorted_slope_product(ctx.kinks, grad, s, not ctx.transpose)
        return grad_v, None, None, None
