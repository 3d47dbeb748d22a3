"""Homotopy schedules: ordered stages (s, epochs) with s non-decreasing."""

from dataclasses import dataclass

from hrta.activation import check_s


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
            if i and st.s < stages[i - 1].s:
                raise ValueError(f"stage {i}: s must not decrease, got {stages[i - 1].s} then {st.s}")
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

    def label(self) -> str:
        """'ReLU' for the s = 1 baseline, else 'HRTA s1→s2→...'."""
        values = [f"{st.s:g}" for st in self.stages]
        if values == ["1"]:
            return "ReLU"
        return "HRTA " + "→".join(values)

    def as_dicts(self) -> list[dict]:
        return [{"s": st.s, "epochs": st.epochs} for st in self.stages]
