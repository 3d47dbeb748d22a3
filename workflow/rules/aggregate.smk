rule aggregate:
    input:
        lambda wc: grid.job_paths(config, "runs", wc.experiment),
    output:
        PATHS["aggregate"],
    params:
        experiment=experiment_config,
    conda:
        "../../environment.yml"
    log:
        "results/logs/aggregate/{experiment}.log",
    script:
        "../scripts/aggregate.py"
