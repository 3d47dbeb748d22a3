"""Methods as a profile writes them, made explicit once at validation.

An experiment's (or real-data experiment's) ``methods`` is a list, or the name of a list
in ``method_sets`` (a set written once, shared by experiments of other lengths). A method
is ``{name, schedule: [{s, epochs}, ...]}`` (explicit stages) or ``{name, s: [s1, s2, ...]}``
with optional ``switches`` (fractions of the experiment's ``epochs`` where each further
stage starts; evenly spaced when left out). Every method then has explicit stages whose
epochs add up to the experiment's ``epochs`` (taken from the explicit schedules when the
experiment does not state it).
"""

import copy

from hrta.model.schedule import Schedule
from hrta.pipeline.errors import ConfigError


def switch_epoch(epochs: int, fraction: float) -> int:
    """The first epoch of the stage that starts at ``fraction`` of the epochs: the rounded
    product, inside (0, epochs)."""
    return min(max(int(round(fraction * epochs)), 1), epochs - 1)


def stages(s_values: list, switches: list | None, epochs: int, key: str) -> list[dict]:
    """Explicit stages of the s shorthand: stage k runs from switch k - 1 to switch k."""
    count = len(s_values)
    fractions = [k / count for k in range(1, count)] if switches is None else list(switches)
    if len(fractions) != count - 1:
        raise ConfigError(f"config key '{key}.switches': {len(fractions)} switch points for {count} values of s"
                          f" (expected: {count - 1}, one fewer than s)")
    starts = [0] + [switch_epoch(epochs, f) for f in fractions] + [epochs]
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise ConfigError(f"config key '{key}.switches': {fractions} do not split {epochs} epochs into"
                          " stages of at least one epoch each (expected: increasing fractions in (0, 1))")
    return [{"s": s, "epochs": b - a} for s, a, b in zip(s_values, starts, starts[1:])]


def _listed(block: dict, sets: dict, key: str) -> list[dict]:
    methods = block["methods"]
    if isinstance(methods, str):
        if methods not in sets:
            raise ConfigError(f"config key '{key}.methods': no method set named {methods!r}"
                              f" (expected: a list of methods or one of method_sets {sorted(sets)})")
        methods = sets[methods]
    return copy.deepcopy(methods)


def _epochs(block: dict, methods: list[dict], key: str) -> int:
    if "epochs" in block:
        return block["epochs"]
    totals = {Schedule(m["schedule"]).total for m in methods if "schedule" in m}
    if len(totals) == 1 and all("schedule" in m for m in methods):
        return totals.pop()
    raise ConfigError(f"config key '{key}.epochs': missing (expected: the total epochs of every method,"
                      " required where a method is written as s values)")


def explicit(block: dict, sets: dict, key: str) -> None:
    """Replace ``block['methods']`` by explicit methods {name, schedule} and set
    ``block['epochs']``; ConfigError naming the key for an unknown set, a schedule that is
    not valid or a method whose epochs differ from the experiment's."""
    methods = _listed(block, sets, key)
    epochs = _epochs(block, methods, key)
    out = []
    for i, method in enumerate(methods):
        mkey = f"{key}.methods[{i}]"
        if "s" in method:
            method = {"name": method["name"], "schedule": stages(method["s"], method.get("switches"), epochs, mkey)}
        try:
            total = Schedule(method["schedule"]).total
        except ValueError as err:
            raise ConfigError(f"config key '{mkey}.schedule' ({method['name']}): {err}") from None
        if total != epochs:
            raise ConfigError(f"config key '{mkey}.schedule' ({method['name']}): {total} epochs, not the"
                              f" experiment's {epochs} (expected: every method of an experiment trained"
                              " for the same epochs, so that its comparisons are at one budget)")
        out.append(method)
    block["methods"], block["epochs"] = out, epochs
