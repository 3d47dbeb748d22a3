"""Bad or odd input through the real command line (issue 35): refused before any job, fast,
with the key (or file, line and column) named, and nothing written under results/."""

import json
import re
import subprocess
import sys
import time

import pytest
import yaml

from conftest import CI_PROFILE, ROOT, profile_of, write_profile
from hrta.pipeline.resources import gpu_absent

pytestmark = pytest.mark.slow
CI_TEXT = CI_PROFILE.read_text()
BOMB = "[&l0 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], " + ", ".join(  # YAML flow: 10^9 values as written
    f"&l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)) + "]"


def _snakemake(workdir, profile, *args):
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
                           "--configfile", str(profile), *args], capture_output=True, text=True, timeout=300)
    return proc, time.perf_counter() - start


def _methods(extra: str) -> str:
    """The CI profile with sin1d's methods (its block of every kind) replaced by two, plus
    ``extra`` methods (YAML flow)."""
    flow = f"    methods: [{{name: relu, s: [1.0]}}, {{name: hrta_0.5-1, s: [0.5, 1.0]}}{extra}]\n"
    text, count = re.subn(r"    methods: +# every kind of schedule.*\n(      - .*\n)+", flow, CI_TEXT, count=1)
    assert count == 1, "the CI profile's sin1d methods block moved"
    return text


TEXTS = {  # case -> (profile text, what the message says)
    "key given twice": (CI_TEXT.replace("  log_every_s: 0.5\n", "  log_every_s: 0.5\n  threads: 1\n  threads: 2\n"),
                        r"bad\.yaml', line 6, column 3: key 'threads' given twice \(first at line 5"),
    "templating": ("__use_yte__: true\n" + CI_TEXT, r"__use_yte__ asks for YAML templating"),
    "method named ..": (_methods(", {name: '..', s: [1.5, 1.0]}"), r"'experiments\.sin1d\.methods\[2\]\.name'"),
    "two baselines": (_methods(", {name: plain, s: [1.0]}"),
                      r"'experiments\.sin1d\.methods': \['relu', 'plain'\] all have s = 1 throughout"),
    "unequal epochs": (_methods(", {name: short, schedule: [{s: 0.5, epochs: 10}]}"),
                       r"'experiments\.sin1d\.methods\[2\]\.schedule' \(short\): 10 epochs, not the experiment's 200"),
    "beyond s_min above s_max": (CI_TEXT.replace("    s_min: 0.1\n", "    s_min: 1.95\n"),
                                 r"'theory\.beyond\.s_max': 1\.9 is not above s_min 1\.95"),
    "experiment writing another's file": (  # results/theory/beyond_spectra.nc
        CI_TEXT.replace("experiments:\n", "experiments:\n  beyond: {problem: {name: sin_sum, dim: 1}, widths: [20],"
                        " seeds: [0], optimizers: [{name: adam, algorithm: adam, lr: 0.01}], epochs: 10,"
                        " methods: [{name: relu, s: [1.0]}]}\n"),
        r"'experiments\.beyond' and 'theory\.beyond' both write results/theory/beyond_spectra\.nc"),
    "missing proof graph": (CI_TEXT + "proof: {graph: workflow/proof/absent.yaml}\n",
                            r"config key 'proof\.graph': proof file '.*absent\.yaml': no such file"),
}


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_refused_before_any_job(tmp_path, case):
    text, message = TEXTS[case]
    (tmp_path / "bad.yaml").write_text(text)
    proc, _ = _snakemake(tmp_path, tmp_path / "bad.yaml", "--cores", "1")
    assert proc.returncode != 0
    assert re.search(message, proc.stderr), proc.stderr[-3000:]
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("kind", ["million seeds (JSON)", "alias bomb (YAML)"])
def test_huge_input_refused_in_under_5_s_with_the_key(tmp_path, ci_config, kind):
    """Snakemake's own parser reads JSON in C and YAML aliases as shared lists, so these reach
    the workflow fast; the size check refuses them before anything is expanded. (A million
    seeds written out in YAML cost Snakemake's pure-Python parser a minute or more before the
    workflow starts: docs/configuration.md.)"""
    if kind.startswith("million"):
        ci_config["experiments"]["sin1d"]["seeds"] = list(range(10**6))
        profile = tmp_path / "huge.json"
        profile.write_text(json.dumps(profile_of(ci_config)))
        message = "config key 'experiments.sin1d.seeds': 1,000,000 items, above the limit of 10,000"
    else:  # a billion laughs inside the list: each item 10 aliases of the one before
        profile = tmp_path / "bomb.yaml"
        profile.write_text(CI_TEXT.replace("    seeds: [0, 1]\n    eval_every: 20\n",
                                           f"    seeds: {BOMB}\n    eval_every: 20\n", 1))
        message = "config key 'experiments.sin1d.seeds': the config holds more than 100,000 values"
    proc, seconds = _snakemake(tmp_path, profile, "-n")
    said = proc.stdout + proc.stderr
    assert proc.returncode != 0 and message in said, said[-3000:]
    assert seconds < 5, f"{seconds:.1f} s"
    assert not (tmp_path / "results").exists()


def test_gpu_accelerator_without_a_gpu_is_refused_in_the_dry_run(tmp_path, ci_config):
    if gpu_absent() is None:
        pytest.skip("this machine may have a GPU")
    ci_config["training"]["accelerator"] = "gpu"
    profile = write_profile(tmp_path / "gpu.yaml", ci_config)
    proc, _ = _snakemake(tmp_path, profile, "-n")
    assert proc.returncode != 0 and "config key 'training.accelerator': gpu, but" in proc.stdout + proc.stderr
    planned, _ = _snakemake(tmp_path, profile, "-n", "--jobs", "10")  # planned for a cluster: checked on its nodes
    assert planned.returncode == 0, planned.stderr[-2000:]


def test_threads_above_the_cores_are_warned(tmp_path, ci_config):
    ci_config["training"]["threads"] = 1000
    proc, _ = _snakemake(tmp_path, write_profile(tmp_path / "threads.yaml", ci_config), "-n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "hrta: warning: config key 'training.threads': 1000 torch threads per job, above" in proc.stderr


def test_duplicate_key_in_config_yaml_itself(tmp_path):
    """The defaults file is read strictly too (the Snakefile reads it, not Snakemake)."""
    from conftest import workflow_copy

    checkout = workflow_copy(tmp_path / "checkout")
    text = (checkout / "config.yaml").read_text()
    (checkout / "config.yaml").write_text(text.replace("  dtype: float32\n", "  dtype: float32\n  dtype: float64\n"))
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(checkout / "Snakefile"), "-d", str(tmp_path),
                           "-n"], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "key 'dtype' given twice" in proc.stdout + proc.stderr
    assert yaml.safe_load(text)  # the original is fine
