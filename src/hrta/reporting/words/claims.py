"""The claims report as GitHub-flavoured Markdown (results/claims.md): a bottom line generated
from the numbers, then one compact table per experiment for C1, one for C2, one per real-data
experiment and quantity for C5, the regime maps ("Where HRTA helps", hrta.reporting.words.regime), the width
series toward the kernel limit (hrta.reporting.words.kernel_limit), the diverged runs, the Theorem 1 tables
(hrta.reporting.words.theorem1) and Theorem 1 beyond two-layer ReLU (hrta.reporting.words.beyond).
Plain pipe tables, no HTML."""

import math

import xarray as xr

from hrta.reporting.numbers import paired, trend
from hrta.reporting.words import kernel_limit, regime, theorem1
from hrta.reporting.words.beyond import beyond_bottom_line, beyond_section
from hrta.reporting.words.format import DASH, num

SHORT = {paired.WILCOXON: "Wilcoxon", paired.T_TEST: "t-test", trend.KENDALL: "Kendall",
         trend.KENDALL_DEPTH: "Kendall", None: "none"}
ESTIMATE = {paired.WILCOXON: "the Hodges–Lehmann ratio, exp of the median of the Walsh averages of the log ratios",
            paired.T_TEST: "the geometric-mean ratio, exp of the mean log ratio"}


def markdown(rep: dict, maps: dict | None = None, widths: xr.Dataset | None = None,
             beyond: dict | None = None) -> str:
    """The human-readable claims report; maps: regime name -> tested map (hrta.reporting.numbers.regime),
    widths: the width series toward the kernel limit (hrta.theory.kernel_regime.width_series),
    beyond: Theorem 1's verdict beyond two-layer ReLU (results/theory/beyond.json)."""
    out = ["# Claims of the paper, checked against these results", ""]
    out += _bottom_line(rep) + (regime.bottom_line(maps) if maps else [])
    out += [beyond_bottom_line(beyond), ""] if beyond else []
    out += _how_to_read(rep) + _c1_section(rep) + _c2_section(rep) + _c5_section(rep)
    out += _c3_section(rep) + _c4_section(rep) if "C3" in rep else []
    if maps:
        out += [regime.section(maps)]
    if widths is not None:
        out += _kernel_section(widths)
    out += _diverged_section(rep)
    if rep["theory"]:
        out += theorem1.section(rep["theory"])
    if beyond:
        out += beyond_section(beyond)
    return "\n".join(out)


def _bottom_line(rep: dict) -> list[str]:
    rows, out = rep["C1"], ["## Bottom line", ""]
    if not rows:
        return out + ["No experiment has a ReLU baseline (a single stage with s = 1): C1 and C2 not assessed."] + (
            _c5_bottom_line(rep) + [""])
    counts = _verdicts(rows)
    out += [f"C1, an HRTA schedule ends with a lower training loss than ReLU: of {len(rows)} settings "
            f"(experiment × optimizer × width × schedule), {counts['holds']} hold, {counts['contradicted']} are "
            f"contradicted and {counts['undecided']} are undecided at level {rep['settings']['alpha']}."
            + _holm_sentence(rows, rep["settings"]["alpha"]), ""]
    groups = list(_groups(rows, ("experiment", "optimizer")).items())
    out += _pipe_table([("experiment", "l", lambda g: g[0][0]), ("optimizer", "l", lambda g: g[0][1]),
                        ("settings", "r", lambda g: len(g[1]))]
                       + [(name, "r", lambda g, v=v: _verdicts(g[1])[v])
                          for name, v in zip(("hold", "contradicted", "undecided"), paired.VERDICTS)]
                       + [("reading", "l", lambda g: _reading(g[1]))], groups)
    c2 = _verdicts(rep["C2"], ("grows", "shrinks", "undecided"))
    out += ["", f"C2, the advantage grows with width: of {len(rep['C2'])} settings (experiment × optimizer × "
            f"schedule), it grows in {c2['grows']}, shrinks in {c2['shrinks']} and is undecided in {c2['undecided']}."]
    out += _c5_bottom_line(rep) + (_architectures_bottom_line(rep) if "C3" in rep else [])
    if rep["theory"]:
        out += ["", theorem1.bottom_line(rep["theory"])]
    return out + [""]


def _holm_sentence(rows: list, alpha: float) -> str:
    decided = [r for r in rows if r["verdict"] != "undecided"]
    if not decided:
        return ""
    kept = sum(1 for r in decided if r["p_holm"] < alpha)
    return (f" After Holm's adjustment over all {sum(1 for r in rows if r['test'])} C1 tests, {kept} of the "
            f"{len(decided)} decided settings stay significant.")


