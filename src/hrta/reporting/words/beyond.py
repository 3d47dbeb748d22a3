"""Theorem 1 beyond two-layer ReLU in the claims report: does lambda_min of the NTK Gram
matrix stay non-decreasing in s for deep homotopy ReLU networks and for smooth bases?

Reads the verdict file's dictionary (workflow/scripts/beyond_verdict.py writes it from
hrta.theory.beyond.beyond_verdict)."""

from hrta.reporting.facts import BASE_NAMES
from hrta.reporting.words import kit
from hrta.reporting.words.format import DASH, num

HEADING = "## Does Theorem 1's monotonicity hold beyond two-layer ReLU?"


def network_name(entry: dict) -> str:
    """'ReLU, L = 2 hidden layers' or 'two-layer tanh'."""
    base = BASE_NAMES[entry["base"]]
    if entry["base"] == "relu":
        return f"ReLU, L = {entry['depth']} hidden layer" + ("s" if entry["depth"] > 1 else "")
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


def beyond_bottom_line(beyond: dict) -> str:
    """One sentence: for which networks lambda_min is non-decreasing in s (every part, every
    experiment), where it decreases (the whole NTK's s intervals), and where it is undecided."""
    holds, fails, undecided = [], [], []
    for net, entry in beyond["networks"].items():
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
    return text + kit.fails_and_undecided(fails, undecided, "; ") + "."


def beyond_section(beyond: dict) -> list[str]:
    """The Markdown lines of the section: bottom line, and per experiment a table with a row
    per network: the verdict of each part, and for the whole NTK the s intervals where
    lambda_min decreases, lambda_min(s)/lambda_min(1) and the finite networks' verdicts."""
    out = [HEADING, "", beyond_bottom_line(beyond), "",
           "Networks: homotopy ReLU networks with L hidden layers, σ_s(z) = (1 − s/2) z + (s/2)|z| in every "
           "layer (NTK parametrisation, closed-form layer recursion), and two-layer networks with "
           "σ_s(z) = (1 − s) z + s b(z) for a smooth base b (bivariate Gaussian expectations by quadrature). "
           "Parts: *output* (gradient in the output weights), *hidden* (in every hidden layer's weights), *ntk* "
           "(their sum). A step of the fine grid counts as a decrease when λ_min falls by more than "
           f"{num(beyond['tolerance'], '.1e')} of its value plus the resolution level at both ends (rounding "
           "ε·n·λ_max plus the quadrature error estimate); values at or below it are *unresolved*, and a part with "
           f"unresolved values and no decrease is *{kit.NOT_DECIDABLE}*. Ratios are λ_min(s)/λ_min(1) at infinite "
           "width, of the whole NTK (– where unresolved). *finite*: the seed-mean λ_min of the networks at "
           "initialisation over their s, per width.", ""]
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
    columns += [(f"finite m = {w}", "l", lambda n, w=w: n["parts"]["ntk"]["finite"][w]["verdict"])
                for w in some["finite"]]
    return [f"### {exp}", "", kit.grid_sentence(entry), ""] + kit.pipe_table(columns, entry["networks"].values()) + [""]


def _ratio(r) -> str:
    return num(r) if r is not None else DASH
