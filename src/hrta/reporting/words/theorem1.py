"""Theorem 1 in the claims report: per experiment a table of lambda_min, its ratios to s = 1
against s², the condition number and the monotonicity verdict, with one sentence per part.

Reads the verdict file's dictionary (workflow/scripts/theorem1_verdict.py writes it from
hrta.theory.spectra.monotone_verdict and at_s)."""

import math

from hrta.reporting.words import kit
from hrta.reporting.words.format import DASH, num
from hrta.theory.spectra import PART_MEANING

ROUNDING = "rounding"
FINITE_READING = {"holds": "does not decrease over these s", "fails": "decreases somewhere over these s",
                  kit.NOT_DECIDABLE: "is at rounding level at some of these s"}


def bottom_line(theory: dict) -> str:
    """One sentence: Theorem 1's verdict over every experiment and part."""
    parts = [(exp, part, p["verdict"]) for exp, e in theory["experiments"].items() for part, p in e["parts"].items()]
    counts = {v: sum(1 for *_, x in parts if x == v) for v in ("holds", "fails", kit.NOT_DECIDABLE)}
    text = (f"Theorem 1, λ_min of the infinite-width Gram matrix non-decreasing in s: holds for {counts['holds']} "
            f"of {len(parts)} experiment × kernel-part combinations")
    failing = [f"{part} of {exp}" for exp, part, v in parts if v == "fails"]
    undecided = [f"{part} of {exp}" for exp, part, v in parts if v == kit.NOT_DECIDABLE]
    return text + kit.fails_and_undecided(failing, undecided, ", ") + "."


def section(theory: dict) -> list[str]:
    """The Markdown lines of the Theorem 1 section."""
    out = ["## Theorem 1: λ_min of the NTK Gram matrix does not decrease as s grows", "",
           "Kernel parts: " + "; ".join(f"*{k}*, {v}" for k, v in PART_MEANING.items()) + ". "
           "Rows *∞* are the infinite-width Gram matrices, rows *m = …* the finite networks at "
           "initialisation, mean over their seeds. Ratios are λ_min(s)/λ_min(1), to be set against s². "
           "κ = λ_max/λ_min is the condition number. The verdict of an ∞ row is for the whole fine "
           "grid of s, that of a finite row for the s of the table: a step counts as a decrease when "
           f"λ_min falls by more than {num(theory['tolerance'], '.1e')} of its value plus the "
           "eigensolver's rounding level ε·n·λ_max at both ends. "
           f"*{ROUNDING}*: λ_min at or below that level, indistinguishable from 0; where any λ_min "
           "on the grid is, the verdict is *not decidable at this precision*, unless a decrease is seen.", ""]
    for exp, entry in theory["experiments"].items():
        out += _experiment(exp, entry)
    return out


def _experiment(exp: str, entry: dict) -> list[str]:
    some = next(iter(entry["at_s"].values()))["infinite"]
    s = some["s"]
    ref = s.index(1.0) if 1.0 in s else 0
    others = [k for k in range(len(s)) if k != ref]
    columns = [("part", "l", lambda r: r[0]), ("network", "l", lambda r: "∞" if r[1] == "infinite" else f"m = {r[1]}")]
    columns += [(f"λ_min at s = {num(v)}", "r", lambda r, k=k: _lam(r[2], k)) for k, v in enumerate(s)]
    columns += [(f"ratio at s = {num(s[k])}, s² = {num(s[k] ** 2 / s[ref] ** 2)}", "r",
                 lambda r, k=k: _ratio(r[2], k, ref)) for k in others]
    columns += [(f"κ at s = {num(v)}", "r", lambda r, k=k: _kappa(r[2], k)) for k, v in enumerate(s)]
    columns += [("verdict", "l", lambda r: entry["parts"][r[0]]["verdict"] if r[1] == "infinite" else r[2]["verdict"])]
    table = [(part, name, row) for part, rows in entry["at_s"].items() for name, row in rows.items()]
    sentences = [_sentence(part, rows, entry["parts"][part], s, ref, others, len(entry["s"]))
                 for part, rows in entry["at_s"].items()]
    return [f"### {exp}", "", kit.grid_sentence(entry), ""] + kit.pipe_table(columns, table) + [""] + sentences + [""]


def _resolved(row: dict, k: int) -> bool:
    return row["lambda_min"][k] > row["rounding_level"][k]


def _lam(row: dict, k: int) -> str:
    return num(row["lambda_min"][k]) if _resolved(row, k) else ROUNDING


def _ratio(row: dict, k: int, ref: int) -> str:
    if not (_resolved(row, k) and _resolved(row, ref)):
        return DASH
    return num(row["lambda_min"][k] / row["lambda_min"][ref])


def _kappa(row: dict, k: int) -> str:
    if _resolved(row, k):
        return num(row["lambda_max"][k] / row["lambda_min"][k])
    return "> " + num(row["lambda_max"][k] / row["rounding_level"][k])


def _growth(row: dict, s: list, ref: int, others: list) -> str:
    """'like s²' or 'like s^1.3 to s^1.5': the power p with ratio = (s / s_ref)^p."""
    powers = [math.log(row["lambda_min"][k] / row["lambda_min"][ref]) / math.log(s[k] / s[ref]) for k in others]
    if all(abs(p - 2) < 0.05 for p in powers):
        return "in proportion to s²"
    lo, hi = min(powers), max(powers)
    return f"like s^{num(lo, '.2g')}" if abs(hi - lo) < 0.05 else f"like s^{num(lo, '.2g')} to s^{num(hi, '.2g')}"


def _sentence(part: str, rows: dict, fine: dict, s: list, ref: int, others: list, n_grid: int) -> str:
    inf = rows["infinite"]
    text = f"- *{part}*: "
    if all(_resolved(inf, k) for k in range(len(s))):
        text += (f"at infinite width λ_min goes from {num(inf['lambda_min'][0])} at s = {num(s[0])} to "
                 f"{num(inf['lambda_min'][-1])} at s = {num(s[-1])}, {_growth(inf, s, ref, others)}, and ")
    else:
        text += "at infinite width λ_min is at rounding level at some of these s, and "
    if fine["verdict"] == "holds":
        text += f"it does not decrease anywhere on the {n_grid} grid values of s, so Theorem 1 holds here"
    elif fine["verdict"] == "fails":
        first = fine["decreasing_steps"][0]
        text += (f"it decreases on {len(fine['decreasing_steps'])} grid steps, first between s = {num(first[0])} "
                 f"and {num(first[1])}, against Theorem 1")
    else:
        text += (f"it shows no decrease where it is resolved, but at {len(fine['unresolved_s'])} grid values of s "
                 f"from {num(fine['unresolved_s'][0])} it is at rounding level, so Theorem 1 is not decidable "
                 "there at this precision")
    finite = {name: row for name, row in rows.items() if name != "infinite"}
    if finite and all(not _resolved(row, k) for row in finite.values() for k in range(len(s))):
        text += ("; the finite networks' Gram matrices at initialisation are singular to working precision at "
                 "every width, so they neither confirm nor contradict it")
    elif finite:
        name, row = list(finite.items())[-1]
        text += f"; at m = {name} at initialisation λ_min {FINITE_READING[row['verdict']]}"
        if row["verdict"] == "holds":
            text += f", growing {_growth(row, s, ref, others)}"
    return text + "."
