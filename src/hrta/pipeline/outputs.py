"""Names that become path components, and every file a config plans to write: all under
results/, no two jobs writing one path (on a case-insensitive file system either), no file
where another needs a folder. Checked when the config is validated, before any job, with
the colliding config keys named. Imports no torch.

One pattern, NAME, for every name that becomes part of a path: experiments, methods,
optimizers, method sets, real-data experiments, figures, regime maps and the generated
experiments, optimizers and methods. It excludes '.', '..', '/', a leading '.' or '-' and
any character a shell or a regular expression would read. ``planned`` lists the outputs of
the rules in workflow/rules (tests/pipeline/test_outputs.py checks it against the DAG
Snakemake builds).
"""

import os
import re

from hrta.pipeline import grid, regimes
from hrta.pipeline.errors import ConfigError

NAME = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"  # workflow/schemas/config.schema.yaml: $defs/name
RESULTS = "results"
FIGURE = ("results/figures/{stem}.pdf", "results/figures/{stem}.png", "results/logs/figures/{stem}.log")


def origin(config: dict, experiment: str) -> str:
    """The config key that makes an experiment: its own, or the regime map or network that
    generates it."""
    exp = config["experiments"][experiment]
    if "regime" in exp:
        return f"regimes.{exp['regime']}"
    if "architecture" in exp:
        net = exp["architecture"]
        networks = config["architectures"][net["source"]]["networks"]
        i = next(i for i, n in enumerate(networks) if (n["base"], n["depth"]) == (net["base"], net["depth"]))
        return f"architectures.{net['source']}.networks[{i}]"
    return f"experiments.{experiment}"


def names(config: dict):
    """(config key, name) of every name of a validated config that becomes a path component
    or a coordinate label, generated ones included."""
    for group in ("method_sets", "regimes", "architectures", "real_data"):
        for name in config.get(group, {}):
            yield f"{group}.{name}", name
    yield "proof.figure", config["proof"]["figure"]
    blocks = [(origin(config, name), name, exp) for name, exp in config["experiments"].items()]
    blocks += [(f"real_data.{name}", name, exp) for name, exp in config["real_data"].items()]
    for key, name, exp in blocks:
        yield key, name
        own = key in (f"experiments.{name}", f"real_data.{name}")  # generated: named by its generating key
        for group in ("optimizers", "methods", "figures"):
            for i, item in enumerate(exp.get(group, [])):
                yield (f"{key}.{group}[{i}].name" if own else key), item["name"]


def check_names(config: dict) -> None:
    """ConfigError naming the key of the first name that does not match NAME."""
    for key, name in names(config):
        if not isinstance(name, str) or not re.fullmatch(NAME, name):
            raise ConfigError(f"config key '{key}': name {name!r} cannot be part of a file name (expected: letters,"
                              " digits, '_', '.' and '-', starting with a letter, digit or '_', at most 64"
                              " characters; never '.' or '..')")


def _figure(stem: str, key: str):
    return [(pattern.format(stem=stem), key) for pattern in FIGURE]


