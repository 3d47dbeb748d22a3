"""Theorem 1 in the claims report: per experiment a table of lambda_min, its ratios to s = 1
against s², the condition number, the monotonicity verdict and the class of the finite
networks' Gram matrices, with one sentence per part: how the infinite-width value was decided
(on the null space of G: mu) and what the finite networks show (exact null directions, and
lambda_min beyond them).

Reads the verdict file's dictionary only (workflow/scripts/theorem1_verdict.py writes it from
hrta.theory.theorem1_verdict.monotone_verdict and at_s, with the parts' meanings and the sources of
null directions): no theory module, so no torch."""

import math

from hrta.reporting.words import kit
from hrta.reporting.words.format import DASH, num

ROUNDING = "rounding"
FINITE_READING = {"holds": "does not decrease over these s", "fails": "decreases somewhere over these s",
                  kit.NOT_DECIDABLE: "is at rounding level at some of these s"}
EXACT_ZERO = "0 (exact)"


def bottom_line(theory: dict) -> str:
    """One sentence: Theorem 1's verdict over every experiment and part."""
    parts = [(exp, part, p["verdict"]) for exp, e in theory["experiments"].items() for part, p in e["parts"].items()]
    counts = {v: sum(1 for *_, x in parts if x == v) for v in ("holds", "fails", kit.NOT_DECIDABLE)}
    text = (f"Theorem 1, λ_min of the infinite-width Gram matrix non-decreasing in s: holds for {counts['holds']} "
            f"of {len(parts)} experiment × kernel-part combinations")
    failing = [f"{part} of {exp}" for exp, part, v in parts if v == "fails"]
    undecided = [f"{part} of {exp}" for exp, part, v in parts if v == kit.NOT_DECIDABLE]
    mus = [f"{num(e['parts']['output']['null_space']['mu'])} ({exp})" for exp, e in theory["experiments"].items()
           if e["parts"].get("output", {}).get("null_space")]
    decided = (" (the output part decided on the null space of G, where it is (s/2)² times at most "
               f"μ = {', '.join(mus)})" if mus else "")
    return text + decided + kit.fails_and_undecided(failing, undecided, ", ") + "."


def section(theory: dict) -> list[str]:
    """The Markdown lines of the Theorem 1 section."""
    meaning = theory.get("part_meaning", {})
    out = ["## Theorem 1: λ_min of the NTK Gram matrix does not decrease as s grows", "",
           ("Kernel parts: " + "; ".join(f"*{k}*, {v}" for k, v in meaning.items()) + ". " if meaning else "")
           + "Each part is (1 − s/2)² G + (s/2)² AA, G = x̃·x̃′ of rank d + 1 and AA its ReLU half "
           "(E|u||v| for the output part, since σ_s(z) = (1 − s/2) z + (s/2)|z| and the cross terms vanish by "
           "symmetry). On the null space of G the part is exactly (s/2)² AA, so λ_min(s) ≤ (s/2)² μ with "
           "μ = λ_min of AA there, and λ_min is computed with G split off (inertia in the basis of G's range and "
           "null space), to a rounding level (s/2)² ε·n·λ_max(AA): resolved at every s where a plain eigensolver, "
           "at ε·n·λ_max(K(s)), is not (small s). "
           "Rows *∞* are the infinite-width Gram matrices, rows *m = …* the finite networks at "
           "initialisation, mean over their seeds. Ratios are λ_min(s)/λ_min(1), to be set against s². "
           "κ = λ_max/λ_min is the condition number. The verdict of an ∞ row is for the whole fine "
           "grid of s, that of a finite row for the s of the table: a step counts as a decrease when "
           f"λ_min falls by more than {num(theory['tolerance'], '.1e')} of its value plus the "
           "rounding level at both ends (the one above for ∞ rows, ε·n·λ_max for finite rows). "
           f"*{ROUNDING}*: λ_min at or below that level, indistinguishable from 0; where any λ_min "
           "on the grid is, the verdict is *not decidable at this precision*, unless a decrease is seen. "
           "*Gram*: the finite networks' Gram matrices, *singular* with exact null directions (counted, not "
           "thresholded: " + "; ".join(theory.get("null_sources", {}).values()) + "), where λ_min is "
           f"{EXACT_ZERO}, else λ_min *resolved* or *unresolved* (near-singular: at rounding level), per seed; "
           "where some seed's is singular, the values, ratios and κ are those of λ_min beyond its null "
           "directions.", ""]
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
    columns += [("Gram", "l", lambda r: DASH if r[1] == "infinite" else gram_class(r[2]))]
    table = [(part, name, row) for part, rows in entry["at_s"].items() for name, row in rows.items()]
    sentences = [_sentence(part, rows, entry["parts"][part], s, ref, others, len(entry["s"]))
                 for part, rows in entry["at_s"].items()]
    return [f"### {exp}", "", kit.grid_sentence(entry), ""] + kit.pipe_table(columns, table) + [""] + sentences + [""]


