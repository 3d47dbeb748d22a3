"""Theorem 1 in words (hrta.reporting.words.theorem1): the table per experiment, a sentence
per kernel part and the bottom line."""

from hrta.reporting.words import theorem1

S = [0.5, 1.0, 1.5]


def _row(lam, verdict="holds", level=1e-14):
    return {"s": S, "lambda_min": lam, "lambda_max": [10.0] * 3, "rounding_level": [level] * 3, "verdict": verdict}


def _theory(fine: dict, finite_lam):
    entry = {"n_train": 100, "n_used": 40, "s": [0.5 + 0.05 * k for k in range(21)],
             "parts": {"output": fine},
             "at_s": {"output": {"infinite": _row([1e-6, 4e-6, 9e-6]), "50": _row(finite_lam)}}}
    return {"tolerance": 1e-10, "experiments": {"exp": entry}}


def test_a_part_that_holds_grows_like_s_squared():
    theory = _theory({"verdict": "holds", "decreasing_steps": [], "unresolved_s": []}, [2e-6, 4e-6, 6e-6])
    lines = theorem1.section(theory)
    assert "n = 40 training points of 100; fine grid: 21 values of s from 0.5 to 1.5." in lines
    assert "| output | ∞ | 1e-06 | 4e-06 | 9e-06 | 0.25 | 2.25 | 1e+07 | 2.5e+06 | 1.11e+06 | holds |" in lines
    (sentence,) = [line for line in lines if line.startswith("- *output*")]
    assert "from 1e-06 at s = 0.5 to 9e-06 at s = 1.5, in proportion to s²" in sentence
    assert sentence.endswith("so Theorem 1 holds here; at m = 50 at initialisation λ_min does not decrease over "
                             "these s, growing like s^1.")
    assert theorem1.bottom_line(theory).startswith("Theorem 1, λ_min of the infinite-width Gram matrix non-decreasing "
                                                   "in s: holds for 1 of 1 experiment × kernel-part combinations.")


def test_a_failing_part_names_its_first_decrease_and_the_bottom_line_the_part():
    fine = {"verdict": "fails", "decreasing_steps": [[0.6, 0.65], [0.9, 0.95]], "unresolved_s": []}
    theory = _theory(fine, [1e-15] * 3)
    lines = theorem1.section(theory)
    assert "| output | m = 50 | rounding | rounding | rounding | – | – | > 1e+15 | > 1e+15 | > 1e+15 | holds |" in lines
    (sentence,) = [line for line in lines if line.startswith("- *output*")]
    assert "it decreases on 2 grid steps, first between s = 0.6 and 0.65, against Theorem 1" in sentence
    assert "singular to working precision at every width" in sentence
    assert theorem1.bottom_line(theory).endswith("combinations, fails for output of exp.")
