"""Bad input stops before any job with a message naming the key or file (issue 5)."""

import copy
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from conftest import CI_PROFILE, ROOT, SCHEMA, workflow_copy, write_profile
from hrta.pipeline.config import ConfigError, in_force, load, validate
from hrta.pipeline.grid import jobs, runs
from hrta.pipeline.resources import check_memory


def _exp(cfg):
    return cfg["experiments"]["sin1d"]


def _methods(cfg):
    """sin1d's methods as explicit stages (config.yaml names the method set)."""
    _exp(cfg)["methods"] = [{"name": "relu", "schedule": [{"s": 1.0, "epochs": 200}]},
                            {"name": "hrta_0.5-1", "schedule": [{"s": 0.5, "epochs": 100}, {"s": 1.0, "epochs": 100}]}]
    return _exp(cfg)["methods"]


def _third(name):
    """A third method of sin1d, HRTA 1.5→1, named ``name``."""
    return {"name": name, "schedule": [{"s": 1.5, "epochs": 100}, {"s": 1.0, "epochs": 100}]}


def _set(path_fn, value):
    def mutate(cfg):
        path_fn(cfg, value)
    return mutate


BAD = {
    "unknown key": (lambda c: _exp(c).update(widht=[3]), "experiments.sin1d"),
    "wrong type": (lambda c: c["training"].update(threads="two"), "training.threads"),
    "s above 2": (lambda c: _methods(c)[1]["schedule"][1].update(s=2.5),
                  "experiments.sin1d.methods[1].schedule[1].s"),
    "s zero": (lambda c: _methods(c)[0]["schedule"][0].update(s=0),
               "experiments.sin1d.methods[0].schedule[0].s"),
    "stage epochs not positive": (lambda c: _methods(c)[0]["schedule"][0].update(epochs=0),
                                  "experiments.sin1d.methods[0].schedule[0].epochs"),
    "width not positive": (lambda c: _exp(c).update(widths=[20, -5]), "experiments.sin1d.widths[1]"),
    "width not integer": (lambda c: _exp(c).update(widths=[20, 1.5]), "experiments.sin1d.widths[1]"),
    "empty seed list": (lambda c: _exp(c).update(seeds=[]), "experiments.sin1d.seeds"),
    "duplicate method names": (lambda c: (lambda m: m.append(copy.deepcopy(m[0])))(_methods(c)),
                               "experiments.sin1d.methods"),
    "unknown problem": (lambda c: _exp(c)["problem"].update(name="sin_prod"), "experiments.sin1d.problem.name"),
    "unknown optimizer": (lambda c: _exp(c)["optimizers"][0].update(algorithm="lbfgs"),
                          "experiments.sin1d.optimizers[0].algorithm"),
    "non-positive learning rate": (lambda c: _exp(c)["optimizers"][0].update(lr=0.0),
                                   "experiments.sin1d.optimizers[0].lr"),
    "nan learning rate": (lambda c: _exp(c)["optimizers"][0].update(lr=float("nan")),
                          "experiments.sin1d.optimizers[0].lr"),
    "infinite learning rate": (lambda c: _exp(c)["optimizers"][0].update(lr=float("inf")),
                               "experiments.sin1d.optimizers[0].lr"),
    "infinite decay factor": (lambda c: _exp(c)["optimizers"][0]["decay"].update(gamma=float("-inf")),
                              "experiments.sin1d.optimizers[0].decay.gamma"),
    # issue 35: names that escape or collide (a third method, which the architectures do not select)
    "method named ..": (lambda c: _methods(c).append(_third("..")), "experiments.sin1d.methods[2].name"),
    "method named . with job_per method": (
        lambda c: (_methods(c).append(_third(".")), c["training"].update(job_per=["optimizer", "method", "width"])),
        "experiments.sin1d.methods[2].name"),
    "method named .. in two experiments": (
        lambda c: (_methods(c).append(_third("..")), c["experiments"]["sin3d"]["methods"][1].update(name=".."),
                   c["training"].update(job_per=["method", "width"])), "experiments.sin3d.methods[1].name"),
    "method with a slash": (lambda c: _methods(c).append(_third("a/b")), "experiments.sin1d.methods[2].name"),
    "method with a leading dot": (lambda c: _methods(c).append(_third(".hidden")),
                                  "experiments.sin1d.methods[2].name"),
    "method set method named ..": (lambda c: c["method_sets"]["paper"][4].update(name=".."),
                                   "method_sets.paper[4].name"),
    "optimizer named ..": (lambda c: _exp(c)["optimizers"][0].update(name=".."),
                           "experiments.sin1d.optimizers[0].name"),
    "real-data method named ..": (lambda c: c["real_data"]["digits"]["methods"][1].update(name=".."),
                                  "real_data.digits.methods[1].name"),
    "experiment named ..": (lambda c: c["experiments"].update({"..": c["experiments"].pop("poisson")}),
                            "experiments"),
    "experiment writing theory.beyond's spectra": (
        lambda c: c["experiments"].update(beyond=c["experiments"].pop("poisson")), "theory.beyond"),
    "figure named architectures": (lambda c: _exp(c).update(figures=[{"name": "architectures"}]),
                                   "experiments.sin1d.figures[0].name"),
    "experiment named as a regime map's": (
        lambda c: c["experiments"].update(sin1d_regime=copy.deepcopy(c["experiments"]["poisson"])),
        "regimes.sin1d"),
    "names equal but for case": (lambda c: c["experiments"].update(SIN3D={
        **copy.deepcopy(c["experiments"]["sin3d"]), "figures": [{"name": "fig3_upper"}]}), "experiments.SIN3D"),
    # issue 35: configs that mean one thing
    "unequal epochs": (lambda c: _methods(c)[1]["schedule"][1].update(epochs=50),
                       "experiments.sin1d.methods[1].schedule"),
    "unequal epochs, real data": (lambda c: c["real_data"]["digits"]["methods"].append(
        {"name": "short", "schedule": [{"s": 0.5, "epochs": 10}]}), "real_data.digits.methods[3].schedule"),
    "two baselines": (lambda c: _methods(c).append({"name": "relu2", "schedule": [{"s": 1.0, "epochs": 200}]}),
                      "experiments.sin1d.methods"),
    "no baseline": (lambda c: (_methods(c).pop(0), c.update(architectures={})), "experiments.sin1d.methods"),
    "baseline in two stages": (lambda c: _methods(c)[0].update(
        schedule=[{"s": 1.0, "epochs": 100}, {"s": 1.0, "epochs": 100}]), "experiments.sin1d.methods[0]"),
    "real data without a baseline": (lambda c: c["real_data"]["digits"]["methods"].pop(0),
                                     "real_data.digits.methods"),
    "architectures without the baseline": (
        lambda c: c["architectures"]["sin1d"].update(methods=["hrta_0.5-1", "hrta_1-1.5"]),
        "architectures.sin1d.methods"),
    "regime control at s = 1": (lambda c: c["regimes"]["sin1d"].update(control_s=1.0), "regimes.sin1d.control_s"),
    "regime schedule s = 1 throughout": (lambda c: c["regimes"]["sin1d"]["schedules"].append([1.0, 1.0]),
                                         "regimes.sin1d.schedules[2]"),
    "beyond s_min above s_max": (lambda c: c["theory"]["beyond"].update(s_min=1.9, s_max=0.1),
                                 "theory.beyond.s_max"),
    "theory s_min equal to s_max": (lambda c: c["theory"].update(s_min=1.0, s_max=1.0), "theory.s_max"),
    # issue 35: sizes, checked before expansion
    "10^4 + 1 items in a list": (lambda c: _exp(c).update(seeds=list(range(10_001))), "experiments.sin1d.seeds"),
    "2000 seeds": (lambda c: _exp(c).update(seeds=list(range(2000))), "experiments.sin1d.seeds"),
    "200 widths": (lambda c: _exp(c).update(widths=list(range(1, 201))), "experiments.sin1d.widths"),
    "10^9 test points": (lambda c: _exp(c)["problem"].update(n_test=10**9), "experiments.sin1d.problem.n_test"),
    "10^6 s points": (lambda c: c["theory"].update(s_points=10**6), "theory.s_points"),
    "10^5 runs": (lambda c: _exp(c).update(seeds=list(range(1000)), widths=list(range(1, 31))),
                  "experiments.sin1d"),
}
TOO_BIG = {  # valid configs that the memory check stops before any job (hrta.pipeline.resources)
    "width 10^12": (lambda c: _exp(c).update(widths=[20, 10**12]), "'experiments.sin1d.widths'"),
    "limit below one job": (lambda c: c.update(limits={"memory_mb": 500}), "limits.memory_mb = 500"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_validate_names_the_key(ci_config, case):
    mutate, key = BAD[case]
    mutate(ci_config)
    with pytest.raises(ConfigError) as err:
        validate(ci_config, SCHEMA)
    assert f"'{key}'" in str(err.value)


@pytest.mark.parametrize("case", sorted(TOO_BIG))
def test_memory_check_names_the_key_and_estimate(ci_config, case):
    mutate, key = TOO_BIG[case]
    mutate(ci_config)
    config = validate(ci_config, SCHEMA)
    with pytest.raises(ConfigError, match=r"needs an estimated [\d,]+ MB, above the limit") as err:
        check_memory(config)
    assert key in str(err.value)


PROFILES = sorted((ROOT / "workflow" / "configs").glob("*.yaml"))


def test_memory_check_passes_every_profile():
    check_memory(load(ROOT / "config.yaml", SCHEMA))
    for profile in PROFILES:
        check_memory(load(profile, SCHEMA, ROOT / "config.yaml"))


def test_valid_profiles_and_defaults(ci_config):
    del ci_config["training"]
    cfg = validate(ci_config, SCHEMA)
    assert cfg["training"]["threads"] == 1 and cfg["training"]["dtype"] == "float32"
    assert cfg["experiments"]["sin1d"]["optimizers"][0]["decay"]["kind"] == "step"
    assert list(runs(load(ROOT / "config.yaml", SCHEMA)))
    for profile in PROFILES:
        assert list(runs(load(profile, SCHEMA, ROOT / "config.yaml"))), profile


def test_malformed_yaml_names_the_file(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("training: {threads: 1\nexperiments: [\n")
    with pytest.raises(ConfigError, match="config.yaml"):
        load(bad, SCHEMA)


def _snakemake(workdir, *args):
    return subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"),
                           "-d", str(workdir), "--cores", "1", *args],
                          capture_output=True, text=True, timeout=300)


def _stop(case, workdir):
    """The real command line on the case's config in ``workdir``: (its process, the key its
    message must name)."""
    if case == "malformed yaml":  # the defaults file, read by the Snakefile: the error names it
        checkout = workflow_copy(workdir / "checkout")
        (checkout / "config.yaml").write_text("training: {threads: 1\nexperiments: [\n")
        proc = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(checkout / "Snakefile"),
                               "-d", str(workdir), "--cores", "1"], capture_output=True, text=True, timeout=300)
        return proc, "config.yaml"
    config = in_force(ROOT / "config.yaml", yaml.safe_load(CI_PROFILE.read_text()))  # the ci_config fixture's
    mutate, key = {**BAD, **TOO_BIG}[case]
    mutate(config)
    return _snakemake(workdir, "--configfile", str(write_profile(workdir / "bad.yaml", config))), key


