"""Config validation: the JSON schema (defaults filled in) plus the checks a schema cannot
express. Imports no torch, so every Snakemake start stays light."""

import copy
import math
from pathlib import Path

import jsonschema
import yaml

from hrta.pipeline import architectures, methods, regimes
from hrta.pipeline.errors import ConfigError, by_name
from hrta.problems import make_problem

METRICS = ("loss", "test_error")  # what a figure row can show (history variables)
THEORY_FIGURES = ("theorem1", "linearised", "kernel_limit")  # figure stems of the theory rules


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


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
    """Return a copy of config with defaults filled in, or raise ConfigError naming the key."""
    config = copy.deepcopy(config)
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        err = jsonschema.exceptions.best_match(errors)
        raise ConfigError(f"config key '{_key(err.absolute_path)}': {err.message}"
                          f" (expected: {_expected(err)})")
    for name, exp in config["experiments"].items():
        exp.setdefault("figures", [{"name": name, "metrics": list(METRICS)}])
        methods.explicit(exp, config["method_sets"], f"experiments.{name}")
    for name, exp in config["real_data"].items():
        methods.explicit(exp, config["method_sets"], f"real_data.{name}")
    check_regimes(config)
    regimes.expand(config)
    architectures.expand(config)
    check_semantics(config)
    return config


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
        raise ConfigError(f"config key '{_key(path)}': {value} is not a finite number"
                          " (expected: a finite number)")


def check_semantics(config: dict) -> None:
    """Checks beyond the schema: finite numbers, unique names, valid schedules, buildable
    problems, figure names unique across experiments."""
    check_finite(config)
    for exp_name, exp in config["experiments"].items():
        base = f"experiments.{exp_name}"
        check_methods(exp, base)
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
    """theory: s_min < s_max; linearised names an experiment and one of its gd optimizers."""
    theory = config["theory"]
    if theory["s_min"] >= theory["s_max"]:
        raise ConfigError(f"config key 'theory.s_max': {theory['s_max']} is not above s_min"
                          f" {theory['s_min']} (expected: s_min < s_max)")
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
    """Each map names an experiment; GD stability fractions need a regression problem."""
    for name, regime in config["regimes"].items():
        exp = config["experiments"].get(name)
        if exp is None:
            raise ConfigError(f"config key 'regimes.{name}': no experiment named {name!r} to take the"
                              f" problem from (expected: one of {sorted(config['experiments'])})")
        for i, fam in enumerate(regime["optimizers"]):
            key = f"regimes.{name}.optimizers[{i}]"
            if ("lrs" in fam) == ("stability_fractions" in fam):
                raise ConfigError(f"config key '{key}': give lrs or stability_fractions, not both or neither")
            if "stability_fractions" in fam and (fam["family"] != "gd" or make_problem(exp["problem"]).loss_is_gap):
                raise ConfigError(f"config key '{key}.stability_fractions': the limit 2n/lambda_max is"
                                  " for gd on a regression problem (expected: typed lrs)")
        uneven = [b for b in regime["budgets"] if b % regime["eval_every"]]
        if uneven:
            raise ConfigError(f"config key 'regimes.{name}.eval_every': {regime['eval_every']} does not divide the"
                              f" budgets {uneven} (expected: the test error evaluated at every budget)")


def read_yaml(config_path) -> dict:
    """Parse a profile; a missing file, malformed YAML or a non-mapping names the file."""
    try:
        raw = yaml.safe_load(Path(config_path).read_text())
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"config file '{config_path}': cannot be read as YAML ({err})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"config file '{config_path}': expected a mapping of keys at top level")
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
    return overlay(read_yaml(defaults_path), profile)


def load(config_path, schema_path, defaults_path=None) -> dict:
    """Read a profile (YAML), apply it over the defaults file if given, and validate it;
    errors name the file or the key."""
    profile = read_yaml(config_path)
    return validate(in_force(defaults_path, profile) if defaults_path else profile, schema_path)
