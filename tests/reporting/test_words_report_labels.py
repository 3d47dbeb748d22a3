"""The report's place and name of each result (hrta.reporting.words.report_labels)."""

from conftest import CI_PROFILE, ROOT, SCHEMA
from hrta.pipeline.config import load
from hrta.reporting.words import report_labels


def snakemake_toggles(labels: list[dict]) -> list[str]:
    """The labels Snakemake 9.27 shows as a toggle in a list of results with these labels
    (AbstractResults.getData): any after the first with exactly two values, each on half."""
    keys = list(dict.fromkeys(key for lab in labels for key in lab))
    out = []
    for key in keys[1:]:
        values = [lab[key] for lab in labels if key in lab]
        if len(set(values)) == 2 and all(values.count(v) == len(labels) / 2 for v in set(values)):
            out.append(key)
    return out


def test_one_label_per_result_so_no_list_has_a_toggle():
    tables = [place.labels() for page, place in report_labels.PAGES.items() if place.category == "Tables"]
    assert all(list(lab) == [report_labels.LABEL] for lab in tables) and snakemake_toggles(tables) == []
    # the labels the report had (name, experiment, shows): the two tables made 'shows' a toggle,
    # which blanked the report at the click on Tables
    old = [{"figure": "Table 1", "experiment": "sin1d", "shows": "loss"},
           {"figure": "Compute cost", "experiment": "sin1d", "shows": "seconds"}]
    assert snakemake_toggles(old) == ["shows"]


def test_figures_are_named_for_a_reader_not_by_id():
    experiments = load(CI_PROFILE, SCHEMA, ROOT / "config.yaml")["experiments"]  # the generated ones too
    sin1d = experiments["sin1d"]
    assert report_labels.figure_name("fig2") == "Figure 2"
    assert report_labels.figure_name("regime_sin1d") == "regime_sin1d"
    paper = report_labels.convergence("fig2", sin1d)
    assert (paper.category, paper.subcategory, paper.name) == ("Figures", report_labels.PAPER, "Figure 2: sin(2πx)")
    other = report_labels.convergence("sin1d_relu_L4", experiments["sin1d_relu_L4"])
    assert (other.subcategory, other.name) == (report_labels.NETWORKS, "sin1d: relu, 4 hidden layers")
    assert report_labels.regime("sin1d", "b100").name == "Map sin1d at 100 epochs"
    assert report_labels.regime("sin1d", "budget").name == "Map sin1d against the budget"
    assert report_labels.real_data("digits").labels() == {report_labels.LABEL: "Real data: digits"}
