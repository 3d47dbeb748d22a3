"""Theorem 1 beyond two-layer ReLU in the claims report: does lambda_min of the NTK Gram
matrix stay non-decreasing in s for deep homotopy ReLU networks, in the parametrisation the
project trains and in the variance-preserving one, and for smooth bases?

Reads the verdict file's dictionary (workflow/scripts/beyond_verdict.py writes it from
hrta.theory.beyond_verdict.beyond_verdict)."""

from hrta.reporting.facts import BASE_NAMES
from hrta.reporting.words import kit
from hrta.reporting.words.format import DASH, num
from hrta.reporting.words.theorem1 import gram_class

HEADING = "## Does Theorem 1's monotonicity hold beyond two-layer ReLU?"
VARIANCE_PRESERVING = "variance_preserving"
PARAMETRISATION_NAMES = {"unnormalised": "unnormalised hidden layers (the networks trained)",
                         VARIANCE_PRESERVING: "variance-preserving hidden layers (c² = 2 / (1 + (1 − s)²))"}
WHY = ("each unnormalised layer multiplies the signal's variance by its gain 1 − s + s²/2, which falls from 1 at "
       "s = 0 to 1/2 at s = 1, so over L layers λ_min carries (1 − s + s²/2)^L, and from that depth on its fall "
       "outweighs the growth that two layers have")


def network_name(entry: dict) -> str:
    """'ReLU, L = 2 hidden layers', 'ReLU, L = 2 hidden layers, variance-preserving' or 'two-layer tanh'."""
    base = BASE_NAMES[entry["base"]]
    if entry["base"] == "relu":
        name = f"ReLU, L = {entry['depth']} hidden layer" + ("s" if entry["depth"] > 1 else "")
        return name + (", variance-preserving" if entry.get("parametrisation") == VARIANCE_PRESERVING else "")
    return f"two-layer {base}" if entry["depth"] == 1 else f"{base}, L = {entry['depth']}"


def _intervals(part: dict) -> str:
    return ", ".join(f"[{num(a)}, {num(b)}]" for a, b in part["decreasing_intervals"])


def _grouped(entries: list[dict]) -> str:
    """'ReLU networks with L = 1, 2, 4 hidden layers, two-layer tanh': one phrase per base."""
    out = []
    for base in dict.fromkeys(e["base"] for e in entries):
        depths = [e["depth"] for e in entries if e["base"] == base]
        if base == "relu" or depths != [1]:
            out.append(f"{BASE_NAMES[base]} networks with L = {', '.join(map(str, depths))} hidden layer"
                       + ("s" if depths != [1] else ""))
        else:
            out.append(f"two-layer {BASE_NAMES[base]}")
    return ", ".join(out)


def depth_sentence(param: str, summary: dict) -> str:
    """'Deep ReLU networks with unnormalised hidden layers (…): it holds at L = 1, …, 5 and fails from L = 6 on
    (s in [0.5, 0.65] at L = 6, … at L = 8, on every experiment): <why>.' of one parametrisation."""
    name = PARAMETRISATION_NAMES.get(param, param)
    depths = summary["depths"]
    if not summary["fails"]:
        return f"Deep ReLU networks with {name}: it holds at every depth tried (L = {', '.join(map(str, depths))})."
    held = ", ".join(map(str, summary["holds"])) or "none"
    start = summary["fails_from_depth"]
    text = (f"Deep ReLU networks with {name}: it holds at L = {held} and fails "
            + (f"from L = {start} on" if start is not None else f"at L = {', '.join(map(str, summary['fails']))}"))
    where = []
    for depth, per_exp in summary["decreasing_intervals"].items():
        spans = {_spans(v) for v in per_exp.values() if v}
        if len(spans) == 1:
            every = ", on every experiment" if all(per_exp.values()) else ""
            where.append(f"s in {spans.pop()} at L = {depth}{every}")
        else:
            where.append(f"at L = {depth}: " + "; ".join(f"{exp} on s in {_spans(v)}" for exp, v in per_exp.items()
                                                       if v))
    text += f" (λ_min of the whole NTK decreasing for {'; '.join(where)})" if where else ""
    return text + (f": {WHY}." if param == "unnormalised" else ".")


def _spans(intervals: list) -> str:
    return ", ".join(f"[{num(a)}, {num(b)}]" for a, b in intervals)


