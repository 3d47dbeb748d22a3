"""What the report's tables and sentences share (hrta.reporting.words.kit)."""

import math

from hrta.reporting.numbers import trend
from hrta.reporting.words import kit

ROWS = [{"label": "HRTA 0.5→1", "width": 10, "verdict": "holds", "reason": ""},
        {"label": "HRTA 0.5→1", "width": 100, "verdict": "holds", "reason": ""},
        {"label": "HRTA 1→1.5", "width": 10, "verdict": "contradicted", "reason": ""},
        {"label": "HRTA 1→1.5", "width": 100, "verdict": "undecided", "reason": "the method diverged alone on 1 seed"}]
PAIRED = {"verdict": "holds", "scale": "log ratio", "estimate": math.log(2.0), "ci_low": math.log(1.5),
          "ci_high": math.log(3.0), "mean_ratio": 2.1, "mean_low": 1.2, "mean_high": 3.5, "compared": 6,
          "only_baseline_diverged": 0, "only_method_diverged": 1, "both_diverged": 0, "missing": 2,
          "non_finite": 0, "non_positive": 0}


def test_pipe_table_aligns_left_and_right():
    table = kit.pipe_table([("name", "l", lambda r: r[0]), ("value", "r", lambda r: r[1])], [("a", 1), ("b", 2.5)])
    assert table == ["| name | value |", "|---|---:|", "| a | 1 |", "| b | 2.5 |"]


def test_groups_counts_and_verdict_text():
    assert list(kit.groups(ROWS, ("label",))) == [("HRTA 0.5→1",), ("HRTA 1→1.5",)]
    assert kit.verdicts(ROWS) == {"holds": 2, "contradicted": 1, "undecided": 1, "no verdict": 0}
    assert kit.verdicts([{"verdict": "grows"}], trend.VERDICTS) == {"grows": 1, "rises, HRTA not ahead": 0,
                                                                    "shrinks": 0, "undecided": 0}
    assert kit.verdict_text(ROWS[3]) == "undecided: HRTA diverged alone on 1 seed"
    assert kit.verdict_text({**ROWS[3], "plain": "tanh", "reason": "the baseline diverged"}) == (
        "undecided: tanh diverged")
    assert kit.shared_reason(ROWS) == "HRTA diverged alone on 1 seed"
    assert kit.shared_reason([{**ROWS[3], "verdict": "no verdict"}]) == "HRTA diverged alone on 1 seed"
    assert kit.shared_reason(ROWS + [{**ROWS[3], "reason": "not significant"}]) == ""
    assert kit.undecided_rows("x") == " Rows without a decision: x." and kit.undecided_rows("") == ""
    name, _, cell = kit.verdict_column("")
    assert name == "verdict" and cell(ROWS[3]) == "undecided: HRTA diverged alone on 1 seed"
    assert kit.verdict_column("shared")[2](ROWS[3]) == "undecided"


def test_reading_names_where_hrta_is_lower_and_higher():
    assert kit.reading(ROWS) == "HRTA lower with HRTA 0.5→1 at m = 10/100; HRTA higher with HRTA 1→1.5 at m = 10"
    assert kit.reading([ROWS[3]]) == "nothing decided"


def test_effects_intervals_fates_and_the_trend_columns():
    row = {"ci_low": math.log(0.5), "ci_high": math.log(2.0), "n_points": 12, "tau": 0.4, "p_adjusted": 0.01,
           "slope": math.log(3.0)}
    assert kit.interval(row) == "0.5 to 2" and kit.interval({"ci_low": math.nan}) == "–"
    assert math.isnan(kit.as_ratio(math.nan)) and kit.as_ratio(0.0) == 1.0
    columns = kit.trend_columns("factor per layer")
    assert [c[0] for c in columns] == ["pairs", "τ", "p adj.", "factor per layer", "interval"]
    assert [c[2](row) for c in columns] == [12, "0.4", "0.01", "3", "0.5 to 2"]
    assert kit.effect(PAIRED) == "2 (1.5 to 3)"
    assert kit.effect({**PAIRED, "verdict": "no verdict"}) == "2.1 (1.2 to 3.5) gm"
    assert kit.effect({**PAIRED, "verdict": "no verdict", "mean_low": math.nan}) == "2.1 gm"
    assert kit.effect({**PAIRED, "scale": "difference", "estimate": 0.25, "ci_low": 0.1, "ci_high": 0.4}) == (
        "Δ 0.25 (0.1 to 0.4)")
    assert kit.fates(PAIRED) == "6 compared, 1 HRTA diverged, 2 missing"
    assert kit.fates({**PAIRED, "only_method_diverged": 0, "missing": 0}) == "6 compared"


def test_theorem1_sentences_parts():
    entry = {"n_used": 40, "n_train": 100, "s": [0.05, 0.5, 1.95]}
    assert kit.grid_sentence(entry) == "n = 40 training points of 100; fine grid: 3 values of s from 0.05 to 1.95."
    assert kit.grid_sentence({**entry, "n_used": 100}).startswith("n = 100 training points; fine")
    assert kit.fails_and_undecided(["a", "b"], ["c"], "; ") == "; fails for a; b; not decidable at this precision for c"
    assert kit.fails_and_undecided([], [], ", ") == ""
