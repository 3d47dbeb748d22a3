"""The pipeline layer: what the Snakemake workflow runs on. Config validation against the
schema, the run grid (every run, job, rule parameter and path pattern in one place),
cluster resources, aggregation of run histories, provenance, result files and the
comparison with reference results; and the scripts' shared context (by hand or under a
rule).

May import hrta.model, hrta.problems, hrta.training and hrta.theory. The modules the
Snakefile imports (config, grid, resources) import no torch.
"""
