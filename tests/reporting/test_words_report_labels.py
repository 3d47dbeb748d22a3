"""The report's labels of each result (hrta.reporting.words.report_labels)."""

from hrta.reporting.words import report_labels


def test_figure_names_and_label_keys():
    assert report_labels.figure_name("fig2") == "Figure 2"
    assert report_labels.figure_name("regime_sin1d") == "regime_sin1d"
    assert report_labels.labels("Table 1", "all", "loss") == {"figure": "Table 1", "experiment": "all", "shows": "loss"}


def test_convergence_labels_say_metrics_optimizers_and_widths(ci_config):
    sin1d = ci_config["experiments"]["sin1d"]
    out = report_labels.convergence("fig2", "sin1d", sin1d, ["loss", "test_error"])
    assert out["figure"] == "Figure 2" and out["experiment"].startswith("sin1d: ")
    optimizers = ", ".join(o["name"] for o in sin1d["optimizers"])
    widths = ", ".join(str(w) for w in sin1d["widths"])
    assert out["shows"] == (f"training loss and test error against epochs, ReLU vs HRTA; {optimizers}; "
                            f"widths m = {widths}")
