"""The figure captions' phrases of a problem (hrta.reporting.words.captions)."""

from conftest import PROBLEM
from hrta.reporting.words.captions import TRAINING_LOSS, caption_params


def test_a_regression_problem_in_phrases():
    assert caption_params(PROBLEM) == {"title": "sin(2πx)", "loss": TRAINING_LOSS,
                                       "training_points": "50 grid points", "test_points": "100 grid points"}


def test_a_ritz_problem_with_redrawn_points(ci_config):
    params = caption_params(ci_config["experiments"]["poisson"]["problem"])
    assert params["training_points"] == "256 sobol points, redrawn every epoch"
    assert params["loss"] == ("Ritz energy gap, E(u*) by the quadrature of the 400 grid points (the training "
                              "points are redrawn)")
