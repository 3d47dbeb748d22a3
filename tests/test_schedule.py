import pytest

from hrta.model.schedule import Schedule


def test_boundaries_and_s_at():
    sch = Schedule([{"s": 0.5, "epochs": 3}, {"s": 1.0, "epochs": 2}])
    assert sch.total_epochs == 5
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
    assert Schedule([{"s": 1.0, "epochs": 1}, {"s": 1.0, "epochs": 1}]).total_epochs == 2


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