def _how_to_read(rep: dict) -> list[str]:
    s = rep["settings"]
    return ["## How to read this", "",
            f"Compared: {s['compared']}, paired {s['pairing']}; the ratio is ReLU/HRTA, above 1 when HRTA ends "
            "lower. A diverged run is the worst outcome: inside the rank tests it counts as a difference "
            "larger than any finite one. Verdicts, each at significance level "
            f"{s['alpha']} with two-sided p-values: *holds*, the test is significant and its own statistic "
            "says HRTA ends lower, and HRTA never diverged on a seed where ReLU finished; *contradicted*, "
            "significant the other way, and ReLU never diverged on a seed where HRTA finished; *undecided*, "
            "anything else, with the reason beside it. Intervals are at confidence "
            f"{num(1 - s['alpha'])}. p Holm: adjusted over all C1 tests together.", ""]


def _reading(sub: list) -> str:
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
    by_label = _groups(rows, ("label",))
    return ", ".join(f"{label} at m = {'/'.join(str(r['width']) for r in sub)}" for (label,), sub in by_label.items())


def _groups(rows: list, keys: tuple) -> dict:
    out = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def _verdicts(rows: list, names=paired.VERDICTS) -> dict:
    return {v: sum(1 for r in rows if r["verdict"] == v) for v in names}


def _verdict_text(row: dict) -> str:
    reason = row["reason"].replace("the method", "HRTA").replace("the baseline", "ReLU")
    return row["verdict"] + (f": {reason}" if reason else "")


def _interval(row: dict) -> str:
    """The confidence interval of a log-scale estimate, as ratios."""
    if math.isnan(row["ci_low"]):
        return DASH
    return f"{num(_exp(row['ci_low']))} to {num(_exp(row['ci_high']))}"


def _exp(v: float) -> float:
    return v if math.isnan(v) else math.exp(v)


def _tests_caption(rows: list, what: str) -> tuple[str, bool]:
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


def _pipe_table(columns: list, rows: list) -> list[str]:
    """A GitHub pipe table; columns: (header, alignment 'l' or 'r', cell function of a row)."""
    return (["| " + " | ".join(h for h, _, _ in columns) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for _, a, _ in columns) + "|"]
            + ["| " + " | ".join(str(f(r)) for _, _, f in columns) + " |" for r in rows])


def _shared_reason(rows: list) -> str:
    """The reason every undecided row gives, when they all give the same ('' otherwise)."""
    reasons = {r["reason"] for r in rows if r["verdict"] == "undecided"}
    return _verdict_text({"verdict": "", "reason": reasons.pop()})[2:] if len(reasons) == 1 else ""


def _verdict_column(shared: str):
    return ("verdict", "l", (lambda r: r["verdict"]) if shared else _verdict_text)


def _c1_section(rep: dict) -> list[str]:
    rows = rep["C1"]
    out = ["## C1: each HRTA schedule ends with a lower training loss than ReLU", ""]
    if not rows:
        return out + ["Not assessed: no ReLU baseline.", ""]
    for (exp,), sub in _groups(rows, ("experiment",)).items():
        out += _paired_block(exp, sub)
    return out


def _paired_block(heading: str, sub: list) -> list[str]:
    """A '### heading' with the paired comparisons of one experiment (C1, or one quantity of C5)."""
    caption, test_column = _tests_caption(sub, "")
    tested, shared = any(r["test"] for r in sub), _shared_reason(sub)
    seeds = sorted({r["n_seeds"] for r in sub})
    columns = [("optimizer", "l", lambda r: r["optimizer"]), ("m", "r", lambda r: r["width"]),
               ("schedule", "l", lambda r: r["label"]),
               ("HRTA lower", "r", lambda r: f"{r['n_lower']}/{r['n_seeds']}"),
               ("median ratio", "r", lambda r: num(r["median_ratio"]))]
    if tested:
        columns += [("estimate", "r", lambda r: num(_exp(r["estimate"]))), ("interval", "l", _interval)]
        columns += [("test", "l", lambda r: SHORT[r["test"]])] if test_column else []
        columns += [("p", "r", lambda r: num(r["p_value"])), ("p Holm", "r", lambda r: num(r["p_holm"]))]
    columns += [("diverged ReLU/HRTA", "r", lambda r: f"{r['only_baseline_diverged'] + r['both_diverged']}/"
                                                      f"{r['only_method_diverged'] + r['both_diverged']}"),
                _verdict_column(shared)]
    text = f"n = {'/'.join(map(str, seeds))} seeds per setting. " + (
        caption if tested else f"No test: {shared or 'too few comparable pairs'}.")
    out = [f"### {heading}", "", text + (f" Undecided rows: {shared}." if shared and tested else ""), ""]
    return out + _pipe_table(columns, sub) + [""]


