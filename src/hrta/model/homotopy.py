"""HRTA for any PyTorch model: the homotopy activation sigma_s(z) = (1 - s) z + s base(z)
of any base activation, ``homotopize`` (swap a model's activation modules for it in place),
``set_s`` (set s on all of them) and ``activation_classes`` (which activation classes a
model has, to choose ``targets``).

s = 1 is the base activation itself, s -> 0 the identity, s > 1 the relaxed regime past it.
For a ReLU base sigma_s is the fused leaky ReLU of hrta.model.activation (slope 1 - s
below 0); the paper's two-layer network (hrta.model.network.TwoLayerNet) holds one.

s is part of the model's state: a buffer (``S_KEY``) that ``state_dict`` and
``load_state_dict`` carry, beside a Python float mirror that eager ``forward`` reads (no
device sync per call); compiled and exported graphs read the buffer itself.
"""

import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable

import torch
from torch import nn
from torch.nn import functional as F

from hrta.model.activation import homotopy_activation
from hrta.model.schedule import check_s

RELU_FUNCTIONS = (torch.relu, F.relu)  # callables with the fused ReLU path
S_KEY = "homotopy_s"  # the buffer of s, and its state-dict key beside the activation's own
BASE = "base"  # the submodule name of a module base (its state-dict keys are the activation's)

_is_compiling = getattr(torch.compiler, "is_compiling", None)  # torch >= 2.3; export too
if _is_compiling is None:  # pragma: no cover (torch 2.2)
    from torch._dynamo import is_compiling as _is_compiling


def _flatten_base_keys(module, state_dict, prefix, local_metadata) -> None:
    """State-dict hook: the base's entries under the activation's own prefix (``1.weight``,
    not ``1.base.weight``), the keys of the model before homotopize."""
    nested = prefix + BASE + "."
    for key in [k for k in state_dict if k.startswith(nested)]:
        state_dict[prefix + key[len(nested):]] = state_dict.pop(key)


