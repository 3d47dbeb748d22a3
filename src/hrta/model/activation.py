"""The homotopy activation sigma_s(z) = (1 - s) z + s ReLU(z), and its fused network kernel.

sigma_s(z) = slope_s(z) z with slope_s(z) = 1 for z > 0 and 1 - s otherwise, so a two-layer
network's output and every gradient of it are products with the n x m matrix of slopes
S = slope_s(x~ w^T): phi = m^{-1/2} rowdot(x~, S @ (a * w)). ``slope_product`` forms
S @ v or S^T @ v in cache-sized chunks of S, in place, without keeping S (or any n x m
matrix) alive between calls.
"""

import torch
from torch.nn import functional as F

from hrta.model.schedule import check_s


def homotopy_activation(z: torch.Tensor, s) -> torch.Tensor:
    """sigma_s(z): slope 1 for z > 0 and 1 - s for z < 0, i.e. one fused leaky ReLU.

    ``s`` is a float, or a tensor of values broadcast against z (a population's per-member
    s; not range-checked here, as its members' s are checked when set). With a tensor, z is
    multiplied by its slopes 1 - s [not z > 0]: the bits (and derivatives, NaN included) of
    ``torch.where(z > 0, z, z * (1 - s))`` without its slower CPU kernel (docs/benchmarks.md).
    """
    if isinstance(s, torch.Tensor):
        return z * (1.0 - s * (z > 0).logical_not_().to(z.dtype))
    return F.leaky_relu(z, negative_slope=1.0 - check_s(s))


def chunked_slope_product(xt, w, v, s: float, chunk: int, transpose: bool) -> torch.Tensor:
    """S @ v (n x p) or S^T @ v (m x p) for S = slope_s(xt w^T), chunk elements of S at a time
    (no autograd: ``slope_product`` is the differentiable form; the population kernel calls
    this one per member).

    S = (1 - s) + s B with B = (xt w^T > 0), so S @ v = (1 - s) 1 sum(v) + s B @ v. Each
    chunk of xt w^T is written into one reused buffer, turned into B in place and
    multiplied with the small side at once (p x k products, the fast BLAS shape here),
    adding the (1 - s) term in the same call.
    Chunks run over rows of S for S @ v and over columns for S^T @ v, so no chunk's
    result is summed into another's.
    """
    n, m = xt.shape[0], w.shape[0]
    if transpose:
        size, step, vt = m, max(1, min(m, chunk // n)), v.T  # BLAS reads v.T as is here
    else:
        size, step, vt = n, max(1, min(n, chunk // m)), v.T.contiguous()  # the faster operand (benchmarks.md)
    base = ((1.0 - s) * v.sum(0))[:, None].expand(v.shape[1], size)
    if step == size:  # one chunk: no buffer, no slices (the same BLAS calls, so the same bits)
        b = torch.mm(xt, w.T).gt_(0)
        return torch.addmm(base, vt, b if transpose else b.T, alpha=s).T
    out = torch.empty(v.shape[1], size, dtype=v.dtype, device=v.device)  # (S^T v)^T or (S v)^T
    buf = torch.empty(step * (n if transpose else m), dtype=v.dtype, device=v.device)
    for i0 in range(0, size, step):
        i1 = min(size, i0 + step)
        if transpose:
            b = torch.mm(xt, w[i0:i1].T, out=buf[: n * (i1 - i0)].view(n, i1 - i0)).gt_(0)
        else:
            b = torch.mm(xt[i0:i1], w.T, out=buf[: (i1 - i0) * m].view(i1 - i0, m)).gt_(0).T
        torch.addmm(base[:, i0:i1], vt, b, alpha=s, out=out[:, i0:i1])
    return out.T


class SlopeProduct(torch.autograd.Function):
    """Differentiable in v (any order); S is piecewise constant in xt and w, so their
    derivative is zero almost everywhere, as in autograd's leaky ReLU."""

    @staticmethod
    def forward(ctx, xt, w, v, s, chunk, transpose):
        ctx.save_for_backward(xt, w)
        ctx.s, ctx.chunk, ctx.transpose = s, chunk, transpose
        return chunked_slope_product(xt, w, v, s, chunk, transpose)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.needs_input_grad[2]:
            return None, None, None, None, None, None
        xt, w = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph: record the product for a further derivative
            grad_v = SlopeProduct.apply(xt, w, grad, ctx.s, ctx.chunk, not ctx.transpose)
        else:
            grad_v = chunked_slope_product(xt, w, grad, ctx.s, ctx.chunk, not ctx.transpose)
        return None, None, grad_v, None, None, None


def slope_product(xt: torch.Tensor, w: torch.Tensor, v: torch.Tensor, s: float, chunk: int,
                  transpose: bool = False) -> torch.Tensor:
    """slope_s(xt w^T) @ v, or slope_s(xt w^T)^T @ v; gradients flow to v only.

    xt (n, p) and w (m, p) only locate the kinks (they are detached here); v is (m, p),
    or (n, p) with transpose. ``chunk`` bounds the elements of S formed at once.
    """
    if chunk < 1:
        raise ValueError(f"chunk must be a positive number of elements, got {chunk}")
    return SlopeProduct.apply(xt.detach(), w.detach(), v, check_s(s), int(chunk), transpose)
