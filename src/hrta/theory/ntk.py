"""Neural tangent kernels of the homotopy network, infinite-width and finite-width.

With alpha = 1 - s/2 and beta = s/2 the homotopy activation splits as
sigma_s(z) = alpha z + beta |z| and sigma_s'(z) = alpha + beta sign(z). Every Gram matrix of
phi_s(x) = m^{-1/2} sum_k a_k sigma_s(w_k . x~) is therefore a bilinear form in (alpha, beta),
and so is the cross kernel <grad phi_s(x), grad phi_s'(x')> of two homotopy parameters:

    K(s, s') = alpha alpha' LL + alpha beta' LA + beta alpha' AL + beta beta' AA,

L standing for the linear and A for the absolute-value half. ``SplitKernel`` holds the four
matrices of one part: the output layer (gradient in a, E[sigma(u) sigma(v)]) or the first
layer (gradient in w, G E[a^2 sigma'(u) sigma'(v)]). In the infinite-width limit, with
u = w . x~, v = w . x~', w ~ N(0, I), angle t between x~ and x~', G = x~ . x~':

    output: LL = G,  AA = E|u||v| = (2/pi) |x~||x~'| (sin t + (pi/2 - t) cos t),  LA = AL = 0
    first:  LL = G,  AA = G E[sign u sign v] = G (1 - 2t/pi),                     LA = AL = 0

which equals s^2 K_ReLU + (1 - s) G for each part (the paper's form). At s = 0 every
part is a multiple of G (rank <= d + 1).
"""

from dataclasses import dataclass

import numpy as np
import torch

from hrta.model.schedule import Schedule

PARTS = ("output", "first", "ntk")  # output layer (lambda_a), first layer (lambda_w), sum
BLOCK = 256  # rows of the pairwise-angle computation held at once


def coefficients(s: float) -> tuple[float, float]:
    """(alpha, beta) = (1 - s/2, s/2); s may be any value in the closed interval [0, 2]."""
    s = float(s)
    if not 0.0 <= s <= 2.0:
        raise ValueError(f"homotopy parameter s must lie in [0, 2] for a kernel, got {s}")
    return 1.0 - s / 2.0, s / 2.0


def features(x, bias: str = "augment") -> np.ndarray:
    """x~ in float64: the inputs with a column of ones appended for bias 'augment'."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"inputs must have shape (n, dim), got {x.shape}")
    if bias == "augment":
        return np.hstack([x, np.ones((len(x), 1))])
    if bias == "none":
        return x
    raise ValueError(f"bias must be 'augment' or 'none', got {bias!r}")


@dataclass(frozen=True)
class SplitKernel:
    """The four Gram matrices of one part (see the module docstring); ``factor`` is a
    matrix U with LL = U U^T when LA = AL = 0 (analytic kernels), else None."""

    ll: np.ndarray
    la: np.ndarray | None
    al: np.ndarray | None
    aa: np.ndarray
    factor: np.ndarray | None = None

    def at(self, s: float, s2: float | None = None) -> np.ndarray:
        """K(s, s2): rows take the gradient at s, columns at s2 (default s2 = s)."""
        a1, b1 = coefficients(s)
        a2, b2 = coefficients(s if s2 is None else s2)
        out = a1 * a2 * self.ll + b1 * b2 * self.aa
        if self.la is not None:
            out = out + a1 * b2 * self.la + b1 * a2 * self.al
        return out

    def __add__(self, other: "SplitKernel") -> "SplitKernel":
        cross = self.la is not None or other.la is not None
        zero = np.zeros_like(self.ll)
        factor = None
        if not cross and self.factor is not None and other.factor is not None:
            factor = _compact(np.hstack([self.factor, other.factor]))
        return SplitKernel(
            self.ll + other.ll,
            (_or(self.la, zero) + _or(other.la, zero)) if cross else None,
            (_or(self.al, zero) + _or(other.al, zero)) if cross else None,
            self.aa + other.aa, factor)


def _compact(u: np.ndarray) -> np.ndarray:
    """A factor with the same U U^T and independent columns (thin SVD, rank-revealing)."""
    left, sing, _ = np.linalg.svd(u, full_matrices=False)
    keep = sing > sing[0] * u.shape[0] * np.finfo(float).eps if sing.size else sing > 0
    return left[:, keep] * sing[keep]


def _or(value, default):
    return default if value is None else value


@dataclass(frozen=True)
class NTKBasis:
    """The output-layer and first-layer parts of a network's NTK on one set of inputs."""

    output: SplitKernel
    first: SplitKernel

    def part(self, name: str) -> SplitKernel:
        if name == "output":
            return self.output
        if name == "first":
            return self.first
        if name == "ntk":
            return self.output + self.first
        raise ValueError(f"kernel part must be one of {PARTS}, got {name!r}")

    def parts(self, s: float, s2: float | None = None) -> dict[str, np.ndarray]:
        """{'output', 'first', 'ntk'} -> Gram matrix K(s, s2)."""
        out, first = self.output.at(s, s2), self.first.at(s, s2)
        return {"output": out, "first": first, "ntk": out + first}

    def ntk(self, s: float, s2: float | None = None) -> np.ndarray:
        return self.output.at(s, s2) + self.first.at(s, s2)


