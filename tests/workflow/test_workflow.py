"""The Snakemake workflow for real, on the CI profile: outputs, reproducibility, interruption."""

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from conftest import CI_PROFILE, ROOT, snakemake, workflow_copy, write_profile
from hrta.pipeline.reference import check

REFERENCE = ROOT / "results" / "reference" / "ci"
pytestmark = pytest.mark.slow


def _aggregates(work):
    return sorted((Path(work) / "results" / "aggregate").glob("*.nc"))


def test_outputs_exist_and_hold_finite_numbers(ci_run):
    res = ci_run / "results"
    for name in ("fig2.pdf", "fig2.png"):
        assert (res / "figures" / name).stat().st_size > 10_000
    for ext in ("csv", "md", "tex"):
        assert (res / "tables" / f"table1.{ext}").stat().st_size > 200
    md = (res / "tables" / "table1.md").read_text()
    assert "ReLU" in md and "HRTA 0.5→1.5" in md and "nan" not in md
    aggs = _aggregates(ci_run)
    assert aggs
    for path in aggs:
        with xr.open_dataset(path) as agg:
            assert agg["loss"].dims == ("optimizer", "method", "width", "seed", "epoch")
            assert agg["test_error"].dims[:4] == ("optimizer", "method", "width", "seed")
            assert np.isfinite(agg["final_loss"]).all() and (agg["diverged"] == 0).all()
            for key in ("config", "versions", "git_commit"):
                assert agg.attrs[key]


def test_theory_outputs(ci_run):
    res = ci_run / "results"
    for name in ("theorem1.png", "linearised.png"):
        assert (res / "figures" / name).stat().st_size > 10_000
    verdict = json.loads((res / "theory" / "theorem1.json").read_text())
    assert set(verdict["experiments"]) == {"sin1d", "sin3d", "poisson"}
    assert isinstance(verdict["theorem1_holds"], bool)
    for name in ("architectures.png", "sin1d_tanh_L1.png", "sin1d_relu_L4.png"):
        assert (res / "figures" / name).stat().st_size > 10_000
    claims = json.loads((res / "claims.json").read_text())
    assert [row["experiment"] for row in claims["C3"]] == ["sin1d_tanh_L1"] * 2  # adam and gd
    assert {row["experiment"] for row in claims["C4"]} == {"sin1d_relu_L4"}
    beyond = json.loads((res / "theory" / "beyond.json").read_text())
    assert set(beyond["experiments"]) == set(verdict["experiments"]) and beyond["verdict"]
    assert (res / "figures" / "theorem1_beyond.png").stat().st_size > 10_000
    with xr.open_dataset(res / "theory" / "linearised.nc") as ds:
        assert np.isfinite(ds["predicted_loss"]).all() and np.isfinite(ds["measured_loss"]).all()
        early = (ds["predicted_loss"] / ds["measured_loss"]).isel(epoch=slice(0, 10))
        assert float(abs(np.log(early)).max()) < 0.2  # the linearisation holds at the start


def test_results_match_committed_reference(ci_run):
    report = check(ci_run / "results", REFERENCE)
    assert not report, "\n".join(report)




def test_noop_rerun_and_dry_run(ci_run):
    proc = snakemake(ci_run, "--cores", "2")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_cores_do_not_change_numbers(ci_run, killed_and_rerun):
    """The aggregates of a run on one core (the kill -9 test's rerun, which trained every run
    after the kill) equal those of the shared run on two cores."""
    assert killed_and_rerun.killed, "no training job was seen running"
    work = killed_and_rerun.work
    runs = sorted((work / "results" / "runs").rglob("*.nc"))
    assert runs and all(p.stat().st_mtime > killed_and_rerun.killed_at for p in runs)  # all trained on one core
    for path in _aggregates(ci_run):
        with xr.open_dataset(path) as a, xr.open_dataset(work / "results" / "aggregate" / path.name) as b:
            xr.testing.assert_equal(a.load(), b.load())


