# hrta: regenerate the figures and the table of the HRTA paper.
# `snakemake --cores all` runs the default profile (config.yaml); another profile
# (`--configfile workflow/configs/<name>.yaml`) is applied over it.
import sys
from pathlib import Path

from snakemake_interface_executor_plugins.settings import DeploymentMethod

import hrta.pipeline.config
import hrta.pipeline.provenance
import hrta.pipeline.resources
import hrta.pipeline.scripts
import hrta.pipeline.sizes
import hrta.pipeline.yamlfile

HERE = Path(
    workflow.current_basedir
)  # this workflow's own files, wherever it runs from (also as a module of another workflow)
# The git state of this checkout (not of the installed package), read once for every job.
GIT = hrta.pipeline.provenance.publish(HERE)
# Under --sdm conda, jobs run in environment.yml's environment, which holds the dependencies
# but not hrta (Snakemake copies the file elsewhere, where a pip `-e .` would find nothing):
# they import it from this checkout.
if DeploymentMethod.CONDA in workflow.deployment_settings.deployment_method:
    hrta.pipeline.scripts.jobs_import_from(HERE / "src")
# Snakemake has read the --configfile profiles already, keeping the last of two equal keys
# and running YAML templates: each is read again strictly, and refused before any job
# (after the size check, which names the key of a huge list).
hrta.pipeline.sizes.check_size(config)
for _profile in workflow.overwrite_configfiles:
    hrta.pipeline.yamlfile.read(_profile)
# A config given: --configfile, --config, or a using workflow's config: (as a module).
HANDED = bool(config)
_validated = hrta.pipeline.config.validate(
    hrta.pipeline.config.in_force(HERE / "config.yaml", config),
    HERE / "workflow/schemas/config.schema.yaml",
)
config.clear()
config.update(_validated)
hrta.pipeline.resources.check_memory(
    config
)  # before any job: a config too big for the machine
# Jobs run on this machine unless a cluster executor plans them (it sets --jobs).
if workflow.resource_settings.nodes is None:
    for _warning in hrta.pipeline.resources.check_machine(config):
        print(f"hrta: warning: {_warning}", file=sys.stderr)


# The report's landing page (snakemake --report results/report.html).
report: "workflow/report/workflow.rst"


PROFILE = (  # the profiles in force: inside the checkout by their path in it
    ", ".join(
        (
            str(Path(path).resolve().relative_to(HERE.resolve()))
            if Path(path).resolve().is_relative_to(HERE.resolve())
            else str(Path(path).resolve())
        )
        for path in workflow.overwrite_configfiles
    )
    or (
        "config.yaml with the config handed over it (--config, or a using workflow's)"
        if HANDED
        else "config.yaml (default)"
    )
)


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/realdata.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/architectures.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/costs.smk"
include: "workflow/rules/dynamics.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/theory.smk"
include: "workflow/rules/theory_beyond.smk"
include: "workflow/rules/regime.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/front.smk"


# Light rules run on the submitting host under a cluster executor (no queue wait, no
# per-job start-up); training and every rule not listed become cluster jobs.
localrules:
    dataset,
    aggregate,
    convergence_figure,
    table1,
    markdown_html,
    provenance_page,
    front_door,


rule all:
    default_target: True
    input:
        expand("results/figures/{figure}.{ext}", figure=FIGURES, ext=["pdf", "png"]),
        expand(
            "results/figures/{figure}.{ext}",
            figure=config["proof"]["figure"],
            ext=["pdf", "png"],
        ),
        "results/claims.md",
        "results/claims.json",
        expand("results/tables/table1.{ext}", ext=["csv", "md", "tex"]),
        expand("results/tables/compute_cost.{ext}", ext=["csv", "md"]),
        THEORY_OUTPUTS,
        BEYOND_OUTPUTS,
        REGIME_OUTPUTS,
        REPORT_OUTPUTS,
        FRONT_OUTPUTS,
        DYNAMICS_OUTPUTS,
        REAL_DATA_OUTPUTS,
        ARCHITECTURE_OUTPUTS,
