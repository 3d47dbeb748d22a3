"""A profile's methods made explicit: ramps and plateaus, written out or as the s shorthand,
become the explicit stages of the config in force, at the experiment's one budget; the
schema and the schedules refuse what does not make sense, naming the key."""

import subprocess
import sys

import pytest

from conftest import ROOT, SCHEMA, write_profile
from hrta.pipeline.config import ConfigError, validate
from hrta.pipeline.grid import experiment_runs

PLATEAU = {"tol": 1e-3, "window": 10, "min_epochs": 20, "max_epochs": 40}


def _with(ci_config, *methods, epochs=100):
    """The CI config with sin3d's methods (relu first) and epochs."""
    ci_config["experiments"]["sin3d"].update(methods=[{"name": "relu", "s": [1.0]}, *methods], epochs=epochs)
    return ci_config


def _explicit(ci_config, *methods, **kw) -> list:
    return validate(_with(ci_config, *methods, **kw), SCHEMA)["experiments"]["sin3d"]["methods"][1:]


@pytest.mark.parametrize("method, schedule", [
    ({"s": [0.5, 1.0], "ramp": 0.2},  # at the even switch (50), a ramp of 20% of the epochs
     [{"s": 0.5, "epochs": 50}, {"ramp": 1.0, "epochs": 20, "shape": "linear"}, {"s": 1.0, "epochs": 30}]),
    ({"s": [0.5, 1.0], "switches": [0.3], "ramp": 0.2, "shape": "cosine"},
     [{"s": 0.5, "epochs": 30}, {"ramp": 1.0, "epochs": 20, "shape": "cosine"}, {"s": 1.0, "epochs": 50}]),
    ({"s": [0.5, 1.0], "plateau": PLATEAU},  # the last stage takes the rest: 100 - 40
     [{"s": 0.5, "plateau": PLATEAU}, {"s": 1.0, "epochs": 60}]),
    ({"s": [0.5, 1.0, 1.5], "plateau": PLATEAU, "ramp": 0.05},
     [{"s": 0.5, "plateau": PLATEAU}, {"ramp": 1.0, "epochs": 5, "shape": "linear"}, {"s": 1.0, "plateau": PLATEAU},
      {"ramp": 1.5, "epochs": 5, "shape": "linear"}, {"s": 1.5, "epochs": 10}]),
    ({"schedule": [{"s": 0.5, "epochs": 30}, {"ramp": 1.5, "epochs": 20}, {"s": 1.5}]},  # shape: the default
     [{"s": 0.5, "epochs": 30}, {"ramp": 1.5, "epochs": 20, "shape": "linear"}, {"s": 1.5, "epochs": 50}]),
    ({"schedule": [{"s": 0.5, "plateau": PLATEAU}, {"ramp": 1.5, "epochs": 10, "shape": "cosine"}, {"s": 1.5}]},
     [{"s": 0.5, "plateau": PLATEAU}, {"ramp": 1.5, "epochs": 10, "shape": "cosine"}, {"s": 1.5, "epochs": 50}]),
])
def test_methods_become_explicit_stages_at_the_experiments_budget(ci_config, method, schedule):
    assert _explicit(ci_config, {"name": "m", **method}) == [{"name": "m", "schedule": schedule}]


def test_runs_carry_the_kinds_labelled_apart_and_their_provenance_is_the_explicit_stages(ci_config):
    methods = [{"name": "jump", "s": [0.5, 1.0]}, {"name": "ramp", "s": [0.5, 1.0], "ramp": 0.2},
               {"name": "cosine", "s": [0.5, 1.0], "ramp": 0.2, "shape": "cosine"},
               {"name": "plateau", "s": [0.5, 1.0], "plateau": PLATEAU}]
    config = validate(_with(ci_config, *methods), SCHEMA)
    runs = {run.method: run for run in experiment_runs(config, "sin3d")}
    assert {name: runs[name].schedule.label() for name in ("jump", "ramp", "cosine", "plateau")} == {
        "jump": "HRTA 0.5→1", "ramp": "HRTA 0.5⇢1 (ramp 20)", "cosine": "HRTA 0.5⇢1 (cosine ramp 20)",
        "plateau": "HRTA 0.5→1 (on plateau: 0.1% in 10 epochs)"}
    assert {run.epochs for run in runs.values()} == {100}
    explicit = {m["name"]: m["schedule"] for m in config["experiments"]["sin3d"]["methods"]}
    assert all(run.schedule.as_list() == explicit[name] for name, run in runs.items())
    again = validate(_with(ci_config, *config["experiments"]["sin3d"]["methods"][1:]), SCHEMA)  # the config in force
    assert [repr(r) for r in experiment_runs(again, "sin3d")] == [repr(r) for r in experiment_runs(config, "sin3d")]


