"""What every workflow script shares: its ``snakemake`` object, the same by hand as under
Snakemake, and a log file that receives its output and any traceback.

By hand, a script is run from anywhere as

    python workflow/scripts/<script>.py [wildcard=value ...] [--configfile FILE] [--directory DIR]

and gets the object Snakemake would give its rule's job with those wildcards (input,
output, params, log, threads, config), built by Snakemake itself from the Snakefile (the
model is PyPSA-Eur's ``mock_snakemake``): no second copy of a rule's parameters exists.
Paths are those of ``snakemake --directory DIR`` (default: the checkout).
"""

import argparse
import contextlib
import os
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the checkout: Snakefile, config.yaml, workflow/


def jobs_import_from(src) -> None:
    """Jobs started from now on import hrta from ``src`` first (PYTHONPATH): under
    ``--sdm conda``, whose environment holds hrta's dependencies but not hrta."""
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))


@contextlib.contextmanager
def logged(path):
    """Send stdout and stderr (Lightning's and Python's warnings too) to a log file."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
        try:
            yield
        except BaseException:
            traceback.print_exc(file=fh)  # the log holds the error too, not only Snakemake's output
            raise


def rule_context(scope: dict, rule: str, doc: str, argv=None):
    """The ``snakemake`` object of the running script: Snakemake's own when the script runs
    under its rule (``scope`` is the script's globals()), else the object of the rule's job
    named on the command line."""
    if "snakemake" in scope:
        return scope["snakemake"]
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("wildcards", nargs="*", metavar="wildcard=value", help=f"the wildcards of rule {rule}'s job")
    p.add_argument("--configfile", type=Path, default=None,
                   help="a complete profile replacing config.yaml, as for snakemake")
    p.add_argument("--directory", type=Path, default=ROOT, help="working directory, as for snakemake")
    a = p.parse_args(argv)
    wildcards = {}
    for item in a.wildcards:
        key, sep, value = item.partition("=")
        if not sep or not key:
            p.error(f"wildcard {item!r}: expected name=value, e.g. experiment=sin1d")
        wildcards[key] = value
    smk = job_context(rule, wildcards, a.configfile, a.directory)
    print(f"rule {rule} {' '.join(a.wildcards)}: log in {smk.log[0]}")
    return smk


def job_context(rule_name: str, wildcards: dict, configfile: Path | None = None, directory: Path = ROOT):
    """Snakemake's ``snakemake`` object for the job of ``rule_name`` with these wildcards,
    parsed from the Snakefile with the given profile, paths made absolute under
    ``directory`` (the process's working directory is left as it is)."""
    from snakemake.api import SnakemakeApi  # first: snakemake.dag needs the api's imports
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.script import Snakemake
    from snakemake.settings.types import ConfigSettings, DAGSettings, ResourceSettings

    configfiles = [Path(configfile).resolve()] if configfile else []
    here, directory = Path.cwd(), Path(directory).resolve()
    os.chdir(directory)  # rules' paths are relative to the working directory
    try:
        with SnakemakeApi() as api:
            workflow = api.workflow(resource_settings=ResourceSettings(),
                                    config_settings=ConfigSettings(configfiles=configfiles),
                                    snakefile=ROOT / "Snakefile")._workflow
            workflow.dag_settings = DAGSettings()
            try:
                rule = workflow.get_rule(rule_name)
            except Exception:  # snakemake's UnknownRuleException
                names = sorted(r.name for r in workflow.rules)
                raise SystemExit(f"rule {rule_name!r}: no such rule (rules: {', '.join(names)})") from None
            missing = sorted(set(rule.wildcard_names) - set(wildcards))
            if missing:
                raise SystemExit(f"rule {rule_name!r} needs the wildcards {missing}"
                                 f" (given: {sorted(wildcards)})")
            job = Job(rule, DAG(workflow, rules=[rule]), wildcards)
            for files in (job.input, job.output, job.log):
                for i, path in enumerate(files):
                    files[i] = str(directory / path)
            return Snakemake(job.input, job.output, job.params, job.wildcards, job.threads,
                             job.resources, job.log, workflow.config, rule.name, None,
                             str(ROOT / "workflow" / "scripts"))
    finally:
        os.chdir(here)
