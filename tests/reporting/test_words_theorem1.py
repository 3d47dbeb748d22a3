"""Theorem 1 in words (hrta.reporting.words.theorem1): the table per experiment, a sentence
per kernel part (how the infinite-width value was decided, what the finite Gram matrices
are) and the bottom line; the claims job reads only the verdict file, without torch."""

import subprocess
import sys

from hrta.reporting.words import theorem1

S = [0.5, 1.0, 1.5]
NULL_SPACE = {"mu": 1.6e-8, "gram_rank": 2, "formula_gap": 2.9e-5, "plain_unresolved_s": [0.01, 0.02]}


def _row(lam, verdict="holds", level=1e-14, **finite):
    row = {"s": S, "lambda_min": lam, "lambda_max": [10.0] * 3, "rounding_level": [level] * 3, "verdict": verdict}
    return {**row, **finite}


def _finite(lam, classes, nulls=(0, 0), beyond=None, beyond_verdict="holds", sources=()):
    return _row(lam, n_seeds=3, classes=classes, null_directions=list(nulls), sources=list(sources),
                lambda_beyond_null=beyond or lam, beyond_null_verdict=beyond_verdict)


def _theory(fine: dict, finite: dict):
    entry = {"n_train": 100, "n_used": 40, "s": [0.5 + 0.05 * k for k in range(21)],
             "parts": {"output": fine}, "at_s": {"output": {"infinite": _row([1e-6, 4e-6, 9e-6]), **finite}}}
    return {"tolerance": 1e-10, "experiments": {"exp": entry}, "part_meaning": {"output": "output layer, λ_a"},
            "null_sources": {"kinks": "kink-free stretches of inputs, second differences"}}


def test_a_part_that_holds_grows_like_s_squared_and_names_how_it_was_decided():
    fine = {"verdict": "holds", "decreasing_steps": [], "unresolved_s": [], "null_space": NULL_SPACE}
    theory = _theory(fine, {"50": _finite([2e-6, 4e-6, 6e-6], {"resolved": 3})})
    lines = theorem1.section(theory)
    assert lines[2].startswith("Kernel parts: *output*, output layer, λ_a. Each part is (1 − s/2)² G + (s/2)² AA")
    assert "kink-free stretches of inputs, second differences" in lines[2]
    assert "n = 40 training points of 100; fine grid: 21 values of s from 0.5 to 1.5." in lines
    assert "| output | ∞ | 1e-06 | 4e-06 | 9e-06 | 0.25 | 2.25 | 1e+07 | 2.5e+06 | 1.11e+06 | holds | – |" in lines
    assert ("| output | m = 50 | 2e-06 | 4e-06 | 6e-06 | 0.5 | 1.5 | 5e+06 | 2.5e+06 | 1.67e+06 | holds "
            "| resolved |") in lines
    (sentence,) = [line for line in lines if line.startswith("- *output*")]
    assert "from 1e-06 at s = 0.5 to 9e-06 at s = 1.5, in proportion to s²" in sentence
    assert ("so Theorem 1 holds here (decided on the null space of G, rank 2: μ = 1.6e-08, and λ_min(s) is within "
            "2.9e-05 relative of (s/2)² μ on the whole grid; a plain eigensolver would be at rounding level at 2 "
            "values of s up to 0.02)") in sentence
    assert sentence.endswith("; at m = 50, at initialisation λ_min does not decrease over these s, growing like s^1.")
    assert theorem1.bottom_line(theory) == (
        "Theorem 1, λ_min of the infinite-width Gram matrix non-decreasing in s: holds for 1 of 1 experiment × "
        "kernel-part combinations (the output part decided on the null space of G, where it is (s/2)² times at most "
        "μ = 1.6e-08 (exp)).")


