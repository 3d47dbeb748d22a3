"""Claims C1, C2 and C5 in the claims report: the bottom line's table and the sections of the
paired comparisons with the baseline (C1, C1 at the minimum; C5 on real data) and of their
trend over width (C2), one pipe table per experiment (hrta.reporting.numbers.claims makes
the rows)."""

from hrta.reporting.words import kit
from hrta.reporting.words.format import num

C5_NAMES = {"final_loss": "final training loss", "final_test_error": "final held-out error"}
NO_BASELINE = "Not assessed: no ReLU baseline."
COUNTS = (("holds", "holds"), ("contradicted", "contradicted"), ("undecided", "undecided"),
          ("no verdict", "no verdict"))


def count_columns() -> list:
    """The verdict-count columns of a table of row groups: one per verdict."""
    return [(name, "r", lambda g, v=v: kit.verdicts(g[1])[v]) for name, v in COUNTS]


def bottom_line(rep: dict, claims: tuple = ("C1", "C5", "C3", "C4")) -> list[str]:
    """The bottom line: per claim, experiment and optimizer the verdict counts and where HRTA
    is decided lower or higher; C2's trends per experiment."""
    groups = [(claim, key, sub) for claim in claims for key, sub in
              kit.groups(rep.get(claim, []), ("experiment", "optimizer")).items()]
    if not groups:
        return ["No experiment has a baseline (a single stage with s = 1): nothing assessed.", ""]
    out = kit.pipe_table([("claim", "l", lambda g: g[0]), ("experiment", "l", lambda g: g[1][0]),
                          ("optimizer", "l", lambda g: g[1][1]), ("settings", "r", lambda g: len(g[2]))]
                         + [(name, "r", lambda g, v=v: kit.verdicts(g[2])[v]) for name, v in COUNTS]
                         + [("where decided", "l", lambda g: kit.reading(g[2]))], groups)
    trends = kit.groups(rep.get("C2", []), ("experiment", "optimizer"))
    if trends:
        out += ["", "C2, the advantage over ReLU grows with width (rises, and HRTA ahead at the largest width):"]
        out += [f"{exp}, {opt}: " + ", ".join(f"{kit.verdicts(sub, (v,))[v]} {v}"
                                              for v in dict.fromkeys(r["verdict"] for r in sub)) + "."
                for (exp, opt), sub in trends.items()]
    return out + [""]


def c1_section(rep: dict) -> list[str]:
    """## C1: one paired block per experiment; C1 at the minimum for experiments that drift."""
    rows = [r for r in rep["C1"]]
    out = ["## C1: each HRTA schedule ends with a lower training loss than ReLU", ""]
    if not rows:
        return out + [NO_BASELINE, ""]
    out += paired_blocks(rows)
    if rep.get("C1_minimum"):
        out += ["### C1 at the minimum of the training loss", "",
                "A second reading for the experiments whose ReLU baseline drifts up after its minimum (median "
                f"final over minimum above {rep['settings']['drift']}: see \"Training dynamics\"): each run's "
                "smallest loss over its epochs, in place of its final one.", ""]
        out += paired_blocks(rep["C1_minimum"], level="####")
    return out


def paired_blocks(rows: list, level: str = "###") -> list[str]:
    """One paired block per experiment of the rows."""
    out = []
    for (exp,), sub in kit.groups(rows, ("experiment",)).items():
        out += paired_block(exp, sub, level)
    return out


def _budget(sub: list) -> str:
    """'6000 epochs; ReLU's fall over the last 10%: adam m = 100: 1.02×, ...'."""
    first = {}
    for r in sub:
        first.setdefault((r["optimizer"], r["width"]), r)
    tails = ", ".join(f"{opt} m = {w}: {num(r['baseline_tail'])}×" for (opt, w), r in first.items())
    return f"Budget: {sub[0]['epochs']} epochs; the baseline's fall over the last 10% of them: {tails}."


def paired_block(heading: str, sub: list, level: str = "###") -> list[str]:
    """A heading with the paired comparisons of one experiment (C1, or one quantity of C5)."""
    shared = kit.shared_reason(sub)
    plain = "ReLU" if sub[0].get("plain", "ReLU") == "ReLU" else "plain"
    columns = [("optimizer", "l", lambda r: r["optimizer"]), ("m", "r", lambda r: r["width"]),
               ("schedule", "l", lambda r: r["label"]),
               ("HRTA lower", "r", lambda r: f"{r['n_lower']}/{r['n_tested']}"),
               (f"{plain}/HRTA (interval)", "l", kit.effect), ("p adj.", "r", lambda r: num(r["p_adjusted"])),
               ("pairs", "l", kit.fates), kit.verdict_column(shared)]
    seeds = sorted({r["n_seeds"] for r in sub})
    text = (f"n = {'/'.join(map(str, seeds))} seeds per setting. {_budget(sub)}"
            + kit.undecided_rows(shared))
    return [f"{level} {heading}", "", text, ""] + kit.pipe_table(columns, sub) + [""]


def c2_section(rep: dict) -> list[str]:
    """## C2: the width trend of every experiment, optimizer and schedule in one table."""
    rows = rep["C2"]
    out = ["## C2: the advantage grows with width", ""]
    if not rows:
        return out + [NO_BASELINE, ""]
    out += [f"Test: {rows[0]['test'] or 'none'} over the (width, seed) pairs; estimate: the Theil–Sen slope of the log "
            "ratio against log10 width, as the factor by which the ratio changes per tenfold width. *grows*: the "
            "ratio rises significantly with width and HRTA ends ahead of ReLU at the largest width (C1 holds "
            "there); *rises, HRTA not ahead*: it rises, but HRTA is not shown ahead at the largest width; "
            "*shrinks*: it falls. The budget column is ReLU's fall over the last 10% of the epochs at the "
            "largest width: where it is well above 1 (Adam), the trend is one at a fixed budget, not at "
            "convergence.", ""]
    columns = [("experiment", "l", lambda r: r["experiment"]), ("optimizer", "l", lambda r: r["optimizer"]),
               ("schedule", "l", lambda r: r["label"]),
               ("median ratio by width", "l",
                lambda r: ", ".join(f"{w}: {num(v)}" for w, v in r["median_ratio_by_width"].items())),
               ("C1 at the largest width", "l", lambda r: r["largest_verdict"] or "–"),
               ("budget", "r", lambda r: f"{num(r['baseline_tail'])}×"),
               *kit.trend_columns("factor per tenfold width"), ("verdict", "l", kit.verdict_text)]
    return out + kit.pipe_table(columns, rows) + [""]


def c5_section(rep: dict) -> list[str]:
    """## C5: one paired block per real-data experiment and quantity."""
    rows = rep.get("C5", [])
    out = ["## C5: HRTA helps on real data", ""]
    if not rows:
        return out + ["Not assessed: no real-data experiment with a ReLU baseline.", ""]
    out += ["C1's paired comparison on the real-data experiments (a plain MLP whose ReLUs are homotopized, "
            "trained with the HomotopySchedule callback), for the final training loss and for the final held-out "
            "error (1 − accuracy); each experiment and quantity one family. A held-out error of 0 has no log ratio "
            "(a pair left out as ≤ 0), and equal errors are ties.", ""]
    for (exp, quantity), sub in kit.groups(rows, ("experiment", "quantity")).items():
        out += paired_block(f"{exp}: {C5_NAMES[quantity]}", sub)
    return out
