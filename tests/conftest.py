import copy
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr
import yaml
from torch import nn
from torch.nn import functional as F

from hrta.model.run import Network, Numerics, Optimizer, Run
from hrta.model.schedule import Schedule
from hrta.pipeline.aggregate import METHOD_FACTS
from hrta.pipeline.config import in_force, read_yaml
from hrta.problems import make_problem
from hrta.training.history import method_facts

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
CI_PROFILE = ROOT / "workflow" / "configs" / "ci.yaml"
PROBLEM = {"name": "sin_sum", "dim": 1, "n_train": 50, "train_points": "grid",
           "n_test": 100, "test_points": "grid"}
TRAINING = {"threads": 1, "dtype": "float32", "accelerator": "cpu", "bias": "augment",
            "optimizer_state_at_switch": "keep", "slopes": "fused", "chunk": 262144,
            "population_mb": 2048, "log_every_s": 30}
ADAM = {"name": "adam", "algorithm": "adam", "lr": 1e-2, "decay": {"kind": "step", "step_size": 50, "gamma": 0.5}}
RELU_AND_HRTA = {"relu": [{"s": 1.0, "epochs": 10}], "hrta": [{"s": 0.5, "epochs": 5}, {"s": 1.0, "epochs": 5}]}


def workflow_copy(dest) -> Path:
    """A copy of the workflow's own files (Snakefile, config.yaml, environment.yml, workflow/)
    in ``dest``, as a checkout elsewhere has them."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "config.yaml", "environment.yml"):
        shutil.copy2(ROOT / name, dest)
    shutil.copytree(ROOT / "workflow", dest / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def snakemake(workdir, *args, check_rc=True, timeout=900, snakefile=ROOT / "Snakefile", env=None):
    """Run the workflow (its ``snakefile``) on its CI profile in ``workdir`` with these extra
    arguments (in ``env``, or this process's environment)."""
    profile = Path(snakefile).parent / "workflow" / "configs" / "ci.yaml"
    cmd = [sys.executable, "-m", "snakemake", "-s", str(snakefile), "-d", str(workdir),
           "--configfile", str(profile), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if check_rc and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stderr[-4000:]}")
    return proc


def report(workdir, name="report.html") -> Path:
    """The Snakemake report of the finished run in ``workdir``, built as the README says."""
    path = Path(workdir) / name
    snakemake(workdir, "--report", str(path))
    return path


def _train_pids(workdir: Path):
    """The training jobs of the workflow run in ``workdir`` (not those of any other run)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if ".train.py" in cmd and f"{workdir}/.snakemake/scripts" in cmd:
                pids.append(int(proc.name))
    return pids


def kill_and_rerun(work: Path, env=None) -> SimpleNamespace:
    """The CI profile started with --cores 2 in ``work`` and killed with kill -9 (snakemake and
    its jobs) mid-training, as a crashed node; then run again as the lock and the killed jobs
    demand: --unlock, and the rerun with --rerun-incomplete on one core (--cores 1), which
    trains every run (each in ``env``, or this process's environment). What each step left or
    said, for the tests to check."""
    out = SimpleNamespace(work=work, killed=False, killed_at=None, unreadable=[], stopped=None)
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(work),
           "--configfile", str(CI_PROFILE), "--cores", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env=env)
    deadline = time.time() + 300
    while time.time() < deadline and not out.killed and proc.poll() is None:
        if _train_pids(work):
            time.sleep(1.0)  # let it get into training
            os.killpg(proc.pid, signal.SIGKILL)
            for pid in _train_pids(work):  # a job outside snakemake's process group
                os.kill(pid, signal.SIGKILL)
            out.killed, out.killed_at = True, time.time()
        time.sleep(0.1)
    if not out.killed:
        os.killpg(proc.pid, signal.SIGKILL)
    out.returncode = proc.wait(timeout=60)
    for path in (work / "results").rglob("*.nc"):  # whatever exists must be complete and readable
        try:
            xr.open_dataset(path).close()
        except Exception as err:  # any failure to read it is the finding
            out.unreadable.append(f"{path}: {err!r}")
    if out.killed:
        out.stopped = snakemake(work, "--cores", "2", check_rc=False, env=env)  # on the lock, or on the killed
        snakemake(work, "--unlock", env=env)  # jobs' outputs
        snakemake(work, "--cores", "1", "--rerun-incomplete", env=env)
    return out


def _wanted(request, fixture: str) -> bool:
    """Whether a test of this session (as selected) uses ``fixture``."""
    return any(fixture in getattr(item, "fixturenames", ()) for item in request.session.items)


@pytest.fixture(scope="session")
def _killed_run(request, tmp_path_factory):
    """Where the kill -9 run (kill_and_rerun) goes, and its future once started: ci_run starts
    it beside its own run when a selected test needs it (the two cores are otherwise half idle
    while the single-core rerun goes on); its numbers do not depend on what else runs."""
    return {"work": tmp_path_factory.mktemp("killed"), "future": None}


@pytest.fixture(scope="session")
def ci_run(request, tmp_path_factory):
    """One full run of the CI profile with --cores 2, shared by the workflow and report tests."""
    work = tmp_path_factory.mktemp("ci_cores2")
    pool = None
    if _wanted(request, "killed_and_rerun"):
        killed = request.getfixturevalue("_killed_run")
        pool = ThreadPoolExecutor(max_workers=1)
        # the environment as it is now: a later test's monkeypatch of os.environ must not reach it
        killed["future"] = pool.submit(kill_and_rerun, killed["work"], dict(os.environ))
    try:
        snakemake(work, "--cores", "2")
    finally:
        if pool is not None:
            pool.shutdown(wait=False)
    return work


@pytest.fixture(scope="session")
def killed_and_rerun(ci_run, _killed_run):
    """kill_and_rerun of the CI profile (started beside ci_run), once a session: the kill -9
    test reads the kill and the rerun, the cores test the single-core rerun's numbers."""
    if _killed_run["future"] is None:
        _killed_run["future"] = Future()
        _killed_run["future"].set_result(kill_and_rerun(_killed_run["work"]))
    return _killed_run["future"].result()


@pytest.fixture(scope="session")
def ci_report(ci_run):
    """The Snakemake report of the shared CI run, built once as the README says, read by the
    workflow test and the browser test."""
    return report(ci_run)


@pytest.fixture(scope="session")
def planned_dry_run(tmp_path_factory):
    """``snakemake -n --jobs 10`` of a profile (a path) in an empty folder: the DAG planned as
    for a cluster (the GPU profiles' accelerator is checked on its nodes). Each profile's dry
    run is made once and shared by the tests that read it (its exit status, its DAG)."""
    done = {}

    def dry_run(profile: Path) -> subprocess.CompletedProcess:
        if profile not in done:
            work = tmp_path_factory.mktemp("dry_run")
            done[profile] = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"),
                                            "-d", str(work), "--configfile", str(profile), "-n", "--jobs", "10"],
                                           capture_output=True, text=True, timeout=300)
        return done[profile]

    return dry_run