class HomotopyActivation(nn.Module):
    """sigma_s(z) = (1 - s) z + s base(z); s in (0, 2), settable at any time (``.s = ...``).

    ``base`` is an activation module (``nn.ReLU()``, ``nn.GELU()``, ``nn.PReLU()``, ...;
    registered as a submodule) or a callable (``torch.tanh``, ``F.silu``, ...). At s = 1 the
    output is ``base(z)`` itself, bit for bit; with a ReLU base (an ``nn.ReLU`` or torch's
    relu) any other s takes the fused leaky-ReLU path. A base that works in place
    (``inplace=True``) is given a copy of z when s != 1, since sigma_s needs z too.

    s is saved with the model: the buffer ``homotopy_s`` (saved as float64, the exact s
    set); a base's parameters keep the keys they had before homotopize (a PReLU's
    ``weight`` stays ``<name>.weight``). Loading a state dict without s (one saved before
    homotopize) keeps the s in force. Under ``torch.compile`` and ``torch.export`` the
    graph reads the buffer, so a new s needs no recompilation.
    """

    def __init__(self, base: nn.Module | Callable | None = None, s: float = 1.0):
        super().__init__()
        base = nn.ReLU() if base is None else base
        if not callable(base):
            raise TypeError(f"HomotopyActivation: base must be an activation module or a callable, got {base!r}")
        self.base = base
        self.fused_relu = type(base) is nn.ReLU or any(base is f for f in RELU_FUNCTIONS)
        self.register_buffer(S_KEY, torch.tensor(1.0))
        self._register_state_dict_hook(_flatten_base_keys)
        self.s = s

    @property
    def s(self) -> float:
        """The homotopy parameter in force."""
        return self._s if self._buffers[S_KEY] is self._s_of else self._resync()

    @s.setter
    def s(self, value: float) -> None:
        value = check_s(value)
        buffer = self._buffers[S_KEY]
        with torch.no_grad():
            buffer.fill_(value)
        self._s, self._s_of = value, buffer

    def _apply(self, fn, recurse=True):
        """A move or conversion (``.to``, ``.cuda``, ``.double``, ``to_empty``) keeps s: the
        new buffer is given the s in force (``to_empty``'s is uninitialised memory)."""
        out = super()._apply(fn, recurse)
        buffer = self._buffers[S_KEY]
        if buffer is not self._s_of:
            if not buffer.is_meta:
                with torch.no_grad():
                    buffer.fill_(self._s)
            self._s_of = buffer
        return out

    def _resync(self) -> float:
        """The float mirror of a buffer that was replaced otherwise (a loader that assigns
        tensors, a replica of nn.DataParallel): the exact s set is kept while the buffer
        holds it at the old buffer's precision and the new one's, else the buffer's value
        is taken. One read per replacement; none on the meta device."""
        buffer = self._buffers[S_KEY]
        if buffer.is_meta:
            return self._s
        value = float(buffer)
        if value != float(torch.tensor(self._s, dtype=self._s_of.dtype).to(buffer.dtype)):
            self._s = check_s(value)
        self._s_of = buffer
        return self._s

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if _is_compiling():
            return self._graph_forward(z)
        s = self._s if self._buffers[S_KEY] is self._s_of else self._resync()
        if s == 1.0:
            return self.base(z)
        if self.fused_relu:
            return homotopy_activation(z, s)
        out = self.base(z.clone() if getattr(self.base, "inplace", False) else z)
        return torch.add(out * s, z, alpha=1.0 - s)

    def _graph_forward(self, z: torch.Tensor) -> torch.Tensor:
        """sigma_s with s read from the buffer, for torch.compile and torch.export: one graph
        for every s; at s = 1 it is base(z) for finite z."""
        s = self._buffers[S_KEY].to(device=z.device, dtype=z.dtype)
        if self.fused_relu:
            return homotopy_activation(z, s)
        return torch.lerp(z, self.base(z.clone() if getattr(self.base, "inplace", False) else z), s)

    def _save_to_state_dict(self, destination, prefix, keep_vars) -> None:
        super()._save_to_state_dict(destination, prefix, keep_vars)
        if not keep_vars:  # the exact s, whatever the module's precision
            destination[prefix + S_KEY] = torch.tensor(self.s, dtype=torch.float64)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs) -> None:
        if isinstance(self.base, nn.Module):  # the base's keys as homotopize left them, nested again
            for key in self.base.state_dict(keep_vars=True):
                flat, nested = prefix + key, f"{prefix}{BASE}.{key}"
                if flat in state_dict and nested not in state_dict:
                    state_dict[nested] = state_dict.pop(flat)
        key = prefix + S_KEY
        value = None
        if key in state_dict:
            try:
                value = check_s(state_dict[key].item() if torch.is_tensor(state_dict[key]) else state_dict[key])
            except (ValueError, RuntimeError) as err:
                error_msgs.append(f"{key}: {err}")
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)
        if key not in state_dict:  # saved before homotopize: the s in force stays
            missing_keys[:] = [k for k in missing_keys if k != key]
        elif value is not None:
            self._s, self._s_of = value, self._buffers[S_KEY]

    def extra_repr(self) -> str:
        name = "" if isinstance(self.base, nn.Module) else f"base={getattr(self.base, '__name__', self.base)}, "
        return f"{name}s={self.s:g}"


# Activation classes: torch's own elementwise ones, and any class named like an activation
# (a model's own GELU, QuickGELU, Swish, ...); ``activation_classes`` lists a model's.
NOT_ELEMENTWISE = (nn.Softmax, nn.Softmin, nn.Softmax2d, nn.LogSoftmax, nn.MultiheadAttention, nn.GLU)
ACTIVATION_NAME = re.compile(r"relu|gelu|silu|swish|mish|elu|tanh|sigmoid|softplus|softsign|activation|^act$", re.I)

# Activation functions a forward may call instead of a module (found by one symbolic trace)
_FUNCTION_NAMES = ("relu", "relu_", "relu6", "gelu", "silu", "mish", "hardswish", "hardsigmoid", "hardtanh", "elu",
                   "selu", "celu", "leaky_relu", "softplus", "sigmoid", "tanh", "prelu", "rrelu", "logsigmoid")
ACTIVATION_FUNCTIONS = {fn: f"{mod}.{name}" for mod, ns in (("torch", torch), ("F", F)) for name in _FUNCTION_NAMES
                        if callable(fn := getattr(ns, name, None))}
ACTIVATION_METHODS = ("relu", "relu_", "sigmoid", "sigmoid_", "tanh", "tanh_")


def is_activation(module: nn.Module) -> bool:
    """Whether ``module`` looks like an elementwise activation that homotopize could replace:
    a module without children that is one of torch's (``nn.ReLU``, ``nn.GELU``,
    ``nn.PReLU``, ...; not softmax or attention) or whose class is named like one."""
    if isinstance(module, HomotopyActivation) or next(module.children(), None) is not None:
        return False
    if type(module).__module__ == nn.ReLU.__module__:
        return not isinstance(module, NOT_ELEMENTWISE)
    return bool(ACTIVATION_NAME.search(type(module).__name__))


