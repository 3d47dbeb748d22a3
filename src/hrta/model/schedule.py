"""Homotopy schedules: ordered stages (s, length), s in (0, 2). Theorem 1 assumes s never
decreases; a decreasing schedule (e.g. 1.5 -> 1) is a valid experiment outside it, and its
label says so.

A stage's length counts epochs (the project's runs) or optimizer steps (a
``HomotopySchedule`` callback given steps). The one place that answers, at a position t
of training: which stage and s are in force, whether t is a switch (s changes there) and
whether the optimizer state is reset there; both the population trainer
(hrta.training.module) and the callback (hrta.training.callback) ask it.

Free of torch, so that config validation (and every Snakemake start) stays light.
"""

import bisect
import numbers
from dataclasses import dataclass

S_MIN, S_MAX = 0.0, 2.0
UNITS = ("epochs", "steps")


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
    """A stage length as an int: any integer (numpy's included), not a bool or a float."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value  # refused, with its stage, by Schedule


@dataclass(frozen=True)
class Stage:
    s: float
    length: int  # epochs or optimizer steps: the schedule's unit


def _stage(i: int, st, unit: str) -> Stage:
    """A Stage from a Stage, a {s, <unit>} mapping or an (s, length) pair."""
    if isinstance(st, Stage):
        return st
    if isinstance(st, dict):
        if set(st) != {"s", unit}:
            raise ValueError(f"stage {i}: expected the keys s and {unit}, got {sorted(st)}")
        return Stage(st["s"], st[unit])
    if isinstance(st, (tuple, list)) and len(st) == 2:
        return Stage(st[0], st[1])
    raise ValueError(f"stage {i}: expected {{s, {unit}}} or an (s, {unit}) pair, got {st!r}")


class Schedule:
    """An ordered list of stages; the baseline is the single stage s = 1.

    ``unit`` names what a stage's length counts ('epochs' or 'steps'); with
    ``reset_at_switch`` the optimizer state is reset at every switch.
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
                st = stages[i] = Stage(check_s(st.s), _length(st.length))
            except ValueError as err:
                raise ValueError(f"stage {i}: {err}") from None
            if isinstance(st.length, bool) or not isinstance(st.length, int) or st.length < 1:
                raise ValueError(f"stage {i}: {unit} must be a positive integer, got {st.length!r}")
        self.stages, self.unit, self.reset_at_switch = tuple(stages), unit, reset_at_switch
        self.boundaries = []  # first position of each stage
        start = 0
        for st in stages:
            self.boundaries.append(start)
            start += st.length
        self.total = start
        self.switches = frozenset(b for i, b in enumerate(self.boundaries) if i and stages[i].s != stages[i - 1].s)

    def _key(self) -> tuple:
        return self.stages, self.unit, self.reset_at_switch

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedule) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        """Deterministic (Snakemake compares a rule's parameters by their repr)."""
        stages = ", ".join(f"({st.s!r}, {st.length!r})" for st in self.stages)
        return f"Schedule([{stages}], unit={self.unit!r}, reset_at_switch={self.reset_at_switch!r})"

    def as_list(self) -> list[dict]:
        """The stages as config data, [{s, <unit>}, ...]."""
        return [{"s": st.s, self.unit: st.length} for st in self.stages]

    @property
    def s_values(self) -> list[float]:
        """Every s the schedule visits, in order of first use."""
        return list(dict.fromkeys(st.s for st in self.stages))

    def stage_at(self, t: int) -> int:
        """Index of the stage in force at position t (0-based); the last stage's afterwards."""
        return bisect.bisect_right(self.boundaries, t) - 1 if t >= 0 else 0

    def s_at(self, t: int) -> float:
        """The s in force at position t (0-based); the last stage's s afterwards."""
        return self.stages[self.stage_at(t)].s

    def is_switch(self, t: int) -> bool:
        """Whether s changes at position t: t starts a stage whose s differs from the one before."""
        return t in self.switches

    def switches_in(self, after: int, upto: int) -> list[int]:
        """The switches t with after < t <= upto, in order: those a trainer that moved from
        position ``after`` to ``upto`` has crossed (none if it did not move forward)."""
        return sorted(t for t in self.switches if after < t <= upto)

    def resets_at(self, t: int) -> bool:
        """Whether the optimizer state is reset at position t (a switch, with reset_at_switch)."""
        return self.reset_at_switch and t in self.switches

    @property
    def is_baseline(self) -> bool:
        """True for plain ReLU training: one stage with s = 1."""
        return [st.s for st in self.stages] == [1.0]

    @property
    def is_monotone(self) -> bool:
        """True when s never decreases from one stage to the next (Theorem 1's setting)."""
        return all(a.s <= b.s for a, b in zip(self.stages, self.stages[1:]))

    def label(self) -> str:
        """'ReLU' for the s = 1 baseline, else 'HRTA s1→s2→...', marked '(s decreasing)'
        outside Theorem 1's assumption."""
        if self.is_baseline:
            return "ReLU"
        return "HRTA " + "→".join(f"{st.s:g}" for st in self.stages) + ("" if self.is_monotone else " (s decreasing)")
