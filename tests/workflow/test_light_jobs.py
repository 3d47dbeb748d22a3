"""Light jobs stay light (issue 27): a workflow script that does not compute with networks
imports neither torch nor Lightning, and one that draws no seaborn plot or palette imports
no seaborn. Every script in workflow/scripts is checked (new ones too): its imports run in a
fresh interpreter, and what they leave in sys.modules is what the job starts with."""

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT

SCRIPTS = sorted((ROOT / "workflow" / "scripts").glob("*.py"))
NETWORK_LIBRARIES = {"torch", "lightning", "pytorch_lightning"}
# The jobs that compute with networks, and so may import torch (and Lightning).
COMPUTE_WITH_NETWORKS = {
    "train",  # trains the runs
    "real_data",  # trains on the bundled real data sets
    "ntk_spectra",  # the finite networks' Gram matrices at initialisation
    "beyond_spectra",  # the same for deep and smooth-base networks
    "linearised",  # trains with GD beside the linearised network's prediction
    "kernel_limit",  # the same at every width
}
# The figures drawn with seaborn: its plots, or its sequential palettes (crest, flare).
SEABORN_FIGURES = {
    "architectures_figure",  # sns.stripplot, sns.pointplot
    "theorem1_figure",  # sns.color_palette("crest") per width
    "linearised_figure",  # the same module as theorem1_figure (hrta.reporting.pictures.theory)
    "theorem1_beyond_figure",  # crest per width, flare per depth
}


def _imports(script) -> str:
    """The script's import statements (anywhere in it), as code to run."""
    tree = ast.parse(script.read_text())
    return "\n".join(ast.unparse(node) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)))


def _loaded(script) -> dict[str, str]:
    """{top-level name of every module that the script's imports load in a fresh interpreter
    (python -X importtime, this checkout's src first on the path): the chain of imports
    that first reached it, 'hrta.a -> hrta.b -> torch'}."""
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", _imports(script)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": path})
    assert proc.returncode == 0, f"{script.name}: its imports fail:\n{proc.stderr[-3000:]}"
    # one line per module, after the modules it imports, indented two spaces per level
    rows = [line.rsplit("|", 1)[-1][1:] for line in proc.stderr.splitlines()
            if line.startswith("import time:") and "imported package" not in line]
    names, depths = [r.strip() for r in rows], [len(r) - len(r.lstrip()) for r in rows]
    chains = {}
    for i, name in enumerate(names):
        top = name.split(".")[0]
        if top in chains:
            continue
        chain, depth = [name], depths[i]
        for j in range(i + 1, len(names)):  # the importers: the next line one level up, and so on
            if depths[j] < depth:
                chain.insert(0, names[j])
                depth = depths[j]
        outer = next(k for k, m in enumerate(chain) if m.split(".")[0] == top)
        chains[top] = " -> ".join(chain[:outer + 1])
    return chains


@pytest.fixture(scope="module")
def loaded():
    """{script stem: _loaded}, the scripts checked in parallel."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip((s.stem for s in SCRIPTS), pool.map(_loaded, SCRIPTS)))


def test_the_lists_name_existing_scripts():
    stems = {s.stem for s in SCRIPTS}
    assert len(stems) > 20 and COMPUTE_WITH_NETWORKS | SEABORN_FIGURES <= stems


@pytest.mark.slow  # an interpreter per script, importing torch where allowed
@pytest.mark.parametrize("stem", [s.stem for s in SCRIPTS])
def test_only_jobs_computing_with_networks_import_torch(stem, loaded):
    heavy = [loaded[stem][m] for m in sorted(NETWORK_LIBRARIES & set(loaded[stem]))]
    if stem in COMPUTE_WITH_NETWORKS:
        assert heavy, f"workflow/scripts/{stem}.py imports no torch: take it off COMPUTE_WITH_NETWORKS"
    else:
        assert not heavy, f"workflow/scripts/{stem}.py does not compute with networks but imports " + "; ".join(heavy)


@pytest.mark.slow
@pytest.mark.parametrize("stem", [s.stem for s in SCRIPTS])
def test_only_seaborn_figures_import_seaborn(stem, loaded):
    if stem in SEABORN_FIGURES:
        assert "seaborn" in loaded[stem], f"workflow/scripts/{stem}.py imports no seaborn: take it off SEABORN_FIGURES"
    else:
        assert "seaborn" not in loaded[stem], (
            f"workflow/scripts/{stem}.py imports seaborn (and with it scipy.stats): {loaded[stem]['seaborn']}")