def _places(model: nn.Module):
    """Every submodule of ``model`` at every place it sits (a module reused under several
    names once per name); homotopy activations are not entered."""
    for child in model._modules.values():
        if child is not None:
            yield child
            if not isinstance(child, HomotopyActivation):
                yield from _places(child)


def activation_classes(model: nn.Module) -> dict[type, int]:
    """The activation classes of ``model`` (``is_activation``; not yet homotopy activations)
    and how many places hold one, most frequent first: what to pass as ``targets``, e.g.
    ``{nn.ReLU: 16, NewGELU: 12}`` -> ``homotopize(model, targets=(nn.ReLU, NewGELU))``."""
    counts = Counter(type(m) for m in _places(model) if is_activation(m))
    return dict(counts.most_common())


def _class_list(counts: dict[type, int]) -> str:
    return ", ".join(f"{cls.__name__} ×{n}" for cls, n in counts.items())


def functional_activations(model: nn.Module, leaf: Callable[[nn.Module], bool] = is_activation) -> Counter | None:
    """The activation functions ``model``'s forward calls directly (``F.relu(x)``,
    ``x.relu()``, ``torch.tanh(x)``), outside activation modules and the modules ``leaf``
    accepts: {"F.relu in block": 2, ...}, from one ``torch.fx`` symbolic trace (no data
    run). None where the forward cannot be traced symbolically (control flow on values)."""

    class Tracer(torch.fx.Tracer):
        def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
            return isinstance(m, HomotopyActivation) or leaf(m) or super().is_leaf_module(m, qualname)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph = Tracer().trace(model)
    except Exception:  # noqa: BLE001 - any forward fx cannot follow: not detectable cheaply
        return None
    calls = Counter()
    for node in graph.nodes:
        if node.op == "call_function" and node.target in ACTIVATION_FUNCTIONS:
            name = ACTIVATION_FUNCTIONS[node.target]
        elif node.op == "call_method" and node.target in ACTIVATION_METHODS:
            name = f"Tensor.{node.target}"
        else:
            continue
        where = list(node.meta.get("nn_module_stack") or {})
        calls[f"{name} in {where[-1]}" if where else f"{name} in the model's forward"] += 1
    return calls


def _exclusion(exclude) -> tuple[Callable[[str, nn.Module], bool], list[str]]:
    """exclude as a predicate (name, module) -> bool, and the names it lists (to check)."""
    if exclude is None:
        return (lambda name, module: False), []
    if callable(exclude):
        return exclude, []
    names = [exclude] if isinstance(exclude, str) else list(exclude)
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"homotopize: exclude must be dotted module names or a predicate (name, module) -> bool,"
                        f" got {exclude!r}")
    return (lambda name, module: any(name == n or name.startswith(n + ".") for n in names)), names


