rule dataset:
    output:
        PATHS["dataset"],
    params:
        experiment=experiment_config,
    conda:
        "../../environment.yml"
    log:
        "results/logs/data/{experiment}.log",
    script:
        "../scripts/make_dataset.py"
