"""The library's layout: layers, the direction of imports between them (and between the
reporting layer's rooms), no import circles, words without figure libraries, a torch-free
Snakemake start, and each enum once (the schema's allowed values equal the code's)."""

import ast
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, SCHEMA

SRC = ROOT / "src" / "hrta"
# What each layer may import, besides itself (README "Where things are", docs/layout.md).
ALLOWED = {
    "model": set(),
    "problems": {"model"},
    "training": {"model", "problems"},
    "theory": {"model", "problems"},
    "pipeline": {"model", "problems", "training", "theory"},
    "reporting": {"model", "problems", "training", "theory", "pipeline"},
}
# The reporting layer's rooms (hrta/reporting/__init__.py): what each may import of the others.
ROOMS = {
    "facts": set(),
    "numbers": {"facts"},
    "words": {"facts", "numbers"},
    "pictures": {"facts", "numbers"},
}
FIGURE_LIBRARIES = {"matplotlib", "seaborn"}  # words never import them, not even through other modules


def _modules():
    """{dotted module name: path} of every module of the package."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path, name):
    """hrta modules imported anywhere in a file (top level or inside functions)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).rstrip(".")
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m == "hrta" or m.startswith("hrta.")}


def _layer(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _room(module):
    """The room of a module of hrta.reporting ('facts', 'numbers', 'words', 'pictures'); None
    for the package itself and for other layers."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "reporting" else None


def _outside_imports(path):
    """Top-level names of the modules outside hrta imported anywhere in a file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found - {"hrta"}


def _import_chains(start, modules):
    """{hrta module: the chain of imports from ``start`` to it} for every hrta module that
    importing ``start`` runs (what it imports, anywhere in the file, and their packages)."""
    chains, todo = {start: [start]}, [start]
    while todo:
        name = todo.pop()
        targets = {t for t in _imports(modules[name], name) if t in modules}
        targets |= {".".join(t.split(".")[:k]) for t in targets | {name} for k in range(1, t.count(".") + 1)}
        for target in sorted(targets - set(chains)):
            chains[target] = chains[name] + [target]
            todo.append(target)
    return chains


def test_every_module_sits_in_a_layer_with_a_docstring():
    for name, path in _modules().items():
        if name == "hrta":
            continue
        assert _layer(name) in ALLOWED, f"{path}: not in one of the layers {sorted(ALLOWED)}"
        if path.name == "__init__.py":
            assert ast.get_docstring(ast.parse(path.read_text())), f"{path}: the layer's docstring is missing"


def _against(part_of, allowed):
    """Every import from one part (a layer, a room) into another part it may not import."""
    wrong = []
    for name, path in _modules().items():
        own = part_of(name)
        for target in _imports(path, name):
            other = part_of(target)
            if own and other and other != own and other not in allowed[own]:
                wrong.append(f"{path.relative_to(ROOT)} ({own}) imports {target} ({other})")
    return wrong


def test_imports_follow_the_layer_direction():
    wrong = _against(_layer, ALLOWED)
    assert not wrong, "imports against the declared direction:\n" + "\n".join(wrong)


def test_reporting_modules_sit_in_a_room_with_a_docstring():
    for name, path in _modules().items():
        if _layer(name) != "reporting" or name == "hrta.reporting":
            continue
        assert _room(name) in ROOMS, f"{path}: not in one of the rooms {sorted(ROOMS)} of hrta.reporting"
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path}: the module's docstring is missing"


def test_reporting_imports_follow_the_rooms_direction():
    wrong = _against(_room, ROOMS)
    assert not wrong, "imports against the rooms' direction:\n" + "\n".join(wrong)


def test_words_import_no_figure_library_directly_or_through_other_modules():
    """The Snakefile imports words (captions, report labels) at every start: no matplotlib or
    seaborn there, neither in a words module nor in any hrta module importing it runs."""
    modules = _modules()
    wrong = []
    for name in sorted(m for m in modules if _room(m) == "words"):
        for reached, chain in _import_chains(name, modules).items():
            for library in sorted(_outside_imports(modules[reached]) & FIGURE_LIBRARIES):
                wrong.append(" -> ".join(chain) + f" imports {library}")
    assert not wrong, "words reach a figure library:\n" + "\n".join(wrong)


