rule claims:
    input:
        aggregates=expand(PATHS["aggregate"], experiment=EXPERIMENTS),
        theory="results/theory/theorem1.json",
        real_data=expand(PATHS["aggregate"], experiment=REAL_DATA),
    output:
        md=report(
            "results/claims.md", caption="../report/claims.rst", category="Claims"
        ),
        json="results/claims.json",
    log:
        "results/logs/claims.log",
    conda:
        "../../environment.yml"
    params:
        settings=config["claims"],
    script:
        "../scripts/claims.py"
