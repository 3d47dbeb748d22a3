"""Config validation: the JSON schema (defaults filled in) plus the checks a schema cannot
express. Imports no torch, so every Snakemake start stays light.

    python -m hrta.pipeline.config PROFILE [PROFILE ...]   # check profiles as the workflow would

says what is wrong with a profile in one line naming the file (line, column) or the key,
also where Snakemake, which reads --configfile before the workflow starts, says only
"Config file is not valid JSON or YAML" or shows a traceback.
"""

import argparse
import copy
import math
import sys
from pathlib import Path

import jsonschema
import yaml

from hrta.model.schedule import SHAPES
from hrta.pipeline import architectures, grid, methods, outputs, regimes, sizes, yamlfile
from hrta.pipeline.errors import ConfigError, by_name, key_of
from hrta.problems import make_problem

METRICS = ("loss", "test_error")  # what a figure row can show (history variables)
THEORY_FIGURES = ("theorem1", "linearised", "kernel_limit")  # figure stems of the theory rules


def _with_defaults(validator_class):
    """A validator that fills in schema defaults (the jsonschema FAQ recipe)."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def validate(config: dict, schema_path) -> dict:
    """Return a copy of config with defaults filled in, generated experiments expanded and
    every check passed, or raise ConfigError naming the key."""
    sizes.check_size(config)  # before anything walks, copies or expands it
    config = copy.deepcopy(config)
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        err = _closest(jsonschema.exceptions.best_match(errors))
        message = (f"{len(err.instance):,} items, above the limit of {err.validator_value:,}"
                   if err.validator == "maxItems" else err.message)  # not the whole list
        raise ConfigError(f"config key '{key_of(err.absolute_path)}': {message} (expected: {_expected(err)})")
    for group in ("experiments", "real_data"):
        for name, exp in config[group].items():
            if group == "experiments":
                exp.setdefault("figures", [{"name": name, "metrics": list(METRICS)}])
            methods.explicit(exp, config["method_sets"], f"{group}.{name}")
            check_baseline(exp, f"{group}.{name}")
    check_regimes(config)
    regimes.expand(config)
    architectures.expand(config)
    sizes.check_runs(config)  # before the run grid is built
    check_semantics(config)
    outputs.check_paths(config, grid.jobs(config))
    return config


def _closest(err):
    """Within a oneOf (or anyOf) that nothing matched, the error of the alternative that came
    closest: fewest errors, then the deepest (a method's bad name, not 'not valid under any')."""
    while err.validator in ("oneOf", "anyOf") and err.context:
        branches = {}
        for sub in err.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        best = min(branches.values(), key=lambda subs: (len(subs), -max(len(s.absolute_path) for s in subs)))
        err = jsonschema.exceptions.best_match(best)
    return err


def _expected(err) -> str:
    schema = err.schema
    if "description" in schema:
        return schema["description"].strip()
    if err.validator in ("additionalProperties", "unevaluatedProperties"):
        return "only the keys " + ", ".join(sorted(schema.get("properties", {})))
    return f"{err.validator} {err.validator_value!r}"


def check_finite(value, path=()) -> None:
    """ConfigError naming the first number of the config that is nan or infinite."""
    if isinstance(value, dict):
        for name, sub in value.items():
            check_finite(sub, (*path, name))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            check_finite(sub, (*path, i))
    elif isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"config key '{key_of(path)}': {value} is not a finite number"
                          " (expected: a finite number)")


def check_semantics(config: dict) -> None:
    """Checks beyond the schema: finite numbers, ordered min/max pairs, names that can be
    file names, unique names, exactly one baseline, buildable problems, figure names unique
    across experiments."""
    check_finite(config)
    check_ordered(config)
    outputs.check_names(config)
    for exp_name, exp in config["experiments"].items():
        base = f"experiments.{exp_name}"
        check_methods(exp, base)
        if "architecture" in exp:  # the source's own were checked before expansion, a map's in check_regimes
            check_baseline(exp, f"architectures.{exp['architecture']['source']}")
        try:
            make_problem(exp["problem"])
        except (TypeError, ValueError) as err:
            raise ConfigError(f"config key '{base}.problem': {err}") from None
    stems = [(f"experiments.{name}.figures[{i}].name", fig["name"])
             for name, exp in config["experiments"].items() for i, fig in enumerate(exp["figures"])]
    seen = {config["proof"]["figure"]: "proof.figure"}
    seen.update({stem: "theory" for stem in THEORY_FIGURES})
    seen.update({f"regime_{name}": f"regimes.{name}" for name in config["regimes"]})
    for key, stem in stems:
        if stem in seen:
            raise ConfigError(f"config key '{key}': figure {stem!r} is already drawn by"
                              f" '{seen[stem]}' (expected: each figure name once)")
        seen[stem] = key
    check_theory(config)
    check_real_data(config, seen)


