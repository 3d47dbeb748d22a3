"""hrta: Homotopy Relaxation Training Algorithms for two-layer ReLU networks, and for any
PyTorch model:

- ``HomotopyActivation(base, s)``: sigma_s(z) = (1 - s) z + s base(z) for any activation;
- ``homotopize(model, targets)``: swap a model's activation modules for it, in place;
- ``set_s(model, s)``: set s on every homotopy activation of a model;
- ``activation_classes(model)``: a model's activation classes and counts (the ``targets``);
- ``plain_state_dict(state_dict)``: a homotopized model's state for the model without it;
- ``HomotopySchedule(stages, ...)``: a Lightning callback that raises s in stages.

The drop-in needs torch (and Lightning for the callback) only, the package's own
dependencies; the paper's pipeline needs the extra ``pipeline`` (``pip install ".[pipeline]"``).

They are imported on first use, so ``import hrta.pipeline...`` (every Snakemake start)
stays free of torch and Lightning.
"""

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "HomotopyActivation": "hrta.model.homotopy",
    "homotopize": "hrta.model.homotopy",
    "set_s": "hrta.model.homotopy",
    "activation_classes": "hrta.model.homotopy",
    "plain_state_dict": "hrta.model.homotopy",
    "HomotopySchedule": "hrta.training.callback",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'hrta' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])
