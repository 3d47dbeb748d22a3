import re
import shutil
import subprocess
import sys
import venv
import zipfile

import pytest
import tomllib
import yaml

from conftest import ROOT, readme_example

# what the pipeline brings and the drop-in must not (the extra `pipeline`)
PIPELINE_ONLY = {"snakemake", "xarray", "netcdf4", "scipy", "pandas", "matplotlib", "seaborn", "jsonschema",
                 "markdown", "scikit-learn"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        wanted.update({_name(r): r for r in extra if _name(r) != project["name"]})
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(r): r for r in pip if not r.startswith("-e")}
    assert listed.keys() == wanted.keys()
    for name, req in wanted.items():  # same version ranges too
        assert listed[name].replace(" ", "") == req.replace(" ", ""), name


def test_the_drop_in_needs_torch_and_lightning_and_the_commands_install_the_pipeline():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert {_name(r) for r in project["dependencies"]} == {"torch", "lightning"}
    assert PIPELINE_ONLY <= {_name(r) for r in extras["pipeline"]}
    assert "hrta[pipeline,slurm]" in extras["test"] and "hrta[pipeline]" in extras["slurm"]  # both run the pipeline
    files = [ROOT / "README.md", ROOT / ".ci" / "run", ROOT / "docs" / "cluster.md"]
    commands = {f.name: [line for line in f.read_text().splitlines() if re.search(r"pip install .*-e ", line)]
                for f in files}
    assert all(commands.values()), commands  # each says how to install
    assert all(re.search(r'-e "\.\[(pipeline,test|slurm)\]"', line) for lines in commands.values() for line in lines)


@pytest.mark.slow  # builds the wheel and installs it, with torch and Lightning, in a fresh venv
def test_the_wheel_without_extras_installs_the_drop_in_alone_and_runs_the_readme_example(tmp_path):
    checkout = tmp_path / "checkout"  # a copy, so that the build leaves nothing in the repository
    shutil.copytree(ROOT / "src", checkout / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, checkout / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", checkout],
                   check=True)
    wheel = next((tmp_path / "dist").glob("hrta-*.whl"))
    assert "hrta/py.typed" in zipfile.ZipFile(wheel).namelist()
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = str(env / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "torch==2.13.0"], check=True)  # the CPU build
    subprocess.run([python, "-m", "pip", "install", "-q", wheel], check=True)
    freeze = subprocess.run([python, "-m", "pip", "list", "--format=freeze"], check=True, capture_output=True,
                            text=True).stdout
    installed = {_name(line) for line in freeze.split()}
    assert {"hrta", "torch", "lightning"} <= installed and not installed & PIPELINE_ONLY
    script = tmp_path / "example.py"
    script.write_text(readme_example() + (
        "\nacts = [m for m in trainer.lightning_module.modules() if type(m).__name__ == 'HomotopyActivation']"
        "\nassert trainer.current_epoch == 20 and [a.s for a in acts] == [1.0, 1.0]"
        "\nprint('README example: s =', [a.s for a in acts])\n"))
    run = subprocess.run([python, script], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-4000:]
    print(f"fresh venv: {len(freeze.split())} packages")  # pytest -s shows it
