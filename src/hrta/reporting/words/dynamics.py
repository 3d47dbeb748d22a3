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


FAMILY_NAMES = {"gd": "gradient descent", "adam": "Adam"}
MAP_COMPARISONS = {"vs_relu": "ReLU", "vs_control": "the control"}


def _cells(n: int) -> str:
    return f"{n} cell{'s' * (n != 1)}"


def _lower_higher(part: dict) -> str:
    return f"{part['holds']} lower, {part['contradicted']} higher"


def _moved(r: dict) -> str:
    return (f"{num(r['shock'])}× in its first step (largest {num(r['shock_max'])}×), peaks at {num(r['peak'])}× "
            f"(largest {num(r['peak_max'])}×) and {r['recovered']} of {r['runs']} runs get back below the loss before "
            "the switch")


def map_family_paragraph(rows: list[dict]) -> str:
    """The path variants of one map, budget and optimizer family in sentences, from their
    paths_summary rows (hrta.reporting.numbers.regime): the shock of each, whether a ramp or
    the plateau peaks below the jump, and the verdicts against ReLU, the control and the
    jump, counted over the family's cells."""
    first = rows[0]
    jump = next((r for r in rows if r["path"] == "jump"), None)
    others = [r for r in rows if r["path"] != "jump"]
    fam = FAMILY_NAMES.get(first["family"], first["family"])
    text = (f"Under {fam} at {first['budget']} epochs ({_cells(first['cells'])} of setting and width, "
            f"{first['seeds']} seeds each; ReLU's loss fell {num(first['relu_tail'])}× over the budget's last 10%), "
            f"switching s {first['pair'].removeprefix('s ')}: ")
    moves = [f"with the jump the loss moves {_moved(jump)}"] if jump else []
    for r in others:
        said = f"{r['label']}: {_moved(r)}"
        if jump and r["path"] != "reset":
            said += (f" (a peak {'below' if r['peak'] < jump['peak'] else 'not below'} the jump's "
                     f"{num(jump['peak'])}×)")
        moves.append(said)
    text += "; ".join(moves) + "."
    for comp, whom in MAP_COMPARISONS.items():
        parts = [f"the jump: {_lower_higher(jump[comp])}"] if jump else []
        parts += [f"{r['label']}: {_lower_higher(r[comp])}" for r in others]
        text += f" Against {whom}, of {_cells(first['cells'])}: " + "; ".join(parts)
        if jump and others:
            changed = [r for r in others if r[comp]["differs_from_jump"]]
            text += (", every verdict as the jump's" if not changed else ", verdicts other than the jump's in " +
                     ", ".join(f"{r[comp]['differs_from_jump']} ({r['label']})" for r in changed))
        text += "."
    if jump and others:
        text += " Against the jump itself: " + "; ".join(f"{r['label']}: {_lower_higher(r['vs_jump'])}"
                                                        for r in others) + "."
    return text


def map_paths_part(maps: dict) -> list[str]:
    """The regime maps' path axes: per map a paragraph per optimizer family at its largest
    budget, then a table of every budget (rows from hrta.reporting.numbers.regime.paths_summary)."""
    out = []
    for name, rows in maps.items():
        largest = max(r["budget"] for r in rows)
        out += [f"### Regime map {name}: the path axis", "",
                f"One s pair and switch ({rows[0]['pair']}) along every path variant of the map {name}, each cell "
                "(setting and width) tested over paired seeds at the budget against ReLU, the control and the jump "
                "(the report's reading; each comparison, optimizer family and budget one family, apart from the "
                "map's own). *jump*: the loss just after the switch over just before (median over runs); *peak*: "
                "the highest loss from the switch until it is back below its value before it, over that value "
                "(for a ramp its whole window and after); *recovered*: runs back below it within the largest "
                f"budget. Figure: regime_{name}_paths.", ""]
        for fam_rows in kit.groups([r for r in rows if r["budget"] == largest], ("family",)).values():
            out += [map_family_paragraph(fam_rows), ""]

        def verdicts(comp):
            return lambda r: "–" if comp not in r else f"{r[comp]['holds']}/{r[comp]['contradicted']}"

        out += kit.pipe_table([("budget", "r", lambda r: r["budget"]), ("family", "l", lambda r: r["family"]),
                               ("ReLU's fall", "r", lambda r: f"{num(r['relu_tail'])}×"),
                               ("path", "l", lambda r: r["label"]),
                               ("jump", "r", lambda r: f"{num(r['shock'])}×"),
                               ("peak", "r", lambda r: f"{num(r['peak'])}×"),
                               ("recovered", "r", lambda r: f"{r['recovered']}/{r['runs']}"),
                               ("vs ReLU ▲/▼", "r", verdicts("vs_relu")),
                               ("vs control ▲/▼", "r", verdicts("vs_control")),
                               ("vs the jump ▲/▼", "r", verdicts("vs_jump"))], rows) + [""]
        out += ["▲/▼: cells (of setting and width) where the path variant ends significantly lower/higher.", ""]
    return out


def without_jump_section(rep: dict) -> list[str]:
    """## Without the jump: each ramp or switch on plateau beside the schedule through the
    same s values with the jump: its jump and peak, against ReLU and against the jump; then
    the regime maps' path axes (``without_jump_maps``: map_paths_part)."""
    rows = rep.get("without_jump", [])
    maps = rep.get("without_jump_maps", {})
    out = ["## Without the jump", ""]
    if not rows:
        return out + ["No ramp or switch on plateau in this profile.", ""] + map_paths_part(maps)
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
    return out + map_paths_part(maps)


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
