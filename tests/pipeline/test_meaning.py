"""Configs that mean one thing (issue 35): names that cannot escape results/ or collide, one
budget and one baseline per experiment, ordered min/max pairs, size limits checked before
anything is expanded, and the machine's accelerator and cores."""

import time

import pytest

from conftest import SCHEMA
from hrta.pipeline import sizes
from hrta.pipeline.config import ConfigError, validate


def _sin1d(cfg):
    return cfg["experiments"]["sin1d"]


REFUSED = {  # case -> (change to the CI profile in force, key the message names)
    # sizes, checked before expansion
    "10^4 + 1 items in a list": (lambda c: _sin1d(c).update(seeds=list(range(10_001))), "experiments.sin1d.seeds"),
    "2000 seeds": (lambda c: _sin1d(c).update(seeds=list(range(2000))), "experiments.sin1d.seeds"),
    "200 widths": (lambda c: _sin1d(c).update(widths=list(range(1, 201))), "experiments.sin1d.widths"),
    "10^9 test points": (lambda c: _sin1d(c)["problem"].update(n_test=10**9), "experiments.sin1d.problem.n_test"),
    "10^6 s points": (lambda c: c["theory"].update(s_points=10**6), "theory.s_points"),
    "10^5 runs": (lambda c: _sin1d(c).update(seeds=list(range(1000)), widths=list(range(1, 31))),
                  "experiments.sin1d"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_the_key(ci_config, case):
    change, key = REFUSED[case]
    change(ci_config)
    with pytest.raises(ConfigError) as err:
        validate(ci_config, SCHEMA)
    assert f"'{key}" in str(err.value), str(err.value)


def test_alias_bomb_and_huge_lists_are_refused_fast(ci_config):
    """A billion laughs inside a list (every level 10 aliases of the one below) and a million
    seeds: refused in well under a second, naming the key, before any copy or expansion."""
    level = list(range(10))
    for _ in range(9):
        level = [level] * 10
    ci_config["experiments"]["sin1d"]["seeds"] = level
    start = time.perf_counter()
    with pytest.raises(ConfigError, match=r"'experiments\.sin1d\.seeds'.*more than 100,000 values"):
        validate(ci_config, SCHEMA)
    ci_config["experiments"]["sin1d"]["seeds"] = list(range(10**6))
    with pytest.raises(ConfigError, match=r"'experiments\.sin1d\.seeds': 1,000,000 items"):
        validate(ci_config, SCHEMA)
    nested = []
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(ConfigError, match=r"'x': nested more than 32 deep"):
        sizes.check_size({"x": nested})
    assert time.perf_counter() - start < 1.0
