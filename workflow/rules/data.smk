rule dataset:
    output:
        PATHS["dataset"],
    log:
        "results/logs/data/{experiment}.log",
    conda:
        "../../environment.yml"
    params:
        experiment=experiment_config,
    script:
        "../scripts/make_dataset.py"