def test_exactly_singular_finite_grams_are_an_exact_zero_and_judged_beyond_their_null_directions():
    fine = {"verdict": "holds", "decreasing_steps": [], "unresolved_s": []}
    theory = _theory(fine, {
        "50": _finite([0.0] * 3, {"singular": 3}, (73, 79), [1e-9, 4e-9, 9e-9], sources=["kinks"]),
        "500": _finite([0.0] * 3, {"singular": 1, "unresolved": 2}, (1, 1), [1e-15, 2e-15, 3e-15],
                       "not decidable at this precision", ["kinks"])})
    lines = theorem1.section(theory)
    assert ("| output | m = 50 | 0 (exact) | 0 (exact) | 0 (exact) | 0.25 | 2.25 | ∞ | ∞ | ∞ | holds "
            "| singular, 73–79 null (kinks) |") in lines
    assert ("| output | m = 500 | rounding | rounding | rounding | – | – | > 1e+15 | > 1e+15 | > 1e+15 | holds "
            "| 1 of 3 singular, 1 null (kinks); 2 of 3 unresolved |") in lines
    (sentence,) = [line for line in lines if line.startswith("- *output*")]
    assert ("; at m = 50, the Gram matrices at initialisation are exactly singular, 73–79 null directions (kinks), a "
            "property of the finite network, not of rounding; beyond them λ_min does not decrease over these s, "
            "growing in proportion to s²") in sentence
    assert ("; at m = 500, 1 of 3 seeds' Gram matrices at initialisation are exactly singular, at least 1 null "
            "direction (kinks)") in sentence
    assert sentence.endswith("(2 of 3 seeds' Gram matrices are near-singular, λ_min at rounding level).")


def test_a_failing_part_names_its_first_decrease_and_the_bottom_line_the_part():
    fine = {"verdict": "fails", "decreasing_steps": [[0.6, 0.65], [0.9, 0.95]], "unresolved_s": []}
    theory = _theory(fine, {"50": _row([1e-15] * 3, n_seeds=2)})  # a file without the classes
    lines = theorem1.section(theory)
    assert ("| output | m = 50 | rounding | rounding | rounding | – | – | > 1e+15 | > 1e+15 | > 1e+15 | holds "
            "| unresolved |") in lines
    (sentence,) = [line for line in lines if line.startswith("- *output*")]
    assert "it decreases on 2 grid steps, first between s = 0.6 and 0.65, against Theorem 1" in sentence
    assert "(every seed's Gram matrix is near-singular, λ_min at rounding level)" in sentence
    assert theorem1.bottom_line(theory).endswith("combinations, fails for output of exp.")


def test_the_claims_words_import_no_torch():
    code = "import sys, hrta.reporting.words.claims; print(any(m.split('.')[0] == 'torch' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_beyond_names_the_depth_from_which_each_parametrisation_fails_and_why():
    from hrta.reporting.words.beyond import WHY, beyond_bottom_line, depth_sentence

    unnormalised = {"depths": [1, 2, 6, 8], "holds": [1, 2], "fails": [6, 8], "fails_from_depth": 6,
                    "decreasing_intervals": {"6": {"a": [[0.5, 0.65]], "b": [[0.5, 0.65]]},
                                             "8": {"a": [[0.3, 0.8]], "b": [[0.35, 0.8]]}}}
    text = depth_sentence("unnormalised", unnormalised)
    assert text == ("Deep ReLU networks with unnormalised hidden layers (the networks trained): it holds at L = 1, 2 "
                    "and fails from L = 6 on (λ_min of the whole NTK decreasing for s in [0.5, 0.65] at L = 6, on "
                    f"every experiment; at L = 8: a on s in [0.3, 0.8]; b on s in [0.35, 0.8]): {WHY}.")
    preserving = {"depths": [1, 2, 6, 8], "holds": [1, 2, 6, 8], "fails": [], "fails_from_depth": None,
                  "decreasing_intervals": {}}
    assert depth_sentence("variance_preserving", preserving) == (
        "Deep ReLU networks with variance-preserving hidden layers (c² = 2 / (1 + (1 − s)²)): it holds at every "
        "depth tried (L = 1, 2, 6, 8).")
    relu = {"base": "relu", "depth": 1, "parametrisation": "unnormalised", "verdict": "holds"}
    deep = {"base": "relu", "depth": 6, "parametrisation": "unnormalised", "verdict": "fails"}
    beyond = {"networks": {"relu_L1": relu, "relu_L6": deep}, "experiments": {},
              "parametrisations": {"unnormalised": unnormalised, "variance_preserving": preserving}}
    line = beyond_bottom_line(beyond)
    assert "holds for ReLU networks with L = 1 hidden layer. Deep ReLU networks with unnormalised" in line
    assert "relu_L6" not in line and "fails for ReLU, L = 6" not in line  # told per parametrisation
    assert line.count("gain 1 − s + s²/2") == 1
