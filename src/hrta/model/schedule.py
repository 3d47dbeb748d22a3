"""Homotopy schedules: ordered stages, s in (0, 2). A stage holds s for a length (the paper's
stages), ramps s from the previous stage's s to its own over a length (linearly or by a
cosine), or holds s until the training loss plateaus. After the last stage its s stays.
Theorem 1 assumes s never decreases; a decreasing schedule (e.g. 1.5 -> 1) is a valid
experiment outside it, and its label says so.

A length counts epochs (the project's runs) or optimizer steps (a ``HomotopySchedule``
callback given steps). A plateau is decided at the end of an epoch, so it counts epochs and
a schedule in steps has none.

``Schedule`` describes; a ``Course`` is one training's way through it: where each stage
starts (after a plateau: where it fired), the s at each position, whether a position is a
switch (s changes there) and whether the optimizer state is reset there. The population
trainer (hrta.training.module, one course per member) and the callback
(hrta.training.callback) both ask it.

Free of torch, so that config validation (and every Snakemake start) stays light.
"""

import bisect
import math
import numbers
from dataclasses import dataclass

S_MIN, S_MAX = 0.0, 2.0
UNITS = ("epochs", "steps")
SHAPES = ("linear", "cosine")
PLATEAU_KEYS = ("tol", "window", "min_epochs", "max_epochs")


def check_s(s: float) -> float:
    """Return s as a float if it lies in the open interval (0, 2), else raise ValueError
    (also for a bool or a string, which float() would take)."""
    if isinstance(s, (bool, str)):
        raise ValueError(f"homotopy parameter s must be a number in (0, 2), got {s!r}")
    s = float(s)
    if not S_MIN < s < S_MAX:
        raise ValueError(f"homotopy parameter s must lie in (0, 2), got {s}")
    return s


