"""What the report's tables and sentences share (hrta.reporting.words.kit)."""

import math

from hrta.reporting.numbers import paired, trend
from hrta.reporting.words import kit

ROWS = [{"label": "HRTA 0.5→1", "width": 10, "verdict": "holds", "reason": "", "test": paired.WILCOXON},
        {"label": "HRTA 0.5→1", "width": 100, "verdict": "holds", "reason": "", "test": paired.WILCOXON},
        {"label": "HRTA 1→1.5", "width": 10, "verdict": "contradicted", "reason": "", "test": paired.T_TEST},
        {"label": "HRTA 1→1.5", "width": 100, "verdict": "undecided", "test": None,
         "reason": "the method diverged alone on 1 seed"}]


def test_pipe_table_aligns_left_and_right():
    table = kit.pipe_table([("name", "l", lambda r: r[0]), ("value", "r", lambda r: r[1])], [("a", 1), ("b", 2.5)])
    assert table == ["| name | value |", "|---|---:|", "| a | 1 |", "| b | 2.5 |"]


def test_groups_counts_and_verdict_text():
    assert list(kit.groups(ROWS, ("label",))) == [("HRTA 0.5→1",), ("HRTA 1→1.5",)]
    assert kit.verdicts(ROWS) == {"holds": 2, "contradicted": 1, "undecided": 1}
    assert kit.verdicts([{"verdict": "grows"}], trend.VERDICTS) == {"grows": 1, "shrinks": 0, "undecided": 0}
    assert kit.claim_counts(ROWS) == "of 4 settings 2 hold, 1 are contradicted and 1 are undecided"
    assert kit.verdict_text(ROWS[3]) == "undecided: HRTA diverged alone on 1 seed"
    assert kit.shared_reason(ROWS) == "HRTA diverged alone on 1 seed"
    assert kit.shared_reason(ROWS + [{**ROWS[3], "reason": "not significant"}]) == ""
    assert kit.undecided_rows("not significant") == " Undecided rows: not significant." and kit.undecided_rows("") == ""
    name, _, cell = kit.verdict_column("")
    assert name == "verdict" and cell(ROWS[3]) == "undecided: HRTA diverged alone on 1 seed"
    assert kit.verdict_column("shared")[2](ROWS[3]) == "undecided"


def test_reading_names_where_hrta_is_lower_and_higher():
    assert kit.reading(ROWS) == "HRTA lower with HRTA 0.5→1 at m = 10/100; HRTA higher with HRTA 1→1.5 at m = 10"
    assert kit.reading([ROWS[3]]) == "no test: the method diverged alone on 1 seed"
    not_significant = {**ROWS[0], "verdict": "undecided", "reason": "not significant"}
    assert kit.reading([not_significant]) == "no significant difference"


def test_intervals_as_ratios_and_the_trend_columns():
    row = {"ci_low": math.log(0.5), "ci_high": math.log(2.0), "n_points": 12, "tau": 0.4, "p_value": 0.01,
           "slope": math.log(3.0)}
    assert kit.interval(row) == "0.5 to 2" and kit.interval({"ci_low": math.nan}) == "–"
    assert math.isnan(kit.as_ratio(math.nan)) and kit.as_ratio(0.0) == 1.0
    columns = kit.trend_columns("factor per layer")
    assert [c[0] for c in columns] == ["pairs", "τ", "p", "factor per layer", "interval"]
    assert [c[2](row) for c in columns] == [12, "0.4", "0.01", "3", "0.5 to 2"]


def test_tests_caption_names_one_test_once_and_several_with_a_column():
    caption, column = kit.tests_caption(ROWS[:2], "")
    assert caption == f"Test: {paired.WILCOXON}; estimate: {kit.ESTIMATE[paired.WILCOXON]}." and not column
    caption, column = kit.tests_caption(ROWS, "the slope")
    assert column and caption.startswith(f"Tests: Wilcoxon, {paired.WILCOXON}; t-test, {paired.T_TEST}; none where")
    assert caption.endswith("Estimate, Wilcoxon: the slope; t-test: the slope.")
    assert kit.tests_caption([ROWS[3]], "") == ("", False)


def test_theorem1_sentences_parts():
    entry = {"n_used": 40, "n_train": 100, "s": [0.05, 0.5, 1.95]}
    assert kit.grid_sentence(entry) == "n = 40 training points of 100; fine grid: 3 values of s from 0.05 to 1.95."
    assert kit.grid_sentence({**entry, "n_used": 100}).startswith("n = 100 training points; fine")
    assert kit.fails_and_undecided(["a", "b"], ["c"], "; ") == "; fails for a; b; not decidable at this precision for c"
    assert kit.fails_and_undecided([], [], ", ") == ""
