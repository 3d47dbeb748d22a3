"""Claims C3 and C4 in the claims report: the bottom line's depth sentence, one paired block per
generated network (hrta.reporting.numbers.architectures makes the rows) and the table of
how the advantage changes with depth."""

from hrta.reporting.numbers import trend
from hrta.reporting.words import kit
from hrta.reporting.words.comparisons import paired_blocks
from hrta.reporting.words.format import num


def depth_line(rep: dict) -> list[str]:
    """The bottom line's sentence on C4's depth trend ([] without deep networks)."""
    depth = rep.get("C4_depth", [])
    if not depth:
        return []
    c = kit.verdicts(depth, trend.VERDICTS)
    return [f"C4 with depth, the advantage over the plain network grows with the number of hidden layers: of "
            f"{len(depth)} settings (experiment × optimizer × schedule × width) it grows in {c['grows']}, shrinks "
            f"in {c['shrinks']} and is undecided in {c['undecided']}.", ""]


def _network_section(rep: dict, claim: str, heading: str, missing: str, intro: str) -> tuple[list[str], bool]:
    """'## heading', the intro and one paired block per generated experiment of ``claim``;
    and whether it has rows."""
    out = [f"## {claim}: {heading}", ""]
    if not rep[claim]:
        return out + [f"Not assessed: {missing} in this profile.", ""], False
    return out + [intro, ""] + paired_blocks(rep[claim]), True


def c3_section(rep: dict) -> list[str]:
    """## C3: other base activations."""
    return _network_section(
        rep, "C3", "HRTA beats the plain activation, for other base activations",
        "no two-layer network with another base",
        "C1's paired comparison for two-layer networks with σ_s = (1 − s) z + s b(z), b = tanh or GELU: the "
        "baseline is the plain activation b (s = 1 throughout), the ratio plain/HRTA of the final training loss, "
        "the C3 rows one family. Same problem, optimizers, epochs and schedules as the "
        "experiment named first; gd at the same fraction of the network's own kernel limit 2n/λ_max.")[0]


def c4_section(rep: dict) -> list[str]:
    """## C4: deeper ReLU networks, and how the advantage changes with depth."""
    out, assessed = _network_section(
        rep, "C4", "the benefit carries over to depth", "no network with more than one hidden layer",
        "C1's paired comparison for fully connected networks of L hidden ReLU layers (NTK parametrisation, "
        "every hidden layer homotopized with the same schedule): ratio plain/HRTA of the final training loss, "
        "the C4 rows one family.")
    if not assessed:
        return out
    rows = rep["C4_depth"]
    caption = (f"Test: {rows[0]['test']}; estimate: the Theil–Sen slope of the log ratio against the number of "
               "hidden layers, written as the factor by which the ratio changes per added layer.")
    shared = kit.shared_reason(rows)
    out += ["### How the advantage changes with depth", "",
            caption + " Depth 1 is the generated two-layer ReLU network of that width, else the two-layer "
            "experiment's own runs where it has the width (its seeds); the rows one family; "
            "*grows* / *shrinks*: significant after adjustment and τ positive / negative."
            + kit.undecided_rows(shared),
            ""]
    columns = [("experiment", "l", lambda r: r["source"]), ("optimizer", "l", lambda r: r["optimizer"]),
               ("schedule", "l", lambda r: r["label"]), ("m", "r", lambda r: r["width"]),
               ("median ratio by depth", "l",
                lambda r: ", ".join(f"L{d}: {num(v)}" for d, v in r["median_ratio_by_depth"].items())),
               *kit.trend_columns("factor per layer"), kit.verdict_column(shared)]
    return out + kit.pipe_table(columns, rows) + [""]