def check_real_data(config: dict, figures: dict) -> None:
    """real_data: names free among the experiments (aggregate files) and the figures, and the
    checks of check_methods."""
    for name, exp in config["real_data"].items():
        base = f"real_data.{name}"
        if name in config["experiments"]:
            raise ConfigError(f"config key '{base}': {name!r} is already an experiment (its aggregate file"
                              " results/aggregate/<name>.nc would be written twice; expected: a new name)")
        if name in figures:
            raise ConfigError(f"config key '{base}': figure {name!r} is already drawn by"
                              f" '{figures[name]}' (expected: each figure name once)")
        check_methods(exp, base)


def check_ordered(value, path=()) -> None:
    """ConfigError for the first pair of keys <x>_min, <x>_max (theory.s_min, theory.beyond.s_min,
    ...) whose minimum is not below its maximum."""
    if isinstance(value, dict):
        for name in value:
            if isinstance(name, str) and name.endswith("_min") and name[:-4] + "_max" in value:
                low, high = value[name], value[name[:-4] + "_max"]
                if isinstance(low, (int, float)) and isinstance(high, (int, float)) and not low < high:
                    raise ConfigError(f"config key '{key_of((*path, name[:-4] + '_max'))}': {high} is not above"
                                      f" {name} {low} (expected: {name} < {name[:-4]}_max)")
        for name, sub in value.items():
            check_ordered(sub, (*path, name))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            check_ordered(sub, (*path, i))


def check_baseline(exp: dict, base: str) -> None:
    """Exactly one baseline: the method with s = 1 throughout (one stage), which every other
    method of the block is compared with; ConfigError naming the key otherwise."""
    plain = [(i, m) for i, m in enumerate(exp["methods"])
             if all(st.get("s", st.get("ramp")) == 1.0 for st in m["schedule"])]
    for i, method in plain:
        if len(method["schedule"]) > 1:
            raise ConfigError(f"config key '{base}.methods[{i}]' ({method['name']}): s = 1 throughout, in"
                              f" {len(method['schedule'])} stages (expected: the baseline as one stage, s: [1.0])")
    if len(plain) != 1:
        found = "no method has" if not plain else f"{[m['name'] for _, m in plain]} all have"
        raise ConfigError(f"config key '{base}.methods': {found} s = 1 throughout (expected: exactly one"
                          " baseline, the method with s = 1 throughout, e.g. {name: relu, s: [1.0]}, that every"
                          " other method is compared with)")


def check_methods(exp: dict, base: str) -> None:
    """An experiment block's method and optimizer names are unique (its schedules were
    checked when made explicit: hrta.pipeline.methods)."""
    for group in ("methods", "optimizers"):
        names = [item["name"] for item in exp[group]]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(f"config key '{base}.{group}': duplicate names {dupes}"
                              " (expected: each name once)")


def check_theory(config: dict) -> None:
    """theory: linearised names an experiment and one of its gd optimizers (s_min < s_max:
    check_ordered)."""
    theory = config["theory"]
    choice = theory.get("linearised")
    if choice is None:
        return
    exp = config["experiments"].get(choice["experiment"])
    if exp is None:
        raise ConfigError(f"config key 'theory.linearised.experiment': no experiment named"
                          f" {choice['experiment']!r} (expected: one of {sorted(config['experiments'])})")
    opt = by_name(exp["optimizers"], choice["optimizer"], "theory.linearised.optimizer")
    if opt["algorithm"] != "gd":
        raise ConfigError(f"config key 'theory.linearised.optimizer': {opt['name']!r} uses"
                          f" {opt['algorithm']} (expected: an optimizer with algorithm gd)")