def test_kill_9_of_the_workflow_locks_then_unlock_and_rerun_match_bit_for_bit(ci_run, killed_and_rerun):
    """kill -9 of snakemake and its jobs mid-training (a crashed node): no partial result file,
    the rerun stops (on Snakemake's directory lock, or on the outputs of jobs that were running,
    marked incomplete), and --unlock plus a rerun with --rerun-incomplete give the numbers of
    the uninterrupted run exactly."""
    observed = killed_and_rerun
    assert observed.killed, "no training job was seen running"
    assert observed.returncode == -signal.SIGKILL
    assert not observed.unreadable, "\n".join(observed.unreadable)
    said = observed.stopped.stdout + observed.stopped.stderr
    assert observed.stopped.returncode != 0 and ("cannot be locked" in said or "--rerun-incomplete" in said), \
        said[-2000:]
    for path in _aggregates(ci_run):
        with xr.open_dataset(path) as a, \
                xr.open_dataset(observed.work / "results" / "aggregate" / path.name) as b:
            xr.testing.assert_identical(a.load(), b.load())


def test_a_finished_run_moved_elsewhere_and_logging_changed_retrain_nothing(ci_run, tmp_path):
    """No rule input or parameter holds the checkout's or the run's folder, and only what shapes
    a result is a parameter: the finished CI run, moved with its checkout to other folders,
    has nothing to do; with another training.log_every_s it plans no training job."""
    moved = tmp_path / "moved"
    shutil.copytree(ci_run, moved, symlinks=True)  # copy2: modification times kept
    checkout = workflow_copy(tmp_path / "checkout")
    dry = snakemake(moved, "-n", snakefile=checkout / "Snakefile")
    assert "Nothing to be done" in dry.stdout + dry.stderr, (dry.stdout + dry.stderr)[-3000:]
    profile = checkout / "workflow" / "configs" / "ci.yaml"
    quieter = profile.read_text().replace("log_every_s: 0.5", "log_every_s: 7")
    assert quieter != profile.read_text()
    profile.write_text(quieter)
    dry = snakemake(moved, "-n", snakefile=checkout / "Snakefile")
    assert "rule train:" not in dry.stdout, dry.stdout[-3000:]


def test_lint_dry_runs_and_report(ci_run, ci_report, planned_dry_run):
    lint = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(ROOT),
                           "--lint"], capture_output=True, text=True, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    profiles = [ROOT / "config.yaml", *sorted((ROOT / "workflow" / "configs").glob("*.yaml"))]
    for profile in profiles:
        dry = planned_dry_run(profile)  # -n --jobs 10: planned as for a cluster (the GPU profiles'
        assert dry.returncode == 0, f"{profile}: {dry.stderr[-2000:]}"  # accelerator is checked on its nodes)
    html = ci_report.read_text()  # the report built as the README says (shared with the browser test)
    figures = sorted(p.name for p in (ci_run / "results" / "figures").glob("*.png"))
    assert figures and all(name in html for name in figures)
    captions = {  # a phrase of each caption template in workflow/report/
        "convergence.rst": "the ReLU baseline against the HRTA schedules",
        "proof.rst": "Structure of the proof of the HRTA convergence theorem",
        "theorem1.rst": "Theorem 1 checked numerically",
        "linearised.rst": "Kernel regime of experiment",
        "page.rst": "claims checked against these results",
        "workflow.rst": "HRTA: the reproducible artifact",
        "regime.rst": "where HRTA ends with a lower training loss",
        "switch.rst": "The loss jump at the switch of every HRTA schedule",
        "kernel_limit.rst": "Toward the kernel limit",
        "theorem1_beyond.rst": "Theorem 1 beyond two-layer ReLU",
        "real_data.rst": "HRTA on a model this project did not write",
        "architectures.rst": "HRTA beyond two-layer ReLU, in training",
    }
    assert set(captions) == {rst.name for rst in (ROOT / "workflow" / "report").glob("*.rst")}
    for name, phrase in captions.items():
        assert phrase in html, f"caption of {name} missing from the report"


