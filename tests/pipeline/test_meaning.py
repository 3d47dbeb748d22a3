"""Configs that mean one thing (issue 35), beyond the refusals of test_config.BAD: colliding
keys named both, names that are fine, every profile's planned paths, size limits that are
fast, and the machine's accelerator and cores."""


import pytest

from conftest import SCHEMA
from hrta.pipeline import outputs, resources, sizes
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import jobs


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


def test_alias_bomb_and_huge_lists_are_refused_before_expansion(ci_config):
    """A billion laughs inside a list (every level 10 aliases of the one below: 10^10 values,
    which no walk over its values, copy or expansion would finish) and a million seeds:
    refused naming the key."""
    level = list(range(10))
    for _ in range(9):
        level = [level] * 10
    ci_config["experiments"]["sin1d"]["seeds"] = level
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