BAD = {  # method -> (the key named, what the message says)
    "plateau and switches": ({"s": [0.5, 1.0], "plateau": PLATEAU, "switches": [0.5]},
                             "methods[1]'", "switches at fixed points (switches) or on plateau, not both"),
    "shape without ramp": ({"s": [0.5, 1.0], "shape": "cosine"}, "methods[1]'", "it needs ramp"),
    "ramp of one s": ({"s": [1.0], "ramp": 0.1}, "methods[1]'", "need two values of s or more"),
    "ramp longer than a stage": ({"s": [0.5, 1.0], "ramp": 0.6}, "methods[1].ramp'", "leaves no epoch of stage 1"),
    "ramp fraction 1": ({"s": [0.5, 1.0], "ramp": 1.0}, "methods[1].ramp'", "or equal to the maximum of 1"),
    "plateaus past the budget": ({"s": [0.5, 1.0, 1.5], "plateau": {**PLATEAU, "max_epochs": 60}},
                                 "methods[1].schedule'", "take 120 epochs (every plateau at its max_epochs)"),
    "plateau incomplete": ({"s": [0.5, 1.0], "plateau": {"tol": 1e-3}}, "methods[1].plateau'",
                           "is a required property"),
    "plateau tol 0": ({"s": [0.5, 1.0], "plateau": {**PLATEAU, "tol": 0}}, "methods[1].plateau.tol'",
                      "Relative improvement over the window"),
    "plateau window too long": ({"s": [0.5, 1.0], "plateau": {**PLATEAU, "window": 40}}, "methods[1].schedule'",
                                "window 40 must be below max_epochs 40"),
    "plateau last": ({"schedule": [{"s": 0.5, "epochs": 60}, {"s": 1.0, "plateau": PLATEAU}]},
                     "methods[1].schedule'", "a plateau ends the stage: a stage must follow it"),
    "plateau with epochs": ({"schedule": [{"s": 0.5, "epochs": 60, "plateau": PLATEAU}, {"s": 1.0}]},
                            "methods[1].schedule[0]'", "'epochs' was unexpected"),
    "ramp first": ({"schedule": [{"ramp": 1.5, "epochs": 50}, {"s": 1.5}]}, "methods[1].schedule'",
                   "the first stage cannot be one"),
    "ramp without epochs": ({"schedule": [{"s": 0.5, "epochs": 50}, {"ramp": 1.5}]}, "methods[1].schedule[1]'",
                            "'epochs' is a required property"),
    "ramp shape": ({"schedule": [{"s": 0.5, "epochs": 50}, {"ramp": 1.5, "epochs": 50, "shape": "step"}]},
                   "methods[1].schedule[1].shape'", "is not one of ['linear', 'cosine']"),
    "ramp to 2": ({"schedule": [{"s": 0.5, "epochs": 50}, {"ramp": 2.0, "epochs": 50}]},
                  "methods[1].schedule[1].ramp'", "s at the ramp's end"),
    "open stage not last": ({"schedule": [{"s": 0.5}, {"s": 1.0, "epochs": 50}]}, "methods[1].schedule'",
                            "only the last stage may leave out its epochs"),
    "open stage with no epoch left": ({"schedule": [{"s": 0.5, "epochs": 100}, {"s": 1.0}]}, "methods[1].schedule'",
                                      "leaving none of 100 to the last stage"),
    "budget": ({"schedule": [{"s": 0.5, "epochs": 50}, {"ramp": 1.0, "epochs": 60}]}, "methods[1].schedule'",
               "110 epochs, not the experiment's 100"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_method_that_makes_no_sense_is_refused_naming_its_key(ci_config, case):
    method, key, says = BAD[case]
    with pytest.raises(ConfigError) as err:
        validate(_with(ci_config, {"name": "m", **method}), SCHEMA)
    assert f"experiments.sin3d.{key}" in str(err.value) and says in str(err.value), str(err.value)


def test_an_open_last_stage_needs_the_experiments_epochs(ci_config):
    _with(ci_config, {"name": "m", "schedule": [{"s": 0.5, "epochs": 50}, {"s": 1.0}]})
    ci_config["experiments"]["sin3d"]["methods"] = ci_config["experiments"]["sin3d"]["methods"][1:]
    del ci_config["experiments"]["sin3d"]["epochs"]
    with pytest.raises(ConfigError, match="'experiments.sin3d.epochs': missing .*leaves out its epochs"):
        validate(ci_config, SCHEMA)


def test_a_ramp_from_the_baselines_s_is_not_taken_for_a_baseline(ci_config):
    (ramp,) = _explicit(ci_config, {"name": "up", "s": [1.0, 1.5], "ramp": 0.2})
    assert ramp["schedule"] == [{"s": 1.0, "epochs": 50}, {"ramp": 1.5, "epochs": 20, "shape": "linear"},
                                {"s": 1.5, "epochs": 30}]


def test_two_methods_that_would_share_a_label_are_refused(ci_config):
    """Same s values, different switch points: one label 'HRTA 0.5→1' for two methods."""
    _with(ci_config, {"name": "early", "s": [0.5, 1.0], "switches": [0.25]},
          {"name": "late", "s": [0.5, 1.0], "switches": [0.75]})
    with pytest.raises(ConfigError, match=r"'experiments\.sin3d\.methods': .*early, late would all be labelled "
                                          r"'HRTA 0\.5→1'"):
        validate(ci_config, SCHEMA)


@pytest.mark.slow
def test_a_dry_run_of_a_profile_with_every_kind(ci_config, tmp_path):
    """snakemake -n takes the kinds, one training job per method (training.job_per)."""
    _with(ci_config, {"name": "hrta_ramp", "s": [1.0, 1.5], "ramp": 0.2, "shape": "cosine"},
          {"name": "hrta_plateau", "s": [1.0, 1.5], "plateau": PLATEAU})
    ci_config["training"]["job_per"] = ["method"]
    dry = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
                          "--configfile", str(write_profile(tmp_path / "kinds.yaml", ci_config)), "-n"],
                         capture_output=True, text=True, timeout=300)
    assert dry.returncode == 0, dry.stderr[-3000:]
    for name in ("hrta_ramp", "hrta_plateau"):
        assert f"results/runs/sin3d/{name}.nc" in dry.stdout
