rule claims:
    input:
        aggregates=expand(PATHS["aggregate"], experiment=EXPERIMENTS),
        theory="results/theory/theorem1.json",
        regimes=expand("results/regime/{regime}.nc", regime=REGIMES),
        kernel_limit=lambda wc: (
            ["results/theory/kernel_limit.nc"] if LINEARISED else []
        ),
        beyond=(
            ["results/theory/beyond.json"] if config["theory"].get("beyond") else []
        ),
        real_data=expand(PATHS["aggregate"], experiment=REAL_DATA),
        architectures=expand(PATHS["aggregate"], experiment=ARCHITECTURES),
    output:
        md="results/claims.md",
        json="results/claims.json",
    log:
        "results/logs/claims.log",
    conda:
        "../../environment.yml"
    params:
        settings=config["claims"],
        left_out=config["left_out"],
    script:
        "../scripts/claims.py"
