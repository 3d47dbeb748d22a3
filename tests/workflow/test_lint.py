"""Static checks the project keeps green: ruff on the Python code, snakefmt on the rules."""

import subprocess
import sys

from conftest import ROOT


def _run(*args):
    proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def test_ruff_passes():
    rc, out = _run("ruff", "check", "src", "tests", "workflow", "benchmarks")
    assert rc == 0, out


def test_snakefmt_passes():
    rc, out = _run("snakefmt", "--check", "Snakefile", "workflow/rules")
    assert rc == 0, out
