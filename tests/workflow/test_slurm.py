"""The CI profile on a real single-node SLURM cluster, through the project's SLURM profile.

Starts munge, slurmctld and slurmd (tests/workflow/slurm/start_cluster.sh, which installs Debian's
packages when missing), runs the CI profile with `snakemake --executor slurm`, checks from
SLURM's own job-completion log that every training job was a completed SLURM job with the
rule's resources, and compares the aggregates with a local run of the same profile (run at
the same time) that trains every run in its own job (training.job_per: all run dims), so the
grouping of runs into jobs is checked too. The light rules (dataset, aggregate) are
`localrules` and run on the host. Every SLURM job costs two extra snakemake starts, so the
test keeps one training job per CI experiment and optimizer: its last method (a two-stage
schedule), largest width and first two seeds.
Needs root and apt-get; skipped without them, except under CI=true, where it must run.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import xarray as xr
import yaml

import hrta.pipeline.config
import hrta.pipeline.grid
import hrta.pipeline.methods
import hrta.pipeline.resources
from conftest import CI_PROFILE as CI_CONFIG
from conftest import ROOT, SCHEMA, write_profile

SCRIPTS = ROOT / "tests" / "workflow" / "slurm"
PARTITION = "hrta"
RUN_LIMIT_S = 240  # each snakemake run; SIGINT ends it cleanly (SIGTERM would wait for jobs)

pytestmark = pytest.mark.slow


def _require(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the SLURM test, but: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster():
    """A running single-node cluster; its daemons are stopped by pid file afterwards."""
    _require(os.geteuid() == 0, "needs root (installs and starts SLURM)")
    _require(shutil.which("apt-get") is not None, "needs apt-get (Debian's SLURM packages)")
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        _require(False, "snakemake-executor-plugin-slurm is not installed (pip install -e '.[slurm]')")
    state = Path(tempfile.mkdtemp(prefix="hrta-slurm-"))  # short: slurmd puts sockets here
    env = {**os.environ, "HRTA_SLURM_DIR": str(state), "HRTA_SLURM_PARTITION": PARTITION}
    try:
        subprocess.run(["bash", SCRIPTS / "start_cluster.sh"], env=env, check=True)
        yield state
    finally:
        subprocess.run(["bash", SCRIPTS / "stop_cluster.sh"], env=env, check=False)
        shutil.rmtree(state, ignore_errors=True)


def sliced_ci_config(path: Path, job_per: list[str]) -> Path:
    """The CI profile cut to the baseline and one HRTA method, one width and two seeds per
    experiment and optimizer (the rest unchanged, the regime maps and other networks left
    out), its runs grouped into jobs by ``job_per``."""
    config = hrta.pipeline.config.in_force(ROOT / "config.yaml", yaml.safe_load(CI_CONFIG.read_text()))
    config["regimes"], config["architectures"] = {}, {}
    config["training"]["job_per"] = job_per
    for name, exp in config["experiments"].items():
        hrta.pipeline.methods.explicit(exp, config["method_sets"], f"experiments.{name}")
        exp["widths"], exp["seeds"] = [max(exp["widths"])], exp["seeds"][:2]
        exp["methods"] = [exp["methods"][0], exp["methods"][-1]]  # the baseline (first) and HRTA
    return write_profile(path, config)


def start_snakemake(workdir: Path, config: Path, *args: str) -> subprocess.Popen:
    """Start the workflow up to the aggregates, bounded in time; output goes to a log."""
    experiments = yaml.safe_load(config.read_text())["experiments"]
    targets = [f"results/aggregate/{exp}.nc" for exp in experiments]
    cmd = ["timeout", "-s", "INT", "-k", "30", str(RUN_LIMIT_S), sys.executable, "-m",
           "snakemake", *targets, "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
           "--configfile", str(config), *args]
    workdir.mkdir(parents=True)
    with open(workdir / "snakemake.log", "w") as log:  # the child keeps its own copy
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def finish(run: subprocess.Popen, workdir: Path) -> None:
    run.wait()
    tail = (workdir / "snakemake.log").read_text()[-5000:]
    assert run.returncode == 0, f"snakemake in {workdir} exited {run.returncode}:\n{tail}"


def filled_slurm_profile(folder: Path) -> Path:
    """The project's SLURM profile with partition and account filled in, as a user does."""
    profile = yaml.safe_load((ROOT / "workflow/profiles/slurm/config.yaml").read_text())
    profile["default-resources"].update(slurm_partition=PARTITION, slurm_account="root")
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text(yaml.safe_dump(profile))
    return folder


