"""The answer: at most six sentences at the top of the claims report (and of the report's
landing page), each generated from the numbers with its effect, interval, seeds and
setting, and a link to the section that backs it: under gradient descent, under Adam, the
training budget, relaxation against homotopy, the switch (and homotopy without the jump),
and the other networks and real data. Nothing in it is typed by hand; a sentence whose
numbers are absent is left out."""

import math
import re

from hrta.reporting.words import kit
from hrta.reporting.words.format import num

FAMILY_NAMES = {"gd": "gradient descent", "adam": "Adam"}
HEADINGS = {  # section -> its heading (the links point at these)
    "map": "Where HRTA helps: the regime maps", "relaxation": "Relaxation against homotopy",
    "switch": "The switch", "jump": "Without the jump",
    "c1": "C1: each HRTA schedule ends with a lower training loss than ReLU",
    "c3": "C3: HRTA beats the plain activation, for other base activations",
    "c4": "C4: the benefit carries over to depth", "c5": "C5: HRTA helps on real data",
}


def anchor(heading: str) -> str:
    """The link target of a Markdown heading (GitHub's and Python-Markdown's slug of ASCII text)."""
    return "#" + re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading).strip().lower())


def link(section: str) -> str:
    return f"([{HEADINGS[section].split(':')[0]}]({anchor(HEADINGS[section])}))"


def _cell(c: dict) -> str:
    """'ReLU/HRTA 1.9 (1.4 to 2.6), 8/8 seeds lower, lr 0.001, switch at epoch 500, m = 1000'."""
    est = "–" if math.isnan(c["estimate"]) else f"{num(math.exp(c['estimate']))}"
    span = "" if math.isnan(c["ci_low"]) else f" ({num(math.exp(c['ci_low']))} to {num(math.exp(c['ci_high']))})"
    return (f"ReLU/HRTA {est}{span}, HRTA lower on {int(c['n_lower'])} of {int(c['n_tested'])} seeds, at "
            f"{c['setting']}, switch at epoch {c['switch_epoch']}, m = {c['width']}")


def _family(rep: dict, family: str) -> str | None:
    """The map's verdict under one optimizer family at its largest budget, with its best cell."""
    for name, rows in rep.get("maps", {}).items():
        rows = [r for r in rows if r["family"] == family and r["comparison"] == "vs_relu"]
        if not rows:
            continue
        top = max(r["budget"] for r in rows)
        rows = [r for r in rows if r["budget"] == top]
        holds, contra = sum(r["holds"] for r in rows), sum(r["contradicted"] for r in rows)
        cells = sum(r["cells"] for r in rows)
        best = max((r for r in rows if r["best"] is not None and math.isfinite(r["best"]["median_ratio"])),
                   key=lambda r: r["best"]["median_ratio"], default=None)
        strongest = "" if best is None else f"; the strongest is {best['label']}: {_cell(best['best'])}"
        return (f"Under {FAMILY_NAMES.get(family, family)} on {name} at {top} epochs (ReLU's fall over the last 10%: "
                f"{num(rows[0]['relu_tail'])}×), HRTA ends below ReLU in {holds} of {cells} protocol cells and above "
                f"it in {contra}{strongest} {link('map')}.")
    return None


def _budget(rep: dict) -> str | None:
    """How the verdict against ReLU moves with the budget, per family."""
    parts = []
    for name, rows in rep.get("maps", {}).items():
        for family in dict.fromkeys(r["family"] for r in rows):
            by = {}
            for r in rows:
                if r["family"] == family and r["comparison"] == "vs_relu":
                    by.setdefault(r["budget"], []).append(r)
            if len(by) < 2:
                continue
            steps = "; ".join(f"{b} epochs: {sum(r['holds'] for r in rs)} below, {sum(r['contradicted'] for r in rs)}"
                              f" above (ReLU's fall {num(rs[0]['relu_tail'])}×)" for b, rs in sorted(by.items()))
            parts.append(f"under {FAMILY_NAMES.get(family, family)} on {name}, {steps}")
    if not parts:
        return None
    return ("Against the training budget, the same runs read at each: " + "; ".join(parts)
            + f" {link('map')}.")


