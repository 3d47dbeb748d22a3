"""Size limits of a config, checked before anything is expanded, copied or validated: a huge
list, an alias bomb (YAML aliases repeat what they point to each time they are used) or a
grid of too many runs is refused in well under a second with the key named, instead of
running the start of the workflow for minutes. Imports no torch."""

import math

from hrta.pipeline.errors import ConfigError, key_of

MAX_DEPTH = 32          # nesting of mappings and lists (a profile needs 6)
MAX_ITEMS = 10_000      # items of one list
MAX_VALUES = 100_000    # values of the whole config, an alias counted each time it is used
MAX_STRING = 10_000     # characters of one string
MAX_RUNS = 100_000      # training runs of one config (config.yaml has about 1,800)


def _holder(path: tuple) -> tuple:
    """The path up to its first list index: the key that holds the list."""
    for i, part in enumerate(path):
        if isinstance(part, int):
            return path[:i]
    return path


def check_size(config) -> None:
    """ConfigError naming the key of the first list above MAX_ITEMS, string above MAX_STRING,
    nesting deeper than MAX_DEPTH, or where the config passes MAX_VALUES values."""
    budget = MAX_VALUES

    def walk(value, path):
        nonlocal budget
        budget -= 1
        if budget < 0:
            raise ConfigError(f"config key '{key_of(_holder(path))}': the config holds more than {MAX_VALUES:,}"
                              " values here and before (a YAML alias (*name) counts each time it is used;"
                              " expected: a profile of a few hundred values)")
        if len(path) > MAX_DEPTH:
            raise ConfigError(f"config key '{key_of(_holder(path))}': nested more than {MAX_DEPTH} deep"
                              " (expected: a profile's keys, a few levels deep)")
        if isinstance(value, dict):
            for name, sub in value.items():
                walk(sub, (*path, name))
        elif isinstance(value, (list, tuple)):
            if len(value) > MAX_ITEMS:
                raise ConfigError(f"config key '{key_of(path)}': {len(value):,} items, above the limit of"
                                  f" {MAX_ITEMS:,} for one list")
            for i, sub in enumerate(value):
                walk(sub, (*path, i))
        elif isinstance(value, str) and len(value) > MAX_STRING:
            raise ConfigError(f"config key '{key_of(path)}': a string of {len(value):,} characters, above the"
                              f" limit of {MAX_STRING:,}")

    walk(config, ())


def check_runs(config: dict) -> None:
    """ConfigError, before the run grid is built, when the experiments (generated ones
    included) hold more than MAX_RUNS runs; names the largest experiment and its factors."""
    counts = {}
    for name, exp in config["experiments"].items():
        factors = {key: len(exp[key]) for key in ("optimizers", "methods", "widths", "seeds")}
        counts[name] = (math.prod(factors.values()), factors)
    total = sum(n for n, _ in counts.values())
    if total > MAX_RUNS:
        name, (n, factors) = max(counts.items(), key=lambda item: item[1][0])
        source = config["experiments"][name].get("regime") or (config["experiments"][name].get("architecture")
                                                                or {}).get("source")
        key = f"regimes.{source}" if "regime" in config["experiments"][name] else (
            f"architectures.{source}" if source else f"experiments.{name}")
        product = " × ".join(f"{v:,} {k}" for k, v in factors.items())
        raise ConfigError(f"config key '{key}': {total:,} training runs in all, above the limit of {MAX_RUNS:,};"
                          f" {name} alone has {product} = {n:,} (expected: fewer seeds, widths, methods or"
                          " optimizers)")
