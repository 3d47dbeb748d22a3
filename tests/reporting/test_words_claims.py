"""The claims report's composer (hrta.reporting.words.claims): every section, in order."""

import numpy as np

from conftest import final_losses, regime_map, width_series
from hrta.reporting.numbers import architectures, claims
from hrta.reporting.numbers.paired import Reading
from hrta.reporting.numbers.regime import summary, with_tests
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
        "## Relaxation against homotopy", "## The switch",
        "## C1: each HRTA schedule ends with a lower training loss than ReLU",
        "## C2: the advantage grows with width", "## Training dynamics", "## C5: HRTA helps on real data",
        "## C3: HRTA beats the plain activation, for other base activations",
        "## C4: the benefit carries over to depth", "## Toward the kernel limit", "## Diverged runs",
        "## Does Theorem 1's monotonicity hold beyond two-layer ReLU?"]
    answer = md.split("## How to read this")[0]
    assert ("Under gradient descent on fake at 1000 epochs (ReLU's fall over the last 10%: 1.01×), HRTA ends below "
            "ReLU in 3 of 3 protocol cells and above it in 0; the strongest is HRTA 0.5→1: ReLU/HRTA 2") in answer
    assert "[Where HRTA helps](#where-hrta-helps-the-regime-maps)" in answer
    assert "the relaxed activation alone (s = 1.5 throughout) ends below ReLU in 0 of 1 cells" in answer
    bottom = md.split("## Bottom line")[1].split("## ")[0]
    assert "| C4 | exp_relu_L2 | adam | 1 | 1 | 0 | 0 | 0 | HRTA lower with HRTA 0.5→1 at m = 10 |" in bottom
    assert "Theorem 1's monotonicity beyond two-layer ReLU (λ_min of the infinite-width Gram matrix" in bottom
    assert "| ReLU, L = 2 hidden layers | holds | holds | holds | – | 0 | 0.25 | holds |" in md
