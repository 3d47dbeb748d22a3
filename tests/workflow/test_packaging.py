import re

import tomllib
import yaml

from conftest import ROOT


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