def planned(config: dict, jobs: dict | None = None) -> list[tuple[str, str]]:
    """(path, config key) of every file the workflow writes for a validated config: outputs,
    logs and benchmarks of every rule (spectra for every experiment)."""
    jobs = grid.jobs(config) if jobs is None else jobs
    paths = grid.PATHS
    out = []
    for name, exp in config["experiments"].items():
        key = origin(config, name)
        out += [(paths["dataset"].format(experiment=name), key), (f"results/logs/data/{name}.log", key),
                (paths["aggregate"].format(experiment=name), key), (f"results/logs/aggregate/{name}.log", key),
                (paths["spectra"].format(experiment=name), key), (f"results/logs/theory/{name}_spectra.log", key),
                (f"results/benchmarks/theory/{name}_spectra.tsv", key)]
        if "regime" not in exp and "architecture" not in exp:
            out += [(f"results/dynamics/{name}.nc", key), (f"results/logs/dynamics/{name}.log", key),
                    *_figure(f"switch_{name}", key)]
        for i, fig in enumerate(exp["figures"]):
            out += _figure(fig["name"], f"{key}.figures[{i}].name" if "architecture" not in exp else key)
    for experiment, job in jobs:
        key = f"{origin(config, experiment)} (training job {job})"
        out += [(paths[kind].format(experiment=experiment, job=job), key)
                for kind in ("runs", "run_timings", "train_benchmark", "train_log")]
    for name in config["real_data"]:
        key = f"real_data.{name}"
        out += [(paths["aggregate"].format(experiment=name), key), (f"results/logs/real_data/{name}.log", key),
                (f"results/dynamics/{name}.nc", key), (f"results/logs/dynamics/{name}.log", key),
                (f"results/benchmarks/real_data/{name}.tsv", key), *_figure(name, key)]
    for name in config["regimes"]:
        key = f"regimes.{name}"
        out += [(f"results/regime/{name}.nc", key), (f"results/logs/regime/{name}.log", key)]
        for view in regimes.views(config["regimes"][name]):
            out += _figure(f"regime_{name}_{view}", key)
    theory = config["theory"]
    out += [("results/theory/theorem1.json", "theory"), ("results/logs/theory/theorem1_verdict.log", "theory"),
            *_figure("theorem1", "theory")]
    if "linearised" in theory:
        key = "theory.linearised"
        out += [("results/theory/linearised.nc", key), ("results/logs/theory/linearised.log", key),
                ("results/benchmarks/theory/linearised.tsv", key), *_figure("linearised", key),
                ("results/theory/kernel_limit.nc", key), ("results/logs/theory/kernel_limit.log", key),
                *_figure("kernel_limit", key)]
    if theory.get("beyond"):
        key = "theory.beyond"
        out += [("results/theory/beyond_spectra.nc", key), ("results/logs/theory/beyond_spectra.log", key),
                ("results/benchmarks/theory/beyond_spectra.tsv", key), ("results/theory/beyond.json", key),
                ("results/logs/theory/beyond_verdict.log", key), *_figure("theorem1_beyond", key)]
    if any("architecture" in exp for exp in config["experiments"].values()):
        out += _figure("architectures", "architectures")
    out += _figure(config["proof"]["figure"], "proof.figure")
    fixed = ["results/claims.md", "results/claims.json", "results/logs/claims.log",
             "results/tables/table1.csv", "results/tables/table1.md", "results/tables/table1.tex",
             "results/logs/tables/table1.log", "results/tables/compute_cost.csv", "results/tables/compute_cost.md",
             "results/logs/tables/compute_cost.log", "results/report/provenance.rst",
             "results/logs/report/provenance.log", "results/index.html", "results/report/answer.rst",
             "results/logs/report/front_door.log"]
    for page in ("claims", "tables/table1", "tables/compute_cost"):
        fixed += [f"results/{page}.html", f"results/logs/report/{page}.log"]
    return out + [(path, "(fixed)") for path in fixed]


def check_paths(config: dict, jobs: dict | None = None) -> None:
    """ConfigError naming the keys when a planned file lies outside results/, when two of
    them are one path (or differ only in case), or when one is the folder of another."""
    seen, folded = {}, {}
    for path, key in planned(config, jobs):
        norm = os.path.normpath(path)
        if os.path.isabs(norm) or not norm.startswith(RESULTS + os.sep):
            raise ConfigError(f"config key '{key}': writes {path!r}, outside {RESULTS}/ (expected: names"
                              " without '..' or '/')")
        if norm in seen or norm.lower() in folded:
            other, same = (seen[norm], "") if norm in seen else (folded[norm.lower()][0], " on a case-insensitive"
                                                                  " file system (macOS, Windows)")
            raise ConfigError(f"config keys '{other}' and '{key}' both write {norm}{same} (expected: names whose"
                              " files differ; rename one)")
        seen[norm] = key
        folded[norm.lower()] = (key, norm)
    for norm, key in seen.items():
        parent = os.path.dirname(norm)
        while parent and parent != RESULTS:
            if parent in seen:
                raise ConfigError(f"config keys '{seen[parent]}' and '{key}': {parent} is both a file and the"
                                  f" folder of {norm} (expected: names whose files differ; rename one)")
            parent = os.path.dirname(parent)
