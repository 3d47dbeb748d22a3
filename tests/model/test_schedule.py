import math

import pytest

from hrta.model.schedule import Course, Schedule


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
    """The one switch logic of the population trainer and the HomotopySchedule callback."""
    sch = Schedule([{"s": 0.5, "epochs": 3}, {"s": 0.5, "epochs": 2}, {"s": 1.5, "epochs": 1}])
    assert [sch.stage_at(t) for t in range(-1, 8)] == [0, 0, 0, 0, 1, 1, 2, 2, 2]
    assert sch.boundaries == [0, 3, 5] and sch.total == 6
    course = Course(sch)
    assert [t for t in range(8) if course.is_switch(t)] == [5]  # s changes at 5 only, not at 3
    assert not any(course.resets_at(t) for t in range(8))
    reset = Course(Schedule(sch.stages, reset_at_switch=True))
    assert [t for t in range(8) if reset.resets_at(t)] == [5] and reset.switches_in(-1, 8) == [5]


def test_steps_and_pairs():
    sch = Schedule([(0.5, 4), (1.0, 2)], unit="steps")
    assert sch.unit == "steps" and sch.total == 6 and sch.s_at(3) == 0.5 and sch.s_at(4) == 1.0
    assert Schedule([{"s": 0.5, "steps": 4}], unit="steps").stages == Schedule([(0.5, 4)]).stages
    with pytest.raises(ValueError, match="keys s and epochs"):
        Schedule([{"s": 0.5, "steps": 4}])
    with pytest.raises(ValueError, match="unit must be one of"):
        Schedule([(0.5, 4)], unit="batches")


# --- ramps, plateaus and the open last stage

RAMP = [{"s": 0.5, "epochs": 3}, {"ramp": 1.5, "epochs": 5}, {"s": 1.5, "epochs": 2}]


@pytest.mark.parametrize("shape, f", [("linear", lambda x: x), ("cosine", lambda x: (1 - math.cos(math.pi * x)) / 2)])
def test_a_ramps_s_at_every_position_is_the_closed_form(shape, f):
    """s0 + (s1 - s0) f((u + 1) / L) at the ramp's u-th position: its last position and all
    after it hold s1 exactly; its start is the one switch (and reset), whatever the unit."""
    for unit in ("epochs", "steps"):
        stages = [{k if k != "epochs" else unit: v for k, v in st.items()} for st in RAMP]
        stages[1]["shape"] = shape
        course = Course(Schedule(stages, unit=unit, reset_at_switch=True))
        expected = [0.5] * 3 + [0.5 + (1.5 - 0.5) * f((u + 1) / 5) for u in range(5)] + [1.5] * 4
        assert [course.s_at(t) for t in range(12)] == pytest.approx(expected, abs=1e-15)
        assert course.s_at(7) == 1.5 and course.s_at(3) > 0.5
        assert [t for t in range(12) if course.resets_at(t)] == [3] and course.switches_in(-1, 20) == [3]
        assert [course.next_change(t) for t in (0, 2, 3, 6, 7, 9)] == [3, 3, 4, 7, 8, math.inf]
    cosine = Course(Schedule(RAMP[:1] + [{"ramp": 1.5, "epochs": 4, "shape": "cosine"}]))
    assert [cosine.s_at(t) for t in range(3, 7)] == pytest.approx([0.6464466, 1.0, 1.3535534, 1.5])


def plateau_schedule(**over) -> Schedule:
    """A 5-epoch hold at s = 0.5, then 0.5 until the plateau, a 2-epoch ramp to 1, then 1."""
    plateau = {"tol": 0.01, "window": 3, "min_epochs": 4, "max_epochs": 30, **over}
    return Schedule([(0.5, 5), {"s": 0.5, "plateau": plateau}, {"ramp": 1.0, "epochs": 2}, (1.0, 10)],
                    reset_at_switch=True)


def replay(schedule: Schedule, losses) -> Course:
    """A course given the loss of each epoch at its end, as the trainers give it."""
    course = Course(schedule)
    for t, loss in enumerate(losses):
        if course.watching(t):
            course.observe(t, loss)
    return course


def test_a_plateau_fires_where_the_loss_stops_improving():
    """The loss falls 10% an epoch until epoch 14, then 0.1%: the first epoch t whose loss is
    within 1% of the loss 3 epochs before is 17 (its window 14..17 flat), so the ramp starts
    at 18 (a switch, with its reset) and the hold at 20."""
    losses = [0.9 ** t for t in range(15)] + [0.9 ** 14 * 0.999 ** (t - 14) for t in range(15, 60)]
    course = replay(plateau_schedule(), losses)
    assert course.starts == [0, 5, 18, 20] and course.fired == {1: 13}
    assert [course.s_at(t) for t in (17, 18, 19, 20)] == [0.5, 0.75, 1.0, 1.0]
    assert [t for t in range(60) if course.resets_at(t)] == [18]
    assert not course.watching(17)  # decided
    with pytest.raises(ValueError, match="no plateau still to fire"):
        course.observe(18, 1.0)


