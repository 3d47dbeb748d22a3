rule claims:
    input:
        aggregates=expand(PATHS["aggregate"], experiment=EXPERIMENTS),
        theory="results/theory/theorem1.json",
    output:
        md="results/claims.md",
        json="results/claims.json",
    log:
        "results/logs/claims.log",
    conda:
        "../../environment.yml"
    params:
        settings=config["claims"],
    script:
        "../scripts/claims.py"
