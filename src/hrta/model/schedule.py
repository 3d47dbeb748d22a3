"""Homotopy schedules: ordered stages (s, epochs), s in (0, 2). Theorem 1 assumes s never
decreases; a decreasing schedule (e.g. 1.5 -> 1) is a valid experiment outside it, and its
label says so.

Free of torch, so that config validation (and every Snakemake start) stays light.
"""

from dataclasses import dataclass

S_MIN, S_MAX = 0.0, 2.0


def check_s(s: float) -> float:
    """Return s as a float if it lies in the open interval (0, 2), else raise ValueError."""
    s = float(s)
    if not S_MIN < s < S_MAX:
        raise ValueError(f"homotopy parameter s must lie in (0, 2), got {s}")
    return s


@dataclass(frozen=True)
class Stage:
    s: float
    epochs: int


class Schedule:
    """An ordered list of stages; the baseline is the single stage s = 1."""

    def __init__(self, stages):
        stages = [st if isinstance(st, Stage) else Stage(float(st["s"]), st["epochs"])
                  for st in stages]
        if not stages:
            raise ValueError("a schedule needs at least one stage")
        for i, st in enumerate(stages):
            try:
                check_s(st.s)
            except ValueError as err:
                raise ValueError(f"stage {i}: {err}") from None
            if isinstance(st.epochs, bool) or not isinstance(st.epochs, int) or st.epochs < 1:
                raise ValueError(f"stage {i}: epochs must be a positive integer, got {st.epochs!r}")
        self.stages = tuple(stages)
        self.boundaries = []  # first epoch of each stage
        start = 0
        for st in stages:
            self.boundaries.append(start)
            start += st.epochs
        self.total_epochs = start

    def s_at(self, epoch: int) -> float:
        """The s in force during the given epoch (0-based); the last stage's s afterwards."""
        current = self.stages[0].s
        for start, st in zip(self.boundaries, self.stages):
            if epoch >= start:
                current = st.s
        return current

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
