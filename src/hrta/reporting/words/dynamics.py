"""How the runs trained, in the claims report: "The switch" (the loss jump at each switch and
the recovery from it, beside the schedule's paired outcome), "Without the jump" (ramps and
switches on plateau beside the same path with the jump) and "Training dynamics" (the
minimum of the training loss, the drift after it, the fall over the last 10% of the epochs),
from hrta.reporting.numbers.claims' ``switches`` and ``drifts`` rows."""

import math

from hrta.reporting.words import kit
from hrta.reporting.words.format import num


def _outcome(outcomes: dict, r: dict) -> str:
    row = outcomes.get((r["experiment"], r["optimizer"], r["method"], r["width"]))
    return "–" if row is None else f"{kit.effect(row)}, {row['verdict']}"


def switch_section(rep: dict) -> list[str]:
    """## The switch: per experiment and optimizer, a table of every schedule, width and switch."""
    rows = rep.get("switches", [])
    out = ["## The switch", ""]
    if not rows:
        return out + ["No run switches s in this profile.", ""]
    outcomes = {(r["experiment"], r["optimizer"], r["method"], r["width"]): r for r in rep["C1"] + rep.get("C5", [])
                if r["quantity"] in ("final_loss",)}
    out += ["At a switch the network's function moves while its parameters stay: *jump*, the training loss just "
            "after over just before (median over seeds, and the largest); *peak*, the highest loss from the switch "
            "until it is back below its value before the switch (or the end) over that value (median): for a ramp "
            "the whole excursion, where the jump sees one step; *recovered*, the seeds whose loss fell below its "
            "value before the switch again, and the median epochs that took; beside it the schedule's paired "
            "outcome against ReLU at the end (C1, C5). Each experiment's figure switch_ (switch_sin1d, ...) draws "
            "the loss around each switch.", ""]
    for (exp, opt), sub in kit.groups(rows, ("experiment", "optimizer")).items():
        out += [f"### {exp}, {opt}", ""]
        out += kit.pipe_table([("schedule", "l", lambda r: r["label"]), ("m", "r", lambda r: r["width"]),
                               ("switch epoch", "r", lambda r: num(r["epoch"], ".0f")),
                               ("jump", "r", lambda r: f"{num(r['shock'])}×"),
                               ("largest", "r", lambda r: f"{num(r['shock_max'])}×"),
                               ("peak", "r", lambda r: f"{num(r['peak'])}×"),
                               ("recovered", "r", lambda r: f"{r['recovered']}/{r['runs']}"),
                               ("epochs to recover", "r",
                                lambda r: "never" if math.isnan(r["recovery"]) else num(r["recovery"], ".0f")),
                               ("ReLU/HRTA at the end", "l", lambda r: _outcome(outcomes, r))], sub) + [""]
    return out


def without_jump_section(rep: dict) -> list[str]:
    """## Without the jump: each ramp or switch on plateau beside the schedule through the
    same s values with the jump: its jump and peak, against ReLU and against the jump."""
    rows = rep.get("without_jump", [])
    out = ["## Without the jump", ""]
    if not rows:
        return out + ["No ramp or switch on plateau in this profile.", ""]
    switch = {(r["experiment"], r["optimizer"], r["method"], r["width"]): r for r in rep.get("switches", [])
              if r["switch"] == 0}
    c1 = {(r["experiment"], r["optimizer"], r["method"], r["width"]): r for r in rep["C1"]
          if r["quantity"] == "final_loss"}
    out += ["Does moving s along a ramp, or switching when the loss has stopped improving, remove the jump at a "
            "switch, and does it change the outcome? Per experiment and optimizer, each such schedule and the "
            "schedule through the same s values with the jump (its first switch: *jump* and *peak* as in The "
            "switch); *vs ReLU*: C1's ratio ReLU/HRTA and verdict; *vs the jump*: the paired ratio of the schedule "
            "with the jump over this one (above 1: without the jump ends lower), adjusted per experiment like C1.",
            ""]

    def moved(key) -> str:
        r = switch.get(key)
        return "–" if r is None else f"{num(r['shock'])}× / {num(r['peak'])}×"

    def outcome(row) -> str:
        return "–" if row is None else f"{kit.effect(row)}, {row['verdict']}"

    for (exp, opt), sub in kit.groups(rows, ("experiment", "optimizer")).items():
        lines = []
        for r in sub:
            jump = (exp, opt, r["baseline"], r["width"])
            lines.append({"label": r["plain"], "width": r["width"], "moved": moved(jump), "relu": outcome(c1.get(jump)),
                          "jump": "–"})
            lines.append({"label": r["label"], "width": r["width"], "moved": moved((exp, opt, r["method"], r["width"])),
                          "relu": outcome(c1.get((exp, opt, r["method"], r["width"]))), "jump": outcome(r)})
        lines = list({(x["label"], x["width"]): x for x in lines}.values())
        lines.sort(key=lambda x: x["width"])
        out += [f"### {exp}, {opt}", ""]
        out += kit.pipe_table([("schedule", "l", lambda x: x["label"]), ("m", "r", lambda x: x["width"]),
                               ("jump / peak", "r", lambda x: x["moved"]),
                               ("vs ReLU", "l", lambda x: x["relu"]),
                               ("vs the jump", "l", lambda x: x["jump"])], lines) + [""]
    return out


def dynamics_section(rep: dict) -> list[str]:
    """## Training dynamics: the minimum, the drift after it and the tail of every method."""
    rows = rep.get("drifts", [])
    out = ["## Training dynamics", ""]
    if not rows:
        return out + ["No runs.", ""]
    out += [f"Per method and width (medians over seeds): the epoch where the training loss was smallest, the "
            f"final loss over that minimum (*drift*: above {rep['settings']['drift']} the method drifts up after "
            "its minimum, and C1 is also given at the minimum), and the fall over the last 10% of the epochs "
            "(*tail*; 1: converged).", ""]
    for (exp, opt), sub in kit.groups(rows, ("experiment", "optimizer")).items():
        out += [f"### {exp}, {opt} ({sub[0]['epochs']} epochs)", ""]
        out += kit.pipe_table([("method", "l", lambda r: r["label"]), ("m", "r", lambda r: r["width"]),
                               ("epoch of the minimum", "r", lambda r: num(r["min_epoch"], ".0f")),
                               ("drift", "r", lambda r: f"{num(r['drift'])}×"),
                               ("tail", "r", lambda r: f"{num(r['tail'])}×")], sub) + [""]
    return out