def _singular(row: dict) -> bool:
    """Every seed's Gram matrix exactly singular: lambda_min an exact 0."""
    return _classes(row).get("singular", 0) == _seeds(row)


def _values(row: dict) -> list:
    """What the row's ratios and growth are taken of: lambda_min, or beyond the exact null
    directions where a seed's Gram matrix has them (lambda_min itself for the others)."""
    return row["lambda_beyond_null"] if row.get("null_directions", [0, 0])[1] > 0 else row["lambda_min"]


def _resolved(row: dict, k: int) -> bool:
    return _values(row)[k] > row["rounding_level"][k]


def _lam(row: dict, k: int) -> str:
    if _singular(row):
        return EXACT_ZERO
    return num(_values(row)[k]) if _resolved(row, k) else ROUNDING


def _ratio(row: dict, k: int, ref: int) -> str:
    if not (_resolved(row, k) and _resolved(row, ref)):
        return DASH
    return num(_values(row)[k] / _values(row)[ref])


def _kappa(row: dict, k: int) -> str:
    if _singular(row):
        return "∞"
    if _resolved(row, k):
        return num(row["lambda_max"][k] / _values(row)[k])
    return "> " + num(row["lambda_max"][k] / row["rounding_level"][k])


def _classes(row: dict) -> dict:
    """{class: seeds} of a finite row; from its values where the file predates the classes."""
    if "classes" in row:
        return row["classes"]
    kind = "resolved" if all(_resolved(row, k) for k in range(len(row["s"]))) else "unresolved"
    return {kind: _seeds(row)}


def _seeds(row: dict) -> int:
    return row.get("n_seeds") or 1


def _count(row: dict) -> str:
    lo, hi = row["null_directions"]
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _nulls(row: dict) -> str:
    """'1 null direction', '73–79 null directions', 'at least 433–471 null directions' where
    lambda_min beyond them is not resolved (the counts bound the null space from below)."""
    exact = row.get("beyond_null_verdict") in ("holds", "fails")
    return ("" if exact else "at least ") + _count(row) + " null direction" + ("" if row["null_directions"][1] == 1
                                                                               else "s")


def gram_class(row: dict) -> str:
    """'singular, 73–79 null (kinks); 2 of 3 unresolved' of a finite row."""
    classes, seeds = _classes(row), _seeds(row)
    out = []
    for kind, count in classes.items():
        text = kind if count == seeds else f"{count} of {seeds} {kind}"
        if kind == "singular":
            text += f", {_count(row)} null ({', '.join(row['sources'])})"
        out.append(text)
    return "; ".join(out)


def _growth(row: dict, s: list, ref: int, others: list) -> str:
    """'like s²' or 'like s^1.3 to s^1.5': the power p with ratio = (s / s_ref)^p."""
    lam = _values(row)
    powers = [math.log(lam[k] / lam[ref]) / math.log(s[k] / s[ref]) for k in others]
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
    text += _null_space(fine.get("null_space") or {})
    finite = {name: row for name, row in rows.items() if name != "infinite"}
    return text + "".join(_finite_sentence(name, row, s, ref, others) for name, row in finite.items()) + "."


def _null_space(null: dict) -> str:
    """'; decided on the null space of G …' where a plain eigensolver could not decide it."""
    if not null.get("plain_unresolved_s"):
        return ""
    plain = null["plain_unresolved_s"]
    return (f" (decided on the null space of G, rank {null['gram_rank']}: μ = {num(null['mu'])}, and λ_min(s) is "
            f"within {num(null['formula_gap'], '.1e')} relative of (s/2)² μ on the whole grid; a plain eigensolver "
            f"would be at rounding level at {len(plain)} values of s up to {num(plain[-1])})")


def _finite_sentence(name: str, row: dict, s: list, ref: int, others: list) -> str:
    """'; at m = 100 …' of one width: the class of its Gram matrices and what lambda_min does."""
    classes = _classes(row)
    text = f"; at m = {name}, "
    if "singular" in classes:
        seeds = f"{classes['singular']} of {_seeds(row)} seeds'" if classes["singular"] < _seeds(row) else "the"
        text += (f"{seeds} Gram matrices at initialisation are exactly singular, {_nulls(row)} "
                 f"({', '.join(row['sources'])}), a property of the finite network, not of rounding")
        beyond = row.get("beyond_null_verdict", kit.NOT_DECIDABLE)
        text += f"; beyond them λ_min {FINITE_READING[beyond]}"
        if beyond == "holds":
            text += f", growing {_growth(row, s, ref, others)}"
        return text + _unresolved(classes, _seeds(row))
    text += f"at initialisation λ_min {FINITE_READING[row['verdict']]}"
    if row["verdict"] == "holds":
        text += f", growing {_growth(row, s, ref, others)}"
    return text + _unresolved(classes, _seeds(row))


def _unresolved(classes: dict, seeds: int) -> str:
    count = classes.get("unresolved", 0)
    if not count:
        return ""
    which = "every seed's Gram matrix is" if count == seeds else f"{count} of {seeds} seeds' Gram matrices are"
    return f" ({which} near-singular, λ_min at rounding level)"
