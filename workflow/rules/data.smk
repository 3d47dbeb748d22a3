rule dataset:
    output:
        PATHS["dataset"],
    log:
        "results/logs/data/{experiment}.log",
    priority: dataset_priority
    conda:
        "../../environment.yml"
    params:
        experiment=lambda wc: grid.dataset_config(config, wc.experiment),
    script:
        "../scripts/make_dataset.py"