def beyond_bottom_line(beyond: dict) -> str:
    """Theorem 1's monotonicity beyond two-layer ReLU: one sentence for which networks lambda_min
    is non-decreasing in s (every part, every experiment), where it decreases (the whole NTK's
    s intervals) and where it is undecided; then, for the deep ReLU networks, a sentence per
    parametrisation with the depth from which it fails and why."""
    holds, fails, undecided = [], [], []
    deep = beyond.get("parametrisations")
    for net, entry in beyond["networks"].items():
        if deep and entry["base"] == "relu" and entry["depth"] > 1:
            continue  # told per parametrisation below
        per_exp = {exp: e["networks"][net] for exp, e in beyond["experiments"].items()}
        if entry["verdict"] == "holds":
            holds.append(entry)
        elif entry["verdict"] == "fails":
            where = [f"{exp} on s in {_intervals(v['parts']['ntk'])}" for exp, v in per_exp.items()
                     if v["parts"]["ntk"]["verdict"] == "fails"]
            fails.append(f"{network_name(entry)} ({'; '.join(where) if where else 'in the output or hidden part'})")
        else:
            held = [exp for exp, v in per_exp.items() if v["verdict"] == "holds"]
            unresolved = [exp for exp, v in per_exp.items() if v["verdict"] == kit.NOT_DECIDABLE]
            undecided.append(f"{network_name(entry)} (" + (f"holds on {', '.join(held)}; " if held else "")
                             + f"unresolved values on {', '.join(unresolved)})")
    text = ("Theorem 1's monotonicity beyond two-layer ReLU (λ_min of the infinite-width Gram matrix non-decreasing "
            f"in s, every part, every experiment): holds for {_grouped(holds) if holds else 'none of the networks'}")
    text += kit.fails_and_undecided(fails, undecided, "; ") + "."
    if deep:
        text += " " + " ".join(depth_sentence(p, v) for p, v in deep.items())
    return text


def beyond_section(beyond: dict) -> list[str]:
    """The Markdown lines of the section: bottom line, and per experiment a table with a row
    per network: the verdict of each part, and for the whole NTK the s intervals where
    lambda_min decreases, lambda_min(s)/lambda_min(1) and the finite networks' verdicts."""
    out = [HEADING, "", beyond_bottom_line(beyond), "",
           "Networks: homotopy ReLU networks with L hidden layers, σ_s(z) = (1 − s/2) z + (s/2)|z| in every "
           "layer (NTK parametrisation, closed-form layer recursion), their hidden-to-hidden layers "
           "h^{l+1} = c m^{−1/2} W σ_s(h^l) unnormalised (c = 1, the networks trained) unless marked "
           "*variance-preserving* (c² = 2 / (1 + (1 − s)²), the inverse of the layer's gain), and two-layer "
           "networks with "
           "σ_s(z) = (1 − s) z + s b(z) for a smooth base b (bivariate Gaussian expectations by quadrature). "
           "Parts: *output* (gradient in the output weights), *hidden* (in every hidden layer's weights), *ntk* "
           "(their sum). A step of the fine grid counts as a decrease when λ_min falls by more than "
           f"{num(beyond['tolerance'], '.1e')} of its value plus the resolution level at both ends (rounding "
           "ε·n·λ_max plus the quadrature error estimate); values at or below it are *unresolved*, and a part with "
           f"unresolved values and no decrease is *{kit.NOT_DECIDABLE}*. Ratios are λ_min(s)/λ_min(1) at infinite "
           "width, of the whole NTK (– where unresolved). *finite*: the verdict on the seed-mean λ_min of the "
           "networks at initialisation over their s, per width (– where not computed), with the class of their Gram "
           "matrices: *singular* with exact null directions (counted from the kinks or the parameters; λ_min is then "
           "an exact 0 at those s), or λ_min *resolved* or *unresolved* (near-singular) at rounding level.", ""]
    for exp, entry in beyond["experiments"].items():
        out += _experiment(exp, entry)
    return out


def _experiment(exp: str, entry: dict) -> list[str]:
    some = next(iter(entry["networks"].values()))["parts"]["ntk"]
    columns = [("network", "l", network_name), ("verdict: ntk", "l", lambda n: n["parts"]["ntk"]["verdict"])]
    columns += [(part, "l", lambda n, part=part: n["parts"][part]["verdict"]) for part in ("output", "hidden")]
    columns += [("ntk decreasing on s in", "l", lambda n: _intervals(n["parts"]["ntk"]) or DASH),
                ("unresolved s (ntk)", "r", lambda n: len(n["parts"]["ntk"]["unresolved_s"]))]
    columns += [(f"ratio at s = {v}", "r", lambda n, k=k: _ratio(list(n["parts"]["ntk"]["ratio_to_s1"].values())[k]))
                for k, v in enumerate(some["ratio_to_s1"])]
    widths = dict.fromkeys(w for n in entry["networks"].values() for w in n["parts"]["ntk"]["finite"])
    columns += [(f"finite m = {w}", "l", lambda n, w=w: _finite(n["parts"]["ntk"]["finite"].get(w))) for w in widths]
    return [f"### {exp}", "", kit.grid_sentence(entry), ""] + kit.pipe_table(columns, entry["networks"].values()) + [""]


def _ratio(r) -> str:
    return num(r) if r is not None else DASH


def _finite(row: dict | None) -> str:
    """'holds' or 'holds; singular, 51–65 null (kinks)' of a width's finite networks."""
    if row is None:
        return DASH
    if "classes" not in row or row["classes"] == {"resolved": row["n_seeds"]}:
        return row["verdict"]
    return f"{row['verdict']}; {gram_class(row)}"
