"""What the report's tables and sentences share: GitHub pipe tables, confidence intervals as
ratios, verdict text, counts and groups of rows, the caption that names a table's tests, and
the reason its undecided rows share."""

import math

from hrta.reporting.numbers import paired, trend
from hrta.reporting.words.format import DASH, num

SHORT = {paired.WILCOXON: "Wilcoxon", paired.T_TEST: "t-test", trend.KENDALL: "Kendall",
         trend.KENDALL_DEPTH: "Kendall", None: "none"}
NOT_DECIDABLE = "not decidable at this precision"  # Theorem 1's third verdict (hrta.theory.spectra)
ESTIMATE = {paired.WILCOXON: "the Hodges–Lehmann ratio, exp of the median of the Walsh averages of the log ratios",
            paired.T_TEST: "the geometric-mean ratio, exp of the mean log ratio"}


def pipe_table(columns: list, rows: list) -> list[str]:
    """A GitHub pipe table; columns: (header, alignment 'l' or 'r', cell function of a row)."""
    return (["| " + " | ".join(h for h, _, _ in columns) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for _, a, _ in columns) + "|"]
            + ["| " + " | ".join(str(f(r)) for _, _, f in columns) + " |" for r in rows])


def groups(rows: list, keys: tuple) -> dict:
    """{tuple of the keys' values: the rows with them}, in the rows' order."""
    out = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def verdicts(rows: list, names=paired.VERDICTS) -> dict:
    """{verdict: how many rows have it} for every verdict named."""
    return {v: sum(1 for r in rows if r["verdict"] == v) for v in names}


def claim_counts(rows: list) -> str:
    """'of 4 settings 1 hold, 0 are contradicted and 3 are undecided'."""
    counts = verdicts(rows)
    return (f"of {len(rows)} settings {counts['holds']} hold, {counts['contradicted']} are contradicted and "
            f"{counts['undecided']} are undecided")


def verdict_text(row: dict) -> str:
    """The verdict with its reason, the method named HRTA and the baseline by its plain
    activation (ReLU unless the row names another)."""
    reason = row["reason"].replace("the method", "HRTA").replace("the baseline", row.get("plain", "ReLU"))
    return row["verdict"] + (f": {reason}" if reason else "")


def shared_reason(rows: list) -> str:
    """The reason every undecided row gives, when they all give the same ('' otherwise)."""
    reasons = {r["reason"] for r in rows if r["verdict"] == "undecided"}
    return verdict_text({"verdict": "", "reason": reasons.pop()})[2:] if len(reasons) == 1 else ""


def undecided_rows(shared: str) -> str:
    """' Undecided rows: <the shared reason>.' for a caption, '' when there is none."""
    return f" Undecided rows: {shared}." if shared else ""


def verdict_column(shared: str):
    """The verdict column: the bare verdict when the caption states the shared reason."""
    return ("verdict", "l", (lambda r: r["verdict"]) if shared else verdict_text)


def as_ratio(v: float) -> float:
    """A log-scale estimate as a ratio (NaN stays NaN)."""
    return v if math.isnan(v) else math.exp(v)


def interval(row: dict) -> str:
    """The confidence interval of a log-scale estimate, as ratios."""
    if math.isnan(row["ci_low"]):
        return DASH
    return f"{num(as_ratio(row['ci_low']))} to {num(as_ratio(row['ci_high']))}"


def trend_columns(factor: str) -> list:
    """The columns of a trend test (hrta.reporting.numbers.trend): pairs, τ, p, the slope as the
    factor per step (header ``factor``) and its interval."""
    return [("pairs", "r", lambda r: r["n_points"]), ("τ", "r", lambda r: num(r["tau"])),
            ("p", "r", lambda r: num(r["p_value"])), (factor, "r", lambda r: num(as_ratio(r["slope"]))),
            ("interval", "l", interval)]


def tests_caption(rows: list, what: str) -> tuple[str, bool]:
    """'Test: …' naming the test once, and whether the table needs a test column."""
    tests = list(dict.fromkeys(r["test"] for r in rows))
    if len(tests) == 1 and tests[0] is not None:
        caption = f"Test: {tests[0]}; estimate: {what or ESTIMATE[tests[0]]}."
        return caption, False
    named = [t for t in tests if t]
    if not named:
        return "", False
    caption = "Tests: " + "; ".join(f"{SHORT[t]}, {t}" for t in named) + "; none where too few pairs."
    estimates = "; ".join(f"{SHORT[t]}: {what or ESTIMATE[t]}" for t in named)
    return caption + f" Estimate, {estimates}.", True


def reading(sub: list) -> str:
    """One sentence on one experiment and optimizer."""
    holds = [r for r in sub if r["verdict"] == "holds"]
    contra = [r for r in sub if r["verdict"] == "contradicted"]
    if not holds and not contra:
        reasons = sorted({r["reason"] for r in sub})
        if all(r["test"] is None for r in sub):
            return "no test: " + "; ".join(reasons)
        return "no significant difference" if reasons == ["not significant"] else "undecided: " + "; ".join(reasons)
    parts = []
    if holds:
        parts.append("HRTA lower with " + _where(holds))
    if contra:
        parts.append("HRTA higher with " + _where(contra))
    return "; ".join(parts)


def _where(rows: list) -> str:
    by_label = groups(rows, ("label",))
    return ", ".join(f"{label} at m = {'/'.join(str(r['width']) for r in sub)}" for (label,), sub in by_label.items())


def fails_and_undecided(failing: list, undecided: list, sep: str) -> str:
    """'<sep>fails for a<sep>b<sep>not decidable at this precision for c' of a Theorem 1 verdict
    sentence ('' where both lists are empty)."""
    text = ""
    if failing:
        text += f"{sep}fails for " + sep.join(failing)
    if undecided:
        text += f"{sep}{NOT_DECIDABLE} for " + sep.join(undecided)
    return text


def grid_sentence(entry: dict) -> str:
    """'n = 40 training points of 100; fine grid: 39 values of s from 0.05 to 1.95.' of a
    Theorem 1 verdict file's experiment entry."""
    grid = entry["s"]
    return (f"n = {entry['n_used']} training points" + (f" of {entry['n_train']}" if entry["n_used"] != entry["n_train"]
                                                       else "") + f"; fine grid: {len(grid)} values of s "
            f"from {num(grid[0])} to {num(grid[-1])}.")
