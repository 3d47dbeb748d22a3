"""A population: K two-layer homotopy networks of one width trained as one batched network.

Member k has its own parameters w[k] (m, p) and a[k] (m,), taken from its own initial
network (so its start is the one it has when trained alone), and its own homotopy
parameter s[k]. Members never mix: every operation is per member (batched matrix products
and elementwise operations), so the sum of the members' losses has, for each member's
parameters, exactly that member's gradient.

With ``slopes="sorted"`` and one input coordinate these products are prefix sums over the
sorted inputs (hrta.model.sorted_slopes); with more coordinates, or ``slopes="fused"``, the
output and its derivatives are products with the per-member
slope matrices S_k = slope_{s_k}(x~_k w_k^T), formed a group of members at a time so that at
most ``chunk`` elements of them exist at once (one member in row chunks when its own
n x m exceeds ``chunk``, exactly as hrta.model.activation does). The memory of one step is
then bounded by the parameters (K m p), the per-member inputs and outputs (K n p) and
``chunk`` (hrta.training.populations.population_bytes).
"""

import torch
from torch import nn
from torch.nn import functional as F

from hrta.model.activation import chunked_slope_product, homotopy_activation
from hrta.model.network import TwoLayerNet
from hrta.model.schedule import check_s
from hrta.model.sorted_slopes import sorted_product


def _group_product(xt, w, v, s, transpose: bool) -> torch.Tensor:
    """S @ v (g, n, q) or S^T @ v (g, m, q) for a group of members, S = slope_s(xt w^T).

    As in hrta.model.activation, the product is taken with the small side first
    (v^T S^T, the fast BLAS shape here) and S = (1 - s) + s B with B = (xt w^T > 0).
    """
    b = torch.bmm(xt, w.transpose(1, 2)).gt_(0)  # (g, n, m)
    vt = v.transpose(1, 2) if transpose else v.transpose(1, 2).contiguous()  # as the single kernel
    prod = torch.bmm(vt, b if transpose else b.transpose(1, 2))  # (g, q, m) or (g, q, n)
    base = ((1.0 - s)[:, None] * v.sum(1))[:, :, None]  # (1 - s) sum(v), per member
    return torch.addcmul(base, prod, s[:, None, None]).transpose(1, 2)


