"""Toward the kernel limit in words (hrta.reporting.words.kernel_limit)."""

from conftest import width_series
from hrta.reporting.words import kernel_limit


def test_sentences_say_whether_training_comes_closer_to_the_kernel():
    closer = kernel_limit.sentences(width_series([2.0, 3.0], [4.0, 3.5]))
    assert closer == ["- HRTA 0.5→1 under GD: ReLU/HRTA final loss 2 trained against 4 predicted at m = 20, "
                      "3 against 3.5 at m = 200: the trained advantage is closer to the kernel's at the largest width."]
    farther = kernel_limit.sentences(width_series([2.0, 1.0], [2.5, 3.5]))
    assert "is not closer to the kernel's" in farther[0]


def test_section_names_optimizer_experiment_seeds_and_kernel():
    lines = kernel_limit.section(width_series([2.0, 3.0, 3.0], [4.0, 3.5, 3.2], widths=(20, 200, 2000)))
    assert lines[:2] == ["## Toward the kernel limit", ""]
    assert "Under gd on sin1d, the ratio ReLU/HRTA of the final training loss (median over 2 seeds)" in lines[2]
    assert "(analytic kernel, same epochs, lr and switches):" in lines[2] and lines[4].startswith("- HRTA 0.5→1")
