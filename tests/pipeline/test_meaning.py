"""Configs that mean one thing (issue 35): names that cannot escape results/ or collide, one
budget and one baseline per experiment, ordered min/max pairs, size limits checked before
anything is expanded, and the machine's accelerator and cores."""

import copy
import time

import pytest

from conftest import SCHEMA
from hrta.pipeline import outputs, resources, sizes
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import jobs


def _sin1d(cfg):
    return cfg["experiments"]["sin1d"]


def _explicit(cfg):
    """sin1d's methods written out (the CI profile's sin1d takes config.yaml's method set)."""
    _sin1d(cfg)["methods"] = [{"name": "relu", "s": [1.0]}, {"name": "hrta_0.5-1", "s": [0.5, 1.0]}]
    return _sin1d(cfg)["methods"]


def _rename_method(cfg, experiment, name):
    cfg["experiments"][experiment]["methods"][1]["name"] = name


REFUSED = {  # case -> (change to the CI profile in force, key the message names)
    # names that escape or collide
    "method named ..": (lambda c: _explicit(c)[1].update(name=".."), "experiments.sin1d.methods[1].name"),
    "method named .": (lambda c: (_explicit(c)[1].update(name="."),
                                  c["training"].update(job_per=["optimizer", "method", "width"])),
                       "experiments.sin1d.methods[1].name"),
    "method named .. in two experiments": (
        lambda c: (_explicit(c)[1].update(name=".."), _rename_method(c, "sin3d", ".."),
                   c["training"].update(job_per=["method", "width"])), "experiments.sin3d.methods[1].name"),
    "optimizer named ..": (lambda c: _sin1d(c)["optimizers"][0].update(name=".."),
                           "experiments.sin1d.optimizers[0].name"),
    "real-data method named ..": (lambda c: c["real_data"]["digits"]["methods"][1].update(name=".."),
                                  "real_data.digits.methods[1].name"),
    "method set method named ..": (lambda c: c["method_sets"]["paper"][1].update(name=".."), "method_sets.paper"),
    "method with a slash": (lambda c: _explicit(c)[1].update(name="a/b"), "experiments.sin1d.methods[1].name"),
    "method with a leading dot": (lambda c: _explicit(c)[1].update(name=".hidden"),
                                  "experiments.sin1d.methods[1].name"),
    "experiment named ..": (lambda c: c["experiments"].update({"..": c["experiments"].pop("poisson")}),
                            "experiments"),
    "experiment named beyond": (  # results/theory/beyond_spectra.nc is theory.beyond's
        lambda c: c["experiments"].update(beyond=c["experiments"].pop("poisson")), "theory.beyond"),
    "figure named architectures": (lambda c: _sin1d(c).update(figures=[{"name": "architectures"}]),
                                   "experiments.sin1d.figures[0].name"),
    "experiment named as a regime map's": (
        lambda c: c["experiments"].update(sin1d_regime=copy.deepcopy(c["experiments"]["poisson"])),
        "regimes.sin1d"),
    "names equal but for case": (lambda c: c["experiments"].update(SIN3D=copy.deepcopy(c["experiments"]["sin3d"])),
                                 "experiments.SIN3D"),
    # one meaning per config
    "unequal epochs": (lambda c: _explicit(c).__setitem__(
        1, {"name": "hrta", "schedule": [{"s": 0.5, "epochs": 50}, {"s": 1.0, "epochs": 100}]}),
        "experiments.sin1d.methods[1].schedule"),
    "unequal epochs, real data": (lambda c: c["real_data"]["digits"]["methods"].append(
        {"name": "short", "schedule": [{"s": 0.5, "epochs": 10}]}), "real_data.digits.methods[3].schedule"),
    "two baselines": (lambda c: _explicit(c).append({"name": "relu2", "s": [1.0]}), "experiments.sin1d.methods"),
    "no baseline": (lambda c: _explicit(c).pop(0), "experiments.sin1d.methods"),
    "baseline in two stages": (lambda c: _explicit(c).__setitem__(0, {"name": "relu", "s": [1.0, 1.0]}),
                               "experiments.sin1d.methods[0]"),
    "real data without a baseline": (lambda c: c["real_data"]["digits"]["methods"].pop(0), "real_data.digits.methods"),
    "architectures without the baseline": (
        lambda c: c["architectures"]["sin1d"].update(methods=["hrta_0.5-1", "hrta_1-1.5"]), "architectures.sin1d"),
    "regime control at s = 1": (lambda c: c["regimes"]["sin1d"].update(control_s=1.0), "regimes.sin1d.control_s"),
    "regime schedule s = 1 throughout": (lambda c: c["regimes"]["sin1d"]["schedules"].append([1.0, 1.0]),
                                         "regimes.sin1d.schedules[2]"),
    "beyond s_min above s_max": (lambda c: c["theory"]["beyond"].update(s_min=1.9, s_max=0.1),
                                 "theory.beyond.s_max"),
    "theory s_min equal to s_max": (lambda c: c["theory"].update(s_min=1.0, s_max=1.0), "theory.s_max"),
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


def test_colliding_keys_are_both_named(ci_config):
    ci_config["experiments"]["beyond"] = ci_config["experiments"].pop("poisson")
    with pytest.raises(ConfigError, match=r"'experiments\.beyond' and 'theory\.beyond' both write "
                                          r"results/theory/beyond_spectra\.nc"):
        validate(ci_config, SCHEMA)


def test_names_that_are_fine(ci_config):
    """Dots and hyphens inside a name are file-name safe (and regex-escaped in the workflow)."""
    ci_config["experiments"]["sin3d"]["methods"][1]["name"] = "hrta-1.to.1.5"
    ci_config["experiments"]["sin3d.v2"] = ci_config["experiments"].pop("sin3d")
    ci_config["training"]["job_per"] = ["method", "width"]
    config = validate(ci_config, SCHEMA)
    assert ("sin3d.v2", "hrta-1.to.1.5/m20") in jobs(config)


@pytest.mark.parametrize("profile", ["config.yaml", "ci.yaml", "paper.yaml", "regime.yaml"])
def test_every_profile_plans_distinct_paths_inside_results(profile):
    from conftest import ROOT
    from hrta.pipeline.config import load

    path = ROOT / ("config.yaml" if profile == "config.yaml" else f"workflow/configs/{profile}")
    config = load(path, SCHEMA, ROOT / "config.yaml")
    planned = outputs.planned(config)
    assert len({p for p, _ in planned}) == len(planned)
    assert all(p.startswith("results/") and ".." not in p.split("/") for p, _ in planned)
    for key, name in outputs.names(config):  # generated names too
        assert name not in (".", "..") and "/" not in name, key


def test_schema_and_code_share_the_name_pattern():
    import yaml

    schema = yaml.safe_load(SCHEMA.read_text())
    assert schema["$defs"]["name"]["pattern"] == outputs.NAME


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


def test_gpu_accelerator_without_a_gpu_is_refused(ci_config, monkeypatch):
    config = validate(ci_config, SCHEMA)
    config["training"]["accelerator"] = "gpu"
    monkeypatch.setattr(resources.platform, "system", lambda: "Linux")
    monkeypatch.setattr(resources, "torch_build", lambda: {"cuda": None, "hip": None})
    with pytest.raises(ConfigError, match=r"'training\.accelerator': gpu, but the installed torch is built without"):
        resources.check_machine(config)
    monkeypatch.setattr(resources, "torch_build", lambda: {"cuda": "12.4", "hip": None})
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    with pytest.raises(ConfigError, match="CUDA_VISIBLE_DEVICES"):
        resources.check_machine(config)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    monkeypatch.setattr(resources.glob, "glob", lambda pattern: ["/dev/nvidia0"] if "nvidia[" in pattern else [])
    assert resources.check_machine(config) == []
    config["training"]["accelerator"] = "auto"  # falls back to the CPU: fine anywhere
    monkeypatch.setattr(resources, "torch_build", lambda: {})
    assert resources.check_machine(config) == []


def test_this_torch_build_is_read_without_importing_it():
    import sys

    build = resources.torch_build()
    assert set(build) == {"cuda", "hip"}
    if "torch" in sys.modules:  # the test session imported it: compare
        import torch

        assert build["cuda"] == torch.version.cuda


def test_threads_above_the_cores_are_warned(ci_config, monkeypatch):
    config = validate(ci_config, SCHEMA)
    monkeypatch.setattr(resources, "cores", lambda: 2)
    assert resources.check_machine(config) == []
    config["training"]["threads"] = 1000
    (warning,) = resources.check_machine(config)
    assert "'training.threads': 1000 torch threads per job, above this machine's 2 cores" in warning