@pytest.fixture(scope="module")
def stopped(request, tmp_path_factory):
    """{case: (process, key, its folder)} for every selected case of
    test_workflow_stops_before_any_job: each a snakemake start of its own in a folder of
    its own, two at a time."""
    cases = [item.callspec.params["case"] for item in request.session.items
             if item.module is request.module and item.originalname == "test_workflow_stops_before_any_job"]
    folders = {case: tmp_path_factory.mktemp("stop") for case in cases}
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip(cases, pool.map(lambda case: _stop(case, folders[case]), cases)))
    return {case: (*done[case], folders[case]) for case in cases}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BAD) + sorted(TOO_BIG) + ["malformed yaml"])
def test_workflow_stops_before_any_job(stopped, case):
    """The real command line: non-zero exit, the key named, nothing under results/."""
    proc, key, workdir = stopped[case]
    assert proc.returncode != 0
    assert key in proc.stderr + proc.stdout
    assert not (workdir / "results").exists()


@pytest.mark.parametrize("per, count, first", [
    ([], 6, "all"),
    (["optimizer", "width"], 14, "adam/m20"),
    (["width", "method", "optimizer", "seed"], 282, "adam/relu/m20/seed0"),  # 90 of them the map's path axis
])
def test_training_jobs_partition_the_runs(ci_config, per, count, first):
    ci_config["training"]["job_per"] = per
    config = validate(ci_config, SCHEMA)
    grid = jobs(config)
    assert len(grid) == count and next(iter(grid)) == ("sin1d", first)
    flat = [r for group in grid.values() for r in group]
    assert sorted(map(str, flat)) == sorted(map(str, runs(config)))  # every run once
    for (experiment, _), group in grid.items():
        assert {r.experiment for r in group} == {experiment}
        dims = [{"optimizer": r.optimizer.name, "method": r.method, "width": r.width, "seed": r.seed} for r in group]
        assert all(len({d[dim] for d in dims}) == 1 for dim in per)


def test_job_per_rejects_an_unknown_dim(ci_config):
    ci_config["training"]["job_per"] = ["width", "lr"]
    with pytest.raises(ConfigError, match=r"training\.job_per\[1\]"):
        validate(ci_config, SCHEMA)


def test_the_as_filed_benchmark_profile_trains_the_filed_grid():
    """benchmarks/as_filed.yaml over today's config trains the runs that f491915's default
    profile trained (counted from its results/benchmarks/train/*.runs.tsv: 1804)."""
    config = load(ROOT / "benchmarks" / "as_filed.yaml", SCHEMA, ROOT / "config.yaml")
    filed = {"sin1d": 90, "sin3d": 45, "poisson": 45, "sin1d_regime": 1344, "sin1d_tanh_L1": 40,
             "sin1d_gelu_L1": 40, **{f"sin1d_relu_L{d}": 20 for d in range(1, 5)},
             **{f"sin3d_{b}_L1": 20 for b in ("tanh", "gelu")}, **{f"sin3d_relu_L{d}": 20 for d in range(1, 5)}}
    assert Counter(r.experiment for r in runs(config)) == filed