def population_slope_product(xt, w, v, s, s_list, chunk: int, transpose: bool) -> torch.Tensor:
    """slope_s(xt w^T) @ v per member (or its transpose), at most ``chunk`` slope elements at
    a time. xt (K, n, p), w (K, m, p), v (K, m, q) or (K, n, q) with transpose; s (K,)
    tensor and the same values as floats (``s_list``)."""
    k_members, n, m = xt.shape[0], xt.shape[1], w.shape[1]
    if n * m > chunk:  # one member at a time, in row chunks (the single-network kernel)
        return torch.stack([chunked_slope_product(xt[k], w[k], v[k], s_list[k], chunk, transpose)
                            for k in range(k_members)])
    group = max(1, chunk // (n * m))
    if group >= k_members:
        return _group_product(xt, w, v, s, transpose)
    return torch.cat([_group_product(xt[i:i + group], w[i:i + group], v[i:i + group], s[i:i + group],
                                     transpose) for i in range(0, k_members, group)])


def population_values(xt, w, a, s_list, chunk: int) -> torch.Tensor:
    """The members' unscaled outputs sum_j a_j sigma_s(xt w_j) (K, n) without slopes or
    autograd (evaluation): s ReLU(xt w^T) a + (1 - s) xt (w^T a), member by member from fresh
    copies of its inputs (BLAS's rounding depends on the inputs' memory alignment, so a
    member's bits would otherwise depend on its place in the population), the ReLU formed in
    row chunks of at most ``chunk`` elements in one reused buffer."""
    k_members, n, m = xt.shape[0], xt.shape[1], w.shape[1]
    rows = max(1, min(n, chunk // m))
    out = torch.empty(k_members, n, dtype=w.dtype, device=w.device)
    buf = torch.empty(rows * m, dtype=w.dtype, device=w.device)
    for k, s in enumerate(s_list):
        xt_k, w_k, a_k = xt[k].clone(), w[k].clone(), a[k].clone()  # aligned alike wherever k sits
        for i0 in range(0, n, rows):
            i1 = min(n, i0 + rows)
            relu = torch.mm(xt_k[i0:i1], w_k.T, out=buf[: (i1 - i0) * m].view(i1 - i0, m)).relu_()
            torch.mv(relu, a_k, out=out[k, i0:i1])
        out[k].mul_(s).add_(torch.mv(xt_k, torch.mv(w_k.T, a_k)), alpha=1.0 - s)
    return out


class PopulationSlopeProduct(torch.autograd.Function):
    """Differentiable in v (any order); the slopes are piecewise constant in xt and w."""

    @staticmethod
    def forward(ctx, xt, w, v, s, s_list, chunk, transpose):
        ctx.save_for_backward(xt, w, s)
        ctx.s_list, ctx.chunk, ctx.transpose = s_list, chunk, transpose
        return population_slope_product(xt, w, v, s, s_list, chunk, transpose)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.needs_input_grad[2]:
            return None, None, None, None, None, None, None
        xt, w, s = ctx.saved_tensors
        args = (xt, w, grad, s, ctx.s_list, ctx.chunk, not ctx.transpose)
        if torch.is_grad_enabled():  # create_graph: record the product for a further derivative
            grad_v = PopulationSlopeProduct.apply(*args)
        else:
            grad_v = population_slope_product(*args)
        return None, None, grad_v, None, None, None, None


class Population(nn.Module):
    """What every population shares: K members with their own s (a (K,) buffer and the same
    values as floats, ``s_list``) and inputs shared by all members or one set per member."""

    def __init__(self, nets: list[nn.Module]):
        super().__init__()
        self.bias = nets[0].bias
        self.register_buffer("s", torch.tensor([net.s for net in nets], dtype=nets[0].w.dtype), persistent=False)
        self.s_list = [net.s for net in nets]

    @property
    def size(self) -> int:
        return self.s.shape[0]

    def set_s(self, s_values) -> None:
        """Set every member's homotopy parameter; the parameters are left untouched."""
        self.s_list = [check_s(s) for s in s_values]
        self.s.copy_(torch.tensor(self.s_list, dtype=self.s.dtype))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x~ per member (K, n, p): the inputs, with a column of ones in bias mode 'augment'."""
        if x.dim() == 2:
            x = x.expand(self.size, *x.shape)
        return F.pad(x, (0, 1), value=1.0) if self.bias == "augment" else x


class PopulationNet(Population):
    """K stacked two-layer homotopy networks of one width: w (K, m, p), a (K, m), s (K,).

    Built from the members' own initial networks (``TwoLayerNet``), which must share width,
    input dimension, bias mode, dtype, slope method and chunk. ``forward`` takes inputs shared by
    all members (n, d) or one set per member (K, n, d) and returns outputs (K, n). With the
    fused slopes and gradients off (evaluation) it forms ReLU(x~ w^T) a directly
    (``population_values``): the same function up to rounding, in fewer passes over x~ w^T.
    """

    def __init__(self, nets: list[TwoLayerNet]):
        super().__init__(nets)
        first = nets[0]
        for net in nets:
            same = (net.in_dim, net.width, net.bias, net.slopes, net.chunk, net.w.dtype)
            if same != (first.in_dim, first.width, first.bias, first.slopes, first.chunk, first.w.dtype):
                raise ValueError("population members must share in_dim, width, bias, slopes, chunk and dtype")
        self.in_dim, self.width = first.in_dim, first.width
        self.slopes, self.chunk, self.scale = first.slopes, first.chunk, first.scale
        self.w = nn.Parameter(torch.stack([net.w.detach() for net in nets]))
        self.a = nn.Parameter(torch.stack([net.a.detach() for net in nets]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xt = self.features(x)
        if self.slopes == "autograd":
            z = torch.bmm(xt, self.w.transpose(1, 2))  # (K, n, m)
            act = homotopy_activation(z, self.s[:, None, None])
            return torch.bmm(act, self.a[:, :, None])[..., 0] * self.scale
        if self.slopes == "sorted":
            v = sorted_product(xt, self.w, self.a[:, :, None] * self.w, self.s)
        elif not torch.is_grad_enabled():  # evaluation: the outputs alone, fewer passes over x~ w^T
            return population_values(xt, self.w, self.a, self.s_list, self.chunk) * self.scale
        else:
            v = PopulationSlopeProduct.apply(xt.detach(), self.w.detach(), self.a[:, :, None] * self.w,
                                             self.s, self.s_list, self.chunk, False)
        return torch.linalg.vecdot(xt, v) * self.scale