def test_no_import_circles():
    modules = _modules()
    graph = {name: {t for t in _imports(path, name) if t in modules and t != name}
             for name, path in modules.items()}
    # a package's __init__ importing its own submodules is not a circle back to itself
    graph = {n: {t for t in ts if not t.startswith(n + ".")} for n, ts in graph.items()}
    state, circles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not circles, "import circles:\n" + "\n".join(circles)


@pytest.mark.slow
def test_snakemake_start_imports_no_torch(tmp_path):
    """What the Snakefile imports to build the DAG is torch-free (-X importtime lists every import)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "snakemake", "-n", "-s", str(ROOT / "Snakefile"),
         "-d", str(tmp_path), "--configfile", str(ROOT / "workflow" / "configs" / "ci.yaml")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert "hrta.pipeline.grid" in imported and "hrta.reporting.words.captions" in imported
    assert not {m for m in imported if m.split(".")[0] in ("torch", "lightning", "matplotlib")}


def _schema_enums():
    """{config key: allowed values} of every enum in the schema."""
    out = {}

    def walk(node, key):
        if isinstance(node, dict):
            if "enum" in node:
                out[key] = list(node["enum"])
            for k, v in node.items():
                if k == "properties":
                    for name, sub in v.items():
                        walk(sub, f"{key}.{name}" if key else name)
                elif k in ("items", "additionalProperties"):
                    walk(v, f"{key}[]")
                elif k in ("$defs", "definitions"):
                    for name, sub in v.items():
                        walk(sub, f"#{name}")
        elif isinstance(node, list):
            for sub in node:
                walk(sub, key)

    walk(yaml.safe_load(SCHEMA.read_text()), "")
    return out


def test_schema_enums_equal_the_codes():
    from hrta.model.deep import BASES
    from hrta.model.network import BIAS_MODES, DTYPES
    from hrta.model.optimizers import ALGORITHMS, DECAYS
    from hrta.model.run import SLOPES
    from hrta.pipeline.config import METRICS
    from hrta.pipeline.grid import RUN_DIMS
    from hrta.problems import PROBLEMS
    from hrta.problems.bundled import DATASETS
    from hrta.problems.points import POINT_SETS
    from hrta.reporting.numbers.paired import ADJUST
    from hrta.theory.deep_ntk import PARAMETRISATIONS
    from hrta.theory.linearised import NTK_KINDS
    from hrta.theory.smooth_ntk import SMOOTH_BASES
    from hrta.training.run import STATE_AT_SWITCH
    from hrta.training.trainer import ACCELERATORS

    code = {"training.dtype": list(DTYPES), "training.accelerator": ACCELERATORS,
            "training.bias": BIAS_MODES, "training.optimizer_state_at_switch": STATE_AT_SWITCH,
            "training.slopes": SLOPES, "training.job_per[]": RUN_DIMS,
            "theory.linearised.ntk": NTK_KINDS, "theory.beyond.smooth_bases[]": SMOOTH_BASES,
            "theory.beyond.parametrisations[]": PARAMETRISATIONS,
            "#experiment.figures[].metrics[]": METRICS,
            "#problem.name": list(PROBLEMS), "#problem.train_points": POINT_SETS,
            "#problem.test_points": POINT_SETS, "#optimizer.algorithm": ALGORITHMS,
            "#optimizer.decay.kind": DECAYS, "#regime.optimizers[].family": ALGORITHMS,
            "#regime.optimizers[].decay.kind": DECAYS, "claims.adjust": list(ADJUST),
            "#real_data.dataset": list(DATASETS), "#architectures.networks[].base": list(BASES)}
    enums = _schema_enums()
    assert set(enums) == set(code), "every enum of the schema has its code counterpart here"
    for key, values in code.items():
        assert sorted(enums[key]) == sorted(values), f"schema {key}: {enums[key]} vs code {list(values)}"