def test_diverging_run_is_recorded_and_the_workflow_carries_on(tmp_path, ci_config):
    exp = ci_config["experiments"]["sin1d"]
    exp.update(widths=[20], seeds=[0], methods=[{"name": "relu", "s": [1.0]}])
    exp["optimizers"].append({"name": "gd_huge", "algorithm": "gd", "lr": 1.0e6})
    ci_config["experiments"] = {"sin1d": exp}
    ci_config.pop("architectures")
    profile = write_profile(tmp_path / "diverge.yaml", ci_config)
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"),
                           "-d", str(tmp_path), "--configfile", str(profile), "--cores", "2",
                           "results/aggregate/sin1d.nc", "results/tables/table1.md",
                           "results/figures/fig2.png"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with xr.open_dataset(tmp_path / "results" / "aggregate" / "sin1d.nc") as agg:
        assert int(agg["diverged"].sel(optimizer="gd_huge").sum()) == 1
        assert int(agg["diverged"].sel(optimizer="adam").sum()) == 0
        assert int(agg["diverged_epoch"].sel(optimizer="gd_huge").max()) > 0
    md = (tmp_path / "results" / "tables" / "table1.md").read_text()
    assert "## sin1d (gd_huge)" in md and "diverged" in md.split("## sin1d (gd_huge)")[1]


def test_scripts_by_hand_write_what_their_rules_wrote(ci_run, tmp_path):
    """A script run by hand gets its rule's input, output and params (one grid, no copy)."""
    res = ci_run / "results"
    table, dataset = res / "tables" / "table1.md", res / "data" / "sin1d.nc"
    by_rule = table.read_text()
    with xr.open_dataset(dataset) as ds:
        data_by_rule = ds.load()
    table.unlink()
    shutil.move(dataset, tmp_path / "sin1d.nc")
    for script, wildcards in (("table1.py", []), ("make_dataset.py", ["experiment=sin1d"])):
        proc = subprocess.run([sys.executable, str(ROOT / "workflow" / "scripts" / script), *wildcards,
                               "--configfile", str(CI_PROFILE), "--directory", str(ci_run)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert table.read_text() == by_rule
    with xr.open_dataset(dataset) as ds:
        xr.testing.assert_identical(ds.load(), data_by_rule)
    bad = subprocess.run([sys.executable, str(ROOT / "workflow" / "scripts" / "train.py"), "experiment=sin1d",
                          "job=nope", "--configfile", str(CI_PROFILE), "--directory", str(ci_run)],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "job 'nope': not a training job of experiment 'sin1d'" in bad.stderr


def test_corrupt_run_files_are_caught_and_the_cure_restores_the_numbers(ci_run, tmp_path):
    """A run file truncated after the run (its time changes: the rerun plans the aggregate,
    not the training): the aggregate refuses it, naming the file and the cure, and
    --forcerun of the file rebuilds the uninterrupted numbers. The same file altered in a
    plausible way with its old time kept: nothing is rerun, but `hrta.pipeline.files verify`
    names it, and any job reading it refuses it."""
    work = tmp_path / "work"
    shutil.copytree(ci_run, work, symlinks=True)
    rel = "results/runs/sin1d/all.nc"  # one training job per experiment (training.job_per: [])
    run_file = work / rel
    data = run_file.read_bytes()
    run_file.write_bytes(data[: len(data) // 2])
    proc = snakemake(work, "--cores", "2", check_rc=False)
    said = proc.stdout + proc.stderr + (work / "results/logs/aggregate/sin1d.log").read_text()
    assert proc.returncode != 0, said[-3000:]
    assert f"result file '{rel}': unreadable, damaged or incomplete" in said, said[-3000:]
    assert f"`snakemake --forcerun {rel}`" in said
    snakemake(work, "--cores", "2", "--forcerun", rel)
    for path in _aggregates(ci_run):
        with xr.open_dataset(path) as a, xr.open_dataset(work / "results" / "aggregate" / path.name) as b:
            xr.testing.assert_identical(a.load(), b.load())

    import netCDF4

    stat = run_file.stat()
    with netCDF4.Dataset(run_file, "r+") as nc:
        nc["loss"][0, 0, 0, 0, -1] = 0.9 * nc["loss"][0, 0, 0, 0, -1]
    os.utime(run_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "Nothing to be done" in snakemake(work, "--cores", "2", "-n").stdout
    verify = subprocess.run([sys.executable, "-m", "hrta.pipeline.files", "verify", "results"], cwd=work,
                            capture_output=True, text=True, timeout=300)
    assert verify.returncode == 1
    assert verify.stdout.startswith(f"result file '{rel}': its contents changed after it was written")
    proc = snakemake(work, "--cores", "2", "--forcerun", "results/aggregate/sin1d.nc", check_rc=False)
    said = proc.stdout + proc.stderr
    assert proc.returncode != 0 and f"result file '{rel}': its contents changed after it was written" in said
