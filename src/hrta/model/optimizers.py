"""Optimizers of the two protocols: Adam with learning-rate decay, and full-batch GD."""

import torch

ALGORITHMS = ("adam", "gd")
DECAYS = ("none", "step", "exponential")


def make_optimizer(params, cfg: dict) -> torch.optim.Optimizer:
    """Adam or plain gradient descent (SGD without momentum on the full batch)."""
    if cfg["algorithm"] == "adam":
        return torch.optim.Adam(params, lr=cfg["lr"])
    if cfg["algorithm"] == "gd":
        return torch.optim.SGD(params, lr=cfg["lr"])
    raise ValueError(f"optimizer algorithm must be one of {ALGORITHMS}, got {cfg['algorithm']!r}")


def make_lr_scheduler(optimizer, cfg: dict):
    """Per-epoch learning-rate decay: none, step (gamma every step_size) or exponential."""
    decay = cfg.get("decay", {"kind": "none"})
    kind = decay.get("kind", "none")
    if kind == "none":
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0)
    if kind == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, decay["step_size"], decay["gamma"])
    if kind == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(optimizer, decay["gamma"])
    raise ValueError(f"decay kind must be one of {DECAYS}, got {kind!r}")