def _angles(xt: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Pairwise angles t = 2 atan2(|u - u'|, |u + u'|) of the unit vectors u = x~/|x~|.

    Accurate near t = 0, where arccos of the cosine loses half the digits; zero vectors
    get t = 0 (their kernel entries vanish anyway).
    """
    unit = xt / np.where(norms > 0, norms, 1.0)[:, None]
    t = np.empty((len(xt), len(xt)))
    for i in range(0, len(xt), BLOCK):
        block = unit[i:i + BLOCK, None, :]
        diff = np.linalg.norm(block - unit[None], axis=2)
        summ = np.linalg.norm(block + unit[None], axis=2)
        t[i:i + BLOCK] = 2.0 * np.arctan2(diff, summ)
    return t


def analytic_basis(x, bias: str = "augment") -> NTKBasis:
    """Infinite-width NTK parts of the homotopy network on inputs x (n, dim), float64."""
    xt = features(x, bias)
    norms = np.linalg.norm(xt, axis=1)
    t = _angles(xt, norms)
    gram = xt @ xt.T
    abs_abs = (2.0 / np.pi) * np.outer(norms, norms) * (np.sin(t) + (np.pi / 2 - t) * np.cos(t))
    sign_sign = 1.0 - 2.0 * t / np.pi
    return NTKBasis(SplitKernel(gram, None, None, abs_abs, factor=xt),
                    SplitKernel(gram, None, None, gram * sign_sign, factor=xt))


def empirical_basis(net, x) -> NTKBasis:
    """The finite network's NTK parts at its current parameters (float64).

    Uses the closed-form Jacobian: d phi / d a_k = m^{-1/2} sigma_s(z_k) and
    d phi / d w_k = m^{-1/2} a_k sigma_s'(z_k) x~ with z_k = w_k . x~, split into the
    linear and absolute-value halves; independent of the net's current s.
    """
    with torch.no_grad():
        w = net.w.detach().double().cpu().numpy()
        a = net.a.detach().double().cpu().numpy()
    xt = features(x, net.bias)
    m = w.shape[0]
    z = xt @ w.T
    absz = np.abs(z)
    gram = xt @ xt.T
    cross = xt @ (w.T @ absz.T) / m  # z |z|^T / m through the thin side
    output = SplitKernel(xt @ (w.T @ w) @ xt.T / m, cross, cross.T, absz @ absz.T / m)
    signs = np.sign(z) * a  # a_k sign(z_k); the constant half is a_k itself
    q = signs @ a / m  # q_j = sum_k a_k^2 sign(z_jk) / m
    la = gram * q[None, :]
    first = SplitKernel(gram * (a @ a / m), la, la.T, gram * (signs @ signs.T / m))
    return NTKBasis(output, first)


def extreme_eigenvalues(k: np.ndarray) -> tuple[float, float]:
    """(lambda_min, lambda_max) of a symmetric matrix."""
    lam = np.linalg.eigvalsh(k)
    return float(lam[0]), float(lam[-1])


def spectrum(kernel: SplitKernel, s_values) -> tuple[np.ndarray, np.ndarray]:
    """lambda_min and lambda_max of K(s) for each s.

    For a kernel with a low-rank factor (LL = U U^T, no cross terms) and 0 < s < 2,
    K(s) = beta^2 (AA + rho U U^T) with rho = (alpha / beta)^2: AA is diagonalised once
    and the extremes of each rank-k update come from bisection on Sylvester's inertia
    (``_lowrank_extremes``), so a fine grid of s costs little more than one eigensolve.
    Otherwise every K(s) is diagonalised.
    """
    s_values = np.asarray(s_values, dtype=np.float64)
    coef = np.array([coefficients(s) for s in s_values]).reshape(-1, 2)
    lo, hi = np.empty(len(s_values)), np.empty(len(s_values))
    fast = (kernel.factor is not None) & (coef[:, 0] > 0) & (coef[:, 1] > 0)
    if fast.any():
        lam, vec = np.linalg.eigh(kernel.aa)
        rho = (coef[fast, 0] / coef[fast, 1]) ** 2
        mins, maxs = _lowrank_extremes(lam, vec.T @ kernel.factor, rho)
        lo[fast], hi[fast] = coef[fast, 1] ** 2 * mins, coef[fast, 1] ** 2 * maxs
    for i in np.flatnonzero(~fast):
        lo[i], hi[i] = extreme_eigenvalues(kernel.at(s_values[i]))
    return lo, hi


def _lowrank_extremes(lam: np.ndarray, c: np.ndarray, rho: np.ndarray, iters: int = 200):
    """Smallest and largest eigenvalues of diag(lam) + rho C C^T for each rho > 0.

    The number of eigenvalues below mu is #{lam < mu} - #neg(I/rho + C^T (lam - mu)^-1 C)
    (Haynsworth inertia additivity); bisection on mu between the interlacing bounds
    lam_1 <= mu_1 <= lam_{k+1} and lam_n <= mu_n <= lam_n + rho ||C||^2, to full precision.
    """
    n, k = c.shape
    norm2 = np.linalg.norm(c, 2) ** 2

    def below(mu):
        d = lam[None, :] - mu[:, None]
        d = np.where(d == 0, np.finfo(float).tiny, d)
        x = (c.T[None, :, :] / d[:, None, :]) @ c  # C^T (lam - mu)^-1 C, (len(mu), k, k)
        x[:, np.arange(k), np.arange(k)] += 1.0 / rho[:, None]
        neg = (np.linalg.eigvalsh(x) < 0).sum(axis=1)
        return (lam[None, :] < mu[:, None]).sum(axis=1) - neg

    def bisect(lo, hi, target):
        for _ in range(iters):
            mid = 0.5 * (lo + hi)
            done = (mid <= lo) | (mid >= hi)
            if done.all():
                break
            over = below(mid) >= target
            hi, lo = np.where(over, mid, hi), np.where(over, lo, mid)
        return 0.5 * (lo + hi)

    ones = np.ones_like(rho)
    top_min = lam[k] if n > k else lam[-1] + norm2 * rho.max()
    mins = bisect(lam[0] * ones, np.maximum(top_min * ones, lam[0]), 1)
    maxs = bisect(lam[-1] * ones, lam[-1] + rho * norm2, n)
    return mins, maxs


def kernel_prediction(basis: NTKBasis, init_outputs: dict, y, schedule: Schedule, lrs):
    """Training loss of gradient descent on the network linearised at initialisation.

    The linearised network of stage p is phi_{s_p}(theta_0) + J_{s_p} (theta - theta_0); with
    L = |r|^2 / (2n), gradient descent moves theta by -(eta_k / n) J_{s_p}^T r_k, so within
    a stage r_{k+1} = (I - eta_k / n K(s_p)) r_k, solved in the eigenbasis of K(s_p). At a
    switch to s_q the residual jumps to

        r = phi_{s_q}(theta_0) - y - (1/n) sum_{p<q} K(s_q, s_p) sum_{k in stage p} eta_k r_k,

    the new linearised function at the parameters reached (K(s_q, s_p) is the cross kernel).
    ``init_outputs`` maps each stage's s to phi_s(theta_0) on the inputs; ``lrs`` holds the
    learning rate of every epoch. Returns the loss at the start of each epoch and after the
    last one (length E + 1), as a training history records it.
    """
    y = np.asarray(y, dtype=np.float64)
    lrs = np.asarray(lrs, dtype=np.float64)
    n = len(y)
    if len(lrs) != schedule.total:
        raise ValueError(f"need one learning rate per epoch ({schedule.total}), got {len(lrs)}")
    losses, moved = [], []  # moved: (s_p, sum_k eta_k r_k) of the stages done
    for start, stage in zip(schedule.boundaries, schedule.stages):
        r = np.asarray(init_outputs[stage.s], dtype=np.float64) - y
        for s_p, step in moved:
            r = r - basis.ntk(stage.s, s_p) @ step / n
        lam, vec = np.linalg.eigh(basis.ntk(stage.s))
        eta = lrs[start:start + stage.length]
        factors = 1.0 - eta[:, None] * lam[None, :] / n  # (epochs, n)
        decay = np.vstack([np.ones((1, n)), np.cumprod(factors, axis=0)])  # epochs + 1 rows
        coeff = vec.T @ r
        losses.append(((decay[:-1] * coeff) ** 2).sum(axis=1) / (2 * n))
        moved.append((stage.s, vec @ ((eta[:, None] * decay[:-1]).sum(axis=0) * coeff)))
        r = vec @ (decay[-1] * coeff)
    losses.append(np.array([r @ r / (2 * n)]))
    return np.concatenate(losses)
