"""What the report's tables and sentences share: GitHub pipe tables, effects with their
intervals, the fates of a row's pairs, verdict text, counts and groups of rows, and the
reason its undecided rows share."""

import math

from hrta.reporting.numbers import paired
from hrta.reporting.words.format import DASH, num

NOT_DECIDABLE = "not decidable at this precision"  # Theorem 1's third verdict (hrta.theory.theorem1_verdict)
FATES = (("only_baseline_diverged", "baseline diverged"), ("only_method_diverged", "HRTA diverged"),
         ("both_diverged", "both diverged"), ("missing", "missing"), ("non_finite", "non-finite"),
         ("non_positive", "≤ 0"))


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


def verdict_text(row: dict) -> str:
    """The verdict with its reason, the method named HRTA and the baseline by its plain
    activation (ReLU unless the row names another)."""
    reason = row["reason"].replace("the method", "HRTA").replace("the baseline", row.get("plain", "ReLU"))
    return row["verdict"] + (f": {reason}" if reason else "")


def shared_reason(rows: list) -> str:
    """The reason every undecided or unverdicted row gives, when they all give the same ('' otherwise)."""
    reasons = {r["reason"] for r in rows if r["verdict"] in ("undecided", "no verdict")}
    return verdict_text({"verdict": "", "reason": reasons.pop()})[2:] if len(reasons) == 1 else ""


def undecided_rows(shared: str) -> str:
    """' Rows without a decision: <the shared reason>.' for a caption, '' when there is none."""
    return f" Rows without a decision: {shared}." if shared else ""


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


def effect(row: dict) -> str:
    """A paired row's effect with its interval: the Hodges–Lehmann ratio (or difference) where
    it has a verdict's pairs, else the geometric-mean ratio with its t interval, marked (gm)."""
    if row.get("scale") == "difference":
        return f"Δ {num(row['estimate'])} ({interval_plain(row)})"
    if row["verdict"] == "no verdict":
        if math.isnan(row["mean_ratio"]):
            return DASH
        span = "" if math.isnan(row["mean_low"]) else f" ({num(row['mean_low'])} to {num(row['mean_high'])})"
        return f"{num(row['mean_ratio'])}{span} gm"
    return f"{num(as_ratio(row['estimate']))} ({interval(row)})"


def interval_plain(row: dict) -> str:
    """The interval of a difference, as it is."""
    return DASH if math.isnan(row["ci_low"]) else f"{num(row['ci_low'])} to {num(row['ci_high'])}"


def fates(row: dict) -> str:
    """The pairs of a row: 'n compared' and every other fate with its count."""
    others = [f"{row[k]} {name}" for k, name in FATES if row.get(k)]
    return f"{row['compared']} compared" + (", " + ", ".join(others) if others else "")


def trend_columns(factor: str) -> list:
    """The columns of a trend test (hrta.reporting.numbers.trend): pairs, τ, p, the slope as the
    factor per step (header ``factor``) and its interval."""
    return [("pairs", "r", lambda r: r["n_points"]), ("τ", "r", lambda r: num(r["tau"])),
            ("p adj.", "r", lambda r: num(r["p_adjusted"])), (factor, "r", lambda r: num(as_ratio(r["slope"]))),
            ("interval", "l", interval)]


def reading(sub: list) -> str:
    """One phrase on a group of rows: where HRTA is decided lower and higher."""
    holds = [r for r in sub if r["verdict"] == "holds"]
    contra = [r for r in sub if r["verdict"] == "contradicted"]
    if not holds and not contra:
        return "nothing decided"
    parts = []
    if holds:
        parts.append("HRTA lower with " + _where(holds))
    if contra:
        parts.append("HRTA higher with " + _where(contra))
    return "; ".join(parts)


def _where(rows: list) -> str:
    by_label = groups(rows, ("label",))
    return ", ".join(f"{label} at m = {'/'.join(dict.fromkeys(str(r['width']) for r in sub))}"
                     for (label,), sub in by_label.items())


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
