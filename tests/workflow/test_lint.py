"""Static checks the project keeps green: ruff on the Python code, snakefmt on the rules, and
no measured time stated outside docs/benchmarks.md."""

import re
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


# A stated time: "12 s", "~19 min", "3x faster", "13:20.3", "a few seconds", "under a minute"
TIMING = re.compile(r"(?<![:{\w.])\d+(?:\.\d+)?\s?(?:ms|µs|min)\b|(?<![:{\w.])\d+(?:\.\d+)? s\b"
                    r"|\b\d+(?:\.\d+)?\s?(?:seconds|minutes|hours)\b|\b\d+(?:\.\d+)?\s?[x×]\s(?:faster|slower)"
                    r"|\b\d{1,2}:\d{2}\.\d\b|\ba minute\b"
                    r"|(?:~|under |about |a few |one to two )(?:\d+ ?)?(?:seconds?|minutes?|min)\b")


def test_times_are_stated_in_docs_benchmarks_md_alone():
    """Measured times live in docs/benchmarks.md, dated, with their commit; the README, the
    other docs, the profiles and the code point there rather than state one that ages."""
    files = [ROOT / name for name in ("README.md", "config.yaml", "Snakefile", "environment.yml", ".ci/run")]
    files += [p for p in (ROOT / "docs").glob("*.md") if p.name != "benchmarks.md"]
    for pattern in ("src/**/*.py", "workflow/**/*.*", "benchmarks/*.*"):
        files += [p for p in ROOT.glob(pattern) if p.suffix in (".py", ".yaml", ".smk", ".md")]
    found = [f"{p.relative_to(ROOT)}:{i}: {m.group(0)!r}" for p in files
             for i, line in enumerate(p.read_text().splitlines(), 1) for m in TIMING.finditer(line)]
    assert not found, "times stated outside docs/benchmarks.md:\n" + "\n".join(found)
