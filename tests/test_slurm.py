"""The CI profile on a real single-node SLURM cluster, through the project's SLURM profile.

Starts munge, slurmctld and slurmd (tests/slurm/start_cluster.sh, which installs Debian's
packages when missing), runs the CI profile with `snakemake --executor slurm`, checks from
SLURM's own job-completion log that every training run was a completed SLURM job with the
rule's resources, and compares the aggregates with a local run of the same profile (run at
the same time). The light rules (dataset, aggregate) are `localrules` and run on the host.
Every SLURM job costs two extra snakemake starts (~8 s of CPU), so the test runs one run per
CI experiment and optimizer: its last method (a two-stage schedule), largest width, first seed.
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

import hrta.config
import hrta.resources

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "slurm"
CI_CONFIG = ROOT / "workflow" / "configs" / "ci.yaml"
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
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


def sliced_ci_config(path: Path) -> Path:
    """The CI profile cut to one run per experiment and optimizer (the others unchanged)."""
    config = yaml.safe_load(CI_CONFIG.read_text())
    for exp in config["experiments"].values():
        exp["widths"], exp["seeds"] = [max(exp["widths"])], exp["seeds"][:1]
        exp["methods"] = exp["methods"][-1:]
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


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
    config_file = sliced_ci_config(tmp_path / "ci_slice.yaml")
    slurm_dir, local_dir = tmp_path / "slurm", tmp_path / "local"
    local = start_snakemake(local_dir, config_file,
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

    config = hrta.config.load(config_file, SCHEMA)
    runs = list(hrta.config.runs(config))
    jobs, done = train_jobs(slurm_dir), completed_jobs(cluster)
    assert len(jobs) == len(runs), "one SLURM job per training run"
    host = subprocess.run(["hostname", "-s"], capture_output=True, text=True).stdout.strip()
    for job_id, wc in jobs.items():
        spec = hrta.config.run_spec(config, wc["experiment"], wc["optimizer"], wc["method"],
                                    wc["width"], wc["seed"])
        record = done[job_id]
        assert (record["JobState"], record["Partition"], record["NodeList"]) == (
            "COMPLETED", PARTITION, host), record
        assert record["TimeLimit"] == str(hrta.resources.runtime_min(spec))
        assert f"cpu={config['training']['threads']}," in record["Tres"]
        assert f"mem={hrta.resources.mem_mb(spec)}M" in record["Tres"]
        print(f"SLURM job {job_id}: train {wc} {record['JobState']} on {record['NodeList']}, "
              f"{record['Tres']}, time limit {record['TimeLimit']} min")

    for exp in config["experiments"]:
        path = Path("results/aggregate") / f"{exp}.nc"
        with xr.open_dataset(slurm_dir / path) as on_slurm, xr.open_dataset(local_dir / path) as local:
            assert on_slurm.sizes == local.sizes
            xr.testing.assert_allclose(on_slurm.load(), local.load(), rtol=0, atol=0)