def homotopize(model: nn.Module, targets: type | Iterable[type] = (nn.ReLU,), s: float = 1.0, *,
               exclude: str | Iterable[str] | Callable[[str, nn.Module], bool] | None = None,
               check_functional: bool = True) -> dict[str, nn.Module]:
    """Replace, in place, every submodule of ``model`` that is an instance of one of
    ``targets`` (any module classes: ``nn.ReLU``, ``nn.GELU``, a model's own GELU class;
    ``activation_classes(model)`` lists a model's) by a ``HomotopyActivation`` around it (at
    ``s``; 1 keeps the model's function), in nested containers and named children alike;
    return {dotted name: the module replaced}, every name of it.

    A module reused at several places (``nn.Sequential(lin, act, lin, act)``, ``self.a2 =
    self.a1``) gets one shared homotopy activation at all of them. ``exclude`` leaves some
    alone: dotted names (a name excludes everything under it too) or a predicate
    ``(name, module) -> bool``. Activations that already are homotopy activations are left
    alone.

    Only activation *modules* can be replaced: a ``forward`` that calls activations
    functionally (``F.relu(x)``, ``x.relu()``) keeps them at s = 1. With
    ``check_functional`` one symbolic trace of the model (``torch.fx``, no data) looks for
    such calls and warns; a forward it cannot trace is not checked. ValueError if the model
    has neither a target nor a homotopy activation (nothing to schedule), saying which
    activation classes and calls it has.
    """
    targets = tuple(targets) if isinstance(targets, (tuple, list, set, frozenset)) else (targets,)
    if not targets or not all(isinstance(t, type) and issubclass(t, nn.Module) for t in targets):
        raise TypeError(f"homotopize: targets must be nn.Module classes, e.g. (nn.ReLU, nn.GELU), got {targets!r}")
    if isinstance(model, targets):
        raise TypeError("homotopize: the model itself is a target and cannot be replaced in place;"
                        " use HomotopyActivation(model) instead")
    check_s(s)
    excluded, names = _exclusion(exclude)
    unknown = set(names) - {n for n, _ in model.named_modules(remove_duplicate=False)}
    if unknown:
        raise ValueError(f"homotopize: exclude names no module of the model: {sorted(unknown)}")
    made, replaced, left = {}, {}, set()  # id of a target or of its wrapper -> the wrapper

    def visit(parent: nn.Module, prefix: str) -> None:
        for attr, child in list(parent._modules.items()):  # every name, a reused module's too
            name = prefix + attr
            if child is None:
                continue
            if excluded(name, child):
                left.add(id(child))
            elif isinstance(child, HomotopyActivation):
                if id(child) in made:  # made here, met again under another name
                    replaced[name] = child.base
            elif isinstance(child, targets):
                wrapper = made[id(child)] if id(child) in made else HomotopyActivation(child, s)
                made[id(child)] = made[id(wrapper)] = wrapper
                setattr(parent, attr, wrapper)
                replaced[name] = child
            else:
                visit(child, name + ".")

    visit(model, "")
    calls = None
    if check_functional:  # activations, targets and what exclude left are not entered
        calls = functional_activations(model, lambda m: is_activation(m) or isinstance(m, targets) or id(m) in left)
    if not replaced and not homotopy_activations(model):
        raise ValueError(_nothing_to_replace(model, targets, calls))
    if calls:
        warnings.warn(f"homotopize: the model's forward also calls activation functions, which no module swap"
                      f" reaches (they stay at s = 1): {_call_list(calls)}. Make each a module (nn.ReLU(), ...) before"
                      f" homotopize, or call HomotopyActivation(F.relu) there", stacklevel=2)
    return replaced


def _call_list(calls: Counter) -> str:
    return ", ".join(f"{where} ×{n}" for where, n in calls.items())


def _nothing_to_replace(model: nn.Module, targets: tuple, calls: Counter | None) -> str:
    """Why homotopize found nothing to replace: the model's own activation classes, and its
    functional calls (None: not traced)."""
    text = f"homotopize: the model has no {', '.join(t.__name__ for t in targets)} module to replace"
    found = activation_classes(model)
    if found:
        text += (f"; its activation modules are {_class_list(found)}: pass their classes as targets (any module"
                 f" class works), e.g. targets=({', '.join(c.__name__ for c in found)},)")
    if calls:
        text += (f"; its forward calls activation functions ({_call_list(calls)}), which are not modules and"
                 " cannot be replaced: make them modules, or call HomotopyActivation(F.relu) there")
    elif not found:
        text += "; it has no activation module" + (" and calls no activation function" if calls is not None else
                                                   " (its forward could not be traced to look for F.relu-style calls)")
    return text


def homotopy_activations(model: nn.Module) -> list[HomotopyActivation]:
    """The distinct homotopy activations of ``model`` (itself included), in module order."""
    return [m for m in model.modules() if isinstance(m, HomotopyActivation)]


def plain_state_dict(state_dict: dict) -> dict:
    """A homotopized model's state dict for the model without homotopize (whose keys it
    otherwise has): its s entries dropped. ValueError unless every s is 1, since the plain
    model is the function at s = 1."""
    for key, value in state_dict.items():
        if key.rpartition(".")[2] == S_KEY and float(value) != 1.0:
            raise ValueError(f"plain_state_dict: {key} is s = {float(value):g}; the homotopized model is not the"
                             " plain model's function there (s = 1): set_s(model, 1) first, or keep it homotopized")
    return {k: v for k, v in state_dict.items() if k.rpartition(".")[2] != S_KEY}


def set_s(model: nn.Module, s: float) -> int:
    """Set s on every homotopy activation of ``model``; return how many were set.
    ValueError if s is outside (0, 2) (nothing is changed) or the model has none."""
    s = check_s(s)
    found = homotopy_activations(model)
    if not found:
        raise ValueError("set_s: the model has no HomotopyActivation (call homotopize(model) first)")
    for act in found:
        act.s = s
    return len(found)