def check_flag(value, name: str) -> bool:
    """Return value as a bool if it is one (Python's or numpy's), else raise ValueError: a
    string such as 'no' or 'false' is refused rather than taken as true."""
    if isinstance(value, bool) or (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")):
        return bool(value)
    raise ValueError(f"{name} must be True or False, got {value!r}")


def _length(value):
    """A length as an int: any integer (numpy's included), not a bool or a float."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value  # refused, with its stage, by the caller


def _positive(value, name: str) -> int:
    value = _length(value)
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


@dataclass(frozen=True)
class Plateau:
    """Switch once the training loss L improves by less than ``tol`` (relative) over
    ``window`` epochs of the stage, L[t - window] - L[t] < tol |L[t - window]|, evaluated at
    the end of each epoch t; the stage lasts at least ``min_epochs`` and at most
    ``max_epochs`` epochs."""

    tol: float
    window: int
    min_epochs: int
    max_epochs: int

    @classmethod
    def of(cls, value) -> "Plateau":
        """From a Plateau or a {tol, window, min_epochs, max_epochs} mapping; ValueError
        naming what is wrong."""
        if isinstance(value, Plateau):
            value = {key: getattr(value, key) for key in PLATEAU_KEYS}
        if not isinstance(value, dict) or set(value) != set(PLATEAU_KEYS):
            got = sorted(value) if isinstance(value, dict) else repr(value)
            raise ValueError(f"plateau needs the keys {', '.join(PLATEAU_KEYS)}, got {got}")
        tol = value["tol"]
        if isinstance(tol, (bool, str)) or not isinstance(tol, numbers.Real) or not 0 < tol < math.inf:
            raise ValueError(f"plateau tol must be a positive number, got {tol!r}")
        window, low, high = (_positive(value[key], f"plateau {key}") for key in PLATEAU_KEYS[1:])
        if low > high:
            raise ValueError(f"plateau min_epochs {low} exceeds max_epochs {high}")
        if window >= high:
            raise ValueError(f"plateau window {window} must be below max_epochs {high} (the criterion compares"
                             " the loss of epochs window apart inside the stage)")
        return cls(float(tol), window, low, high)

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in PLATEAU_KEYS}


@dataclass(frozen=True)
class Stage:
    """s held for ``length`` positions (None: the last stage, to the end), or a ramp to s over
    ``length`` (``shape`` 'linear' or 'cosine'), or s held until its ``plateau`` fires."""

    s: float  # held, or the ramp's end
    length: int | None  # epochs or optimizer steps: the schedule's unit
    shape: str | None = None
    plateau: Plateau | None = None

    @property
    def nominal(self) -> int | None:
        """The length; a plateau's longest (max_epochs)."""
        return self.plateau.max_epochs if self.plateau else self.length

    def as_dict(self, unit: str) -> dict:
        """The stage as config data."""
        if self.shape:
            return {"ramp": self.s, unit: self.length, "shape": self.shape}
        if self.plateau:
            return {"s": self.s, "plateau": self.plateau.as_dict()}
        return {"s": self.s} if self.length is None else {"s": self.s, unit: self.length}


def _keys(i: int, st: dict, required: tuple, optional: tuple, what: str) -> None:
    if not set(required) <= set(st) <= {*required, *optional}:
        more = f" (and optionally {', '.join(optional)})" if optional else ""
        raise ValueError(f"stage {i}: {what} has the keys {' and '.join(required)}{more}, got {sorted(st)}")


def _stage(i: int, st, unit: str) -> Stage:
    """A Stage from a Stage, an (s, length) pair or a mapping: {s, <unit>} (the last stage may
    leave out <unit>), {ramp, <unit>, shape} or {s, plateau}."""
    if isinstance(st, Stage):
        return st
    if isinstance(st, dict):
        if "ramp" in st:
            _keys(i, st, ("ramp", unit), ("shape",), "a ramp")
            return Stage(st["ramp"], st[unit], st.get("shape", "linear"))
        if "plateau" in st:
            _keys(i, st, ("s", "plateau"), (), "a plateau stage")
            return Stage(st["s"], None, plateau=st["plateau"])
        if not {"s"} <= set(st) <= {"s", unit}:
            raise ValueError(f"stage {i}: expected the keys s and {unit} (the last stage may leave out {unit}),"
                             f" ramp and {unit}, or s and plateau; got {sorted(st)}")
        return Stage(st["s"], st.get(unit))
    if isinstance(st, (tuple, list)) and len(st) == 2:
        return Stage(st[0], st[1])
    raise ValueError(f"stage {i}: expected a mapping or an (s, {unit}) pair, got {st!r}")


def _checked(i: int, st: Stage, stages: list, unit: str) -> Stage:
    """The stage with its s, length, shape and plateau checked in its place."""
    last = i == len(stages) - 1
    s = check_s(st.s)
    if st.shape is not None:
        if st.shape not in SHAPES:
            raise ValueError(f"ramp shape must be one of {SHAPES}, got {st.shape!r}")
        if i == 0:
            raise ValueError("a ramp starts from the s of the stage before it: the first stage cannot be one")
        if check_s(stages[i - 1].s) == s:
            raise ValueError(f"a ramp to s = {s:g} from the stage before it at the same s")
        return Stage(s, _positive(st.length, unit), st.shape)
    if st.plateau is not None:
        if unit != "epochs":
            raise ValueError("a plateau is decided at the end of an epoch: a schedule in steps has none")
        if last:
            raise ValueError("a plateau ends the stage: a stage must follow it")
        return Stage(s, None, plateau=Plateau.of(st.plateau))
    if st.length is None and last:
        return Stage(s, None)
    if st.length is None:
        raise ValueError(f"only the last stage may leave out its {unit}")
    return Stage(s, _positive(st.length, unit))


class Schedule:
    """An ordered list of stages; the baseline is the single stage s = 1.

    ``unit`` names what a length counts ('epochs' or 'steps'); with ``reset_at_switch`` the
    optimizer state is reset at every switch: where a stage starts whose s differs from the
    position before (a held s that changes, the start of a ramp, a plateau that fires).
    ``total`` is the length with every plateau at its max_epochs (the run's epochs), None
    while the last stage is open (lasts to the end of training).
    """

    def __init__(self, stages, unit: str = "epochs", reset_at_switch: bool = False):
        if unit not in UNITS:
            raise ValueError(f"schedule unit must be one of {UNITS}, got {unit!r}")
        reset_at_switch = check_flag(reset_at_switch, "reset_at_switch")
        stages = [_stage(i, st, unit) for i, st in enumerate(stages)]
        if not stages:
            raise ValueError("a schedule needs at least one stage")
        for i, st in enumerate(stages):
            try:
                stages[i] = _checked(i, st, stages, unit)
            except ValueError as err:
                raise ValueError(f"stage {i}: {err}") from None
        self.stages, self.unit, self.reset_at_switch = tuple(stages), unit, reset_at_switch
        lengths = [st.nominal for st in stages]
        self.total = None if lengths[-1] is None else sum(lengths)
        self._nominal = Course(self)

    def _key(self) -> tuple:
        return self.stages, self.unit, self.reset_at_switch

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedule) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        """Deterministic (Snakemake compares a rule's parameters by their repr)."""
        stages = ", ".join(repr(st.as_dict(self.unit)) if st.shape or st.length is None
                           else f"({st.s!r}, {st.length!r})" for st in self.stages)
        return f"Schedule([{stages}], unit={self.unit!r}, reset_at_switch={self.reset_at_switch!r})"

    def as_list(self) -> list[dict]:
        """The stages as config data: {s, <unit>}, {s} (open), {ramp, <unit>, shape}, {s, plateau}."""
        return [st.as_dict(self.unit) for st in self.stages]

    def closed(self, total: int) -> "Schedule":
        """This schedule with its open last stage lasting to ``total`` (itself if none is
        open); ValueError if that leaves the last stage no position."""
        if self.total is not None:
            return self
        rest = total - sum(st.nominal for st in self.stages[:-1])
        if rest < 1:
            raise ValueError(f"the stages before the last take {total - rest} {self.unit} (every plateau at its"
                             f" max_epochs), leaving none of {total} to the last stage")
        return Schedule([*self.stages[:-1], Stage(self.stages[-1].s, rest)], self.unit, self.reset_at_switch)

    @property
    def s_values(self) -> list[float]:
        """Every s the schedule holds or ramps to, in order of first use (not a ramp's way)."""
        return list(dict.fromkeys(st.s for st in self.stages))

    @property
    def has_plateau(self) -> bool:
        return any(st.plateau for st in self.stages)

    @property
    def is_stepwise(self) -> bool:
        """True when every stage holds its s for a fixed number of epochs (no ramp, no plateau)."""
        return not self.has_plateau and not any(st.shape for st in self.stages)

    # a position's stage and s with every plateau at its max_epochs (exact without plateaus)

    @property
    def boundaries(self) -> list[int]:
        """The first position of each stage."""
        return list(self._nominal.starts)

    def stage_at(self, t: int) -> int:
        """Index of the stage in force at position t (0-based); the last stage's afterwards."""
        return self._nominal.stage_at(t)

    def s_at(self, t: int) -> float:
        """The s in force at position t (0-based); the last stage's s afterwards."""
        return self._nominal.s_at(t)

    @property
    def is_baseline(self) -> bool:
        """True for plain ReLU training: one stage with s = 1."""
        return [st.s for st in self.stages] == [1.0]

    @property
    def is_monotone(self) -> bool:
        """True when s never decreases from one stage to the next (Theorem 1's setting)."""
        return all(a.s <= b.s for a, b in zip(self.stages, self.stages[1:]))

    def label(self) -> str:
        """'ReLU' for the s = 1 baseline, else 'HRTA' and the s of the stages, '→' before a
        held s, '⇢' before a ramp's end (the held s after a ramp to it is not repeated),
        then what sets the schedule apart: '(ramp 500)', '(cosine ramp 500)', '(on plateau:
        0.1% in 100 epochs)', '(s decreasing)' outside Theorem 1's assumption, '(optimizer
        state reset)' with reset_at_switch."""
        if self.is_baseline:
            return "ReLU"
        path, ramps, plateaus = f"{self.stages[0].s:g}", [], []
        for before, st in zip(self.stages, self.stages[1:]):
            if st.shape:
                path += f"⇢{st.s:g}"
                ramps.append((st.shape, st.length))
            elif not (before.shape and before.s == st.s):
                path += f"→{st.s:g}"
        for st in self.stages:
            if st.plateau:
                plateaus.append(f"{100 * st.plateau.tol:g}% in {st.plateau.window} epochs")
        notes = []
        if plateaus:
            notes.append("on plateau: " + ", ".join(dict.fromkeys(plateaus)))
        if len(ramps) == 1:
            notes.append(f"{'cosine ' * (ramps[0][0] == 'cosine')}ramp {ramps[0][1]}")
        elif ramps:
            notes.append("ramps " + ", ".join(f"{'cosine ' * (shape == 'cosine')}{n}" for shape, n in ramps))
        if not self.is_monotone:
            notes.append("s decreasing")
        if self.reset_at_switch and len(set(self.s_values)) > 1:
            notes.append("optimizer state reset")
        return f"HRTA {path}" + (f" ({', '.join(notes)})" if notes else "")