def completed_jobs(state: Path) -> dict:
    """SLURM's job-completion log (jobcomp/filetxt) as {job id: {field: value}}."""
    jobs = {}
    for line in (state / "log" / "jobcomp.log").read_text().splitlines():
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        jobs[fields["JobId"]] = fields
    return jobs


def train_jobs(workdir: Path) -> dict:
    """{SLURM job id: wildcards} of the train jobs, from the plugin's per-job logs."""
    jobs = {}
    for log in (workdir / ".snakemake" / "slurm_logs" / "rule_train").glob("*/*.log"):
        line = re.search(r"wildcards: (.*)", log.read_text()).group(1)
        jobs[log.stem] = dict(item.split("=", 1) for item in line.split(", "))
    return jobs


def test_ci_profile_on_slurm_matches_local_run(cluster, tmp_path):
    config_file = sliced_ci_config(tmp_path / "ci_slice.yaml", ["optimizer", "width"])
    per_run = sliced_ci_config(tmp_path / "ci_slice_per_run.yaml", list(hrta.pipeline.grid.RUN_DIMS))
    slurm_dir, local_dir = tmp_path / "slurm", tmp_path / "local"
    local = start_snakemake(local_dir, per_run,
                            "--workflow-profile", str(ROOT / "workflow/profiles/default"))
    on_slurm = start_snakemake(
        slurm_dir, config_file, "--executor", "slurm",
        "--workflow-profile", str(filled_slurm_profile(tmp_path / "profile")),
        # test-only: no accounting database here, and poll without the 40 s wait
        "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "1",
        "--slurm-keep-successful-logs")
    try:
        finish(on_slurm, slurm_dir)
        finish(local, local_dir)
    finally:  # after a failure, end the other run too (timeout forwards SIGINT to snakemake)
        for run in (on_slurm, local):
            if run.poll() is None:
                run.send_signal(signal.SIGINT)
                run.wait()

    config = hrta.pipeline.config.load(config_file, SCHEMA, ROOT / "config.yaml")
    grid = hrta.pipeline.grid.jobs(config)
    limit = config["training"]["population_mb"]
    assert all(len(group) == 4 for group in grid.values())  # two methods x two seeds per job
    jobs, done = train_jobs(slurm_dir), completed_jobs(cluster)
    assert len(jobs) == len(grid), "one SLURM job per training job"
    host = subprocess.run(["hostname", "-s"], capture_output=True, text=True).stdout.strip()
    for job_id, wc in jobs.items():
        runs = grid[wc["experiment"], wc["job"]]
        record = done[job_id]
        assert (record["JobState"], record["Partition"], record["NodeList"]) == (
            "COMPLETED", PARTITION, host), record
        assert record["TimeLimit"] == str(hrta.pipeline.resources.runtime_min(runs, limit))
        assert f"cpu={config['training']['threads']}," in record["Tres"]
        assert f"mem={hrta.pipeline.resources.mem_mb(runs, limit)}M" in record["Tres"]
        print(f"SLURM job {job_id}: train {wc} {record['JobState']} on {record['NodeList']}, "
              f"{record['Tres']}, time limit {record['TimeLimit']} min")

    for exp in config["experiments"]:
        path = Path("results/aggregate") / f"{exp}.nc"
        with xr.open_dataset(slurm_dir / path) as on_slurm, xr.open_dataset(local_dir / path) as local:
            assert on_slurm.sizes == local.sizes
            xr.testing.assert_allclose(on_slurm.load(), local.load(), rtol=0, atol=0)
