"""Claims C1, C2 and C5 in the claims report: the bottom line's sentences and the sections of
the paired comparisons with ReLU (C1; C5 on real data) and of their trend over width (C2), one
pipe table per experiment (hrta.reporting.numbers.claims makes the rows)."""

from hrta.reporting.numbers import paired, trend
from hrta.reporting.words import kit
from hrta.reporting.words.format import num

C5_NAMES = {"final_loss": "final training loss", "final_test_error": "final held-out error"}
NO_BASELINE = "Not assessed: no ReLU baseline."


def bottom_line(rep: dict) -> list[str]:
    """The bottom line's C1 sentence and table, C2 sentence and C5 sentence."""
    rows = rep["C1"]
    if not rows:
        return ["No experiment has a ReLU baseline (a single stage with s = 1): C1 and C2 not assessed."] + (
            _c5_bottom_line(rep))
    counts = kit.verdicts(rows)
    out = [f"C1, an HRTA schedule ends with a lower training loss than ReLU: of {len(rows)} settings "
           f"(experiment × optimizer × width × schedule), {counts['holds']} hold, {counts['contradicted']} are "
           f"contradicted and {counts['undecided']} are undecided at level {rep['settings']['alpha']}."
           + _holm_sentence(rows, rep["settings"]["alpha"]), ""]
    by_setting = list(kit.groups(rows, ("experiment", "optimizer")).items())
    out += kit.pipe_table([("experiment", "l", lambda g: g[0][0]), ("optimizer", "l", lambda g: g[0][1]),
                           ("settings", "r", lambda g: len(g[1]))]
                          + [(name, "r", lambda g, v=v: kit.verdicts(g[1])[v])
                             for name, v in zip(("hold", "contradicted", "undecided"), paired.VERDICTS)]
                          + [("reading", "l", lambda g: kit.reading(g[1]))], by_setting)
    c2 = kit.verdicts(rep["C2"], trend.VERDICTS)
    out += ["", f"C2, the advantage grows with width: of {len(rep['C2'])} settings (experiment × optimizer × "
            f"schedule), it grows in {c2['grows']}, shrinks in {c2['shrinks']} and is undecided in {c2['undecided']}."]
    return out + _c5_bottom_line(rep)


def _holm_sentence(rows: list, alpha: float) -> str:
    decided = [r for r in rows if r["verdict"] != "undecided"]
    if not decided:
        return ""
    kept = sum(1 for r in decided if r["p_holm"] < alpha)
    return (f" After Holm's adjustment over all {sum(1 for r in rows if r['test'])} C1 tests, {kept} of the "
            f"{len(decided)} decided settings stay significant.")


def _c5_bottom_line(rep: dict) -> list[str]:
    rows = rep.get("C5", [])
    if not rows:
        return ["", "C5, HRTA helps on real data: not assessed (no real-data experiment with a ReLU baseline)."]
    parts = [f"on the {C5_NAMES[quantity]}, {kit.claim_counts(sub)} ({kit.reading(sub)})"
             for (quantity,), sub in kit.groups(rows, ("quantity",)).items()]
    return ["", f"C5, HRTA helps on real data ({', '.join(rep['real_data'])}): " + "; ".join(parts) + "."]


def c1_section(rep: dict) -> list[str]:
    """## C1: one paired block per experiment."""
    rows = rep["C1"]
    out = ["## C1: each HRTA schedule ends with a lower training loss than ReLU", ""]
    if not rows:
        return out + [NO_BASELINE, ""]
    return out + paired_blocks(rows)


def paired_blocks(rows: list) -> list[str]:
    """One paired block per experiment of the rows (C1, C3, C4)."""
    out = []
    for (exp,), sub in kit.groups(rows, ("experiment",)).items():
        out += paired_block(exp, sub)
    return out


