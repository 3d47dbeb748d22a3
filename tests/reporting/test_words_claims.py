"""The claims report's composer (hrta.reporting.words.claims): every section, in order."""

import numpy as np
import xarray as xr

from conftest import final_losses, regime_map, width_series
from hrta.reporting.numbers import architectures, claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import summary, with_tests
from hrta.reporting.words import answer
from hrta.reporting.words.claims import markdown

RATIOS = np.array([2.0, 2.2, 1.8, 2.1, 1.9, 2.05])
NTK = {"verdict": "holds", "decreasing_intervals": [], "unresolved_s": [], "ratio_to_s1": {"0.5": 0.25},
       "finite": {"50": {"verdict": "holds"}}}
PARTS = {"ntk": NTK, "output": {"verdict": "holds"}, "hidden": {"verdict": "holds"}}
NETWORK = {"base": "relu", "depth": 2, "verdict": "holds"}
BEYOND = {"tolerance": 1e-10, "networks": {"relu_L2": NETWORK},
          "experiments": {"exp": {"n_used": 10, "n_train": 10, "s": [0.5, 1.0, 1.5],
                                  "networks": {"relu_L2": {**NETWORK, "parts": PARTS}}}}}


def test_every_section_in_order():
    deep = final_losses({10: 2 * RATIOS}, "exp_relu_L2").assign_coords(base="relu", depth=np.int64(2), source="exp")
    sources = {"exp": final_losses({10: RATIOS})}
    rep = architectures.add_to(claims.report(sources, Reading()), {"exp_relu_L2": deep}, sources)
    rep["maps"] = {"fake": summary(with_tests(regime_map(np.full(8, 2.0), cells=3), Reading()))}
    md = markdown(rep, {"fake": [1000]}, width_series([2.0, 3.0], [4.0, 3.5]), BEYOND)
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## The answer", "## How to read this", "## Bottom line", "## Where HRTA helps: the regime maps",
        "## Relaxation against homotopy", "## The switch", "## Without the jump",
        "## C1: each HRTA schedule ends with a lower training loss than ReLU",
        "## C2: the advantage grows with width", "## Training dynamics", "## C5: HRTA helps on real data",
        "## C3: HRTA beats the plain activation, for other base activations",
        "## C4: the benefit carries over to depth", "## Toward the kernel limit", "## Diverged runs",
        "## Does Theorem 1's monotonicity hold beyond two-layer ReLU?"]
    first = md.split("## How to read this")[0]
    assert ("Under gradient descent on fake at 1000 epochs (ReLU's fall over the last 10%: 1.01×), HRTA ends below "
            "ReLU in 3 of 3 protocol cells and above it in 0; the strongest is HRTA 0.5→1: ReLU/HRTA 2") in first
    assert "[Where HRTA helps](#where-hrta-helps-the-regime-maps)" in first
    assert "the relaxed activation alone (s = 1.5 throughout) ends below ReLU in 0 of 1 cells" in first
    assert ("- At a switch under adam the largest jump of the loss is 0.933× (HRTA 0.5→1, exp, m = 10), and 6 of 6 "
            "seeds get back below the loss before it ([The switch](#the-switch)).") in first
    assert ("- Beyond the paper's network, deeper ReLU networks: below the plain network in 1 of 1 settings, above "
            "it in 0 ([C4](#c4-the-benefit-carries-over-to-depth)).") in first
    bottom = md.split("## Bottom line")[1].split("## ")[0]
    assert "| C4 | exp_relu_L2 | adam | 1 | 1 | 0 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10 |" in bottom
    assert "Theorem 1's monotonicity beyond two-layer ReLU (λ_min of the infinite-width Gram matrix" in bottom
    assert "| ReLU, L = 2 hidden layers | holds | holds | holds | – | 0 | 0.25 | holds |" in md


def test_the_answer_follows_the_verdict_along_the_budget():
    """Two budgets of one map: HRTA 2x below ReLU at 1000 epochs, 2x above at 2000."""
    low = regime_map(np.full(8, 2.0), cells=3)
    high = regime_map(np.full(8, 0.5), cells=3).assign_coords(budget=[2000])
    rep = claims.report({}, Reading())
    rep["maps"] = {"fake": summary(with_tests(xr.concat([low, high], "budget"), Reading()))}
    sentences = answer.section(rep)
    assert sentences[2].startswith("- Under gradient descent on fake at 2000 epochs (ReLU's fall over the last 10%: "
                                   "1.01×), HRTA ends below ReLU in 0 of 3 protocol cells and above it in 3; the "
                                   "strongest is HRTA 0.5→1: ReLU/HRTA 0.5")
    assert sentences[3] == ("- Against the training budget, the same runs read at each: under gradient "
                            "descent on fake, 1000 epochs: 3 below, 0 above (ReLU's fall 1.01×); 2000 epochs: 0 "
                            "below, 3 above (ReLU's fall 1.01×) ([Where HRTA helps]"
                            "(#where-hrta-helps-the-regime-maps)).")
    assert len(sentences) == 6 and sentences[4].startswith("- On fake at 2000 epochs, the relaxed activation alone")


def test_what_the_profile_leaves_out_is_said_under_how_to_read_this():
    rep = claims.report({}, Reading())
    rep["left_out"] = ["The regime map at longer budgets: workflow/configs/regime.yaml."]
    md = markdown(rep, {}, None, None)
    reading = md.split("## How to read this")[1].split("## ")[0]
    assert "This profile leaves out:\n\n- The regime map at longer budgets: workflow/configs/regime.yaml.\n" in reading
    rep["left_out"] = []
    assert "leaves out" not in markdown(rep, {}, None, None)


def test_the_answer_says_when_too_few_seeds_left_a_claim_without_verdicts():
    """Five seeds cannot decide (a verdict needs six pairs): 'below in 0, above in 0' alone would read as a tie."""
    deep = final_losses({10: 2 * RATIOS[:5]}, "exp_relu_L2").assign_coords(base="relu", depth=np.int64(2),
                                                                            source="exp")
    sources = {"exp": final_losses({10: RATIOS[:5]})}
    rep = architectures.add_to(claims.report(sources, Reading()), {"exp_relu_L2": deep}, sources)
    assert answer.section(rep)[-2] == (
        "- Beyond the paper's network, deeper ReLU networks: below the plain network in 0 of 1 settings, above it in"
        " 0, no verdict in 1 (5 compared pairs, fewer than the 6 a verdict needs)"
        " ([C4](#c4-the-benefit-carries-over-to-depth)).")
