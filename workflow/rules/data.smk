rule dataset:
    output:
        "results/data/{experiment}.nc",
    params:
        problem=lambda wc: config["experiments"][wc.experiment]["problem"],
        data_seed=lambda wc: config["experiments"][wc.experiment]["data_seed"],
    conda:
        "../../environment.yml"
    log:
        "results/logs/data/{experiment}.log",
    script:
        "../scripts/make_dataset.py"