def paired_block(heading: str, sub: list) -> list[str]:
    """A '### heading' with the paired comparisons of one experiment (C1, or one quantity of C5)."""
    caption, test_column = kit.tests_caption(sub, "")
    tested, shared = any(r["test"] for r in sub), kit.shared_reason(sub)
    seeds = sorted({r["n_seeds"] for r in sub})
    columns = [("optimizer", "l", lambda r: r["optimizer"]), ("m", "r", lambda r: r["width"]),
               ("schedule", "l", lambda r: r["label"]),
               ("HRTA lower", "r", lambda r: f"{r['n_lower']}/{r['n_seeds']}"),
               ("median ratio", "r", lambda r: num(r["median_ratio"]))]
    if tested:
        columns += [("estimate", "r", lambda r: num(kit.as_ratio(r["estimate"]))), ("interval", "l", kit.interval)]
        columns += [("test", "l", lambda r: kit.SHORT[r["test"]])] if test_column else []
        columns += [("p", "r", lambda r: num(r["p_value"])), ("p Holm", "r", lambda r: num(r["p_holm"]))]
    plain = "ReLU" if sub[0].get("plain", "ReLU") == "ReLU" else "plain"  # the baseline, one per block
    columns += [(f"diverged {plain}/HRTA", "r", lambda r: f"{r['only_baseline_diverged'] + r['both_diverged']}/"
                                                      f"{r['only_method_diverged'] + r['both_diverged']}"),
                kit.verdict_column(shared)]
    text = f"n = {'/'.join(map(str, seeds))} seeds per setting. " + (
        caption if tested else f"No test: {shared or 'too few comparable pairs'}.")
    out = [f"### {heading}", "", text + (kit.undecided_rows(shared) if tested else ""), ""]
    return out + kit.pipe_table(columns, sub) + [""]


def c2_section(rep: dict) -> list[str]:
    """## C2: the width trend of every experiment, optimizer and schedule in one table."""
    rows = rep["C2"]
    out = ["## C2: the advantage grows with width", ""]
    if not rows:
        return out + [NO_BASELINE, ""]
    caption, _ = kit.tests_caption(rows, "the Theil–Sen slope of the log ratio against log10 width, written as "
                                         "the factor by which the ratio changes per tenfold width")
    shared = kit.shared_reason(rows)
    left_out = sum(r["left_out"] for r in rows)
    out += [caption + " Pairs: the (width, seed) pairs in the test; a run that diverged alone is the worst outcome "
            "of its pair, as in C1, and a pair with no comparison, both runs diverged or a gap ≤ 0, is left out"
            f" ({left_out} here). *grows* / *shrinks*: the test is significant and τ is positive / negative."
            + kit.undecided_rows(shared), ""]
    verdict = kit.verdict_column(shared)[2]
    columns = [("experiment", "l", lambda r: r["experiment"]), ("optimizer", "l", lambda r: r["optimizer"]),
               ("schedule", "l", lambda r: r["label"]),
               ("median ratio by width", "l",
                lambda r: ", ".join(f"{w}: {num(v)}" for w, v in r["median_ratio_by_width"].items())),
               *kit.trend_columns("factor per tenfold width"),
               ("verdict", "l", lambda r: verdict(r) + ("; HRTA behind ReLU at the largest width"
                                                        if r["behind_at_largest_width"] else ""))]
    return out + kit.pipe_table(columns, rows) + [""]


def c5_section(rep: dict) -> list[str]:
    """## C5: one paired block per real-data experiment and quantity."""
    rows = rep.get("C5", [])
    out = ["## C5: HRTA helps on real data", ""]
    if not rows:
        return out + ["Not assessed: no real-data experiment with a ReLU baseline.", ""]
    out += ["C1's paired comparison on the real-data experiments (a plain MLP whose ReLUs are homotopized, "
            "trained with the HomotopySchedule callback), for the final training loss and for the final held-out "
            "error (1 − accuracy); the ratio is ReLU/HRTA as in C1, p Holm adjusted over the C5 tests alone. "
            "A held-out error of 0 has no log ratio (counted as not comparable), and equal errors are ties.", ""]
    for (exp, quantity), sub in kit.groups(rows, ("experiment", "quantity")).items():
        out += paired_block(f"{exp}: {C5_NAMES[quantity]}", sub)
    return out