def _c2_section(rep: dict) -> list[str]:
    rows = rep["C2"]
    out = ["## C2: the advantage grows with width", ""]
    if not rows:
        return out + ["Not assessed: no ReLU baseline.", ""]
    caption, _ = _tests_caption(rows, "the Theil–Sen slope of the log ratio against log10 width, written as the "
                                      "factor by which the ratio changes per tenfold width")
    shared = _shared_reason(rows)
    left_out = sum(r["left_out"] for r in rows)
    out += [caption + " Pairs: the (width, seed) pairs in the test; a run that diverged alone is the worst outcome "
            "of its pair, as in C1, and a pair with no comparison, both runs diverged or a gap ≤ 0, is left out"
            f" ({left_out} here). *grows* / *shrinks*: the test is significant and τ is positive / negative."
            + (f" Undecided rows: {shared}." if shared else ""), ""]
    verdict = _verdict_column(shared)[2]
    columns = [("experiment", "l", lambda r: r["experiment"]), ("optimizer", "l", lambda r: r["optimizer"]),
               ("schedule", "l", lambda r: r["label"]),
               ("median ratio by width", "l",
                lambda r: ", ".join(f"{w}: {num(v)}" for w, v in r["median_ratio_by_width"].items())),
               ("pairs", "r", lambda r: r["n_points"]), ("τ", "r", lambda r: num(r["tau"])),
               ("p", "r", lambda r: num(r["p_value"])),
               ("factor per tenfold width", "r", lambda r: num(_exp(r["slope"]))), ("interval", "l", _interval),
               ("verdict", "l", lambda r: verdict(r) + ("; HRTA behind ReLU at the largest width"
                                                        if r["behind_at_largest_width"] else ""))]
    return out + _pipe_table(columns, rows) + [""]


C5_NAMES = {"final_loss": "final training loss", "final_test_error": "final held-out error"}


def _c5_bottom_line(rep: dict) -> list[str]:
    rows = rep.get("C5", [])
    if not rows:
        return ["", "C5, HRTA helps on real data: not assessed (no real-data experiment with a ReLU baseline)."]
    parts = []
    for (quantity,), sub in _groups(rows, ("quantity",)).items():
        counts = _verdicts(sub)
        parts.append(f"on the {C5_NAMES[quantity]}, of {len(sub)} settings {counts['holds']} hold, "
                     f"{counts['contradicted']} are contradicted and {counts['undecided']} are undecided"
                     f" ({_reading(sub)})")
    return ["", f"C5, HRTA helps on real data ({', '.join(rep['real_data'])}): " + "; ".join(parts) + "."]


def _c5_section(rep: dict) -> list[str]:
    rows = rep.get("C5", [])
    out = ["## C5: HRTA helps on real data", ""]
    if not rows:
        return out + ["Not assessed: no real-data experiment with a ReLU baseline.", ""]
    out += ["C1's paired comparison on the real-data experiments (a plain MLP whose ReLUs are homotopized, "
            "trained with the HomotopySchedule callback), for the final training loss and for the final held-out "
            "error (1 − accuracy); the ratio is ReLU/HRTA as in C1, p Holm adjusted over the C5 tests alone. "
            "A held-out error of 0 has no log ratio (counted as not comparable), and equal errors are ties.", ""]
    for (exp, quantity), sub in _groups(rows, ("experiment", "quantity")).items():
        out += _paired_block(f"{exp}: {C5_NAMES[quantity]}", sub)
    return out


def _claim_counts(rows: list) -> str:
    counts = _verdicts(rows)
    return (f"of {len(rows)} settings {counts['holds']} hold, {counts['contradicted']} are contradicted and "
            f"{counts['undecided']} are undecided")


def _architectures_bottom_line(rep: dict) -> list[str]:
    out = []
    for claim, what in (("C3", "HRTA beats the plain activation (other bases, two-layer)"),
                        ("C4", "the benefit carries over to depth (deeper ReLU networks)")):
        rows = rep[claim]
        if not rows:
            out += ["", f"{claim}, {what}: not assessed (no such network in this profile)."]
            continue
        readings = "; ".join(f"{exp}, {opt}: {_reading(sub)}"
                             for (exp, opt), sub in _groups(rows, ("experiment", "optimizer")).items())
        out += ["", f"{claim}, {what}: {_claim_counts(rows)} ({readings})."]
    depth = rep["C4_depth"]
    if depth:
        c = _verdicts(depth, ("grows", "shrinks", "undecided"))
        out += ["", f"C4 with depth, the advantage grows with the number of hidden layers: of {len(depth)} settings "
                f"(experiment × optimizer × schedule × width) it grows in {c['grows']}, shrinks in {c['shrinks']} "
                f"and is undecided in {c['undecided']}."]
    return out