@pytest.mark.parametrize("losses, min_epochs, start", [
    ([1.0] * 60, 12, 5 + 12),  # flat from the start: not before min_epochs
    ([1.0] * 60, 2, 5 + 4),  # ... which the window (3 epochs apart, both in the stage) bounds too
    ([0.5 ** t for t in range(60)], 4, 5 + 30),  # never flat: at max_epochs
    ([math.nan] * 60, 4, 5 + 30),  # a non-finite loss never improves by less than tol
    ([1.0] * 8 + [math.inf] * 52, 4, 5 + 30),
    ([-1.0, -1.0] * 30, 4, 5 + 4),  # a negative loss (a Ritz gap below 0) compares by |L|
])
def test_a_plateau_fires_not_before_min_epochs_and_at_max_epochs_at_the_latest(losses, min_epochs, start):
    course = replay(plateau_schedule(min_epochs=min_epochs), losses)
    assert course.starts[2] == start


def test_a_course_resumes_from_its_state():
    losses = [0.9 ** t for t in range(15)] + [0.9 ** 14] * 45
    whole = replay(plateau_schedule(), losses)
    first = replay(plateau_schedule(), losses[:12])
    resumed = Course(plateau_schedule())
    resumed.load_state_dict(first.state_dict())
    for t in range(12, 60):
        if resumed.watching(t):
            resumed.observe(t, losses[t])
    assert resumed.starts == whole.starts and resumed.state_dict() == whole.state_dict()


def test_the_nominal_schedule_and_the_open_last_stage():
    sched = plateau_schedule()
    assert sched.total == 5 + 30 + 2 + 10 and sched.boundaries == [0, 5, 35, 37] and sched.has_plateau
    assert sched.s_at(34) == 0.5 and sched.s_at(36) == 1.0  # as if the plateau ran to max_epochs
    assert sched.s_values == [0.5, 1.0]
    open_ = Schedule([(0.5, 3), {"ramp": 1.5, "epochs": 2}, {"s": 1.5}])
    assert open_.total is None and open_.as_list()[-1] == {"s": 1.5}
    closed = open_.closed(10)
    assert closed.total == 10 and closed.as_list()[-1] == {"s": 1.5, "epochs": 5} and closed.closed(7) is closed
    with pytest.raises(ValueError, match="leaving none of 5 to the last stage"):
        open_.closed(5)


def test_repr_eq_and_hash_tell_the_kinds_apart():
    stage = Schedule([(0.5, 3), (1.5, 2)])
    assert repr(stage) == "Schedule([(0.5, 3), (1.5, 2)], unit='epochs', reset_at_switch=False)"  # as before
    kinds = [stage, Schedule([(0.5, 3), {"ramp": 1.5, "epochs": 2}]),
             Schedule([(0.5, 3), {"ramp": 1.5, "epochs": 2, "shape": "cosine"}]), plateau_schedule(),
             plateau_schedule(tol=0.02), Schedule([(0.5, 3), {"s": 1.5}])]
    assert len({repr(k) for k in kinds}) == len(set(kinds)) == len(kinds)
    for k in kinds:
        assert Schedule(k.as_list(), reset_at_switch=k.reset_at_switch) == k
        assert eval(repr(k), {"Schedule": Schedule}) == k  # the repr rebuilds it


@pytest.mark.parametrize("stages, label", [
    ([(0.5, 3), (1.0, 2)], "HRTA 0.5→1"),
    ([(0.5, 3), {"ramp": 1.0, "epochs": 500}, {"s": 1.0}], "HRTA 0.5⇢1 (ramp 500)"),
    ([(0.5, 3), {"ramp": 1.0, "epochs": 500, "shape": "cosine"}], "HRTA 0.5⇢1 (cosine ramp 500)"),
    ([(0.5, 3), {"ramp": 1.0, "epochs": 5}, (1.0, 2), {"ramp": 1.5, "epochs": 3, "shape": "cosine"}],
     "HRTA 0.5⇢1⇢1.5 (ramps 5, cosine 3)"),
    ([(0.5, 3), {"ramp": 1.0, "epochs": 5}, (1.5, 2)], "HRTA 0.5⇢1→1.5 (ramp 5)"),
    ([{"s": 0.5, "plateau": {"tol": 1e-3, "window": 100, "min_epochs": 1, "max_epochs": 900}}, {"s": 1.0}],
     "HRTA 0.5→1 (on plateau: 0.1% in 100 epochs)"),
    ([{"s": 0.5, "plateau": {"tol": 1e-3, "window": 100, "min_epochs": 1, "max_epochs": 900}},
      {"ramp": 1.0, "epochs": 50}, {"s": 1.0}], "HRTA 0.5⇢1 (on plateau: 0.1% in 100 epochs, ramp 50)"),
    ([(1.5, 3), {"ramp": 1.0, "epochs": 4}], "HRTA 1.5⇢1 (ramp 4, s decreasing)"),
])
def test_labels_say_what_sets_a_schedule_apart(stages, label):
    assert Schedule(stages).label() == label