class Course:
    """One training's way through a schedule: the first position of each stage (``starts``;
    a plateau that has not fired counts at its max_epochs) and the losses the plateau in
    force has seen. ``observe`` gives it each epoch's loss during a plateau; the rest asks
    where training stands."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self.fired = {}  # plateau stage -> the epochs it lasted
        self.losses = []  # the last window + 1 losses of the plateau in force
        self._place()

    def _place(self) -> None:
        self.starts = [0]
        for i, st in enumerate(self.schedule.stages[:-1]):
            self.starts.append(self.starts[-1] + self.fired.get(i, st.nominal))
        self._start_set = frozenset(self.starts[1:])

    def stage_at(self, t: int) -> int:
        """Index of the stage in force at position t (0-based); the last stage's afterwards."""
        return bisect.bisect_right(self.starts, t) - 1 if t >= 0 else 0

    def s_at(self, t: int) -> float:
        """The s in force at position t: a ramp of length L from s0 to s1 gives its u-th
        position (u = 0..L-1) s0 + (s1 - s0) f((u + 1) / L), f(x) = x (linear) or
        (1 - cos(pi x)) / 2 (cosine), so its last position and all after it hold s1."""
        i = self.stage_at(t)
        st = self.schedule.stages[i]
        if not st.shape or t - self.starts[i] >= st.length - 1:
            return st.s
        x = (t - self.starts[i] + 1) / st.length
        s0 = self.schedule.stages[i - 1].s
        return s0 + (st.s - s0) * (x if st.shape == "linear" else (1 - math.cos(math.pi * x)) / 2)

    def is_switch(self, t: int) -> bool:
        """Whether a stage starts at t with an s that differs from the position before."""
        return t in self._start_set and self.s_at(t) != self.s_at(t - 1)

    def switches_in(self, after: int, upto: int) -> list[int]:
        """The switches t with after < t <= upto, in order: those a trainer that moved from
        position ``after`` to ``upto`` has crossed (none if it did not move forward)."""
        return [t for t in self.starts[1:] if after < t <= upto and self.is_switch(t)]

    def resets_at(self, t: int) -> bool:
        """Whether the optimizer state is reset at position t (a switch, with reset_at_switch)."""
        return self.schedule.reset_at_switch and self.is_switch(t)

    def next_change(self, t: int) -> float:
        """The first position after t where s may change or a stage starts (inf if none)."""
        i = self.stage_at(t)
        st = self.schedule.stages[i]
        if st.shape and t + 1 < self.starts[i] + st.length:
            return t + 1
        return self.starts[i + 1] if i + 1 < len(self.starts) else math.inf

    def watching(self, t: int) -> bool:
        """Whether position t lies in a plateau that has not fired: its epoch's loss is wanted."""
        i = self.stage_at(t)
        return self.schedule.stages[i].plateau is not None and i not in self.fired

    def observe(self, t: int, loss: float) -> bool:
        """At the end of epoch t of a plateau not yet fired (``watching``), its loss; True if
        the plateau fires now (the next stage starts at t + 1): past min_epochs once the loss
        has improved by less than tol over the window (a non-finite loss never has), at
        max_epochs in any case."""
        i = self.stage_at(t)
        if not self.watching(t):
            raise ValueError(f"epoch {t} is in no plateau still to fire (stage {i})")
        plateau, done = self.schedule.stages[i].plateau, t - self.starts[i] + 1
        self.losses = [*self.losses, float(loss)][-(plateau.window + 1):]
        old, new = self.losses[0], self.losses[-1]
        flat = len(self.losses) > plateau.window and math.isfinite(old - new) and old - new < plateau.tol * abs(old)
        if done < plateau.max_epochs and not (done >= plateau.min_epochs and flat):
            return False
        self.fired[i], self.losses = done, []
        self._place()
        return True

    def state_dict(self) -> dict:
        """The plateaus fired and the losses seen: what a resumed training needs."""
        return {"fired": dict(self.fired), "losses": list(self.losses)}

    def load_state_dict(self, state: dict) -> None:
        self.fired = {int(i): int(n) for i, n in state["fired"].items()}
        self.losses = [float(v) for v in state["losses"]]
        self._place()