def check_regimes(config: dict) -> None:
    """Each map names an experiment and generates a free name; GD stability fractions need a
    regression problem; the map's one baseline is ReLU (the control and every schedule not
    s = 1 throughout)."""
    for name, regime in config["regimes"].items():
        exp = config["experiments"].get(name)
        if exp is None:
            raise ConfigError(f"config key 'regimes.{name}': no experiment named {name!r} to take the"
                              f" problem from (expected: one of {sorted(config['experiments'])})")
        generated = regimes.experiment_name(name)
        if generated in config["experiments"]:
            raise ConfigError(f"config key 'regimes.{name}': its runs form the experiment {generated!r}, which"
                              f" experiments.{generated} already is (expected: another name for one of them)")
        if regime["control_s"] == 1.0:
            raise ConfigError(f"config key 'regimes.{name}.control_s': 1.0 makes the control the ReLU baseline"
                              " again (expected: the relaxed activation's s, not 1)")
        for i, pair in enumerate(regime["schedules"]):
            if list(pair) == [1.0, 1.0]:
                raise ConfigError(f"config key 'regimes.{name}.schedules[{i}]': [1, 1] is the ReLU baseline"
                                  " again (expected: a pair that is not s = 1 throughout)")
        for i, fam in enumerate(regime["optimizers"]):
            key = f"regimes.{name}.optimizers[{i}]"
            if ("lrs" in fam) == ("stability_fractions" in fam):
                raise ConfigError(f"config key '{key}': give lrs or stability_fractions, not both or neither")
            if "stability_fractions" in fam and (fam["family"] != "gd" or make_problem(exp["problem"]).loss_is_gap):
                raise ConfigError(f"config key '{key}.stability_fractions': the limit 2n/lambda_max is"
                                  " for gd on a regression problem (expected: typed lrs)")
        check_paths(regime, f"regimes.{name}.paths")
        uneven = [b for b in regime["budgets"] if b % regime["eval_every"]]
        if uneven:
            raise ConfigError(f"config key 'regimes.{name}.eval_every': {regime['eval_every']} does not divide the"
                              f" budgets {uneven} (expected: the test error evaluated at every budget)")


def check_paths(regime: dict, key: str) -> None:
    """A map's path axis (regimes.<name>.paths): a pair that switches, ramps that end inside
    the largest budget, a plateau whose window and minimum fit before the switch epoch (its
    max_epochs); ConfigError naming the key."""
    paths = regime.get("paths")
    if not paths:
        return
    pair = list(paths["pair"])
    if pair[0] == pair[1]:
        raise ConfigError(f"config key '{key}.pair': {pair} does not switch (expected: two different values of s)")
    if paths["shape"] not in SHAPES:
        raise ConfigError(f"config key '{key}.shape': {paths['shape']!r} is not a ramp shape (expected: one of"
                          f" {', '.join(SHAPES)})")
    first = regimes.switch_at(regime, paths["switch"])
    total = regimes.epochs(regime)
    for i, ramp in enumerate(paths.get("ramps", [])):
        length = regimes.ramp_epochs(regime, ramp)
        if first + length >= total:
            raise ConfigError(f"config key '{key}.ramps[{i}]': a ramp of {length} epochs from the switch epoch"
                              f" {first} leaves no epoch at s = {pair[1]:g} of the {total} (expected: a shorter ramp)")
    plateau = paths.get("plateau")
    if plateau:
        if plateau["window"] >= first:
            raise ConfigError(f"config key '{key}.plateau.window': {plateau['window']} is not below the switch epoch"
                              f" {first}, the plateau's max_epochs (expected: a shorter window)")
        if plateau["min_epochs"] > first:
            raise ConfigError(f"config key '{key}.plateau.min_epochs': {plateau['min_epochs']} is above the switch"
                              f" epoch {first}, the plateau's max_epochs (expected: fewer epochs)")


def read_yaml(config_path) -> dict:
    """Parse a profile strictly (hrta.pipeline.yamlfile): a missing file, malformed YAML, a key
    given twice, templating or a non-mapping names the file (and line and column)."""
    raw = yamlfile.read(config_path)
    sizes.check_size(raw)
    return raw


def overlay(base: dict, profile: dict) -> dict:
    """``profile`` applied over ``base``: mappings merge key by key, any other value replaces,
    and a key set to null (None) is removed."""
    out = copy.deepcopy(base)
    for key, value in profile.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = overlay(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def in_force(defaults_path, profile: dict) -> dict:
    """The config a run uses: the defaults file (config.yaml) with ``profile`` (what
    --configfile and --config, or a using workflow, give) applied over it."""
    sizes.check_size(profile)  # before it is copied: an alias bomb is refused, not expanded
    return overlay(read_yaml(defaults_path), profile)


def load(config_path, schema_path, defaults_path=None) -> dict:
    """Read a profile (YAML), apply it over the defaults file if given, and validate it;
    errors name the file or the key."""
    profile = read_yaml(config_path)
    return validate(in_force(defaults_path, profile) if defaults_path else profile, schema_path)


def main(argv=None) -> int:
    """Check profiles as the workflow would (applied over config.yaml beside this checkout's
    Snakefile, or --defaults); one line per profile."""
    root = Path(__file__).resolve().parents[3]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("profiles", nargs="+", type=Path, help="profile files (YAML or JSON)")
    p.add_argument("--defaults", type=Path, default=root / "config.yaml", help="the defaults file (config.yaml)")
    p.add_argument("--schema", type=Path, default=root / "workflow" / "schemas" / "config.schema.yaml")
    a = p.parse_args(argv)
    failed = 0
    for profile in a.profiles:
        try:
            load(profile, a.schema, a.defaults)
        except ConfigError as err:
            print(err, file=sys.stderr)
            failed += 1
        else:
            print(f"config file '{profile}': valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
