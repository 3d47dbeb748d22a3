"""Methods as a profile writes them, made explicit once at validation.

An experiment's (or real-data experiment's) ``methods`` is a list, or the name of a list
in ``method_sets`` (a set written once, shared by experiments of other lengths). A method
is ``{name, schedule: [...]}`` (explicit stages: {s, epochs}, {ramp, epochs, shape},
{s, plateau}; the last may be {s}, to the end) or ``{name, s: [s1, s2, ...]}`` with
optional ``switches`` (fractions of the experiment's ``epochs`` where each further stage
starts; evenly spaced when left out) or ``plateau`` (each stage but the last ends on
plateau), and optional ``ramp`` (each switch starts a ramp to the next s lasting this
fraction of the epochs; ``shape`` linear or cosine); either may add ``reset`` (the optimizer
state at its switches, reset or kept, over ``training.optimizer_state_at_switch``). Every
method then has explicit stages
whose epochs, a plateau's counted at its max_epochs, add up to the experiment's ``epochs``
(taken from the explicit schedules when the experiment does not state it): the config in
force holds them.
"""

import copy

from hrta.model.schedule import Schedule
from hrta.pipeline.errors import ConfigError


def switch_epoch(epochs: int, fraction: float) -> int:
    """The first epoch of the stage that starts at ``fraction`` of the epochs: the rounded
    product, inside (0, epochs)."""
    return min(max(int(round(fraction * epochs)), 1), epochs - 1)


def stages(method: dict, epochs: int, key: str) -> list[dict]:
    """Explicit stages of the s shorthand {s, switches or plateau, ramp, shape}: stage k runs
    from switch k - 1 to switch k (or until its plateau fires, the last to the end),
    starting with a ramp to its s when ``ramp`` (a fraction of the epochs) is given."""
    s_values, switches, ramp, plateau = (method.get(k) for k in ("s", "switches", "ramp", "plateau"))
    count = len(s_values)
    if count == 1 and (ramp is not None or plateau is not None):
        raise ConfigError(f"config key '{key}': ramp and plateau need two values of s or more (a switch)")
    if plateau is not None:
        lengths = [None] * count
    else:
        fractions = [k / count for k in range(1, count)] if switches is None else list(switches)
        if len(fractions) != count - 1:
            raise ConfigError(f"config key '{key}.switches': {len(fractions)} switch points for {count} values of"
                              f" s (expected: {count - 1}, one fewer than s)")
        starts = [0] + [switch_epoch(epochs, f) for f in fractions] + [epochs]
        if any(b <= a for a, b in zip(starts, starts[1:])):
            raise ConfigError(f"config key '{key}.switches': {fractions} do not split {epochs} epochs into"
                              " stages of at least one epoch each (expected: increasing fractions in (0, 1))")
        lengths = [b - a for a, b in zip(starts, starts[1:])]
    ramp_epochs = None if ramp is None else max(1, int(round(ramp * epochs)))
    out = []
    for k, (s, length) in enumerate(zip(s_values, lengths)):
        if k and ramp_epochs:
            out.append({"ramp": s, "epochs": ramp_epochs, "shape": method.get("shape", "linear")})
            if length is not None:
                length -= ramp_epochs
                if length < 1:
                    raise ConfigError(f"config key '{key}.ramp': a ramp of {ramp_epochs} epochs leaves no epoch of"
                                      f" stage {k} (expected: a ramp shorter than every stage)")
        if plateau is not None and k < count - 1:
            out.append({"s": s, "plateau": dict(plateau)})
        else:
            out.append({"s": s} if length is None else {"s": s, "epochs": length})
    return out


def _listed(block: dict, sets: dict, key: str) -> list[dict]:
    methods = block["methods"]
    if isinstance(methods, str):
        if methods not in sets:
            raise ConfigError(f"config key '{key}.methods': no method set named {methods!r}"
                              f" (expected: a list of methods or one of method_sets {sorted(sets)})")
        methods = sets[methods]
    return copy.deepcopy(methods)


def _schedule(method: dict, mkey: str) -> Schedule:
    """The method's schedule, its optimizer reset as the method states it (its label tells them apart)."""
    try:
        return Schedule(method["schedule"], reset_at_switch=bool(method.get("reset")))
    except ValueError as err:
        raise ConfigError(f"config key '{mkey}.schedule' ({method['name']}): {err}") from None


def _epochs(block: dict, methods: list[dict], key: str) -> int:
    if "epochs" in block:
        return block["epochs"]
    totals = {_schedule(m, f"{key}.methods[{i}]").total for i, m in enumerate(methods) if "schedule" in m}
    if len(totals) == 1 and None not in totals and all("schedule" in m for m in methods):
        return totals.pop()
    raise ConfigError(f"config key '{key}.epochs': missing (expected: the total epochs of every method,"
                      " required where a method is written as s values or its last stage leaves out its epochs)")


def explicit(block: dict, sets: dict, key: str) -> None:
    """Replace ``block['methods']`` by explicit methods {name, schedule} and set
    ``block['epochs']``; ConfigError naming the key for an unknown set, a schedule that is
    not valid, a method whose epochs differ from the experiment's, or two methods that
    would share a label (Schedule.label)."""
    methods = _listed(block, sets, key)
    epochs = _epochs(block, methods, key)
    out, labels = [], {}
    for i, method in enumerate(methods):
        mkey = f"{key}.methods[{i}]"
        if "s" in method:
            method = {"name": method["name"], "schedule": stages(method, epochs, mkey),
                      **({"reset": method["reset"]} if "reset" in method else {})}
        schedule = _schedule(method, mkey)
        if schedule.total is None:
            try:
                method["schedule"][-1]["epochs"] = schedule.closed(epochs).stages[-1].length
            except ValueError as err:
                raise ConfigError(f"config key '{mkey}.schedule' ({method['name']}): {err}") from None
            schedule = _schedule(method, mkey)
        if schedule.total != epochs:
            at_max = " (every plateau at its max_epochs)" if schedule.has_plateau else ""
            raise ConfigError(f"config key '{mkey}.schedule' ({method['name']}): {schedule.total} epochs{at_max}, not"
                              f" the experiment's {epochs} (expected: every method of an experiment trained for the"
                              " same epochs, so that its comparisons are at one budget)")
        out.append(method)
        if not schedule.is_baseline:  # two baselines: refused as such (config.check_baseline)
            labels.setdefault(schedule.label(), []).append(method["name"])
    same = {label: names for label, names in labels.items() if len(names) > 1}
    if same:
        label, names = next(iter(same.items()))
        raise ConfigError(f"config key '{key}.methods': {', '.join(names)} would all be labelled {label!r} in the"
                          " tables, figures and claims (expected: methods that differ in their s values or kind of"
                          " schedule; to compare switch points, use a regime map, which has a switch axis)")
    block["methods"], block["epochs"] = out, epochs
