"""The map's path variant 'reset' (issue 30) is generated under every optimizer: under GD,
which keeps no state, it trains bit for bit as the jump; under Adam it does not."""

import dataclasses

import numpy as np

from conftest import make_run
from hrta.model.schedule import Schedule
from hrta.training.run import train_population

JUMP = [{"s": 1.0, "epochs": 20}, {"s": 1.5, "epochs": 20}]
GD = {"name": "gd", "algorithm": "gd", "lr": 0.2}
ADAM = {"name": "adam", "algorithm": "adam", "lr": 1e-2}


def _jump_and_reset(optimizer):
    jump = make_run(method="jump", schedule=JUMP, optimizer=optimizer)
    reset = dataclasses.replace(jump, method="reset", schedule=Schedule(JUMP, reset_at_switch=True))
    return jump, reset


def test_reset_trains_as_the_jump_under_gd_and_not_under_adam(sin_dataset):
    jump, reset = train_population(sin_dataset, list(_jump_and_reset(GD)))
    np.testing.assert_array_equal(jump["loss"].values, reset["loss"].values)
    np.testing.assert_array_equal(jump["final_loss"].values, reset["final_loss"].values)
    jump, reset = train_population(sin_dataset, list(_jump_and_reset(ADAM)))
    np.testing.assert_array_equal(jump["loss"].values[:21], reset["loss"].values[:21])  # up to the switch
    assert not np.array_equal(jump["loss"].values[22:], reset["loss"].values[22:])
