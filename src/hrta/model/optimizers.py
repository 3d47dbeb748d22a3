"""Optimizers of the two protocols: Adam with learning-rate decay, and full-batch GD; and
their member-wise form for a population (stacked parameters, one learning rate, step
count and state per member)."""

import numpy as np
import torch

from hrta.model.run import Optimizer

ALGORITHMS = ("adam", "gd")
DECAYS = ("none", "step", "exponential")


def make_optimizer(params, setting: Optimizer) -> torch.optim.Optimizer:
    """Adam or plain gradient descent (SGD without momentum on the full batch)."""
    if setting.algorithm == "adam":
        return torch.optim.Adam(params, lr=setting.lr)
    if setting.algorithm == "gd":
        return torch.optim.SGD(params, lr=setting.lr)
    raise ValueError(f"optimizer algorithm must be one of {ALGORITHMS}, got {setting.algorithm!r}")


def make_lr_scheduler(optimizer, setting: Optimizer):
    """Per-epoch learning-rate decay: none, step (gamma every step_size) or exponential."""
    decay = setting.decay
    if decay.kind == "none":
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0)
    if decay.kind == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, decay.step_size, decay.gamma)
    if decay.kind == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(optimizer, decay.gamma)
    raise ValueError(f"decay kind must be one of {DECAYS}, got {decay.kind!r}")


def learning_rates(setting: Optimizer, epochs: int) -> np.ndarray:
    """The learning rate of every epoch under an optimizer setting, as torch's schedulers
    give it to a run trained alone (a dummy parameter is stepped through them)."""
    param = torch.zeros(1, requires_grad=True)
    opt = make_optimizer([param], setting)
    sched = make_lr_scheduler(opt, setting)
    out = np.empty(epochs)
    for k in range(epochs):
        out[k] = sched.get_last_lr()[0]
        opt.step()
        sched.step()
    return out


class MemberwiseOptimizer(torch.optim.Optimizer):
    """Adam or GD on stacked parameters whose first dim indexes the members of a population.

    Each member has its own learning rate (given to ``step``), Adam step count and moments,
    and can be reset alone. The update of each member is torch's own Adam (single-tensor
    form, default betas and eps) or SGD without momentum, operation for operation, with the
    member's learning rate and bias corrections as broadcast factors.
    """

    def __init__(self, params, algorithm: str, members: int, betas=(0.9, 0.999), eps=1e-8):
        if algorithm not in ALGORITHMS:
            raise ValueError(f"optimizer algorithm must be one of {ALGORITHMS}, got {algorithm!r}")
        super().__init__(params, {"lr": 0.0})
        self.algorithm, self.members, self.betas, self.eps = algorithm, members, betas, eps
        self.steps = [0] * members

    def reset(self, members) -> None:
        """Forget the Adam state of these members (their moments and step counts)."""
        for k in members:
            self.steps[k] = 0
            for state in self.state.values():
                state["exp_avg"][k].zero_()
                state["exp_avg_sq"][k].zero_()

    def _factors(self, values, like: torch.Tensor) -> torch.Tensor:
        """Per-member values as a (K,) tensor of the parameters' dtype and device."""
        return torch.tensor(values, dtype=like.dtype, device=like.device)

    @staticmethod
    def _per_member(factor: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        return factor.view(-1, *[1] * (p.dim() - 1))

    @torch.no_grad()
    def step(self, lrs=None):
        """One update; ``lrs`` holds each member's learning rate (0 leaves a member as it is)."""
        params = [p for group in self.param_groups for p in group["params"] if p.grad is not None]
        if not params:
            return
        if self.algorithm == "gd":
            neg_lr = self._factors([-lr for lr in lrs], params[0])
            for p in params:
                p.addcmul_(p.grad, self._per_member(neg_lr, p))
            return
        beta1, beta2 = self.betas
        self.steps = [n + 1 if lr else n for n, lr in zip(self.steps, lrs)]
        # torch's Adam: step_size = lr / (1 - beta1^t), denominator sqrt(v) / sqrt(1 - beta2^t) + eps
        neg_step = self._factors([-lr / (1 - beta1**n) if n else 0.0 for lr, n in zip(lrs, self.steps)], params[0])
        bc2_sqrt = self._factors([(1 - beta2**n) ** 0.5 if n else 1.0 for n in self.steps], params[0])
        for p in params:
            state = self.state[p]
            if not state:
                state["exp_avg"], state["exp_avg_sq"] = torch.zeros_like(p), torch.zeros_like(p)
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg.lerp_(p.grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
            denom = (exp_avg_sq.sqrt() / self._per_member(bc2_sqrt, p)).add_(self.eps)
            p.add_(exp_avg * self._per_member(neg_step, p) / denom)
