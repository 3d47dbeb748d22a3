import pytest

from hrta.model.schedule import Schedule


def test_boundaries_and_s_at():
    sch = Schedule([{"s": 0.5, "epochs": 3}, {"s": 1.0, "epochs": 2}])
    assert sch.total == 5
    assert [sch.s_at(e) for e in range(6)] == [0.5, 0.5, 0.5, 1.0, 1.0, 1.0]
    assert sch.label() == "HRTA 0.5→1"


def test_baseline_label():
    assert Schedule([{"s": 1.0, "epochs": 10}]).label() == "ReLU"


def test_decreasing_schedule_is_allowed_and_labelled():
    """1.5 -> 1 is a valid experiment outside Theorem 1's assumption (s non-decreasing)."""
    down = Schedule([{"s": 1.5, "epochs": 2}, {"s": 1.0, "epochs": 2}])
    assert [down.s_at(e) for e in range(4)] == [1.5, 1.5, 1.0, 1.0]
    assert not down.is_monotone and down.label() == "HRTA 1.5→1 (s decreasing)"
    assert Schedule([{"s": 0.5, "epochs": 1}, {"s": 1.0, "epochs": 1}]).is_monotone


def test_equal_s_allowed():
    assert Schedule([{"s": 1.0, "epochs": 1}, {"s": 1.0, "epochs": 1}]).total == 2


@pytest.mark.parametrize("stages, match", [
    ([], "at least one stage"),
    ([{"s": 2.0, "epochs": 2}], r"\(0, 2\)"),
    ([{"s": 0.0, "epochs": 2}], r"\(0, 2\)"),
    ([{"s": 1.0, "epochs": 0}], "positive integer"),
    ([{"s": 1.0, "epochs": 2.5}], "positive integer"),
])
def test_invalid_schedules(stages, match):
    with pytest.raises(ValueError, match=match):
        Schedule(stages)


def test_stages_switches_and_resets():
    """The one stage-switch logic of the population trainer and the HomotopySchedule callback."""
    sch = Schedule([{"s": 0.5, "epochs": 3}, {"s": 0.5, "epochs": 2}, {"s": 1.5, "epochs": 1}])
    assert [sch.stage_at(t) for t in range(-1, 8)] == [0, 0, 0, 0, 1, 1, 2, 2, 2]
    assert sch.boundaries == [0, 3, 5] and sch.total == 6
    assert [t for t in range(8) if sch.is_switch(t)] == [5]  # s changes at 5 only, not at 3
    assert not any(sch.resets_at(t) for t in range(8))
    reset = Schedule(sch.stages, reset_at_switch=True)
    assert [t for t in range(8) if reset.resets_at(t)] == [5]


def test_steps_and_pairs():
    sch = Schedule([(0.5, 4), (1.0, 2)], unit="steps")
    assert sch.unit == "steps" and sch.total == 6 and sch.s_at(3) == 0.5 and sch.s_at(4) == 1.0
    assert Schedule([{"s": 0.5, "steps": 4}], unit="steps").stages == Schedule([(0.5, 4)]).stages
    with pytest.raises(ValueError, match="keys s and epochs"):
        Schedule([{"s": 0.5, "steps": 4}])
    with pytest.raises(ValueError, match="unit must be one of"):
        Schedule([(0.5, 4)], unit="batches")