@pytest.fixture(scope="session")
def sin_dataset():
    return make_problem(PROBLEM).make_dataset(0)


def make_run(experiment="test", method="hrta", problem=PROBLEM, data_seed=0, width=64, seed=0, eval_every=10,
             schedule=({"s": 0.5, "epochs": 60}, {"s": 1.0, "epochs": 60}), optimizer=ADAM, training=TRAINING,
             network=None) -> Run:
    """A run of the test problem, from config-style values (a schedule's stages, optimizer
    and training blocks as a profile writes them)."""
    return Run(experiment=experiment, method=method,
               schedule=Schedule(list(schedule), reset_at_switch=training["optimizer_state_at_switch"] == "reset"),
               optimizer=Optimizer.of(optimizer), width=width, seed=seed, problem=copy.deepcopy(problem),
               data_seed=data_seed, eval_every=eval_every, numerics=Numerics.of(training),
               network=Network() if network is None else Network(network["base"], network["depth"], "test"))


@pytest.fixture
def ci_config():
    """The CI profile in force: applied over config.yaml, complete."""
    return in_force(ROOT / "config.yaml", yaml.safe_load(CI_PROFILE.read_text()))


def profile_of(config: dict, base: dict | None = None) -> dict:
    """The profile that, applied over ``base`` (config.yaml), gives ``config``: its values,
    and null for every key of base that it lacks."""
    base = read_yaml(ROOT / "config.yaml") if base is None else base
    out = {key: None for key in base if key not in config}
    for key, value in config.items():
        both = isinstance(value, dict) and isinstance(base.get(key), dict)
        out[key] = profile_of(value, base[key]) if both else value
    return out


def write_profile(path, config: dict):
    """Write ``config`` (complete, as the ci_config fixture) as a profile file; its path."""
    Path(path).write_text(yaml.safe_dump(profile_of(config), sort_keys=False))
    return path


def with_facts(ds, schedules: dict, experiment="exp", reference=0.0, gap=False, loss_name="training loss"):
    """A synthetic aggregate given the facts a real one carries: each method's facts from
    its schedule (method name -> stages), the experiment's name and reference loss."""
    parts = [xr.Dataset(coords=method_facts(Schedule(schedules[str(m)]))).reset_coords().expand_dims(method=[m])
             for m in ds.method.values]
    facts = xr.concat(parts, "method", join="outer", fill_value={"stage_start": -1, "stage_s": np.nan})
    out = ds.assign_coords({name: facts[name] for name in METHOD_FACTS})
    out = out.assign_coords(experiment=experiment, reference_loss=float(reference), loss_is_gap=np.int8(gap))
    if "loss" in out:
        out["loss"].attrs["long_name"] = loss_name
    return out