def test_a_reset_at_the_switch_is_in_the_label_so_that_tables_tell_it_from_the_jump():
    assert Schedule([(0.5, 3), (1.0, 2)], reset_at_switch=True).label() == "HRTA 0.5→1 (optimizer state reset)"
    assert (Schedule([(1.5, 3), (1.0, 2)], reset_at_switch=True).label()
            == "HRTA 1.5→1 (s decreasing, optimizer state reset)")
    assert Schedule([(1.5, 5)], reset_at_switch=True).label() == "HRTA 1.5"  # no switch, nothing reset
    assert Schedule([(1.0, 5)], reset_at_switch=True).label() == "ReLU"


PLATEAU = {"tol": 0.01, "window": 3, "min_epochs": 4, "max_epochs": 30}


@pytest.mark.parametrize("stages, unit, match", [
    ([{"ramp": 1.0, "epochs": 2}, (1.0, 1)], "epochs", "stage 0: .*the first stage cannot be one"),
    ([(0.5, 2), {"ramp": 0.5, "epochs": 2}], "epochs", "stage 1: a ramp to s = 0.5 from the stage before it at"),
    ([(0.5, 2), {"ramp": 1.0, "epochs": 2, "shape": "square"}], "epochs", "shape must be one of"),
    ([(0.5, 2), {"ramp": 1.0}], "epochs", "a ramp has the keys ramp and epochs"),
    ([(0.5, 2), {"ramp": 1.0, "epochs": 0}], "epochs", "stage 1: epochs must be a positive integer"),
    ([(0.5, 2), {"ramp": 2.0, "epochs": 2}], "epochs", r"\(0, 2\)"),
    ([(0.5, 2), {"s": 1.0, "plateau": PLATEAU}], "epochs", "stage 1: a plateau ends the stage"),
    ([{"s": 0.5, "plateau": PLATEAU}, (1.0, 2)], "steps", "a schedule in steps has none"),
    ([{"s": 0.5, "plateau": {**PLATEAU, "window": 30}}, (1.0, 2)], "epochs", "window 30 must be below max_epochs"),
    ([{"s": 0.5, "plateau": {**PLATEAU, "min_epochs": 31}}, (1.0, 2)], "epochs", "min_epochs 31 exceeds"),
    ([{"s": 0.5, "plateau": {**PLATEAU, "tol": -1}}, (1.0, 2)], "epochs", "tol must be a positive number"),
    ([{"s": 0.5, "plateau": {**PLATEAU, "tol": "1e-3"}}, (1.0, 2)], "epochs", "tol must be a positive number"),
    ([{"s": 0.5, "plateau": {**PLATEAU, "window": 2.0}}, (1.0, 2)], "epochs", "window must be a positive integer"),
    ([{"s": 0.5, "plateau": {"tol": 0.1}}, (1.0, 2)], "epochs", "plateau needs the keys tol, window"),
    ([{"s": 0.5, "epochs": 2, "plateau": PLATEAU}, (1.0, 2)], "epochs", "a plateau stage has the keys s and plateau"),
    ([{"s": 0.5}, (1.0, 2)], "epochs", "only the last stage may leave out its epochs"),
])
def test_invalid_kinds_are_refused_naming_the_stage(stages, unit, match):
    with pytest.raises(ValueError, match=match):
        Schedule(stages, unit=unit)


def test_only_held_stages_of_fixed_length_are_stepwise():
    """The kernel prediction (hrta.theory.linearised) takes these only."""
    held = Schedule([{"s": 0.5, "epochs": 5}, {"s": 1.0, "epochs": 5}])
    ramp = Schedule([{"s": 0.5, "epochs": 5}, {"ramp": 1.0, "epochs": 3}, {"s": 1.0, "epochs": 2}])
    plateau = Schedule([{"s": 0.5, "plateau": {"tol": 1e-3, "window": 2, "min_epochs": 3, "max_epochs": 5}},
                        {"s": 1.0, "epochs": 5}])
    assert [sch.is_stepwise for sch in (held, ramp, plateau)] == [True, False, False]
