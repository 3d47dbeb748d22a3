"""The reader's front door (hrta.reporting.words.front): the answer first, with the figures
behind it; every figure with its caption; a static page."""

import re
import subprocess
import sys

from hrta.reporting.words import front
from hrta.reporting.words.answer import HEADINGS, anchor

CLAIMS = f"""# Claims of the paper, checked against these results

## The answer

- Under gradient descent HRTA ends below ReLU in 3 of 4 cells ([Where HRTA helps]({anchor(HEADINGS["map"])})).
- At a switch the loss jumps up to 2× ([The switch]({anchor(HEADINGS["switch"])})); on real data, 0 of 2
  ([C5]({anchor(HEADINGS["c5"])})).

## Bottom line

C1 holds in 1 of 2 settings.

## {HEADINGS["map"]}

| cell | verdict |
|---|---|
| lr 0.1 | holds |

## {HEADINGS["switch"]}

## {HEADINGS["c5"]}
"""
FIGURES = [
    {"stem": "regime_x_budget", "png": "figures/regime_x_budget.png", "name": "Map x against the budget",
     "group": "Regime maps", "caption": "Regime map of {{ snakemake.wildcards.regime }}; see the `Claims`_.",
     "context": {"wildcards": {"regime": "x"}, "params": {}}, "backs": ["map", "relaxation"]},
    {"stem": "switch_x", "png": "figures/switch_x.png", "name": "Switch: x", "group": "The switch",
     "caption": "**{{ snakemake.params.title }}** with {{ snakemake.config['n'] }} runs.",
     "context": {"wildcards": {}, "params": {"title": "sin(2πx)"}}, "backs": ["switch"]},
]
CONFIG = {"n": 3, "experiments": {}, "regimes": {}, "real_data": {}}


def test_the_answer_is_read_from_the_claims_with_the_figures_behind_each_sentence():
    items = front.answer_items(CLAIMS)
    assert len(items) == 2 and items[0].startswith("Under gradient descent")
    assert [f["stem"] for f in front.backing(items[0], FIGURES)] == ["regime_x_budget"]
    assert [f["stem"] for f in front.backing(items[1], FIGURES)] == ["switch_x"]  # C5: no figure here
    assert front.answer_items("# Claims\n\n## Bottom line\n") == []


def test_the_landing_page_links_each_sentence_to_a_figure_or_the_claims():
    rst = front.answer_rst(CLAIMS, FIGURES)
    assert "`Where HRTA helps <regime_x_budget.png_>`_" in rst and "`The switch <switch_x.png_>`_" in rst
    assert "`C5 <Claims_>`_" in rst and "](#" not in rst
    assert rst.count("\n- ") + rst.startswith("- ") == 2


def test_a_caption_is_rendered_as_the_report_renders_it():
    html = front.caption_html(FIGURES[1]["caption"], FIGURES[1]["context"], CONFIG)
    assert "<strong>sin(2πx)</strong> with 3 runs." in html
    assert 'href="#the-claims"' in front.caption_html(FIGURES[0]["caption"], FIGURES[0]["context"], CONFIG)


def test_the_page_puts_the_answer_first_and_needs_no_script():
    html = front.page(CLAIMS, "# Table 1\n\n| a |\n|---|\n| 1 |\n", FIGURES, CONFIG, "ci.yaml")
    order = [html.index(s) for s in ('id="the-answer"', 'id="page-figures"', 'id="page-table1"',
                                     'id="the-claims"', 'id="page-protocol"')]
    assert order == sorted(order) and "<script" not in html
    assert '<img src="figures/switch_x.png"' in html and '<a href="#fig-switch_x">Switch: x</a>' in html
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert {h[1:] for h in re.findall(r'href="(#[^"]+)"', html)} <= ids  # every link lands on the page
    assert html.count(">The answer<") == 1  # the claims' own answer section is not repeated


def test_the_page_job_imports_no_torch():
    """The page job only reads results: its script's imports stay free of torch and Lightning."""
    code = ("import sys, hrta.pipeline.scripts, hrta.pipeline.files, hrta.reporting.words.front;"
            "print(sorted(m for m in ('torch', 'lightning', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_protocol_writes_every_kind_of_stage():
    sin1d = {"problem": {"name": "sin_sum", "dim": 1, "n_train": 10, "train_points": "grid", "n_test": 20,
                         "test_points": "grid"}, "widths": [20], "seeds": [0, 1], "epochs": 100,
             "optimizers": [{"name": "adam", "algorithm": "adam", "lr": 0.01, "decay": {"kind": "none"}}],
             "methods": [{"name": "relu", "schedule": [{"s": 1.0}]},
                         {"name": "ramp", "schedule": [{"s": 1.0, "epochs": 50},
                                                       {"ramp": 1.5, "epochs": 25, "shape": "linear"}, {"s": 1.5}]},
                         {"name": "plateau", "schedule": [{"s": 1.0, "plateau": {}}, {"s": 1.5}]}]}
    text = front.protocol({"experiments": {"sin1d": sin1d}})
    assert "relu (s = 1); ramp (s = 1 ⇢ 1.5 → 1.5); plateau (s = 1 (until a plateau) → 1.5)" in text
    assert "**sin1d**, sin(2πx): 10 training points, widths m = 20, seeds 0, 1, 100 epochs" in text
