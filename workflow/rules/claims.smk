rule claims:
    input:
        aggregates=expand(PATHS["aggregate"], experiment=EXPERIMENTS),
        theory="results/theory/theorem1.json",
    output:
        md=report("results/claims.md", caption="../report/claims.rst", category="Claims"),
        json="results/claims.json",
    params:
        settings=config["claims"],
    conda:
        "../../environment.yml"
    log:
        "results/logs/claims.log",
    script:
        "../scripts/claims.py"
