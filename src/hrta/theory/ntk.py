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

The output part, derived: sigma_s(u) sigma_s(v) = alpha^2 uv + alpha beta (u|v| + |u|v)
+ beta^2 |u||v|; (u, v) is centred Gaussian, so (-u, -v) has its law, and u|v|, |u|v change
sign under it: their means vanish, leaving

    K_a(s) = (1 - s/2)^2 G + (s/2)^2 E|u||v|,   E|u||v| = 4 K1 - G,

K1 = E[relu(u) relu(v)] = |x~||x~'| (sin t + (pi - t) cos t) / (2 pi) the ReLU kernel
(relu(z) = (z + |z|)/2), which is the paper's s^2 K1 + (1 - s) G; the first part likewise
(sign u, sign v: arc-cosine kernel of degree 0). At s = 0 every part is a multiple of G,
of rank r <= d + 1. On the null space of G each part is exactly (s/2)^2 AA: its lambda_min
is (s/2)^2 f(s) with f <= mu = lambda_min(AA on null G) and f -> mu as s -> 0, and
``Deflation`` computes f to eps n lambda_max(AA), so lambda_min is resolved at every s
where a plain eigensolver (eps n lambda_max(K(s)), G's scale) is not (small s).
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


@dataclass(frozen=True)
class Spectrum:
    """lambda_min, lambda_max and the rounding level of lambda_min of K(s) on a grid of s;
    ``null_space_min`` is mu = lambda_min of AA on the null space of LL = U U^T (NaN where
    the kernel has no factor or U has full row rank), ``factor_rank`` the rank r of U."""

    lambda_min: np.ndarray
    lambda_max: np.ndarray
    rounding_level: np.ndarray
    null_space_min: float = float("nan")
    factor_rank: int = 0


def spectrum(kernel: SplitKernel, s_values) -> Spectrum:
    """lambda_min, lambda_max and the rounding level of lambda_min of K(s) for each s.

    For a kernel with a low-rank factor (LL = U U^T, no cross terms) and 0 < s < 2, both come
    from ``Deflation`` (the null space of U U^T split off, bisection on Sylvester's inertia),
    to a rounding level of beta^2 eps n lambda_max(AA): a fine grid of s costs little more
    than one eigensolve, and lambda_min is resolved where U U^T dominates (small s).
    Otherwise every K(s) is diagonalised, to eps n lambda_max(K(s)).
    """
    s_values = np.asarray(s_values, dtype=np.float64)
    coef = np.array([coefficients(s) for s in s_values]).reshape(-1, 2)
    lo, hi, level = (np.empty(len(s_values)) for _ in range(3))
    fast = (kernel.factor is not None) & (coef[:, 0] > 0) & (coef[:, 1] > 0)
    deflation = Deflation.of(kernel) if kernel.factor is not None else None
    if deflation is None:
        fast[:] = False
    elif fast.any():
        lo[fast], hi[fast], level[fast] = deflation.extremes(s_values[fast])
    for i in np.flatnonzero(~fast):
        lo[i], hi[i] = extreme_eigenvalues(kernel.at(s_values[i]))
        level[i] = EPS * len(kernel.ll) * hi[i]
    if deflation is None:
        return Spectrum(lo, hi, level)
    return Spectrum(lo, hi, level, deflation.mu, len(deflation.lam))


EPS = np.finfo(np.float64).eps
ITERATIONS = 200  # bisection steps at most (it stops when the interval no longer shrinks)


@dataclass(frozen=True)
class Deflation:
    """K(s) = alpha^2 U U^T + beta^2 AA = beta^2 M(rho), rho = (alpha / beta)^2, in the basis
    Q = [Q_R, Q_N] of range(U) (rank r) and its complement, null(U U^T):

        M(rho) = [[rho Lam + A_RR, A_RN], [A_NR, A_NN]],   Lam = diag of U U^T on its range,

    with A_NN = W diag(nu) W^T diagonalised once and B = A_RN W. On the null space K(s)
    compresses to beta^2 A_NN exactly (U U^T vanishes there), so lambda_min(K(s)) <= beta^2 mu,
    mu = nu_1 = lambda_min(A_NN) (interlacing), and lambda_min(K(s)) / (beta^2 mu) -> 1 as
    s -> 0. The eigenvalues of M(rho) below lambda number (Haynsworth's inertia additivity)

        #{nu_j < lambda} + #neg(T(lambda)),  T(lambda) = rho Lam + A_RR - lambda - B (nu - lambda)^-1 B^T,

    an r x r matrix whose terms are of size rho |Lam| or |AA|, never their difference on the
    null space: bisection on lambda gives lambda_min and lambda_max of M(rho) to the accuracy
    of A_NN's eigensolve, eps n lambda_max(AA) (``level``), whatever rho, where a plain
    eigensolver of K(s) has eps n lambda_max(K(s)) ~ alpha^2 eps n |U|^2 at small s.
    """

    lam: np.ndarray  # (r,) eigenvalues of U U^T on its range
    a_rr: np.ndarray  # (r, r)
    b: np.ndarray  # (r, n - r) the coupling A_RN W
    nu: np.ndarray  # (n - r,) eigenvalues of A_NN, increasing
    norm: float  # Gershgorin bound on lambda_max(AA): brackets the bisection
    level: float  # eps n lambda_max(AA): the rounding level of an eigenvalue of M(rho)

    @classmethod
    def of(cls, kernel: SplitKernel) -> "Deflation | None":
        """The deflation of a kernel with a factor; None where U has full row rank (no null space)."""
        u, aa = kernel.factor, kernel.aa
        n = len(aa)
        left, sing, _ = np.linalg.svd(u, full_matrices=True)
        r = int((sing > (sing[0] if sing.size else 0.0) * n * EPS).sum())
        if r >= n:
            return None
        q_r, q_n = left[:, :r], left[:, r:]
        a_q = aa @ q_n
        nu, w = np.linalg.eigh(q_n.T @ a_q)
        norm = float(np.abs(aa).sum(axis=1).max())
        lam_max = _bisect(lambda x: _count(np.zeros(1), x, sing[:r] ** 2, q_r.T @ aa @ q_r, (q_r.T @ a_q) @ w, nu),
                          np.array([max(nu[-1], 0.0)]), np.array([norm]), n)[0]
        return cls(sing[:r] ** 2, q_r.T @ aa @ q_r, (q_r.T @ a_q) @ w, nu, norm, EPS * n * max(lam_max, 0.0))

    @property
    def mu(self) -> float:
        """lambda_min of AA on the null space of U U^T."""
        return float(self.nu[0])

    def extremes(self, s_values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lambda_min, lambda_max, rounding level of lambda_min) of K(s), 0 < s < 2."""
        coef = np.array([coefficients(s) for s in np.atleast_1d(s_values)]).reshape(-1, 2)
        rho = (coef[:, 0] / coef[:, 1]) ** 2
        n = len(self.nu) + len(self.lam)

        def count(x):
            return _count(rho, x, self.lam, self.a_rr, self.b, self.nu)

        ones = np.ones_like(rho)
        low = _bisect(count, -self.level * ones, self.nu[0] * ones, 1)
        top = rho * self.lam.max() + self.norm
        high = _bisect(count, np.maximum(self.nu[-1], rho * self.lam.max()), top, n)
        beta2 = coef[:, 1] ** 2
        return beta2 * low, beta2 * high, beta2 * self.level


def _count(rho: np.ndarray, x: np.ndarray, lam: np.ndarray, a_rr: np.ndarray, b: np.ndarray,
           nu: np.ndarray) -> np.ndarray:
    """The number of eigenvalues of M(rho) below x (``Deflation``), per (rho, x) pair."""
    d = nu[None, :] - x[:, None]
    d = np.where(d == 0, np.finfo(float).tiny, d)
    t = -(b[None, :, :] / d[:, None, :]) @ b.T
    t += a_rr[None] + rho[:, None, None] * np.diag(lam)[None]
    r = len(lam)
    t[:, np.arange(r), np.arange(r)] -= x[:, None]
    return (nu[None, :] < x[:, None]).sum(axis=1) + (np.linalg.eigvalsh(t) < 0).sum(axis=1)


def _bisect(count, lo: np.ndarray, hi: np.ndarray, target: int) -> np.ndarray:
    """The smallest x in [lo, hi] with count(x) >= target, per entry, to full precision."""
    lo, hi = np.asarray(lo, dtype=np.float64).copy(), np.asarray(hi, dtype=np.float64).copy()
    for _ in range(ITERATIONS):
        mid = 0.5 * (lo + hi)
        if ((mid <= lo) | (mid >= hi)).all():
            break
        over = count(mid) >= target
        hi, lo = np.where(over, mid, hi), np.where(over, lo, mid)
    return 0.5 * (lo + hi)


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