def _network_section(rep: dict, claim: str, heading: str, missing: str, intro: str) -> tuple[list[str], bool]:
    """'## heading', the intro and one paired block per generated experiment of ``claim``;
    and whether it has rows."""
    out = [f"## {claim}: {heading}", ""]
    if not rep[claim]:
        return out + [f"Not assessed: {missing} in this profile.", ""], False
    out += [intro, ""]
    for (exp,), sub in _groups(rep[claim], ("experiment",)).items():
        out += _paired_block(exp, sub)
    return out, True


def _c3_section(rep: dict) -> list[str]:
    return _network_section(
        rep, "C3", "HRTA beats the plain activation, for other base activations",
        "no two-layer network with another base",
        "C1's paired comparison for two-layer networks with σ_s = (1 − s) z + s b(z), b = tanh or GELU: the "
        "baseline is the plain activation b (s = 1 throughout), the ratio plain/HRTA of the final training loss, "
        "p Holm adjusted over the C3 tests alone. Same problem, optimizers, epochs and schedules as the "
        "experiment named first; gd at the same fraction of the network's own kernel limit 2n/λ_max.")[0]


def _c4_section(rep: dict) -> list[str]:
    out, assessed = _network_section(
        rep, "C4", "the benefit carries over to depth", "no network with more than one hidden layer",
        "C1's paired comparison for fully connected networks of L hidden ReLU layers (NTK parametrisation, "
        "every hidden layer homotopized with the same schedule): ratio plain/HRTA of the final training loss, "
        "p Holm adjusted over the C4 tests alone.")
    if not assessed:
        return out
    rows = rep["C4_depth"]
    caption, _ = _tests_caption(rows, "the Theil–Sen slope of the log ratio against the number of hidden layers, "
                                      "written as the factor by which the ratio changes per added layer")
    shared = _shared_reason(rows)
    out += ["### How the advantage changes with depth", "",
            caption + " Depth 1 is the generated two-layer ReLU network of that width, else the two-layer "
            "experiment's own runs where it has the width (its seeds); "
            "*grows* / *shrinks*: significant and τ positive / negative."
            + (f" Undecided rows: {shared}." if shared else ""),
            ""]
    verdict = _verdict_column(shared)[2]
    columns = [("experiment", "l", lambda r: r["source"]), ("optimizer", "l", lambda r: r["optimizer"]),
               ("schedule", "l", lambda r: r["label"]), ("m", "r", lambda r: r["width"]),
               ("median ratio by depth", "l",
                lambda r: ", ".join(f"L{d}: {num(v)}" for d, v in r["median_ratio_by_depth"].items())),
               ("pairs", "r", lambda r: r["n_points"]), ("τ", "r", lambda r: num(r["tau"])),
               ("p", "r", lambda r: num(r["p_value"])),
               ("factor per layer", "r", lambda r: num(_exp(r["slope"]))), ("interval", "l", _interval),
               ("verdict", "l", verdict)]
    return out + _pipe_table(columns, rows) + [""]


def _diverged_section(rep: dict) -> list[str]:
    rows = rep["diverged"]
    out = ["## Diverged runs", ""]
    if not rows:
        return out + ["None: every run finished with a finite loss.", ""]
    out += [f"{len(rows)} runs diverged, counted in the tests above:", ""]
    out += _pipe_table([(h, a, lambda r, k=k: r[k]) for h, a, k in (
        ("experiment", "l", "experiment"), ("optimizer", "l", "optimizer"), ("method", "l", "method"),
        ("m", "r", "width"), ("seed", "r", "seed"), ("first non-finite epoch", "r", "epoch"))], rows)
    return out + [""]


def _kernel_section(widths: xr.Dataset) -> list[str]:
    return ["## Toward the kernel limit", "",
            f"The paper's statements are about infinite width. Under {widths.attrs['optimizer']} on "
            f"{widths.attrs['experiment']}, the ratio ReLU/HRTA of the final training loss (median over "
            f"{widths.sizes['seed']} seeds) as trained, against the same ratio from the network linearised at "
            f"its initialisation ({widths.attrs['kernel']} kernel, same epochs, lr and switches):", "",
            *kernel_limit.sentences(widths), ""]