def regime_map(ratio_by_seed: np.ndarray, cells: int) -> xr.Dataset:
    """A map of ``cells`` switch points at one budget (1000 epochs), one optimizer, width and
    schedule; HRTA's loss is ReLU's divided by ratio_by_seed in every cell; the control
    equals ReLU."""
    seeds = np.arange(len(ratio_by_seed))
    relu = 1.0 + 0.1 * seeds
    hrta = np.broadcast_to(relu / ratio_by_seed, (1, 1, 1, cells, 1, len(seeds)))
    zeros = np.zeros_like(hrta, dtype=np.int8)
    dims = ("budget", "optimizer", "schedule", "switch", "width", "seed")
    base = ("budget", "optimizer", "width", "seed")
    switches = np.linspace(0.1, 0.9, cells)
    return xr.Dataset(
        {"final_loss": (dims, hrta), "diverged": (dims, zeros),
         "relu_final_loss": (base, relu[None, None, None]),
         "relu_diverged": (base, np.zeros((1, 1, 1, len(seeds)), np.int8)),
         "control_final_loss": (base, relu[None, None, None]),
         "control_diverged": (base, np.zeros((1, 1, 1, len(seeds)), np.int8))},
        coords={"budget": [1000], "optimizer": ["gd_f0.5"], "schedule": ["hrta_0.5-1"], "switch": switches,
                "width": [100], "seed": seeds, "family": ("optimizer", ["gd"]),
                "setting": ("optimizer", ["0.5 × 2n/λmax"]), "schedule_label": ("schedule", ["HRTA 0.5→1"]),
                "switch_epoch": ("switch", np.round(1000 * switches).astype(int)),
                "relu_tail": (("budget", "optimizer", "width"), np.full((1, 1, 1), 1.01)),
                "loss_is_gap": np.int8(0), "reference_loss": 0.0, "control_s": 1.5},
        attrs={"regime": "fake"})


def width_series(measured: list, kernel: list, widths=(20, 200)) -> xr.Dataset:
    """A width series toward the kernel limit (hrta.theory.linearised.width_series): ReLU
    and one HRTA schedule under GD, two seeds; the ratio ReLU/HRTA of the final loss is
    measured[k] as trained and kernel[k] as the kernel predicts at widths[k], on both seeds."""
    relu = np.array([1.0, 1.2])
    ratios = {"measured_final_loss": np.asarray(measured, float), "predicted_final_loss": np.asarray(kernel, float)}
    ds = xr.Dataset({name: (("width", "method", "seed"), np.stack([np.outer(np.ones(len(widths)), relu),
                                                                  relu[None, :] / r[:, None]], axis=1))
                     for name, r in ratios.items()},
                    coords={"width": list(widths), "method": ["relu", "hrta"], "seed": [0, 1]},
                    attrs={"experiment": "sin1d", "optimizer": "gd", "kernel": "analytic"})
    return with_facts(ds, RELU_AND_HRTA, experiment="sin1d")


@pytest.fixture
def drawn(monkeypatch):
    """The figures a hrta.reporting.pictures function saves, in order (it still writes them)."""
    from hrta.reporting.pictures import style

    figures, save = [], style.save
    monkeypatch.setattr(style, "save", lambda fig, stem: figures.append(fig) or save(fig, stem))
    return figures


def with_history(ds: xr.Dataset, epochs: int = 10) -> xr.Dataset:
    """The aggregate (with its facts) given a loss history ending at its final loss, whose gap
    to the reference loss halves over the run: gap × 2^((E - e) / E) at epoch e, NaN from a
    run's diverged epoch on."""
    e = xr.DataArray(np.arange(epochs + 1), dims="epoch", coords={"epoch": np.arange(epochs + 1)})
    ref = float(ds["reference_loss"])
    loss = ref + (ds["final_loss"].fillna(1.0) - ref) * 2.0 ** ((epochs - e) / epochs)
    loss = loss.where((ds["diverged_epoch"] < 0) | (e < ds["diverged_epoch"]))
    return ds.assign(loss=loss.transpose(*ds["final_loss"].dims, "epoch"))


def final_losses(ratios: dict, experiment="exp", diverged=()) -> xr.Dataset:
    """An aggregate of final losses under Adam: ReLU and HRTA 0.5→1 at the widths that key
    ``ratios``, ReLU's loss 1 + 0.1 × seed and HRTA's that over ratios[width][seed], the test
    errors a tenth of them; diverged: (method index, width index, seed) of the runs that
    diverged (at epoch 7)."""
    widths, ratio = list(ratios), np.array(list(ratios.values()), dtype=float)
    relu = np.broadcast_to(1.0 + 0.1 * np.arange(ratio.shape[1]), ratio.shape)
    final, div = np.stack([relu, relu / ratio])[None], np.zeros((1, 2) + ratio.shape, dtype="int64")
    for where in diverged:
        div[(0, *where)], final[(0, *where)] = 1, np.nan
    dims = ("optimizer", "method", "width", "seed")
    ds = xr.Dataset({"final_loss": (dims, final), "final_test_error": (dims, final / 10), "diverged": (dims, div),
                     "diverged_epoch": (dims, np.where(div, 7, -1))},
                    coords={"optimizer": ["adam"], "method": ["relu", "hrta"], "width": widths,
                            "seed": list(range(ratio.shape[1]))})
    return with_history(with_facts(ds, RELU_AND_HRTA, experiment=experiment))


class Functional(nn.Module):
    """A ReLU called functionally, no activation module."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return F.relu(self.fc(x))


def readme_example() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Use HRTA in your own model\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the section should hold one python example"
    return blocks[0]