def _relaxation(rep: dict) -> str | None:
    """Relaxation alone against ReLU, and the two-stage paths against relaxation alone."""
    for name, rows in rep.get("maps", {}).items():
        top = max(r["budget"] for r in rows)
        control = [r for r in rows if r["comparison"] == "control_vs_relu" and r["budget"] == top]
        paths = [r for r in rows if r["comparison"] == "vs_control" and r["budget"] == top]
        if not control or not paths:
            continue
        c_h, c_c, c_n = (sum(r[k] for r in control) for k in ("holds", "contradicted", "cells"))
        p_h, p_c, p_n = (sum(r[k] for r in paths) for k in ("holds", "contradicted", "cells"))
        ratio = num(sorted(r["median_ratio"] for r in control)[len(control) // 2])
        return (f"On {name} at {top} epochs, the relaxed activation alone ({control[0]['label']}) ends below ReLU "
                f"in {c_h} of {c_n} cells and above it in {c_c} (median ReLU/control {ratio}), while a two-stage "
                f"path beats that control in {p_h} of {p_n} cells and loses to it in {p_c} {link('relaxation')}.")
    return None


def _switch(rep: dict) -> str | None:
    """The largest jump at a switch and whether the runs recovered from it, per optimizer."""
    rows = [r for r in rep.get("switches", []) if r["experiment"] in rep.get("experiments", [])]
    if not rows:
        return None
    parts = []
    for opt, sub in kit.groups(rows, ("optimizer",)).items():
        worst = max(sub, key=lambda r: r["shock"])
        parts.append(f"under {opt[0]} the largest jump of the loss is {num(worst['shock'])}× ({worst['label']}, "
                     f"{worst['experiment']}, m = {worst['width']}), and {worst['recovered']} of {worst['runs']} "
                     "seeds get back below the loss before it")
    text = "At a switch " + "; ".join(parts) + f" {link('switch')}"
    paths = rep.get("without_jump", [])
    if paths:
        c = kit.verdicts(paths)
        kinds = " or ".join(dict.fromkeys("a ramp" if r["kind"] == "ramp" else "a switch on plateau" for r in paths))
        text += (f"; {kinds} through the same s values ends below the schedule with the jump in {c['holds']} of "
                 f"{len(paths)} settings and above it in {c['contradicted']} {link('jump')}")
    return text + _map_ramps(rep) + "."


def _map_ramps(rep: dict) -> str:
    """The ramps of each map's path axis against its jump, per optimizer family, at the map's
    largest budget: (ramp length, cell) pairs below and above the jump ('' without one)."""
    parts = []
    for name, rows in rep.get("without_jump_maps", {}).items():
        last = max((r["budget"] for r in rows), default=None)
        ramps = [r for r in rows if r["budget"] == last and r["path"].startswith("ramp") and "vs_jump" in r]
        counts = [f"in {sum(r['vs_jump']['holds'] for r in sub)} of {sum(r['cells'] for r in sub)}"
                  f"{' (ramp length, cell) pairs' if not k else ''} under {fam[0]} (above it in "
                  f"{sum(r['vs_jump']['contradicted'] for r in sub)})"
                  for k, (fam, sub) in enumerate(kit.groups(ramps, ("family",)).items())]
        if counts:
            parts.append(f"on the regime map of {name} at {last} epochs, a ramp in place of the jump ends below it "
                         f"{' and '.join(counts)} {link('jump')}")
    return "".join(f"; {part}" for part in parts)


def _elsewhere(rep: dict) -> str | None:
    """Other bases, depth and real data: the verdict counts of C3, C4 and C5, and the settings
    that cannot have one (too few pairs), so that 'below in 0, above in 0' is not read as a tie."""
    parts = []
    for claim, what in (("C3", "tanh and GELU"), ("C4", "deeper ReLU networks"), ("C5", "real data")):
        rows = [r for r in rep.get(claim, []) if r.get("quantity", "final_loss") == "final_loss"]
        if rows:
            c, none = kit.verdicts(rows), ""
            if c["no verdict"]:
                reason = kit.shared_reason([r for r in rows if r["verdict"] == "no verdict"])
                none = f", no verdict in {c['no verdict']}" + (f" ({reason})" if reason else "")
            parts.append(f"{what}: below the plain network in {c['holds']} of {len(rows)} settings, above it in "
                         f"{c['contradicted']}{none} {link(claim.lower())}")
    return ("Beyond the paper's network, " + "; ".join(parts) + ".") if parts else None


def section(rep: dict) -> list[str]:
    """## The answer: the sentences that have their numbers, a list."""
    sentences = [s for s in (_family(rep, "gd"), _family(rep, "adam"), _budget(rep), _relaxation(rep),
                             _switch(rep), _elsewhere(rep)) if s]
    out = ["## The answer", ""]
    if not sentences:
        return out + ["No regime map, switch or claim with a baseline in this profile: nothing to answer.", ""]
    return out + [f"- {s}" for s in sentences] + [""]
